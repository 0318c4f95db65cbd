"""Demo volunteer section for `load_demo_content`: the section page, the recruitment drives and the
爱心大使 campaign batches of the association's notice centre, with applications, sign-ups, hours
and last year's commendations made through volunteers.services.

Batches 1 and 2 of each campaign ran last year (the year the commendations are for); batch 3 runs
now, with one activity full, one full with a waiting list and the others with places left. Four
drives are open and one has closed. Sign-ups to activities that have already taken place are
recorded as they stood then (the service takes sign-ups only before an activity starts); hours are
reported, approved, corrected and recorded through the services. Every person here is fictitious;
what the services would e-mail them goes nowhere. Running it again changes nothing.

The people, teams, drives and campaigns are in demo/data/volunteers.json.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Locale, Page

from demo.members import _person
from demo.site import load as load_data
from demo.site import stream
from home.models import HomePage
from portal.localization.services import machine_translate
from portal.roles import VOLUNTEER_COORDINATORS
from volunteers import services
from volunteers.enums import Qualification, QuestionKind, SignUpStatus
from volunteers.models import (
    Activity,
    CampaignPage,
    CampaignPartner,
    RecruitmentPage,
    RecruitmentQuestion,
    SignUp,
    Team,
    VolunteerIndexPage,
)

COORDINATOR_EMAIL = "coordinator@example.com"
VOLUNTEER_EMAIL = "volunteer@example.com"  # 林晓雨, the volunteer whose login `make run` prints
INDEX_SLUG = "volunteer"

# When an activity or batch happens: days from the day of loading, or (month, day) of last year
# (written "MM-DD" in volunteers.json).
When = int | tuple[int, int]


def _tuples(value):
    """JSON lists as tuples, all the way down: the records are frozen and compared whole."""
    if isinstance(value, dict):
        return {key: _tuples(item) for key, item in value.items()}
    if isinstance(value, list):
        return tuple(_tuples(item) for item in value)
    return value


def _when(value: int | str) -> When:
    return value if isinstance(value, int) else tuple(int(part) for part in value.split("-"))


@dataclass(frozen=True)
class Question:
    label: str
    kind: str
    choices: tuple[str, ...] = ()
    help_text: str = ""
    required: bool = True

    @classmethod
    def from_dict(cls, data: dict) -> Question:
        return cls(**_tuples(data) | {"kind": QuestionKind(data["kind"])})


@dataclass(frozen=True)
class Application:
    volunteer: str
    outcome: str  # "submitted", "shortlisted", "accepted" or "rejected"
    motivation: str
    answers: tuple[str, ...]  # one per question of the drive
    note: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> Application:
        return cls(**_tuples(data))


@dataclass(frozen=True)
class Drive:
    slug: str
    title: str
    team: str
    purpose: str
    requirements: str
    places: int
    deadline_in: int  # days from the day of loading; negative: the drive has closed
    body: tuple[str, ...]
    questions: tuple[Question, ...]
    applications: tuple[Application, ...] = ()

    @classmethod
    def from_dict(cls, data: dict) -> Drive:
        return cls(
            **_tuples(data)
            | {
                "questions": tuple(Question.from_dict(item) for item in data["questions"]),
                "applications": tuple(Application.from_dict(item) for item in data.get("applications", ())),
            }
        )


@dataclass(frozen=True)
class Visit:
    """An activity and the volunteers who came to it (past) or signed up for it (to come), in order."""

    title: str
    when: When
    start: tuple[int, int]  # (hour, minute), "HH:MM" in volunteers.json
    hours: float
    place: str
    district: str
    places: int
    description: str
    # Past: (volunteer, "approved" | "corrected" | "recorded" | "absent" | "reported"), written
    # {volunteer: outcome} in volunteers.json; to come: volunteer keys.
    people: tuple = ()
    qualification: str = Qualification.OPEN

    @classmethod
    def from_dict(cls, data: dict) -> Visit:
        people = data.get("people", ())
        return cls(
            **_tuples(data)
            | {
                "when": _when(data["when"]),
                "start": tuple(int(part) for part in data["start"].split(":")),
                "people": tuple(people.items()) if isinstance(people, dict) else tuple(people),
                "qualification": Qualification(data.get("qualification", cls.qualification)),
            }
        )


@dataclass(frozen=True)
class Campaign:
    slug: str
    title: str
    theme: str
    batch: int
    starts: When
    ends: When
    summary: str
    body: tuple[str, ...]
    partners: tuple[tuple[str, str], ...]
    visits: tuple[Visit, ...]
    team: str | None = None

    @classmethod
    def from_dict(cls, data: dict) -> Campaign:
        return cls(
            **_tuples(data)
            | {
                "starts": _when(data["starts"]),
                "ends": _when(data["ends"]),
                "partners": tuple((partner["name"], partner["role"]) for partner in data["partners"]),
                "visits": tuple(Visit.from_dict(item) for item in data["visits"]),
            }
        )


DATA = load_data("volunteers.json")
INDEX = (DATA["index"]["title"], DATA["index"]["intro"])
INDEX_EN = (DATA["index_en"]["title"], DATA["index_en"]["intro"])
# key: (e-mail, name)
VOLUNTEERS = {key: (person["email"], person["name"]) for key, person in DATA["volunteers"].items()}
PHONES = {key: f"1390000{number:04d}" for number, key in enumerate(VOLUNTEERS, 11)}
TEAMS = {team["name"]: team["description"] for team in DATA["teams"]}
DRIVES = [Drive.from_dict(item) for item in DATA["drives"]]
CAMPAIGNS = [Campaign.from_dict(item) for item in DATA["campaigns"]]
CORRECTION_NOTE = DATA["correction_note"]
COMMENDATION_CITATION = DATA["commendation_citation"]


def _day(when: When, today: datetime.date) -> datetime.date:
    if isinstance(when, int):
        return today + datetime.timedelta(days=when)
    return datetime.date(today.year - 1, *when)


def publish(page: Page, editor) -> None:
    page.save_revision(user=editor, log_action=False).publish(
        user=editor, log_action=False, skip_permission_checks=True
    )


def child(parent: Page, slug: str):
    return Page.objects.child_of(parent).filter(slug=slug).specific().first()


def translate_section(home: HomePage, pages: list[Page], english: tuple[str, str], *, editor, progress, name: str):
    """A section's pages in 繁體, like the rest of the demo, and its section page (the first) in English,
    where those sites exist: the English site has its sections, not their 简体 contents."""
    zh_hant = Locale.objects.filter(language_code="zh-hant").first()
    if zh_hant and Page.objects.filter(translation_key=home.translation_key, locale=zh_hant).exists():
        missing = [
            page
            for page in pages
            if not Page.objects.filter(translation_key=page.translation_key, locale=zh_hant).exists()
        ]
        for page in missing:
            machine_translate(page, zh_hant, editor)
        if missing:
            progress(f"  {name} in 繁體： {len(missing)} pages")
    en = Locale.objects.filter(language_code="en").first()
    section = pages[0]
    if (
        en
        and Page.objects.filter(translation_key=home.translation_key, locale=en).exists()
        and not Page.objects.filter(translation_key=section.translation_key, locale=en).exists()
    ):
        copy = section.copy_for_translation(en)
        copy.title, copy.intro = english
        publish(copy, editor)
        progress(f"  {name} in English")


# Loading --------------------------------------------------------------------------------------------


def load(today: datetime.date, *, editor=None, progress: Callable[[str], None] = print) -> int:
    """Create what is missing; returns how many pages were added (0 once they all exist)."""
    home = HomePage.objects.filter(locale=Locale.get_default(), depth=2).first()
    if home is None:
        progress("  volunteer section: no home page, skipped")
        return 0
    # The people are fictitious: the services' e-mails to them go nowhere.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            coordinator = _person(COORDINATOR_EMAIL, "志愿服务协调员（演示）", groups=(VOLUNTEER_COORDINATORS,))
            editor = editor or coordinator
            people = {key: _person(email, name) for key, (email, name) in VOLUNTEERS.items()}
            teams = {
                name: Team.objects.get_or_create(name=name, defaults={"description": text})[0]
                for name, text in TEAMS.items()
            }
            index, added = _index(home, editor)
            drives = [_drive(index, drive, teams, people, coordinator, editor, today) for drive in DRIVES]
            campaigns = [
                _campaign(index, campaign, teams, people, coordinator, editor, today) for campaign in CAMPAIGNS
            ]
            added += sum(made for _page, made in drives + campaigns)
            if any(made for _page, made in campaigns):
                _commend(today.year - 1, coordinator, progress)
    pages = [index] + [page for page, _made in drives + campaigns]
    translate_section(home, pages, INDEX_EN, editor=editor, progress=progress, name="volunteer section")
    if added:
        progress(
            f"  volunteer section: {len(DRIVES)} drives and {len(CAMPAIGNS)} campaign batches, "
            f"coordinated by {COORDINATOR_EMAIL}"
        )
    return added


def _index(home: HomePage, editor) -> tuple[VolunteerIndexPage, int]:
    existing = child(home, INDEX_SLUG)
    if existing is not None:
        return existing, 0
    page = VolunteerIndexPage(title=INDEX[0], slug=INDEX_SLUG, intro=INDEX[1], show_in_menus=True)
    home.add_child(instance=page)
    publish(page, editor)
    return page, 1


def _drive(index, drive: Drive, teams, people, coordinator, editor, today) -> tuple[RecruitmentPage, int]:
    existing = child(index, drive.slug)
    if existing is not None:
        return existing, 0
    page = RecruitmentPage(
        title=drive.title,
        slug=drive.slug,
        team=teams[drive.team],
        purpose=drive.purpose,
        requirements=drive.requirements,
        places=drive.places,
        deadline=today + datetime.timedelta(days=drive.deadline_in),
        body=stream(drive.body),
    )
    for order, question in enumerate(drive.questions):
        page.questions.add(
            RecruitmentQuestion(
                label=question.label,
                kind=question.kind,
                choices="\n".join(question.choices),
                help_text=question.help_text,
                required=question.required,
                sort_order=order,
            )
        )
    index.add_child(instance=page)
    publish(page, editor)
    for application in drive.applications:  # only open drives have them: applications need an open drive
        _apply(page, drive, application, people, coordinator)
    return page, 1


def _apply(page: RecruitmentPage, drive: Drive, application: Application, people, coordinator) -> None:
    user = people[application.volunteer]
    answers = [
        {"question": question.label, "answer": answer}
        for question, answer in zip(drive.questions, application.answers, strict=True)
    ]
    sent = services.apply(
        page,
        user,
        full_name=user.full_name,
        phone=PHONES[application.volunteer],
        motivation=application.motivation,
        answers=answers,
    )
    if application.outcome in ("shortlisted", "accepted"):
        services.shortlist(sent, by=coordinator, note="材料齐全，约面谈。")
    if application.outcome == "accepted":
        services.accept(sent, by=coordinator, note="面谈通过，欢迎加入。")
    elif application.outcome == "rejected":
        services.reject(sent, by=coordinator, note=application.note)


def _campaign(index, campaign: Campaign, teams, people, coordinator, editor, today) -> tuple[CampaignPage, int]:
    existing = child(index, campaign.slug)
    if existing is not None:
        return existing, 0
    page = CampaignPage(
        title=campaign.title,
        slug=campaign.slug,
        theme=campaign.theme,
        batch_number=campaign.batch,
        starts_on=_day(campaign.starts, today),
        ends_on=_day(campaign.ends, today),
        summary=campaign.summary,
        body=stream(campaign.body),
        team=teams[campaign.team] if campaign.team else None,
    )
    for order, (name, role) in enumerate(campaign.partners):
        page.partners.add(CampaignPartner(name=name, role=role, sort_order=order))
    index.add_child(instance=page)
    publish(page, editor)
    for visit in campaign.visits:
        _activity(page, visit, people, coordinator, today)
    return page, 1


def _activity(page: CampaignPage, visit: Visit, people, coordinator, today) -> Activity:
    starts_at = timezone.make_aware(datetime.datetime.combine(_day(visit.when, today), datetime.time(*visit.start)))
    activity = Activity.objects.create(
        campaign=page,
        title=visit.title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=visit.hours),
        place=visit.place,
        district=visit.district,
        places=visit.places,
        qualification=visit.qualification,
        description=visit.description,
    )
    if activity.has_started():
        for key, outcome in visit.people:
            _served(activity, people[key], outcome, coordinator)
    else:
        for key in visit.people:
            services.sign_up(activity, people[key])
    return activity


def _served(activity: Activity, volunteer, outcome: str, coordinator) -> None:
    """A volunteer's place on an activity that has taken place, and what became of their hours."""
    signed_up_at = activity.starts_at - datetime.timedelta(days=10)
    signup = SignUp.objects.create(
        activity=activity,
        volunteer=volunteer,
        status=SignUpStatus.CONFIRMED,
        created_at=signed_up_at,
        confirmed_at=signed_up_at,
    )
    if outcome in ("approved", "reported"):
        services.report_hours(signup, by=volunteer, hours=activity.hours)
    elif outcome == "corrected":
        services.report_hours(signup, by=volunteer, hours=activity.hours + Decimal("0.5"), note="含活动前的准备时间")
    if outcome == "approved":
        services.approve_hours(signup, by=coordinator)
    elif outcome == "corrected":
        services.approve_hours(
            signup, by=coordinator, hours=activity.hours, note=CORRECTION_NOTE % {"hours": activity.hours}
        )
    elif outcome in ("recorded", "absent"):
        services.record_attendance(activity, volunteer, by=coordinator, attended=outcome == "recorded")


def _commend(year: int, coordinator, progress) -> None:
    candidates = [row["volunteer_id"] for row in services.commendation_candidates(year)]
    if candidates:
        services.commend(year, candidates, by=coordinator, citation=COMMENDATION_CITATION)
        progress(f"  volunteer commendations for {year}: {len(candidates)}")
