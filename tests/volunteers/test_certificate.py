"""志愿服务证明: the PDF of a volunteer's confirmed hours."""

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from tests.volunteers.factories import (
    login,
    make_activity,
    make_coordinator,
    make_member_volunteer,
    make_signup,
    make_volunteer,
)
from volunteers import services
from volunteers.models import Commendation

pytestmark = pytest.mark.django_db

CERTIFICATE = "/volunteer/my/certificate.pdf"
PAST = -datetime.timedelta(days=10)


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_certificate_shows_the_name_the_confirmed_hours_and_the_activities(campaign):
    volunteer = make_volunteer(full_name="王志愿")
    coordinator = make_coordinator()
    first = make_signup(make_activity(campaign, title="社区老人陪伴走访", starts_in=PAST, hours=3), volunteer)
    services.approve_hours(first, by=coordinator, hours="3")
    second = make_signup(make_activity(campaign, title="养老院团体辅导", starts_in=PAST, hours=2), volunteer)
    services.report_hours(second, by=volunteer, hours="2.5")
    services.approve_hours(second, by=coordinator, hours="2", note="按活动时长计。")
    waiting_for_approval = make_signup(make_activity(campaign, title="尚未确认的活动", starts_in=PAST), volunteer)
    services.report_hours(waiting_for_approval, by=volunteer, hours="8")
    absent = make_signup(make_activity(campaign, title="没有出席的活动", starts_in=PAST), volunteer)
    services.record_attendance(absent.activity, volunteer, by=coordinator, attended=False)
    Commendation.objects.create(year=2025, volunteer=volunteer, title="优秀志愿者", hours=Decimal("40"))

    text = _text(login(volunteer).get(CERTIFICATE))

    assert "志愿服务证明" in text
    assert "王志愿" in text
    assert "累计 5.0 小时" in text
    assert "社区老人陪伴走访" in text and "养老院团体辅导" in text
    assert "尚未确认的活动" not in text and "没有出席的活动" not in text
    assert "8.0" not in text and "13.0" not in text
    assert "2025年度优秀志愿者" in text
    assert "大连市心理咨询师协会" in text and "开具日期" in text


def test_the_name_is_the_one_on_the_membership_record(campaign):
    volunteer = make_member_volunteer(full_name="李会员")
    volunteer.full_name = "Li"
    volunteer.save()
    signup = make_signup(make_activity(campaign, starts_in=PAST), volunteer)
    services.approve_hours(signup, by=make_coordinator(), hours="3")
    assert "李会员" in _text(login(volunteer).get(CERTIFICATE))


def test_without_confirmed_hours_there_is_a_message_instead_of_a_pdf(campaign):
    volunteer = make_volunteer()
    signup = make_signup(make_activity(campaign, starts_in=PAST), volunteer)
    services.report_hours(signup, by=volunteer, hours="3")
    browser = login(volunteer)

    response = browser.get(CERTIFICATE, follow=True)

    assert response.redirect_chain == [("/volunteer/my/", 302)]
    assert response["Content-Type"].startswith("text/html")
    assert "暂时不能开具志愿服务证明" in response.content.decode()


def test_the_certificate_is_private(client, campaign):
    response = client.get(CERTIFICATE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    volunteer = make_volunteer(full_name="王志愿")
    signup = make_signup(make_activity(campaign, starts_in=PAST), volunteer)
    services.approve_hours(signup, by=make_coordinator(), hours="3")
    own = login(volunteer).get(CERTIFICATE)
    assert own["Cache-Control"] == "private, no-store"
    other = login(make_volunteer(full_name="另一个人")).get(CERTIFICATE)
    assert other.status_code == 302  # their own (empty) record, never someone else's


def test_many_activities_run_onto_further_pages(campaign):
    volunteer = make_volunteer(full_name="王志愿")
    coordinator = make_coordinator()
    for number in range(40):
        signup = make_signup(make_activity(campaign, title=f"第{number + 1}次社区走访", starts_in=PAST), volunteer)
        services.approve_hours(signup, by=coordinator, hours="2")

    response = login(volunteer).get(CERTIFICATE)

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    text = _text(response)
    assert "第40次社区走访" in text and "累计 80.0 小时" in text


def test_the_certificate_carries_the_seal_the_handler_and_where_to_check_it(campaign, settings):
    from django.core.files.base import ContentFile
    from wagtail.models import Site

    from demo.files import seal_png
    from portal.models import ContactSettings, CustomImage

    settings.WAGTAILADMIN_BASE_URL = "https://portal.example.org"
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.seal = CustomImage.objects.create(title="印章", file=ContentFile(seal_png("协会"), name="seal.png"))
    contact.receipt_handler = "赵秘书"
    contact.phone = "0411-8888 0000"
    contact.save()
    volunteer = make_volunteer(full_name="王志愿")
    signup = make_signup(make_activity(campaign, starts_in=PAST), volunteer)
    services.approve_hours(signup, by=make_coordinator(), hours="3")
    Commendation.objects.create(
        year=2025, volunteer=volunteer, title="优秀志愿者", hours=Decimal("40"), citation="热心"
    )

    response = login(volunteer).get(CERTIFICATE)
    text = _text(response).replace("\n", "")
    reader = PdfReader(io.BytesIO(response.content))

    assert sum(len(page.images) for page in reader.pages) == 1  # the seal
    assert "大连市心理咨询师协会（盖章）" in text and "经办人：赵秘书" in text
    assert "0411-8888 0000" in text and "https://portal.example.org" in text
    assert "（年度服务时长 40.0 小时）：热心" in text
    assert "testserver" not in text


def test_without_a_seal_the_certificate_is_still_issued(campaign):
    volunteer = make_volunteer(full_name="王志愿")
    signup = make_signup(make_activity(campaign, starts_in=PAST), volunteer)
    services.approve_hours(signup, by=make_coordinator(), hours="3")

    response = login(volunteer).get(CERTIFICATE)

    assert sum(len(page.images) for page in PdfReader(io.BytesIO(response.content)).pages) == 0
    assert "大连市心理咨询师协会（盖章）" in _text(response)
