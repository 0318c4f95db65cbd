"""The demo aid programme: the two-year programme for medical staff who went to Wuhan, its
counsellors and plainly fictitious cases, worked through the services, loaded once and only once."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from aid import access
from aid.enums import AssignmentStatus, CaseStatus
from aid.models import AidIndexPage, AidProgrammePage, Assignment, Case, ChangeRequest, Counsellor, RiskFlag, Session
from demo import aid as demo
from members.models import Member, User
from portal.roles import AID_COORDINATORS
from tests.portal.factories import html

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    models = (User, Member, AidIndexPage, AidProgrammePage, Counsellor, Case, Assignment, Session, RiskFlag)
    return {model.__name__: model.objects.count() for model in models + (ChangeRequest,)}


@pytest.fixture
def loaded(home_page):
    progress: list[str] = []
    added = demo.load(timezone.localdate(), progress=progress.append)
    return added, progress


@pytest.fixture
def programme(loaded) -> AidProgrammePage:
    return AidProgrammePage.objects.get(slug=demo.PROGRAMME_SLUG)


def test_a_second_load_creates_nothing(loaded):
    added, progress = loaded
    counts = row_counts()

    again = demo.load(timezone.localdate(), progress=progress.append)

    assert added == len(demo.CASES) and again == 0
    assert row_counts() == counts
    assert any("aid programme" in line for line in progress)


def test_the_programme_as_the_association_announced_it(programme):
    index = programme.get_parent().specific
    body = str(programme.body)

    assert isinstance(index, AidIndexPage) and index.slug == "aid" and index.show_in_menus
    assert programme.title == "对我市赴武汉驰援的医护人员提供两年义务心理咨询援助"
    assert programme.eligibility.startswith("我市赴湖北武汉驰援的医护人员")
    assert (programme.term_months, programme.capacity, programme.case_prefix) == (24, 200, "WH")
    assert programme.registration_open()
    for principle in ("严格保密", "分类", "高危风险"):
        assert principle in body


def test_cases_in_each_state_with_plainly_fictitious_people(programme):
    cases = Case.objects.filter(programme=programme)
    coordinator = User.objects.get(email=demo.COORDINATOR_EMAIL)
    today = timezone.localdate()

    assert cases.count() == len(demo.CASES)
    assert all(case.number.startswith("WH-") for case in cases)
    assert cases.filter(status=CaseStatus.WAITING).count() == 1
    assert cases.filter(status=CaseStatus.CLOSED).count() == 1
    assert cases.filter(status=CaseStatus.ACTIVE).count() == len(demo.CASES) - 2
    assert Case.objects.flagged().count() == 1
    assert ChangeRequest.objects.filter(case__programme=programme, resolved_at__isnull=True).count() == 1
    for case in cases:
        personal = access.read_personal(case, coordinator)
        assert personal.full_name.startswith("示例") and personal.phone.startswith("138000000")
        assert "（虚构）" in personal.workplace
        name, proof = access.read_proof(case, coordinator)
        assert name.endswith(".pdf") and proof.startswith(b"%PDF-")
        assert timezone.localtime(case.registered_at).date() <= today
    # Sessions were held within their assignment's term, up to today.
    sessions = Session.objects.filter(assignment__case__programme=programme).select_related("assignment")
    assert sessions.count() >= 10
    assert all(s.assignment.starts_on <= s.held_on <= min(s.assignment.ends_on, today) for s in sessions)
    assert sessions.order_by("held_on").first().held_on < today - datetime.timedelta(days=90)


def test_counsellors_are_members_with_specialties(programme):
    counsellors = Counsellor.objects.filter(programmes=programme).prefetch_related("specialties")

    assert counsellors.count() == len(demo.COUNSELLORS)
    for counsellor in counsellors:
        assert Member.objects.filter(user=counsellor.user).exists()
        assert counsellor.specialties.exists()
        assert not counsellor.user.is_staff


def test_the_logins_printed_by_make_run(programme):
    coordinator = User.objects.get(email=demo.COORDINATOR_EMAIL)
    counsellor = User.objects.get(email=demo.COUNSELLOR_EMAIL)
    beneficiary = User.objects.get(email=demo.BENEFICIARY_EMAIL)

    assert coordinator.is_staff and list(coordinator.groups.values_list("name", flat=True)) == [AID_COORDINATORS]
    assert not counsellor.is_staff and not beneficiary.is_staff
    for user in (coordinator, counsellor, beneficiary):
        assert user.check_password("portal-demo-2026")
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True).exists()
    assert Member.objects.filter(user=counsellor).exists()
    assert Case.objects.visible_to_counsellor(counsellor).count() == 2
    assert Case.objects.filter(registrant=beneficiary, status=CaseStatus.ACTIVE).exists()
    assert Assignment.objects.filter(counsellor__user=counsellor, status=AssignmentStatus.ACTIVE).count() == 2


def test_the_section_and_the_programme_render(programme, client):
    section = client.get("/aid/")
    page = client.get(programme.url)

    assert section.status_code == page.status_code == 200
    assert programme.title in html(section)
    assert programme.title in html(page) and "我市赴湖北武汉驰援的医护人员" in html(page)
    # Nothing personal reaches a public page.
    assert "示例甲" not in html(page) and "13800000011" not in html(page)
