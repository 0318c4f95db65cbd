"""After the decisions: the 公示 of a call's selected entries (public fields only), objections from
anyone during its working days, closing it with the results notice, and the award certificates
with a code anyone can check on 证书查询."""

import datetime
import io
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from calls import announcements, services
from calls.enums import CallKind
from calls.models import CallAnnouncement, CallCertificate, CallObjection, CallPage, CallSubmission
from notices.models import NoticePage
from portal.roles import CALL_OFFICERS, CALL_REVIEWERS, EDITORS
from portal.vetting.enums import NoticeStatus, ObjectionOutcome, Status
from tests.calls.factories import make_call
from tests.calls.test_one_submission import version_of
from tests.calls.test_review import close, staff
from tests.conftest import make_user, sign_in
from tests.members.factories import make_member
from tests.portal.factories import html

pytestmark = pytest.mark.django_db

FIELDS = [
    {"field_type": "short_text", "label": "工作单位", "label_en": "Employer", "public": True},
    {"field_type": "short_text", "label": "联系电话", "label_en": "Phone", "required": False},
]
# Monday 7 December 2026: five working days of 公示 run to Friday the 11th.
ANNOUNCED = datetime.datetime(2026, 12, 7, 10)
AFTER = datetime.datetime(2026, 12, 14, 10)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def awards_call(
    notices, kind=CallKind.NOMINATION, count=3, prefix="m", quota=10
) -> tuple[CallPage, list[CallSubmission]]:
    """A call of `kind` closed on 20 November with `count` members' entries, all still undecided."""
    with time_machine.travel(datetime.datetime(2026, 11, 10, 10), tick=False):
        call = make_call(
            notices,
            fields=FIELDS,
            categories=(("先进个人", "Outstanding individual", quota),),
            kind=kind,
            period="2021年度",
        )
        version = version_of(call)
        employer, phone = (field["key"] for field in version.fields)
        entries = []
        for number in range(count):
            member = make_member(
                f"{prefix}{number}@example.com",
                number=f"DL-2018-{prefix}{number:04d}",
                full_name=f"王晓{'明亮华强'[number]}",
            )
            entries.append(
                services.save_submission(
                    call,
                    member.user,
                    version=version,
                    answers={employer: f"第{number + 1}中学", phone: f"1390000000{number}"},
                    category_key=version.categories[0]["key"],
                    submit=True,
                )
            )
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10), tick=False):
        close(call)
    return call, entries


def decide(entries, chair, selected):
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10), tick=False):
        for index, entry in enumerate(entries):
            if index in selected:
                services.decide(entry, decision=services.SELECT, by=chair)
            else:
                services.decide(entry, decision=services.NOT_SELECTED, by=chair, note="名额有限。")


@pytest.fixture
def chair(db):
    return make_user("chair@example.com", groups=(CALL_OFFICERS,))


@pytest.fixture
def officer(chair) -> Client:
    client = Client()
    sign_in(client, chair)
    return client


@pytest.fixture
def announced(notices, chair):
    """The 2021 awards: two of three entries selected and in their 公示 from 7 December."""
    call, entries = awards_call(notices)
    decide(entries, chair, selected=(0, 1))
    with time_machine.travel(ANNOUNCED, tick=False):
        announcement = announcements.announce(call, by=chair)
    return announcement, entries


def objection_form(client, url) -> dict:
    started = re.search(r'name="started" value="([^"]+)"', html(client.get(url))).group(1)
    return {
        "name": "张三",
        "contact": "13700000000",
        "grounds": "该候选人的事迹材料与实际不符，请核实。",
        "started": started,
    }


# The 公示 -------------------------------------------------------------------------------------------


def test_the_notice_lists_the_selected_entries_with_their_public_fields_only(announced, client):
    announcement, (first, second, rejected) = announced
    mail.outbox.clear()

    with time_machine.travel(ANNOUNCED, tick=False):
        page = html(client.get(announcement.notice_page.url))

    assert announcement.notice_page.title == "关于2021年度先进个人评选结果的公示"
    assert (announcement.notice_starts, announcement.notice_ends) == (
        datetime.date(2026, 12, 7),
        datetime.date(2026, 12, 11),
    )
    assert "王晓明" in page and "王晓亮" in page and "第1中学" in page and "第2中学" in page
    assert "王晓华" not in page  # not selected
    assert "13900000000" not in page and "联系电话" not in page  # not marked 公示时公开
    assert "公示期为 5 个工作日：2026年12月7日 至 2026年12月11日。" in page
    assert "提出异议" in page and f"/calls/{announcement.call_id}/objection/" in page
    assert {entry.status for entry in CallSubmission.objects.filter(pk__in=[first.pk, second.pk])} == {Status.NOTICE}


def test_each_entry_in_the_notice_is_told(notices, chair):
    call, entries = awards_call(notices, count=2)
    decide(entries, chair, selected=(0,))
    mail.outbox.clear()

    with time_machine.travel(ANNOUNCED, tick=False), _commit():
        announcements.announce(call, by=chair)

    told = [message for message in mail.outbox if "公示" in message.subject]
    assert [message.to for message in told] == [["m0@example.com"]]
    assert "2026-12-07 至 2026-12-11" in told[0].body


def test_announcing_waits_for_the_deadline_and_every_decision(notices, chair, officer):
    call, entries = awards_call(notices)
    decide(entries[:1], chair, selected=(0,))

    with time_machine.travel(ANNOUNCED, tick=False):
        screen = html(officer.get(f"/admin/calls/submissions/calls/{call.pk}/announcement/"))
        refused = html(
            officer.post(f"/admin/calls/submissions/calls/{call.pk}/announce/", {"working_days": 5}, follow=True)
        )

    assert "还有 2 份填报未作决定，请先逐一决定。" in screen
    assert "还有 2 份填报未作决定" in refused
    assert not CallAnnouncement.objects.exists() and not NoticePage.objects.filter(slug__startswith="call-").exists()

    with time_machine.travel(datetime.datetime(2026, 11, 15, 10), tick=False):
        open_call = make_call(notices, fields=FIELDS, kind=CallKind.NOMINATION)
        assert announcements.announcing_refusal(open_call) == "征集截止后才能公示评选结果。"
    survey = make_call(notices, fields=FIELDS, kind=CallKind.SURVEY)
    assert announcements.announcing_refusal(survey) == "这类征集不评选，不需要公示。"

    with time_machine.travel(datetime.datetime(2026, 11, 25, 10), tick=False):
        services.decide(entries[1], decision=services.RETURN, by=chair, note="请补充材料。")
        services.decide(entries[2], decision=services.NOT_SELECTED, by=chair, note="名额有限。")
    assert announcements.announcing_refusal(call) == "还有 1 份填报退回修改后尚未重新提交，请等待提交并作出决定。"


def test_the_officer_announces_from_the_admin_once_however_often_the_form_is_sent(notices, chair, officer):
    call, entries = awards_call(notices)
    decide(entries, chair, selected=(0, 2))

    with time_machine.travel(ANNOUNCED, tick=False):
        form = html(officer.get(f"/admin/calls/submissions/calls/{call.pk}/announce/"))
        officer.post(f"/admin/calls/submissions/calls/{call.pk}/announce/", {"working_days": 7})
        again = officer.post(f"/admin/calls/submissions/calls/{call.pk}/announce/", {"working_days": 7}, follow=True)
        screen = html(officer.get(f"/admin/calls/submissions/calls/{call.pk}/announcement/"))

    assert "将把入选的 2 项填报在通知公告栏目公示" in form
    announcement = CallAnnouncement.objects.get(call=call)
    assert announcement.status == NoticeStatus.NOTICE and announcement.notice_ends == datetime.date(2026, 12, 15)
    assert NoticePage.objects.filter(slug=f"call-{call.pk}-notice").count() == 1
    assert "本征集的评选结果已经公示。" in html(again)
    assert "2026-12-07 至 2026-12-15（7 个工作日）" in screen and "王晓华" in screen


@pytest.mark.parametrize("group", [CALL_REVIEWERS, EDITORS])
def test_only_call_officers_reach_the_announcement_screens(announced, group):
    announcement, entries = announced
    other = staff("other@example.com", group)
    urls = [
        f"/admin/calls/submissions/calls/{announcement.call_id}/announcement/",
        f"/admin/calls/submissions/calls/{announcement.call_id}/announce/",
        f"/admin/calls/submissions/calls/{announcement.call_id}/close/",
    ]
    for url in urls:
        assert other.get(url).status_code in (302, 403), url
    assert other.post(urls[2]).status_code in (302, 403)
    assert Client().get(urls[0]).status_code == 302
    assert CallAnnouncement.objects.get().status == NoticeStatus.NOTICE


# Objections ------------------------------------------------------------------------------------------


def test_anyone_may_object_during_the_period_and_the_officers_are_told(announced, client, chair):
    announcement, (first, _second, _rejected) = announced
    url = f"/calls/{announcement.call_id}/objection/"
    mail.outbox.clear()

    with time_machine.travel(ANNOUNCED, tick=False):
        form = html(client.get(url))
        data = objection_form(client, url) | {"entry": str(first.pk)}
    with time_machine.travel(ANNOUNCED + datetime.timedelta(minutes=5), tick=False), _commit():
        received = html(client.post(url, data))
        client.post(url, data)  # sent again: a double click

    assert "王晓明（先进个人）" in form and "王晓华" not in form
    assert "异议已收到" in received
    objection = CallObjection.objects.get()
    assert (objection.submission, objection.name, objection.outcome) == (first, "张三", ObjectionOutcome.PENDING)
    assert [message.to for message in mail.outbox] == [[chair.email]]
    with time_machine.travel(ANNOUNCED, tick=False):
        assert "张三" not in html(client.get(announcement.notice_page.url))


def test_robots_and_late_objections_record_nothing(announced, client):
    announcement, _entries = announced
    url = f"/calls/{announcement.call_id}/objection/"
    with time_machine.travel(ANNOUNCED, tick=False):
        data = objection_form(client, url)
        too_fast = html(client.post(url, data))
        trapped = html(client.post(url, data | {"website": "http://spam.example"}))
    with time_machine.travel(AFTER, tick=False):
        late_form = html(client.get(url))
        late = client.post(url, data)

    assert "异议已收到" in too_fast and "异议已收到" in trapped  # a robot learns nothing
    assert "现在不受理异议" in late_form and late.status_code == 400
    assert not CallObjection.objects.exists()


def test_a_short_objection_is_refused_with_what_was_typed_kept(announced, client):
    announcement, _entries = announced
    url = f"/calls/{announcement.call_id}/objection/"
    with time_machine.travel(ANNOUNCED, tick=False):
        data = objection_form(client, url) | {"grounds": "不行"}
    with time_machine.travel(ANNOUNCED + datetime.timedelta(minutes=5), tick=False):
        page = html(client.post(url, data))

    assert "至少 10 个字" in page and 'value="张三"' in page
    assert not CallObjection.objects.exists()


def test_an_announcement_not_yet_published_has_no_objection_form(notices, chair, client):
    call, entries = awards_call(notices, count=1)
    assert client.get(f"/calls/{call.pk}/objection/").status_code == 404


# Closing and the results ---------------------------------------------------------------------------


def test_closing_waits_for_the_period_and_every_objection(announced, officer):
    announcement, (first, _second, _rejected) = announced
    CallObjection.objects.create(
        announcement=announcement, submission=first, name="李四", contact="x", grounds="理由理由理由理由理由"
    )
    url = f"/admin/calls/submissions/calls/{announcement.call_id}/close/"

    with time_machine.travel(datetime.datetime(2026, 12, 11, 9), tick=False):
        early = html(officer.post(url, follow=True))
    with time_machine.travel(AFTER, tick=False):
        pending = html(officer.post(url, follow=True))

    assert "公示期至 2026-12-11 结束，之后才能结束公示。" in early
    assert "还有未处理的异议，请先逐条处理。" in pending
    announcement.refresh_from_db()
    assert announcement.status == NoticeStatus.NOTICE and announcement.result_page is None


def test_an_upheld_objection_takes_its_entry_out_of_the_results(announced, officer, client):
    announcement, (first, second, _rejected) = announced
    objection = CallObjection.objects.create(
        announcement=announcement, name="李四", contact="x", grounds="王晓明的事迹材料有误，请核实。"
    )
    mail.outbox.clear()

    with time_machine.travel(AFTER, tick=False):
        unnamed = html(
            officer.post(
                f"/admin/calls/submissions/objections/{objection.pk}/resolve/",
                {"outcome": ObjectionOutcome.UPHELD, "note": "经核实，材料有误。"},
            )
        )
        officer.post(
            f"/admin/calls/submissions/objections/{objection.pk}/resolve/",
            {"outcome": ObjectionOutcome.UPHELD, "entry": str(first.pk), "note": "经核实，材料有误。"},
        )
        with _commit():
            officer.post(f"/admin/calls/submissions/calls/{announcement.call_id}/close/")
        announcement.refresh_from_db()
        results = html(client.get(announcement.result_page.url))

    first.refresh_from_db()
    second.refresh_from_db()
    assert "异议成立时，请选择所涉对象。" in unnamed
    assert first.status == Status.WITHDRAWN and "经核实，材料有误。" in first.transitions().last().note
    assert second.status == Status.ACCEPTED
    assert announcement.status == NoticeStatus.CLOSED
    assert announcement.result_page.title == "关于表彰2021年度先进个人的决定"
    assert "王晓亮" in results and "王晓明" not in results and "第2中学" in results
    assert "2026年12月7日 至 2026年12月11日 公示期满" in results
    assert not CallCertificate.objects.filter(submission=first).exists()
    certificate = CallCertificate.objects.get(submission=second)
    assert (certificate.holder, certificate.honour, certificate.issued_on) == (
        "王晓亮",
        "2021年度先进个人",
        datetime.date(2026, 12, 14),
    )
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {"m0@example.com": "您的填报未列入最终结果", "m1@example.com": "荣誉证书已颁发"}
    assert certificate.display_code in next(message.body for message in mail.outbox if message.to == ["m1@example.com"])


@pytest.mark.parametrize(
    ("kind", "notice", "result", "certified"),
    [
        (CallKind.EVALUATION, "关于2021年度先进个人考评结果的公示", "关于2021年度先进个人考评结果的通报", 2),
        (CallKind.PROJECT, "关于2021年度先进个人拟推荐项目的公示", "关于2021年度先进个人推荐项目名单的公告", 0),
    ],
)
def test_evaluations_and_project_calls_publish_their_own_results(notices, chair, kind, notice, result, certified):
    call, entries = awards_call(notices, kind=kind, count=2)
    decide(entries, chair, selected=(0, 1))
    with time_machine.travel(ANNOUNCED, tick=False):
        announcement = announcements.announce(call, by=chair)
    with time_machine.travel(AFTER, tick=False):
        announcement = announcements.close(announcement, by=chair)

    assert announcement.notice_page.title == notice
    assert announcement.result_page.title == result
    assert set(CallSubmission.objects.values_list("status", flat=True)) == {Status.ACCEPTED}
    # An evaluation's honours are certified (2021年度先进个人 here); a project recommended is not.
    assert CallCertificate.objects.filter(honour="2021年度先进个人").count() == certified


def test_the_announcement_screen_takes_as_many_queries_for_many_entries_as_for_few(notices, chair, officer):
    few_call, few = awards_call(notices, count=2)
    decide(few, chair, selected=(0, 1))
    many_call, many = awards_call(notices, count=3, prefix="n")
    decide(many, chair, selected=(0, 1, 2))
    with time_machine.travel(ANNOUNCED, tick=False):
        for call in (few_call, many_call):
            announcement = announcements.announce(call, by=chair)
            for entry in announcements.entries(call):
                CallObjection.objects.create(
                    announcement=announcement, submission=entry, name="甲", contact="x", grounds="理由理由理由理由理由"
                )
        officer.get(f"/admin/calls/submissions/calls/{few_call.pk}/announcement/")  # warm the caches
        with CaptureQueriesContext(connection) as small:
            officer.get(f"/admin/calls/submissions/calls/{few_call.pk}/announcement/")
        with CaptureQueriesContext(connection) as large:
            officer.get(f"/admin/calls/submissions/calls/{many_call.pk}/announcement/")

    assert len(large) == len(small)


# Certificates ---------------------------------------------------------------------------------------


@pytest.fixture
def certificate(announced, chair):
    announcement, _entries = announced
    with time_machine.travel(AFTER, tick=False):
        announcements.close(announcement, by=chair)
    return CallCertificate.objects.get(holder="王晓明")


def test_the_certificate_pdf_names_the_holder_the_honour_and_its_code(certificate):
    member = Client()
    sign_in(member, certificate.submission.applicant)

    response = member.get(f"/calls/submissions/{certificate.submission_id}/certificate.pdf")
    text = pdf_text(response.content)

    assert response["Content-Type"] == "application/pdf"
    assert "荣誉证书" in text and "王晓明" in text and "2021年度先进个人" in text
    assert certificate.display_code in text and "2026年12月14日" in text
    assert f"/certificates/{certificate.display_code}/" in text
    assert "下载证书（PDF）" in html(member.get("/calls/mine/"))


def test_only_the_holder_and_call_officers_download_a_certificate(certificate, officer):
    url = f"/calls/submissions/{certificate.submission_id}/certificate.pdf"
    other = Client()
    sign_in(other, make_member("other@example.com", number="DL-2019-0099").user)
    reviewer = staff("reviewer@example.com", CALL_REVIEWERS)

    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert officer.get(f"/admin/calls/submissions/certificates/{certificate.pk}/pdf/").status_code == 200
    assert reviewer.get(f"/admin/calls/submissions/certificates/{certificate.pk}/pdf/").status_code in (302, 403)


def test_anyone_verifies_a_certificate_by_its_code_and_sees_the_name_masked(certificate, client):
    typed = client.get("/certificates/", {"code": certificate.code.lower()}, follow=True)
    page = html(typed)

    assert typed.status_code == 200
    assert "王*明" in page and "王晓明" not in page
    assert "2021年度先进个人" in page and "有效" in page and "2026-12-14" in page
    assert "第1中学" not in page and "13900000000" not in page


def test_a_revoked_certificate_shows_so_at_once(certificate, officer, client):
    url = f"/certificates/{certificate.display_code}/"
    missing_reason = html(
        officer.post(f"/admin/calls/submissions/certificates/{certificate.pk}/revoke/", {"reason": ""})
    )
    officer.post(f"/admin/calls/submissions/certificates/{certificate.pk}/revoke/", {"reason": "荣誉已撤销。"})

    assert "请填写撤销原因。" in missing_reason
    page = html(client.get(url))
    assert "已撤销" in page and "不再有效" in page
    holder = Client()
    sign_in(holder, certificate.submission.applicant)
    assert holder.get(f"/calls/submissions/{certificate.submission_id}/certificate.pdf").status_code == 404


def test_an_unknown_code_is_not_found_and_lookups_are_limited(certificate, client, settings):
    settings.CERTIFICATE_CHECKS_PER_HOUR = 2
    unknown = client.get("/certificates/ABCD-EFGH-JKLM-NPQR/")
    client.get(f"/certificates/{certificate.display_code}/")
    limited = client.get(f"/certificates/{certificate.display_code}/")

    assert unknown.status_code == 404 and "没有找到这个查验码对应的证书" in html(unknown)
    assert limited.status_code == 429 and "王*明" not in html(limited)


def test_the_lookup_form_asks_for_a_code_in_every_language(client):
    for prefix, label in (("", "证书查验码"), ("/zh-hant", "證書查驗碼"), ("/en", "Certificate code")):
        page = html(client.get(f"{prefix}/certificates/"))
        assert label in page, prefix


def test_certificate_codes_are_long_random_and_unambiguous(certificate):
    from calls.models import new_certificate_code

    codes = {new_certificate_code() for _index in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 16 and not set(code) & set("01IOL") for code in codes)
    assert certificate.display_code.count("-") == 3


# Helpers -------------------------------------------------------------------------------------------


def _commit():
    """Run on-commit callbacks (the e-mails) inside a test's transaction."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


# Grades of an evaluation ----------------------------------------------------------------------------


def graded_evaluation(notices, count):
    """A 2021 evaluation graded 优秀/合格/不合格, with 2 places for 优秀 and `count` entries undecided."""
    call, entries = awards_call(notices, kind=CallKind.EVALUATION, count=count, quota=2)
    CallPage.objects.filter(pk=call.pk).update(grades="优秀\n合格\n不合格", grades_en="Excellent\nPass\nFail")
    call.refresh_from_db()
    return call, entries


def test_an_evaluation_grades_each_entry_and_its_places_count_the_best_grade_only(notices, chair, officer):
    call, entries = graded_evaluation(notices, 4)
    decide = "/admin/calls/submissions/decide/{}/"

    ungraded = html(officer.post(decide.format(entries[0].pk), {"decision": "select"}))
    for entry, grade in zip(entries, ["优秀", "合格", "优秀"], strict=False):
        officer.post(decide.format(entry.pk), {"decision": "select", "grade": grade})
    third_best = html(officer.post(decide.format(entries[3].pk), {"decision": "select", "grade": "优秀"}))

    assert "请选择考评等次。" in ungraded
    assert "“先进个人”的名额为 2 个，已全部选定。" in third_best
    graded = [entry.grade for entry in CallSubmission.objects.filter(call=call).order_by("number")]
    assert graded == ["优秀", "合格", "优秀", ""]


def test_the_results_show_the_grades_and_only_the_best_grade_is_certified(notices, chair, client):
    call, (best, passed) = graded_evaluation(notices, 2)
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10), tick=False):
        services.decide(best, decision=services.SELECT, by=chair, grade="优秀")
        services.decide(passed, decision=services.SELECT, by=chair, grade="合格")
    with time_machine.travel(ANNOUNCED, tick=False):
        announcement = announcements.announce(call, by=chair)
    with time_machine.travel(AFTER, tick=False):
        announcement = announcements.close(announcement, by=chair)
        results = html(client.get(announcement.result_page.url))

    assert "考评等次" in results and "优秀" in results and "合格" in results
    certificate = CallCertificate.objects.get()
    assert certificate.submission == best and certificate.honour == "2021年度优秀先进个人"
    member = Client()
    sign_in(member, passed.applicant)
    assert "考评等次" in html(member.get(f"/calls/{call.pk}/"))
    english = html(member.get(f"/en/calls/{call.pk}/"))
    assert "Grade" in english and "Pass" in english
