"""Admitted experts: listed until their term ends, reminded to re-certify, found by the public in
Chinese (简体 or 繁體) through only what they consented to show, with filter counts that add up,
and changing their public profile only once a reviewer approves."""

import datetime
import functools

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from experts import directory, services
from experts.directory import DirectoryQuery
from experts.models import Expert, ExpertApplication, ExpertReminder, Language, ServiceType, Specialty
from portal.roles import EXPERT_REVIEWERS
from portal.vetting.enums import Status
from tests.experts.factories import make_application, make_chair, make_expert

pytestmark = pytest.mark.django_db

DAY = datetime.date
ADMITTED = DAY(2025, 10, 10)
EXPIRES = DAY(2028, 10, 9)  # three years, less a day
TODAY = DAY(2026, 3, 2)


@pytest.fixture
def batch(db):
    return services.open_batch()


@pytest.fixture
def admitted(batch):
    """Admit an expert with these application details (the pipeline before admission is tested elsewhere)."""

    def admit(*, on: datetime.date = ADMITTED, **fields) -> Expert:
        application = make_application(status=Status.DRAFT, **fields)
        ExpertApplication.objects.filter(pk=application.pk).update(status=Status.ACCEPTED, batch=batch)
        return services.admit(application, batch=batch, on=on)

    return admit


def names(query: DirectoryQuery, on: datetime.date = TODAY) -> list[str]:
    return [expert.full_name for expert in directory.search_database(query, on).experts]


def counts(results, facet: str) -> dict[str, int]:
    return {value.value: value.count for value in results.facets[facet]}


# The term of admission ---------------------------------------------------------------------------


def test_an_expert_is_listed_until_the_last_day_of_the_term(notice_index):
    expert = make_expert(admitted_on=ADMITTED, full_name="李文静")
    query = DirectoryQuery(text="李文静")

    assert (expert.admitted_on, expert.expires_on) == (ADMITTED, EXPIRES)
    for day, listed in (
        (EXPIRES - datetime.timedelta(days=1), True),
        (EXPIRES, True),
        (EXPIRES + datetime.timedelta(days=1), False),
    ):
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False):
            assert Expert.objects.listed().filter(pk=expert.pk).exists() is listed, day
            assert (directory.search_database(DirectoryQuery()).total == 1) is listed, day
            assert (names(DirectoryQuery(text="李文静"), on=None) == ["李文静"]) is listed, day
            assert expert.is_listed() is listed, day
    assert names(query, on=ADMITTED - datetime.timedelta(days=1)) == []


def test_a_renewed_admission_starts_a_new_term(admitted, batch):
    expert = admitted(full_name="李文静")
    renewal = make_application(expert.user, status=Status.DRAFT, full_name="李文静", employer="新单位")

    renewed = services.admit(renewal, batch=batch, on=DAY(2028, 9, 1))

    assert renewed.pk == expert.pk and Expert.objects.count() == 1
    assert (renewed.expires_on, renewed.employer) == (DAY(2031, 8, 31), "新单位")


# Re-certification reminders ----------------------------------------------------------------------


@pytest.fixture
def remind(django_capture_on_commit_callbacks, settings):
    settings.EXPERT_REMINDER_DAYS = [90, 30, 7]

    def run(day: datetime.date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_recertification_reminders(today=day)

    return run


def test_each_reminder_is_sent_once(admitted, remind, mailoutbox):
    expert = admitted(full_name="李文静")

    assert remind(EXPIRES - datetime.timedelta(days=91)) == 0
    assert remind(EXPIRES - datetime.timedelta(days=90)) == 1
    assert remind(EXPIRES - datetime.timedelta(days=90)) == 0
    assert remind(EXPIRES - datetime.timedelta(days=60)) == 0
    assert remind(EXPIRES - datetime.timedelta(days=30)) == 1
    assert remind(EXPIRES - datetime.timedelta(days=29)) == 0
    assert remind(EXPIRES - datetime.timedelta(days=7)) == 1
    assert remind(EXPIRES) == 0
    assert remind(EXPIRES + datetime.timedelta(days=1)) == 0

    assert sorted(expert.reminders.values_list("days_before", flat=True)) == [7, 30, 90]
    assert len(mailoutbox) == 3
    assert all(message.to == [expert.user.email] for message in mailoutbox)
    assert "即将到期" in mailoutbox[0].subject
    assert "2028-10-09" in mailoutbox[0].body and "还有 90 天" in mailoutbox[0].body
    assert "还有 7 天" in mailoutbox[2].body


def test_a_missed_run_sends_only_the_nearest_reminder(admitted, remind, mailoutbox):
    expert = admitted(full_name="李文静")

    assert remind(EXPIRES - datetime.timedelta(days=20)) == 1

    assert list(expert.reminders.values_list("days_before", flat=True)) == [30]
    assert len(mailoutbox) == 1 and "还有 20 天" in mailoutbox[0].body
    assert remind(EXPIRES - datetime.timedelta(days=19)) == 0
    assert remind(EXPIRES - datetime.timedelta(days=3)) == 1
    assert sorted(expert.reminders.values_list("days_before", flat=True)) == [7, 30]


def test_a_withdrawn_expert_is_not_reminded(admitted, remind, mailoutbox):
    expert = admitted(full_name="李文静")
    Expert.objects.filter(pk=expert.pk).update(status="withdrawn")

    assert remind(EXPIRES - datetime.timedelta(days=7)) == 0
    assert not ExpertReminder.objects.exists() and not mailoutbox


# Consent -----------------------------------------------------------------------------------------


@pytest.fixture
def private_and_open(admitted):
    """李文静 shows only her name and specialties; 王海涛 shows everything."""
    private = admitted(
        full_name="李文静",
        employer="星海湾心理门诊部",
        district="shahekou",
        bio="擅长沙盘游戏治疗。",
        specialties=("youth",),
        services_=("supervision",),
        languages=("japanese",),
        show_employer=False,
        show_district=False,
        show_services=False,
        show_languages=False,
        show_bio=False,
    )
    public = admitted(
        full_name="王海涛",
        employer="大连理工大学",
        district="shahekou",
        bio="长期从事危机干预工作。",
        specialties=("youth",),
        services_=("supervision",),
        languages=("japanese",),
    )
    return private, public


def test_undisclosed_details_are_not_searchable(private_and_open):
    assert names(DirectoryQuery(text="星海湾心理门诊部")) == []
    assert names(DirectoryQuery(text="星海湾")) == []
    assert names(DirectoryQuery(text="沙盘游戏")) == []
    assert names(DirectoryQuery(text="沙河口区")) == ["王海涛"]
    assert names(DirectoryQuery(text="大连理工大学")) == ["王海涛"]


def test_name_and_specialty_always_find_the_expert(private_and_open):
    assert names(DirectoryQuery(text="李文静")) == ["李文静"]
    assert names(DirectoryQuery(text="青少年")) == ["李文静", "王海涛"]
    assert names(DirectoryQuery(specialty="youth")) == ["李文静", "王海涛"]


def test_undisclosed_details_are_neither_filtered_on_nor_counted(private_and_open):
    for query in (
        DirectoryQuery(district="shahekou"),
        DirectoryQuery(service="supervision"),
        DirectoryQuery(language="japanese"),
    ):
        results = directory.search_database(query, TODAY)
        assert [expert.full_name for expert in results.experts] == ["王海涛"], query
        assert results.total == 1

    results = directory.search_database(DirectoryQuery(), TODAY)
    assert results.total == 2
    assert counts(results, "district") == {"shahekou": 1}
    assert counts(results, "service") == {"supervision": 1}
    assert counts(results, "language") == {"japanese": 1}
    assert counts(results, "specialty") == {"youth": 2}


# Keyword search in Chinese -----------------------------------------------------------------------


@pytest.fixture
def three(admitted):
    admitted = functools.partial(admitted, projects="", publications="")
    return [
        admitted(
            full_name="李文静", specialties=("youth",), services_=("lectures",), district="shahekou", bio="沙盘治疗"
        ),
        admitted(
            full_name="王海涛", specialties=("youth", "crisis"), services_=("crisis",), district="zhongshan", bio="督导"
        ),
        admitted(
            full_name="赵敏", specialties=("family",), services_=("lectures",), district="shahekou", bio="婚姻咨询"
        ),
    ]


def test_a_chinese_keyword_finds_the_specialty(three):
    assert names(DirectoryQuery(text="青少年")) == ["李文静", "王海涛"]
    assert names(DirectoryQuery(text="青少年心理")) == ["李文静", "王海涛"]
    assert names(DirectoryQuery(text="危机干预")) == ["王海涛"]
    assert names(DirectoryQuery(text="婚姻家庭")) == ["赵敏"]
    assert names(DirectoryQuery(text="老年心理")) == []


def test_a_traditional_chinese_query_finds_the_same_experts(three):
    assert names(DirectoryQuery(text="危機干預")) == names(DirectoryQuery(text="危机干预")) == ["王海涛"]
    assert names(DirectoryQuery(text="婚姻諮詢")) == ["赵敏"]
    assert names(DirectoryQuery(text="趙敏")) == ["赵敏"]


def test_an_english_term_name_finds_the_expert(three):
    assert names(DirectoryQuery(text="Crisis Intervention")) == ["王海涛"]


def test_keywords_and_filters_combine(three):
    assert names(DirectoryQuery(text="青少年", district="zhongshan")) == ["王海涛"]
    assert names(DirectoryQuery(text="青少年", service="lectures")) == ["李文静"]
    assert names(DirectoryQuery(text="青少年 沙盘")) == ["李文静"]


# Facets ------------------------------------------------------------------------------------------


def test_facet_counts_with_a_filter_applied(three):
    results = directory.search_database(DirectoryQuery(specialty="youth"), TODAY)

    assert results.total == 2
    # Its own counts leave its selection out: what choosing another specialty would find.
    assert counts(results, "specialty") == {"youth": 2, "crisis": 1, "family": 1}
    assert [value.value for value in results.facets["specialty"] if value.selected] == ["youth"]
    # The other facets count within the selection.
    assert counts(results, "service") == {"lectures": 1, "crisis": 1}
    assert counts(results, "district") == {"shahekou": 1, "zhongshan": 1}
    assert counts(results, "language") == {"mandarin": 2}


def test_facet_counts_with_two_filters_applied(three):
    results = directory.search_database(DirectoryQuery(specialty="youth", district="shahekou"), TODAY)

    assert [expert.full_name for expert in results.experts] == ["李文静"]
    assert counts(results, "specialty") == {"youth": 1, "family": 1}
    assert counts(results, "district") == {"shahekou": 1, "zhongshan": 1}
    assert counts(results, "service") == {"lectures": 1}


def test_a_selected_value_with_no_experts_still_shows(three):
    results = directory.search_database(DirectoryQuery(specialty="elderly"), TODAY)

    assert results.total == 0
    assert [(value.value, value.count, value.selected) for value in results.facets["specialty"]] == [
        ("youth", 2, False),
        ("family", 1, False),
        ("crisis", 1, False),
        ("elderly", 0, True),
    ]


def test_the_query_count_does_not_grow_with_the_experts(admitted, django_assert_max_num_queries):
    specialties = ("youth", "crisis", "family")
    for n in range(3):
        admitted(full_name=f"专家{n:02d}", specialties=(specialties[n % 3],), district="shahekou")
    query = DirectoryQuery(text="专家", specialty="youth")
    with CaptureQueriesContext(connection) as few:
        small = directory.search_database(query, TODAY)
        [list(expert.specialties.all()) for expert in small.experts]
    for n in range(3, 30):
        admitted(full_name=f"专家{n:02d}", specialties=(specialties[n % 3],), district="zhongshan")

    with django_assert_max_num_queries(len(few.captured_queries)):
        large = directory.search_database(query, TODAY)
        [list(expert.specialties.all()) for expert in large.experts]

    assert (small.total, large.total) == (1, 10)
    assert counts(large, "district") == {"shahekou": 1, "zhongshan": 9}


def test_results_come_a_page_at_a_time(admitted):
    for n in range(23):
        admitted(full_name=f"专家{n:02d}")

    first = directory.search_database(DirectoryQuery(), TODAY)
    last = directory.search_database(DirectoryQuery(page=2), TODAY)

    assert (first.total, first.pages, len(first.experts), len(last.experts)) == (23, 2, 20, 3)
    assert first.has_next and not last.has_next
    assert last.experts[-1].full_name == "专家22"


# Profile changes ---------------------------------------------------------------------------------


def choose(model, *slugs) -> list[int]:
    return list(model.objects.filter(slug__in=slugs).values_list("pk", flat=True))


def new_details(**values):
    return {
        "values": {"employer": "星海湾心理门诊部", "bio": "擅长沙盘游戏治疗。", "full_name": "改名", **values},
        "many": {
            "specialties": choose(Specialty, "family"),
            "services": choose(ServiceType, "supervision"),
            "languages": choose(Language, "mandarin", "english"),
        },
    }


@pytest.fixture
def expert(admitted):
    return admitted(full_name="李文静", employer="大连市第七人民医院", bio="长期从事青少年心理咨询。")


def test_a_proposed_change_goes_live_only_when_approved(expert, django_capture_on_commit_callbacks, mailoutbox):
    change = services.propose_change(expert, by=expert.user, **new_details())

    expert.refresh_from_db()
    assert (expert.employer, expert.bio) == ("大连市第七人民医院", "长期从事青少年心理咨询。")
    assert list(expert.specialties.values_list("slug", flat=True)) == ["youth"]
    assert names(DirectoryQuery(text="星海湾")) == []
    assert names(DirectoryQuery(text="第七人民医院")) == ["李文静"]
    assert change.status == Status.SUBMITTED

    reviewer = make_chair("profiles@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_change(change, by=reviewer)

    expert.refresh_from_db()
    assert (expert.employer, expert.bio, expert.full_name) == ("星海湾心理门诊部", "擅长沙盘游戏治疗。", "李文静")
    assert list(expert.specialties.values_list("slug", flat=True)) == ["family"]
    assert sorted(expert.languages.values_list("slug", flat=True)) == ["english", "mandarin"]
    assert names(DirectoryQuery(text="星海湾")) == ["李文静"]
    assert names(DirectoryQuery(text="第七人民医院")) == []
    assert names(DirectoryQuery(text="婚姻家庭")) == ["李文静"]
    assert names(DirectoryQuery(specialty="youth")) == []
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [expert.user.email] and "已生效" in mailoutbox[0].subject


def test_a_second_pending_change_is_refused(expert):
    services.propose_change(expert, by=expert.user, **new_details())

    with pytest.raises(ValidationError):
        services.propose_change(expert, by=expert.user, **new_details(employer="另一家单位"))

    assert expert.changes.count() == 1
    assert expert.changes.get().data["employer"] == "星海湾心理门诊部"


def test_a_rejected_change_keeps_the_old_profile(expert, django_capture_on_commit_callbacks, mailoutbox):
    change = services.propose_change(expert, by=expert.user, **new_details())
    reviewer = make_chair("profiles@example.com")

    with pytest.raises(ValidationError):
        services.reject_change(change, by=reviewer, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_change(change, by=reviewer, reason="新单位信息无法核实。")

    expert.refresh_from_db()
    assert (expert.employer, expert.bio) == ("大连市第七人民医院", "长期从事青少年心理咨询。")
    assert list(expert.specialties.values_list("slug", flat=True)) == ["youth"]
    assert names(DirectoryQuery(text="第七人民医院")) == ["李文静"]
    assert names(DirectoryQuery(text="星海湾")) == []
    assert len(mailoutbox) == 1 and "新单位信息无法核实。" in mailoutbox[0].body
    # Once decided, another change may be proposed.
    services.propose_change(expert, by=expert.user, **new_details())
    assert expert.changes.filter(status=Status.SUBMITTED).count() == 1


def test_an_expert_who_reviews_cannot_approve_their_own_change(expert):
    expert.user.groups.add(Group.objects.get(name=EXPERT_REVIEWERS))
    change = services.propose_change(expert, by=expert.user, **new_details())

    with pytest.raises(ValidationError):
        services.approve_change(change, by=expert.user)

    expert.refresh_from_db()
    assert expert.employer == "大连市第七人民医院"
    assert names(DirectoryQuery(text="星海湾")) == []
    services.approve_change(change, by=make_chair("profiles@example.com"))
    assert Expert.objects.get(pk=expert.pk).employer == "星海湾心理门诊部"


def test_a_change_that_leaves_out_a_list_keeps_that_list(notice_index):
    expert = make_expert(admitted_on=datetime.date(2026, 6, 1))
    languages = set(expert.languages.values_list("slug", flat=True))
    change = services.propose_change(expert, by=expert.user, values={"employer": "新单位"}, many={})
    services.approve_change(change, by=make_chair("another-chair@example.com"))
    expert.refresh_from_db()
    assert expert.employer == "新单位"
    assert set(expert.languages.values_list("slug", flat=True)) == languages


def test_the_daily_command_reminds_and_reports(admitted, settings, mailoutbox, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    settings.EXPERT_REMINDER_DAYS = [90, 30, 7]
    expert = admitted(full_name="李文静")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expert_daily", date=f"{EXPIRES - datetime.timedelta(days=30):%Y-%m-%d}", stdout=out)
    assert "reminders sent: 1" in out.getvalue()
    assert [message.to for message in mailoutbox] == [[expert.user.email]]
