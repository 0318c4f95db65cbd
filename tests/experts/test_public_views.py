"""The expert database on the public site: the directory, profiles, applying, objections."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from experts import services
from experts.models import BatchObjection, ExpertApplication
from portal.vetting.enums import Status
from tests.experts.factories import (
    PDF,
    PNG,
    login,
    make_applicant,
    make_application,
    make_batch,
    make_chair,
    make_expert,
)
from tests.members.factories import make_invoice, make_member, make_period

DIRECTORY = reverse("experts:directory")
APPLY = reverse("experts:apply")
TODAY = datetime.date(2026, 7, 1)


# The directory and profiles ------------------------------------------------------------------------


@pytest.fixture
def experts(notice_index):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False):
        shown = make_expert(
            admitted_on=datetime.date(2026, 6, 1),
            full_name="李文静",
            employer="大连市第七人民医院",
            specialties=("youth", "crisis"),
            services_=("lectures",),
        )
        hidden = make_expert(
            admitted_on=datetime.date(2026, 6, 1),
            full_name="赵海燕",
            employer="保密研究所",
            bio="专注于哀伤辅导的秘密简介",
            specialties=("grief",),
            consent=False,
        )
    return shown, hidden


@time_machine.travel(datetime.datetime(2026, 7, 1, 10), tick=False)
def test_the_directory_lists_admitted_experts_with_only_consented_fields(client, experts):
    page = client.get(DIRECTORY).content.decode()
    assert "李文静" in page and "赵海燕" in page
    assert "大连市第七人民医院" in page
    assert "保密研究所" not in page
    detail = client.get(reverse("experts:detail", args=[experts[1].pk])).content.decode()
    assert "赵海燕" in detail and "哀伤辅导" in detail
    for secret in ("保密研究所", "秘密简介", "13800000000", "expert@example.com", "沙河口区"):
        assert secret not in detail


@time_machine.travel(datetime.datetime(2026, 7, 1, 10), tick=False)
def test_keyword_search_in_chinese_and_filters_with_counts(client, experts):
    found = client.get(DIRECTORY, {"q": "青少年"}).content.decode()
    assert "李文静" in found and "赵海燕" not in found
    traditional = client.get(DIRECTORY, {"q": "危機干預"}).content.decode()
    assert "李文静" in traditional
    by_employer = client.get(DIRECTORY, {"q": "保密研究所"}).content.decode()
    assert "赵海燕" not in by_employer
    filtered = client.get(DIRECTORY, {"specialty": "grief"}).content.decode()
    assert "赵海燕" in filtered and "李文静" not in filtered
    assert '哀伤辅导 <span class="facet__count">(1)</span>' in filtered


@time_machine.travel(datetime.datetime(2030, 6, 2, 10), tick=False)
def test_expired_experts_disappear(client, experts):
    assert "李文静" not in client.get(DIRECTORY).content.decode()
    assert client.get(reverse("experts:detail", args=[experts[0].pk])).status_code == 404


def test_a_page_past_the_end_is_not_found(client, db):
    assert client.get(DIRECTORY, {"page": "9"}).status_code == 404


@time_machine.travel(datetime.datetime(2026, 7, 1, 10), tick=False)
def test_directory_query_count_does_not_grow_with_experts(client, notice_index, django_assert_max_num_queries):
    """12 queries for the directory itself (count, page, four facets, the page's rows and terms,
    the vocabulary), the rest for the site's header and footer while the cache is cold (settings,
    menu, partners, the join guide and legal pages they link)."""

    def measure() -> tuple[int, str]:
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            page = client.get(DIRECTORY, {"q": "青少年", "service": "lectures"}).content.decode()
        return len(queries), page

    with time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False):
        for number in range(3):
            make_expert(admitted_on=datetime.date(2026, 6, 1), full_name=f"专家{number}")
    few, _page = measure()
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False):
        for number in range(3, 25):
            make_expert(admitted_on=datetime.date(2026, 6, 1), full_name=f"专家{number}")
    many, page = measure()
    assert "共 25 位专家" in page
    assert many <= few <= 28


# Applying --------------------------------------------------------------------------------------------


def complete(**changes) -> dict:
    from experts.models import Language, ServiceType, Specialty

    data = {
        "full_name": "王晓明",
        "phone": "13900000000",
        "title": "副主任医师",
        "employer": "大连医科大学附属第一医院",
        "district": "zhongshan",
        "specialties": [Specialty.objects.get(slug="crisis").pk],
        "services": [ServiceType.objects.get(slug="lectures").pk],
        "languages": [Language.objects.get(slug="mandarin").pk],
        "years_of_practice": "10",
        "bio": "从事危机干预十年。",
        "show_employer": "on",
        "notice_consent": "on",
        "qualifications-TOTAL_FORMS": "1",
        "qualifications-INITIAL_FORMS": "0",
        "qualifications-MIN_NUM_FORMS": "0",
        "qualifications-MAX_NUM_FORMS": "6",
        "qualifications-0-name": "国家二级心理咨询师",
        "qualifications-0-number": "Z123",
        "qualifications-0-scan": SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf"),
        "photo": SimpleUploadedFile("me.png", PNG, content_type="image/png"),
        "submit": "1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_only_members_in_good_standing_may_apply(client, db):
    assert client.get(APPLY)["Location"].startswith(reverse("account_login"))
    from tests.conftest import make_user

    stranger = make_user("stranger@example.com")
    assert login(stranger).get(APPLY).status_code == 403
    lapsed = make_member("lapsed@example.com", number="DL-2020-0999")
    make_invoice(lapsed, make_period(2024))  # unpaid and long past its grace period
    response = login(lapsed.user).get(APPLY)
    assert response.status_code == 403 and "会籍正常" in response.content.decode()


def test_an_incomplete_submission_keeps_what_was_typed_and_says_what_is_missing(db):
    user = make_applicant()
    response = login(user).post(APPLY, complete(bio="", notice_consent=None, **{"qualifications-0-scan": None}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "大连医科大学附属第一医院" in page
    assert page.count("请填写此项。") >= 2
    assert "请同意公示" in page
    assert not ExpertApplication.objects.filter(status=Status.SUBMITTED).exists()


def test_a_complete_application_is_submitted_with_its_files_and_then_locked(db):
    user = make_applicant()
    client = login(user)
    assert client.post(APPLY, complete()).status_code == 302
    application = ExpertApplication.objects.get(applicant=user)
    assert application.status == Status.SUBMITTED
    assert application.qualifications.get().scan.read().startswith(b"%PDF")
    status_page = client.get(APPLY).content.decode()
    assert "待审核" in status_page
    client.post(APPLY, complete(full_name="篡改"))
    application.refresh_from_db()
    assert application.full_name == "王晓明"


def test_a_draft_saves_incomplete_and_a_double_submit_creates_one_application(db):
    user = make_applicant()
    client = login(user)
    client.post(
        APPLY,
        {"full_name": "王晓明", "save": "1", "qualifications-TOTAL_FORMS": "0", "qualifications-INITIAL_FORMS": "0"},
    )
    assert ExpertApplication.objects.get(applicant=user).status == Status.DRAFT
    assert "王晓明" in client.get(APPLY).content.decode()


def test_certificate_scans_are_for_the_applicant_and_reviewers_only(db):
    from tests.conftest import make_user
    from tests.experts.factories import make_reviewer

    application = make_application()
    item = application.qualifications.get()
    url = reverse("experts:application_file", args=[application.pk, "certificate", item.pk])
    assert login(application.applicant).get(url).status_code == 200
    assert login(make_reviewer("r@example.com")).get(url).status_code == 200
    assert login(make_user("other@example.com")).get(url).status_code == 404
    assert login(make_user("editor2@example.com", groups=("Editors",))).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_withdrawing_an_application(db):
    application = make_application()
    client = login(application.applicant)
    client.post(reverse("experts:withdraw"))
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


# Objections ---------------------------------------------------------------------------------------------


@pytest.fixture
def batch_in_notice(notice_index):
    chair = make_chair()
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9), tick=False):
        application = make_application(status=Status.APPROVED, by=chair, full_name="孙立新")
        batch = make_batch([application], by=chair, published_on=datetime.date(2026, 11, 30))
    return batch, application


def objection_data(client, url, **changes):
    page = client.get(url).content.decode()
    import re

    started = re.search(r'name="started" value="([^"]+)"', page).group(1)
    data = {
        "name": "张三",
        "contact": "13700000000",
        "grounds": "该人员的从业年限与实际不符，请核实。",
        "started": started,
    }
    data.update(changes)
    return data


def test_the_notice_offers_the_objection_form_during_the_period(client, batch_in_notice):
    batch, application = batch_in_notice
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10), tick=False):
        notice = client.get(batch.notice_page.url).content.decode()
        assert "孙立新" in notice and "提出异议" in notice
        url = reverse("experts:objection", args=[batch.number])
        data = objection_data(client, url, entry=str(application.pk))
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 5), tick=False):
        response = client.post(url, data)
    assert "异议已收到" in response.content.decode()
    objection = BatchObjection.objects.get()
    assert objection.application == application and objection.name == "张三"
    assert "张三" not in client.get(batch.notice_page.url).content.decode()


def test_the_notice_stops_offering_the_form_when_the_period_ends(client, batch_in_notice):
    batch, _application = batch_in_notice
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10), tick=False):
        during = client.get(batch.notice_page.url).content.decode()
    with time_machine.travel(batch.notice_ends + datetime.timedelta(days=1), tick=False):
        after = client.get(batch.notice_page.url).content.decode()

    form = reverse("experts:objection", args=[batch.number])
    assert f'href="{form}"' in during
    assert f'href="{form}"' not in after and "孙立新" in after


def test_objections_are_refused_after_the_period(client, batch_in_notice):
    batch, _application = batch_in_notice
    url = reverse("experts:objection", args=[batch.number])
    with time_machine.travel(datetime.datetime(2026, 12, 20, 10), tick=False):
        page = client.get(url).content.decode()
        assert "现在不受理异议" in page
        response = client.post(url, {"name": "张三", "contact": "x", "grounds": "很长的理由很长的理由", "started": "x"})
    assert not BatchObjection.objects.exists()
    assert response.status_code == 400


def test_a_form_sent_twice_records_one_objection_and_tells_the_reviewers_once(
    client, batch_in_notice, mailoutbox, django_capture_on_commit_callbacks
):
    batch, _application = batch_in_notice
    url = reverse("experts:objection", args=[batch.number])
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10), tick=False):
        data = objection_data(client, url)
    mailoutbox.clear()
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post(url, data)
        with django_capture_on_commit_callbacks(execute=True):
            second = client.post(url, data)

    assert "异议已收到" in first.content.decode() and "异议已收到" in second.content.decode()
    assert BatchObjection.objects.count() == 1
    assert len([message for message in mailoutbox if "异议" in message.subject]) == 1


def test_robots_and_floods_are_turned_away(client, batch_in_notice, settings):
    batch, _application = batch_in_notice
    url = reverse("experts:objection", args=[batch.number])
    settings.OBJECTIONS_PER_HOUR = 2
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10), tick=False):
        data = objection_data(client, url)
        client.post(url, data)  # too fast: a robot
        client.post(url, {**data, "website": "http://spam.example"})
        forms = [objection_data(client, url) for _form in range(3)]  # three forms, filled in one by one
    assert not BatchObjection.objects.exists()
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 5), tick=False):
        for data in forms:
            last = client.post(url, data)
    assert BatchObjection.objects.count() == 2
    assert "提交过于频繁" in last.content.decode()
    assert "该人员的从业年限与实际不符" in last.content.decode()


def test_a_grounds_too_short_is_refused_with_the_form_kept(client, batch_in_notice):
    batch, _application = batch_in_notice
    url = reverse("experts:objection", args=[batch.number])
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10), tick=False):
        data = objection_data(client, url, grounds="不行")
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 5), tick=False):
        page = client.post(url, data).content.decode()
    assert "至少 10 个字" in page and 'value="张三"' in page
    assert not BatchObjection.objects.exists()


def test_admitted_expert_proposes_a_change_that_waits_for_approval(notice_index):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False):
        expert = make_expert(admitted_on=datetime.date(2026, 6, 1), employer="旧单位")
    client = login(expert.user)
    page = client.get(reverse("experts:profile")).content.decode()
    assert "旧单位" in page
    from experts.models import Specialty

    response = client.post(
        reverse("experts:profile"),
        {"employer": "新单位", "specialties": [Specialty.objects.get(slug="youth").pk], "show_employer": "on"},
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.employer == "旧单位"
    assert "正在审核" in client.get(reverse("experts:profile")).content.decode()
    services.approve_change(expert.changes.get(), by=make_chair("c9@example.com"))
    expert.refresh_from_db()
    assert expert.employer == "新单位"


@time_machine.travel(datetime.datetime(2026, 7, 1, 10), tick=False)
def test_the_sitemap_lists_the_directory_and_listed_experts_only(client, experts):
    sitemap = client.get("/sitemap-experts.xml").content.decode()
    assert "/experts/</loc>" in sitemap
    assert f"/experts/{experts[0].pk}/</loc>" in sitemap
    with time_machine.travel(datetime.datetime(2030, 1, 1, 10), tick=False):
        from django.core.cache import cache

        cache.clear()
        assert f"/experts/{experts[0].pk}/</loc>" not in client.get("/sitemap-experts.xml").content.decode()


def test_behind_a_proxy_each_visitor_has_their_own_objection_limit(client, batch_in_notice, settings):
    batch, _application = batch_in_notice
    url = reverse("experts:objection", args=[batch.number])
    settings.OBJECTIONS_PER_HOUR = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10), tick=False):
        forms = [objection_data(client, url) for _form in range(3)]
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 5), tick=False):
        for visitor, data in zip(("203.0.113.7", "198.51.100.23"), forms, strict=False):
            page = client.post(url, data, HTTP_X_FORWARDED_FOR=visitor).content.decode()
            assert "异议已收到" in page
        again = client.post(url, forms[2], HTTP_X_FORWARDED_FOR="203.0.113.7").content.decode()
    assert "提交过于频繁" in again
    assert BatchObjection.objects.count() == 2


@time_machine.travel(datetime.datetime(2026, 7, 1, 10), tick=False)
def test_the_directory_lists_experts_alphabetically_by_pinyin(client, notice_index):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False):
        for name in ("赵敏", "安然", "李文静", "白雪"):
            make_expert(admitted_on=datetime.date(2026, 6, 1), full_name=name)
    page = client.get(DIRECTORY).content.decode()
    positions = [page.index(f">{name}</a>") for name in ("安然", "白雪", "李文静", "赵敏")]
    assert positions == sorted(positions)


@time_machine.travel(datetime.datetime(2026, 7, 1, 10), tick=False)
def test_an_admitted_expert_sees_their_admission_even_with_lapsed_dues(experts):
    expert = experts[0]
    make_invoice(expert.user.member, make_period(2024))  # unpaid, long past its grace period
    page = login(expert.user).get(APPLY)
    assert page.status_code == 200
    assert "您已入选专家库" in page.content.decode()


def test_a_new_application_starts_from_the_membership_record(db):
    user = make_applicant(full_name="周晓梅", employer="大连市第三人民医院", phone="13911112222")
    page = login(user).get(APPLY).content.decode()
    assert 'value="周晓梅"' in page and 'value="大连市第三人民医院"' in page and 'value="13911112222"' in page


def test_a_double_click_on_the_objection_form_records_one_objection(client, batch_in_notice):
    batch, _application = batch_in_notice
    url = reverse("experts:objection", args=[batch.number])
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10), tick=False):
        data = objection_data(client, url)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 5), tick=False):
        pages = [client.post(url, data).content.decode() for _click in range(2)]
    assert all("异议已收到" in page for page in pages)
    assert BatchObjection.objects.count() == 1
