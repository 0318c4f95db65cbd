"""Aid programmes, counsellors and cases, registered through the real services."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from aid import services
from aid.models import AidIndexPage, AidProgrammePage, Case, Counsellor
from experts.models import Specialty
from portal.roles import AID_COORDINATORS
from tests.conftest import make_user

_counter = {"n": 0}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERSONAL = {
    "full_name": "测试者甲",
    "phone": "13800000001",
    "workplace": "大连市某医院(虚构)",
    "deployment": "2020年2月至4月,武汉市某方舱医院",
    "needs_detail": "回来后经常失眠,想起当时的情景会心慌。",
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
    user = make_user(email or f"counsellor{_next()}@example.com")
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
