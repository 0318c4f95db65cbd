"""机构名录: an accepted entry to a directory call becomes its institution's public profile, found by
keyword (简体, 繁體 or English), district and service, and staff export the whole directory as a
PDF book with its table of contents."""

import io

import pytest
from django.db import connection, transaction
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from calls import directory, services
from calls.enums import CallKind, Eligibility, ProfileField
from calls.models import CallPage, Institution
from portal.roles import CALL_OFFICERS, CALL_REVIEWERS, EDITORS
from portal.vetting.enums import Status
from tests.calls.factories import make_call
from tests.calls.test_review import staff
from tests.conftest import make_user
from tests.members.factories import make_member
from tests.portal.factories import html

pytestmark = pytest.mark.django_db

DISTRICTS = "中山区\n西岗区\n沙河口区\n甘井子区"
SERVICES = "个体咨询\n家庭咨询\n危机干预"
FIELDS = [
    {"field_type": "short_text", "label": "机构名称", "label_en": "Name", "public": True, "profile": ProfileField.NAME},
    {"field_type": "short_text", "label": "地址", "label_en": "Address", "public": True},
    {
        "field_type": "choice",
        "label": "所在区市县",
        "label_en": "District",
        "choices": DISTRICTS,
        "choices_en": "Zhongshan\nXigang\nShahekou\nGanjingzi",
        "public": True,
        "profile": ProfileField.DISTRICT,
    },
    {
        "field_type": "multiple_choice",
        "label": "服务项目",
        "label_en": "Services",
        "choices": SERVICES,
        "choices_en": "Individual counselling\nFamily counselling\nCrisis intervention",
        "public": True,
        "profile": ProfileField.SERVICES,
    },
    {
        "field_type": "table",
        "label": "咨询师",
        "label_en": "Counsellors",
        "columns": "姓名\n资质",
        "columns_en": "Name\nQualification",
        "public": True,
        "required": False,
    },
    {"field_type": "short_text", "label": "负责人手机", "label_en": "Manager's mobile", "required": False},
]


@pytest.fixture
def call(notices):
    return make_call(
        notices,
        fields=FIELDS,
        categories=(),
        kind=CallKind.DIRECTORY,
        eligibility=Eligibility.ORGANISATIONS,
        title="《大连心理咨询行业大全》机构篇火热征集中！",
    )


@pytest.fixture
def chair(db):
    return make_user("chair@example.com", groups=(CALL_OFFICERS,))


def enter(call, number: int, name: str, district: int, services_chosen: list[int], *, counsellor="赵静"):
    """An organisation's entry, submitted by its own account."""
    organisation = make_member(
        f"org{number}@example.com", number=f"DL-T-{number:04d}", type_name="团体会员", full_name=name
    )
    with transaction.atomic():
        version = services.current_version(CallPage.objects.select_for_update().get(pk=call.pk))
    key = {field["label"]: field["key"] for field in version.fields}
    return services.save_submission(
        call,
        organisation.user,
        organisation=organisation,
        version=version,
        answers={
            key["机构名称"]: name,
            key["地址"]: f"大连市某路 {number} 号",
            key["所在区市县"]: district,
            key["服务项目"]: services_chosen,
            key["咨询师"]: [[counsellor, "国家二级心理咨询师"]],
            key["负责人手机"]: f"1390000{number:04d}",
        },
        submit=True,
    )


def accept(entry, chair):
    """The officer accepts the entry; once committed, the page cache is purged (on-commit callbacks run)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.decide(entry, decision=services.SELECT, by=chair)


def test_an_accepted_entry_is_listed_with_its_public_details_only(call, chair, client):
    entry = enter(call, 1, "心悦心理咨询中心", 1, [0, 2])
    waiting = enter(call, 2, "阳光心理工作室", 0, [1])

    before = html(client.get("/institutions/"))
    accept(entry, chair)
    listed = html(client.get("/institutions/"))
    institution = Institution.objects.get()
    profile = html(client.get(f"/institutions/{institution.pk}/"))

    assert "心悦心理咨询中心" not in before
    assert "心悦心理咨询中心" in listed and "阳光心理工作室" not in listed
    assert (institution.district, institution.services) == ("xigang", ["个体咨询", "危机干预"])
    assert "大连市某路 1 号" in profile and "赵静" in profile and "国家二级心理咨询师" in profile
    assert "13900000001" not in profile and "负责人手机" not in profile  # not public
    assert client.get(f"/institutions/{institution.pk + 1}/").status_code == 404
    assert waiting.status == Status.SUBMITTED


def test_the_profile_reads_in_every_language(call, chair, client):
    accept(enter(call, 1, "心悦心理咨询中心", 1, [0, 2]), chair)
    institution = Institution.objects.get()

    traditional = html(client.get(f"/zh-hant/institutions/{institution.pk}/"))
    english = html(client.get(f"/en/institutions/{institution.pk}/"))

    assert "心悅心理諮詢中心" in traditional and "西崗區" in traditional
    assert "Individual counselling" in english and "Counsellors" in english and "Xigang" in english


def test_keywords_districts_and_services_narrow_the_list_with_counts(call, chair, client):
    for number, (name, district, chosen) in enumerate(
        [("心悦心理咨询中心", 1, [0, 2]), ("阳光心理工作室", 0, [1]), ("海风心理援助站", 1, [2])], start=1
    ):
        accept(enter(call, number, name, district, chosen, counsellor=f"咨询师{number}"), chair)

    everything = html(client.get("/institutions/"))
    in_xigang = html(client.get("/institutions/", {"district": "xigang"}))
    crisis_in_xigang = html(client.get("/institutions/", {"district": "xigang", "service": "危机干预"}))
    by_counsellor = html(client.get("/institutions/", {"q": "咨询师2"}))
    traditional_words = html(client.get("/zh-hant/institutions/", {"q": "援助站"}))
    english_words = html(client.get("/en/institutions/", {"q": "family counselling"}))

    assert "共 3 家机构" in everything and '西岗区 <span class="facet__count">(2)</span>' in everything
    assert "共 2 家机构" in in_xigang and "阳光心理工作室" not in in_xigang
    assert "共 2 家机构" in crisis_in_xigang and '危机干预 <span class="facet__count">(2)</span>' in crisis_in_xigang
    assert "阳光心理工作室" in by_counsellor and "心悦心理咨询中心" not in by_counsellor
    assert "海風心理援助站" in traditional_words and "陽光" not in traditional_words
    assert "阳光心理工作室" in english_words and "海风" not in english_words


def test_the_list_takes_as_many_queries_for_many_institutions_as_for_few(call, chair, client, settings):
    settings.PAGE_CACHE_ENABLED = False  # the page is rendered each time, as for a new search
    for number in range(1, 3):
        accept(enter(call, number, f"第{number}心理中心", number % 4, [0]), chair)
    client.get("/institutions/")  # the chrome read once, as after any publish
    with CaptureQueriesContext(connection) as few:
        client.get("/institutions/")
    for number in range(3, 26):
        accept(enter(call, number, f"第{number}心理中心", number % 4, [number % 3]), chair)
    client.get("/institutions/")
    with CaptureQueriesContext(connection) as many:
        page = html(client.get("/institutions/"))

    assert "共 25 家机构" in page
    assert len(many) == len(few) <= 6


def test_a_hidden_institution_leaves_the_directory(call, chair, client):
    accept(enter(call, 1, "心悦心理咨询中心", 1, [0]), chair)
    institution = Institution.objects.get()
    officer = staff("officer@example.com", CALL_OFFICERS)

    officer.post(f"/admin/calls/institutions/edit/{institution.pk}/", {})  # 在名录中公开 unticked

    institution.refresh_from_db()
    assert not institution.published
    assert "心悦心理咨询中心" not in html(client.get("/institutions/"))
    assert client.get(f"/institutions/{institution.pk}/").status_code == 404


def test_the_next_accepted_entry_of_an_organisation_renews_its_profile(call, chair, notices):
    accept(enter(call, 1, "心悦心理咨询中心", 1, [0]), chair)
    organisation = Institution.objects.get().organisation
    next_call = make_call(
        notices, fields=FIELDS, categories=(), kind=CallKind.DIRECTORY, eligibility=Eligibility.ORGANISATIONS
    )
    with transaction.atomic():
        version = services.current_version(CallPage.objects.select_for_update().get(pk=next_call.pk))
    key = {field["label"]: field["key"] for field in version.fields}
    renewed = services.save_submission(
        next_call,
        organisation.user,
        organisation=organisation,
        version=version,
        answers={key["机构名称"]: "心悦心理咨询中心（新址）", key["所在区市县"]: 2, key["服务项目"]: [1]},
        submit=True,
    )
    accept(renewed, chair)

    institution = Institution.objects.get()
    assert (institution.name, institution.district, institution.submission) == (
        "心悦心理咨询中心（新址）",
        "shahekou",
        renewed,
    )


def test_officers_export_the_directory_as_a_book_with_its_contents(call, chair):
    for number, name in enumerate(["阳光心理工作室", "心悦心理咨询中心"], start=1):
        accept(enter(call, number, name, number, [0]), chair)
    officer = staff("officer@example.com", CALL_OFFICERS)

    response = officer.get("/admin/calls/institutions/book.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text().replace("\n", "") for page in reader.pages]

    assert response["Content-Type"] == "application/pdf"
    assert "《大连心理咨询行业大全》机构篇" in pages[0]
    assert "目录" in pages[1].replace(" ", "")
    assert "心悦心理咨询中心" in pages[1] and "阳光心理工作室" in pages[1]  # the contents
    assert len(pages) == 4  # title, contents, one page each
    assert "赵静" in pages[2] and "13900000001" not in "".join(pages)


@pytest.mark.parametrize("group", [CALL_REVIEWERS, EDITORS])
def test_only_call_officers_export_the_book_or_hide_an_institution(call, chair, group):
    accept(enter(call, 1, "心悦心理咨询中心", 1, [0]), chair)
    institution = Institution.objects.get()
    other = staff("other@example.com", group)

    assert other.get("/admin/calls/institutions/book.pdf").status_code in (302, 403)
    other.post(f"/admin/calls/institutions/edit/{institution.pk}/", {})
    assert Institution.objects.get().published
    assert Client().get("/admin/calls/institutions/book.pdf").status_code == 302


def test_search_reads_only_listed_institutions(call, chair):
    accept(enter(call, 1, "心悦心理咨询中心", 1, [0]), chair)
    Institution.objects.update(published=False)
    assert directory.search("心悦").ids == []


def test_the_sitemap_lists_the_directory_and_its_listed_institutions(call, chair, client):
    accept(enter(call, 1, "心悦心理咨询中心", 1, [0]), chair)
    accept(enter(call, 2, "阳光心理工作室", 0, [1]), chair)
    Institution.objects.filter(name="阳光心理工作室").update(published=False)
    from django.core.cache import cache

    cache.clear()
    sitemap = html(client.get("/sitemap-institutions.xml"))
    listed, hidden = Institution.objects.order_by("pk")

    assert "/institutions/</loc>" in sitemap
    assert f"/institutions/{listed.pk}/</loc>" in sitemap and f"/institutions/{hidden.pk}/</loc>" not in sitemap
