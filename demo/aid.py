"""Demo aid programme for `load_demo_content`: the aid section and the two-year programme for the
city's medical staff who went to Wuhan, its counsellors, and cases run through aid.services.

Cases are registered with a generated PDF as proof, dated back months from the day of loading;
some are assigned and have sessions, one has a risk flag waiting for follow-up, one a request for
another counsellor, one waits for assignment and one is closed. The beneficiaries are plainly
fictitious (示例甲 …, 138000000xx, 某医院(虚构)). Running it again changes nothing.

The programme's texts, the counsellors and the cases are in demo/data/aid.json.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Locale

from aid import services
from aid.enums import CloseReason, Mode, Need, Risk
from aid.models import AidIndexPage, AidProgrammePage, Case, Counsellor
from demo import files
from demo.members import OFFICER_EMAIL, SCAN, _person, pay_dues
from demo.site import load as load_data
from demo.site import stream
from demo.volunteers import child, publish, translate_section
from experts.models import Specialty
from home.models import HomePage
from members import services as member_services
from members.models import Member, MembershipApplication, MembershipType
from portal.roles import AID_COORDINATORS, MEMBERSHIP_OFFICERS

COORDINATOR_EMAIL = "aid@example.com"
COUNSELLOR_EMAIL = "counsellor@example.com"
BENEFICIARY_EMAIL = "beneficiary@example.com"
INDEX_SLUG = "aid"
PROGRAMME_SLUG = "wuhan-medical-staff"
# Registration opened this many days before the day of loading.
OPENED_DAYS_AGO = 210


@dataclass(frozen=True)
class CounsellorSpec:
    email: str
    name: str
    employer: str
    qualification: str
    district: str
    specialties: tuple[str, ...]
    modes: tuple[str, ...]
    capacity: int

    @classmethod
    def from_dict(cls, data: dict) -> CounsellorSpec:
        return cls(
            **data | {"specialties": tuple(data["specialties"]), "modes": tuple(Mode(mode) for mode in data["modes"])}
        )


@dataclass(frozen=True)
class CaseSpec:
    email: str
    name: str
    phone: str
    workplace: str
    deployment: str
    needs: tuple[str, ...]
    needs_detail: str
    mode: str
    district: str
    preferred_times: str
    registered_days_ago: int
    counsellor: str | None = None  # e-mail of the counsellor assigned
    assigned_days_ago: int = 0
    sessions_days_ago: tuple[int, ...] = ()
    story: str = ""  # "risk", "change" or "closed"

    @classmethod
    def from_dict(cls, data: dict) -> CaseSpec:
        return cls(
            **data
            | {
                "needs": tuple(Need(need) for need in data["needs"]),
                "mode": Mode(data["mode"]),
                "sessions_days_ago": tuple(data.get("sessions_days_ago", ())),
            }
        )


DATA = load_data("aid.json")
INDEX = (DATA["index"]["title"], DATA["index"]["intro"])
INDEX_EN = (DATA["index_en"]["title"], DATA["index_en"]["intro"])
PROGRAMME = DATA["programme"]
PROGRAMME_TITLE = PROGRAMME["title"]
ELIGIBILITY = PROGRAMME["eligibility"]
BODY = PROGRAMME["body"]
COUNSELLORS = [CounsellorSpec.from_dict(item) for item in DATA["counsellors"]]
CASES = [CaseSpec.from_dict(item) for item in DATA["cases"]]
SESSION_NOTES = tuple(DATA["session_notes"])
RISK_NOTE = DATA["risk_note"]
CHANGE_REASON = DATA["change_reason"]
PROOF = DATA["proof"]


def _session_notes(number: int) -> str:
    """The first session's notes, then the others in turn."""
    return SESSION_NOTES[0] if number == 1 else SESSION_NOTES[1 + (number - 2) % (len(SESSION_NOTES) - 1)]


def _proof(name: str) -> ContentFile:
    """A one-page PDF standing in for the certificate of deployment a beneficiary uploads."""
    pdf = files.pdf_document(
        PROOF["title"], [text.replace("{name}", name) for text in PROOF["paragraphs"]], author=PROOF["author"]
    )
    return ContentFile(pdf, name=PROOF["filename"])


# Loading --------------------------------------------------------------------------------------------


def load(today: datetime.date, *, editor=None, progress: Callable[[str], None] = print) -> int:
    """Create what is missing; returns how many cases were registered (0 once the programme exists)."""
    home = HomePage.objects.filter(locale=Locale.get_default(), depth=2).first()
    if home is None:
        progress("  aid programme: no home page, skipped")
        return 0
    # The people are fictitious: the services' e-mails to them go nowhere.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            coordinator = _person(COORDINATOR_EMAIL, "援助协调员（演示）", groups=(AID_COORDINATORS,))
            editor = editor or coordinator
            index = child(home, INDEX_SLUG)
            if index is None:
                index = AidIndexPage(title=INDEX[0], slug=INDEX_SLUG, intro=INDEX[1], show_in_menus=True)
                home.add_child(instance=index)
                publish(index, editor)
            programme = child(index, PROGRAMME_SLUG)
            added = 0
            if programme is None:
                programme = _programme(index, editor, today)
                counsellors = _counsellors(programme, today)
                added = _cases(programme, counsellors, coordinator, today)
                progress(
                    f"  aid programme: {added} cases, {len(counsellors)} counsellors, "
                    f"coordinated by {COORDINATOR_EMAIL}"
                )
    translate_section(home, [index, programme], INDEX_EN, editor=editor, progress=progress, name="aid section")
    return added


def _programme(index: AidIndexPage, editor, today: datetime.date) -> AidProgrammePage:
    page = AidProgrammePage(
        title=PROGRAMME_TITLE,
        slug=PROGRAMME_SLUG,
        summary=PROGRAMME["summary"],
        eligibility=ELIGIBILITY,
        term_months=PROGRAMME["term_months"],
        capacity=PROGRAMME["capacity"],
        case_prefix=PROGRAMME["case_prefix"],
        registration_opens=today - datetime.timedelta(days=OPENED_DAYS_AGO),
        body=stream(BODY),
    )
    index.add_child(instance=page)
    publish(page, editor)
    return page


def _counsellors(programme: AidProgrammePage, today: datetime.date) -> dict[str, Counsellor]:
    """Members in good standing, admitted through a membership application, who volunteer as counsellors."""
    officer = _person(OFFICER_EMAIL, "秘书处（演示）", groups=(MEMBERSHIP_OFFICERS,))
    individual = MembershipType.objects.get(name="个人会员")
    counsellors = {}
    for spec in COUNSELLORS:
        user = _person(spec.email, spec.name)
        if not Member.objects.filter(user=user).exists():
            application = MembershipApplication.objects.create(
                applicant=user,
                full_name=spec.name,
                phone="13900000003",
                employer=spec.employer,
                district=spec.district,
                qualification=spec.qualification,
                certificate_number="DEMO-0003",
                years_of_practice=8,
                membership_type=individual,
                charter_agreed=True,
            )
            application.certificate_scan.save("demo.pdf", ContentFile(SCAN))
            member_services.submit_application(application, by=user)
            joined_on = datetime.date(today.year - 4, 3, 1)
            pay_dues(member_services.approve_application(application, by=officer, joined_on=joined_on), officer=officer)
        counsellor, _created = Counsellor.objects.get_or_create(
            user=user,
            defaults={
                "qualification": spec.qualification,
                "district": spec.district,
                "modes": list(spec.modes),
                "capacity": spec.capacity,
                "joined_on": today - datetime.timedelta(days=OPENED_DAYS_AGO),
            },
        )
        counsellor.programmes.add(programme)
        counsellor.specialties.set(Specialty.objects.filter(slug__in=spec.specialties))
        counsellors[spec.email] = counsellor
    return counsellors


def _cases(programme: AidProgrammePage, counsellors: dict[str, Counsellor], coordinator, today) -> int:
    now = timezone.now()
    for spec in CASES:
        user = _person(spec.email, spec.name)
        case = services.register(
            programme,
            user,
            personal={
                "full_name": spec.name,
                "phone": spec.phone,
                "workplace": spec.workplace,
                "deployment": spec.deployment,
                "needs_detail": spec.needs_detail,
                "preferred_times": spec.preferred_times,
            },
            needs=list(spec.needs),
            preferred_mode=spec.mode,
            district=spec.district,
            proof=_proof(spec.name),
            consent=True,
        )
        registered_at = now - datetime.timedelta(days=spec.registered_days_ago)
        Case.objects.filter(pk=case.pk).update(registered_at=registered_at, consent_at=registered_at)
        if spec.counsellor is None:
            continue
        counsellor = counsellors[spec.counsellor]
        services.assign(
            case, counsellor, by=coordinator, starts_on=today - datetime.timedelta(days=spec.assigned_days_ago)
        )
        for number, days_ago in enumerate(spec.sessions_days_ago, 1):
            services.log_session(
                case,
                by=counsellor.user,
                held_on=today - datetime.timedelta(days=days_ago),
                minutes=50,
                mode=spec.mode,
                notes=_session_notes(number),
                idempotency_key=f"demo-{case.number}-{number}",
            )
        if spec.story == "risk":
            services.raise_risk(case, by=counsellor.user, kinds=[Risk.SUICIDE], note=RISK_NOTE)
        elif spec.story == "change":
            services.request_change(case, by=user, reason=CHANGE_REASON)
        elif spec.story == "closed":
            services.close_case(case, by=coordinator, reason=CloseReason.DECLINED)
    return len(CASES)
