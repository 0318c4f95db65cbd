"""Aid programmes, counsellors and cases, registered through the real services."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from aid import services
from aid.models import AidIndexPage, AidProgrammePage, Case, Counsellor
from experts.models import Specialty
from portal.roles import AID_COORDINATORS
from tests.conftest import make_user, sign_in
from tests.portal.samples import PDF

_counter = {"n": 0}

PERSONAL = {
    "full_name": "测试者甲",
    "phone": "13800000001",
    "workplace": "大连市某医院（虚构）",
    "deployment": "2020年2月至4月，武汉市某方舱医院",
    "needs_detail": "回来后经常失眠，想起当时的情景会心慌。",
    "preferred_times": "工作日晚上",
}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def make_aid_coordinator(email: str = "aidcoordinator@example.com"):
    return make_user(email, groups=(AID_COORDINATORS,))


def aid_index(home_page) -> AidIndexPage:
    existing = AidIndexPage.objects.filter(locale=home_page.locale).first()
    if existing:
        return existing
    page = AidIndexPage(title="援助项目", slug="aid", intro="协会的公益心理援助项目。")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_programme(home_page, *, capacity: int = 50, term_months: int = 24, prefix: str = "WH") -> AidProgrammePage:
    n = _next()
    page = AidProgrammePage(
        title=f"赴武汉驰援医护人员两年义务心理咨询援助 {n}",
        slug=f"programme-{n}",
        summary="为我市赴武汉驰援的医护人员提供两年义务心理咨询。",
        eligibility="我市赴湖北武汉驰援的医护人员。",
        term_months=term_months,
        capacity=capacity,
        case_prefix=prefix,
    )
    aid_index(home_page).add_child(instance=page)
    page.save_revision().publish()
    return page


def make_counsellor(
    programme,
    email: str | None = None,
    *,
    full_name: str = "张咨询",
    district: str = "zhongshan",
    specialties=("trauma",),
    capacity: int = 3,
    modes=("phone", "video"),
) -> Counsellor:
    # A counsellor reads confidential cases: an authenticator app, as staff have.
    user = make_user(email or f"counsellor{_next()}@example.com", two_factor=True)
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    counsellor = Counsellor.objects.create(
        user=user, qualification="counsellor-2", district=district, capacity=capacity, modes=list(modes)
    )
    counsellor.programmes.add(programme)
    counsellor.specialties.set(Specialty.objects.filter(slug__in=specialties))
    return counsellor


def register_case(
    programme, user=None, *, needs=("trauma", "sleep"), district: str = "zhongshan", proof: bool = True, **personal
) -> Case:
    user = user or make_user(f"beneficiary{_next()}@example.com")
    return services.register(
        programme,
        user,
        personal={**PERSONAL, **personal},
        needs=list(needs),
        preferred_mode="phone",
        district=district,
        proof=SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf") if proof else None,
        consent=True,
    )


# The public site's forms and areas -----------------------------------------------------------------


def png_bytes() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (20, 20), (250, 240, 230)).save(buffer, format="PNG")
    return buffer.getvalue()


def registration_form(**overrides) -> dict:
    """What a person types into the registration form (a PDF proof unless `proof` is given)."""
    data = {
        "full_name": PERSONAL["full_name"],
        "phone": PERSONAL["phone"],
        "workplace": PERSONAL["workplace"],
        "district": "zhongshan",
        "deployed_from": "2020-02-09",
        "deployed_to": "2020-04-15",
        "deployment_place": "武汉市某方舱医院",
        "proof": SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf"),
        "needs": ["trauma", "sleep"],
        "needs_detail": PERSONAL["needs_detail"],
        "preferred_mode": "phone",
        "preferred_times": PERSONAL["preferred_times"],
        "eligible": "on",
        "consent": "on",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def assigned_case(programme, counsellor=None, *, starts_on=None, **register_kwargs):
    """A registered case with a counsellor assigned by an aid coordinator: (case, counsellor)."""
    from django.utils import timezone

    counsellor = counsellor or make_counsellor(programme)
    case = register_case(programme, **register_kwargs)
    coordinator = make_aid_coordinator(f"assigner{_next()}@example.com")
    services.assign(case, counsellor, by=coordinator, starts_on=starts_on or timezone.localdate())
    return Case.objects.get(pk=case.pk), counsellor


# The aid coordinators' admin ------------------------------------------------------------------------


def admin_client(user):
    """A browser session signed in as `user` (staff included: the admin needs nothing more in tests)."""
    from django.test import Client

    client = Client()
    sign_in(client, user)
    return client


def other_roles() -> dict:
    """One account of every role that must never reach the aid admin, by role."""
    from portal.roles import EDITORS, EXPERT_REVIEWERS, MEMBERSHIP_OFFICERS, MODERATORS, VOLUNTEER_COORDINATORS

    n = _next()
    return {
        "editor": make_user(f"aid-editor{n}@example.com", groups=(EDITORS,)),
        "moderator": make_user(f"aid-moderator{n}@example.com", groups=(MODERATORS,)),
        "membership officer": make_user(f"aid-officer{n}@example.com", groups=(MEMBERSHIP_OFFICERS,)),
        "volunteer coordinator": make_user(f"aid-volunteers{n}@example.com", groups=(VOLUNTEER_COORDINATORS,)),
        "expert reviewer": make_user(f"aid-reviewer{n}@example.com", groups=(EXPERT_REVIEWERS,)),
        "member": make_user(f"aid-member{n}@example.com"),
    }


SESSION_NOTES = "谈到睡眠，约定下周再谈。"
RISK_NOTE = "多次提到不想活了。"
CHANGE_REASON = "希望换一位女咨询师。"


def case_with_history(programme, counsellor=None, **register_kwargs):
    """An assigned case with a logged session, a risk flag awaiting follow-up and an open change request."""
    from django.utils import timezone

    case, counsellor = assigned_case(programme, counsellor, **register_kwargs)
    today = timezone.localdate()
    services.log_session(case, by=counsellor.user, held_on=today, minutes=50, mode="phone", notes=SESSION_NOTES)
    services.raise_risk(case, by=counsellor.user, kinds=["suicide"], note=RISK_NOTE)
    services.request_change(case, by=case.registrant, reason=CHANGE_REASON)
    return Case.objects.get(pk=case.pk), counsellor
