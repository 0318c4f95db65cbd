"""Who may submit to a call: members in good standing, listed experts, organisations through their
own account and their named contacts; nobody sees or acts on another's submission; the call page's
panel says what the reader can do, and costs no more queries with many submissions."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from calls import services
from calls.enums import Eligibility, FieldType
from calls.models import CallSubmission
from members.models import OrganisationContact, Standing
from portal.vetting.enums import Status
from tests.calls.factories import keys, make_call
from tests.conftest import make_user, sign_in
from tests.experts.factories import make_expert
from tests.members.factories import make_invoice, make_member, make_period
from tests.portal.factories import html, translate_tree
from tests.portal.samples import PDF

pytestmark = pytest.mark.django_db

NAME = {"field_type": FieldType.SHORT_TEXT, "label": "推荐对象姓名", "label_en": "Nominee's name"}
LOGIN = "/accounts/login/"
# Measured once with three submissions; the same bound must hold with thirty.
CALL_PAGE_QUERIES = 41
MINE_QUERIES = 25


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def organisations_call(notices):
    return make_call(
        notices,
        fields=[NAME],
        categories=(),
        slug="reports-2021",
        title="关于报送2021年度单位工作总结的通知",
        eligibility=Eligibility.ORGANISATIONS,
    )


@pytest.fixture
def organisation(db):
    return make_member("centre@example.com", number="DL-T-0001", type_name="团体会员", full_name="大连市阳光心理中心")


@pytest.fixture
def contact(organisation):
    user = make_user("secretary@example.com")
    OrganisationContact.objects.create(organisation=organisation, user=user, role="秘书长")
    return user


def client_for(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def simple_call(notices, slug: str, **options):
    return make_call(notices, fields=[NAME], categories=(), slug=slug, **options)


def answer(call, name: str = "李华", action: str = "submit") -> dict:
    """What is posted to save (action "save") or submit a call's form of one name field."""
    version = call.form_versions.order_by("-number").first()
    return {"version": version.pk if version else "", f"f_{keys(call)['推荐对象姓名']}": name, action: ""}


def submit_directly(call, user, organisation=None, *, submit: bool = True, **options) -> CallSubmission:
    with transaction.atomic():
        version = services.current_version(call)
    name_key = keys(call)["推荐对象姓名"]
    return services.save_submission(
        call, user, organisation=organisation, version=version, answers={name_key: "李华"}, submit=submit, **options
    )


def person(kind: str):
    """Someone of each kind the members-only call meets; None for an anonymous reader."""
    if kind == "anonymous":
        return None
    if kind == "account without membership":
        return make_user("guest@example.com")
    if kind == "resigned member":
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        return make_member("resigned@example.com", number="DL-2020-0009", resigned_on=yesterday).user
    member = make_member("zhang@example.com", number="DL-2020-0002", joined_on=datetime.date(2020, 5, 1))
    if kind == "lapsed member":  # the 2021 dues, unpaid years after their grace ended
        make_invoice(member, make_period(2021, rates={"个人会员": "200.00"}))
        assert member.standing() == Standing.LAPSED
    return member.user


@pytest.mark.parametrize(
    ("kind", "status", "text", "saved"),
    [
        ("anonymous", 302, None, 0),
        ("account without membership", 403, "本次征集只接受会籍正常的会员填报。", 0),
        ("lapsed member", 403, "本次征集只接受会籍正常的会员填报。", 0),
        ("resigned member", 403, "本次征集只接受会籍正常的会员填报。", 0),
        ("member in good standing", 200, "推荐对象姓名", 1),
    ],
)
def test_only_members_in_good_standing_may_open_and_submit_a_members_call(notices, kind, status, text, saved):
    call = simple_call(notices, "members-only")
    user = person(kind)
    client = client_for(user) if user else Client()
    url = f"/calls/{call.pk}/"

    response = client.get(url)
    posted = client.post(url, answer(call))

    assert response.status_code == status
    if status == 302:
        assert response["Location"] == f"{LOGIN}?next={url}"
        assert posted["Location"].startswith(LOGIN)
    else:
        assert text in html(response)
    assert CallSubmission.objects.count() == saved
    if status == 403:
        assert posted.status_code == 403 and text in html(posted)


def test_an_experts_call_refuses_a_member_who_is_not_listed_and_takes_a_listed_expert(notices, member, member_client):
    call = simple_call(notices, "experts-only", eligibility=Eligibility.EXPERTS)
    expert = make_expert(admitted_on=timezone.localdate() - datetime.timedelta(days=30))
    expert_client = client_for(expert.user)
    url = f"/calls/{call.pk}/"

    refused = member_client.get(url)
    member_client.post(url, answer(call))
    shown = expert_client.get(url)
    sent = expert_client.post(url, answer(call, "王芳"))

    assert refused.status_code == 403 and "本次征集只接受入库专家填报。" in html(refused)
    assert shown.status_code == 200 and "推荐对象姓名" in html(shown)
    assert sent.status_code == 302
    submission = CallSubmission.objects.get()
    assert submission.applicant == expert.user and submission.status == Status.SUBMITTED
    assert submission.answers == {keys(call)["推荐对象姓名"]: "王芳"}


@pytest.mark.parametrize("type_name", ["团体会员", "分支机构"])
def test_an_organisation_and_its_contact_fill_in_one_submission_together(notices, type_name):
    call = make_call(notices, fields=[NAME], categories=(), eligibility=Eligibility.ORGANISATIONS)
    organisation = make_member("branch@example.com", number="DL-T-0002", type_name=type_name, full_name="青少年分会")
    contact = make_user("secretary@example.com")
    OrganisationContact.objects.create(organisation=organisation, user=contact, role="秘书长")
    own, named = client_for(organisation.user), client_for(contact)
    url = f"/calls/{call.pk}/for/{organisation.pk}/"

    opened = own.get(url)
    own.post(url, answer(call, "李华", "save"))
    seen_by_contact = named.get(url)
    named.post(url, answer(call, "李华、王芳"))
    seen_by_organisation = own.get(url)

    assert opened.status_code == 200 and re.search(r"代表\s*青少年分会\s*填报", html(opened))
    assert 'value="李华"' in html(seen_by_contact)
    assert 'value="李华、王芳"' in html(seen_by_organisation)
    submission = CallSubmission.objects.get()
    assert submission.organisation == organisation and submission.status == Status.SUBMITTED
    assert submission.answers == {keys(call)["推荐对象姓名"]: "李华、王芳"}


def test_a_contact_of_another_organisation_finds_nothing_there(organisations_call, organisation, contact):
    other = make_member("other@example.com", number="DL-T-0003", type_name="团体会员", full_name="另一家中心")
    stranger = make_user("stranger@example.com")
    OrganisationContact.objects.create(organisation=other, user=stranger)
    client = client_for(stranger)
    url = f"/calls/{organisations_call.pk}/for/{organisation.pk}/"

    assert client.get(url).status_code == 404
    assert client.post(url, answer(organisations_call)).status_code == 404
    assert client.get(f"/calls/{organisations_call.pk}/for/{other.pk}/").status_code == 200
    assert not CallSubmission.objects.exists()


def test_an_organisations_call_refuses_anyone_submitting_as_a_person(organisations_call, organisation, member):
    url = f"/calls/{organisations_call.pk}/"

    for user in (member.user, organisation.user):
        response = client_for(user).post(url, answer(organisations_call))
        assert response.status_code == 403
        assert "本次征集由团体会员和分支机构填报。" in html(response)
    assert client_for(member.user).get(f"{url}for/{organisation.pk}/").status_code == 404
    assert not CallSubmission.objects.exists()


def test_a_removed_contact_loses_access_to_the_organisations_submission(organisations_call, organisation, contact):
    submission = submit_directly(organisations_call, contact, organisation)
    named = client_for(contact)
    url = f"/calls/{organisations_call.pk}/for/{organisation.pk}/"
    assert named.get(url).status_code == 200

    removed = client_for(organisation.user).post("/membership/contacts/", {"remove": organisation.contacts.get().pk})

    assert removed.status_code == 302
    assert named.get(url).status_code == 404
    assert named.post(url, answer(organisations_call, "王五")).status_code == 404
    assert named.post(f"/calls/submissions/{submission.pk}/withdraw/").status_code == 404
    assert organisations_call.title not in html(named.get("/calls/mine/"))
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED and "王五" not in str(submission.answers)


def test_another_member_can_neither_see_withdraw_nor_download_a_submission(call, member, member_client):
    file_key = keys(call)["推荐表扫描件"]
    scan = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    submission = submit_directly(call, member.user, file_changes={file_key: scan})
    other = client_for(make_member("zhao@example.com", number="DL-2020-0005", full_name="赵敏").user)
    file_url = f"/calls/submissions/{submission.pk}/files/{file_key}/"

    withdrawn = other.post(f"/calls/submissions/{submission.pk}/withdraw/")
    downloaded = other.get(file_url)
    form = other.get(f"/calls/{call.pk}/")

    assert withdrawn.status_code == 404 and downloaded.status_code == 404
    assert form.status_code == 200 and "李华" not in html(form)
    assert call.title not in html(other.get("/calls/mine/"))
    assert Client().get(file_url)["Location"].startswith(LOGIN)
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert member_client.get(file_url).status_code == 200  # the submitter still can


def test_a_call_not_yet_open_says_so_and_refuses_the_form(notices, member_client):
    opens_at = timezone.now() + datetime.timedelta(days=2)
    call = simple_call(notices, "upcoming", opens_at=opens_at, closes_at=opens_at + datetime.timedelta(days=14))
    url = f"/calls/{call.pk}/"

    page = html(Client().get(call.url))
    refused = member_client.get(url)
    posted = member_client.post(url, answer(call))

    assert "尚未开始" in page and "登录后填报" not in page
    assert refused.status_code == 403 and "征集尚未开始" in html(refused)
    assert posted.status_code == 403 and "征集尚未开始" in html(posted)
    assert not CallSubmission.objects.exists()


def test_a_closed_call_says_so_and_refuses_new_submissions(notices, member_client):
    now = timezone.now()
    call = simple_call(
        notices, "closed", opens_at=now - datetime.timedelta(days=20), closes_at=now - datetime.timedelta(minutes=5)
    )
    url = f"/calls/{call.pk}/"

    page = html(Client().get(call.url))
    refused = member_client.get(url)
    posted = member_client.post(url, answer(call))

    assert "已截止" in page and "登录后填报" not in page
    assert refused.status_code == 403 and "征集已截止" in html(refused)
    assert posted.status_code == 403
    assert not CallSubmission.objects.exists()


@pytest.mark.parametrize(
    ("draft", "chinese", "english"),
    [
        (None, "登录后填报", "Sign in to submit"),
        (True, "继续填写草稿", "Continue your draft"),
        (False, "查看或修改已提交的材料", "View or edit your submission"),
    ],
)
def test_the_call_page_says_what_the_reader_can_do_in_their_language(call, member, draft, chinese, english):
    english_call = translate_tree(call, "en", title="Outstanding Individual Awards 2021")
    client = Client()
    if draft is not None:
        submit_directly(call, member.user, submit=not draft)
        client = client_for(member.user)

    page = html(client.get(call.url))
    english_page = html(client.get(english_call.url))

    assert english_call.url.startswith("/en/")
    assert chinese in page and english not in page
    assert english in english_page and chinese not in english_page


def add_submitters(call, numbers) -> None:
    for number in numbers:
        someone = make_member(f"member{number}@example.com", number=f"DL-2021-{number:04d}", full_name=f"会员{number}")
        submit_directly(call, someone.user)


def test_the_call_page_asks_no_more_queries_for_thirty_submissions_than_for_three(
    call, member, member_client, django_assert_max_num_queries
):
    submit_directly(call, member.user)
    add_submitters(call, range(2, 4))
    cache.clear()
    with django_assert_max_num_queries(CALL_PAGE_QUERIES):
        few = member_client.get(call.url)

    add_submitters(call, range(4, 31))
    cache.clear()
    with django_assert_max_num_queries(CALL_PAGE_QUERIES):
        many = member_client.get(call.url)

    assert CallSubmission.objects.count() == 30
    assert "查看或修改已提交的材料" in html(few) and "查看或修改已提交的材料" in html(many)


def add_organisations(call, contact, numbers) -> None:
    for number in numbers:
        organisation = make_member(
            f"org{number}@example.com", number=f"DL-T-1{number:03d}", type_name="团体会员", full_name=f"第{number}中心"
        )
        OrganisationContact.objects.create(organisation=organisation, user=contact)
        submit_directly(call, organisation.user, organisation)


def test_my_submissions_lists_my_own_and_my_organisations_with_the_call_titles(
    call, organisations_call, organisation, member, member_client, notices, django_assert_max_num_queries
):
    OrganisationContact.objects.create(organisation=organisation, user=member.user)
    submit_directly(call, member.user)
    submit_directly(organisations_call, organisation.user, organisation)
    others_call = simple_call(notices, "others", title="关于征集2022年年会议题的通知")
    submit_directly(others_call, make_member("zhao@example.com", number="DL-2020-0005").user)
    add_organisations(organisations_call, member.user, range(1, 2))
    with django_assert_max_num_queries(MINE_QUERIES):
        few = html(member_client.get("/calls/mine/"))

    add_organisations(organisations_call, member.user, range(2, 21))
    with django_assert_max_num_queries(MINE_QUERIES):
        many = html(member_client.get("/calls/mine/"))

    assert call.title in few and organisations_call.title in few and "本人" in few
    assert "大连市阳光心理中心" in few and "第1中心" in few
    assert "关于征集2022年年会议题的通知" not in few
    organisation_links = f'href="/calls/{organisations_call.pk}/for/'
    assert few.count(organisation_links) == 2 and many.count(organisation_links) == 21
    assert all(f"第{number}中心" in many for number in range(1, 21))
