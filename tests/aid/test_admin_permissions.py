"""Who reaches the 援助项目 admin: aid coordinators and superusers. Every other role is refused on
every URL, sees no menu, and a refusal reads nothing (no access-log row)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from aid.enums import CaseStatus
from aid.models import CaseAccess, Conflict, RiskFlag
from tests.aid.factories import (
    admin_client,
    case_with_history,
    make_aid_coordinator,
    make_counsellor,
    make_programme,
    other_roles,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(home_page):
    programme = make_programme(home_page)
    case, counsellor = case_with_history(programme)
    return {
        "case": case,
        "counsellor": counsellor,
        "spare": make_counsellor(programme, full_name="李备选"),
        "assignment": case.active_assignment(),
        "flag": RiskFlag.objects.get(case=case),
    }


def aid_urls(setting) -> list[str]:
    case = setting["case"]
    return [
        reverse("aid_cases:index"),
        reverse("aid_cases:index_results"),
        reverse("aid_cases:inspect", args=[case.pk]),
        reverse("aid_cases:proof", args=[case.pk]),
        reverse("aid_cases:assign", args=[case.pk]),
        reverse("aid_cases:close", args=[case.pk]),
        reverse("aid_cases:conflict", args=[case.pk]),
        reverse("aid_cases:renew", args=[setting["assignment"].pk]),
        reverse("aid_cases:follow_up", args=[setting["flag"].pk]),
        reverse("aid_flags:index"),
        reverse("aid_counsellors:index"),
        reverse("aid_counsellors:add"),
        reverse("aid_counsellors:edit", args=[setting["counsellor"].pk]),
        reverse("aid_access:index"),
        reverse("aid_reports:index"),
        reverse("aid_reports:export"),
    ]


def test_coordinators_and_superusers_open_every_page(setting):
    for user in (make_aid_coordinator(), make_user("root@example.com", superuser=True)):
        client = admin_client(user)
        for url in aid_urls(setting):
            assert client.get(url).status_code == 200, (user, url)


def test_every_other_role_is_refused_everywhere_and_nothing_is_read(setting):
    refused = {**other_roles(), "assigned counsellor": setting["counsellor"].user}
    reads_before = CaseAccess.objects.count()
    for role, user in refused.items():
        client = admin_client(user)
        for url in aid_urls(setting):
            status = client.get(url).status_code
            assert status in (302, 403), (role, url, status)
    anonymous = Client()
    for url in aid_urls(setting):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    assert CaseAccess.objects.count() == reads_before


def test_refused_roles_change_nothing_by_posting(setting):
    case, flag = setting["case"], setting["flag"]
    for role, user in other_roles().items():
        client = admin_client(user)
        posts = [
            (
                reverse("aid_cases:assign", args=[case.pk]),
                {"counsellor": setting["spare"].pk, "starts_on": "2026-03-01"},
            ),
            (reverse("aid_cases:close", args=[case.pk]), {"reason": "declined"}),
            (reverse("aid_cases:conflict", args=[case.pk]), {"counsellor": setting["spare"].pk}),
            (reverse("aid_cases:renew", args=[setting["assignment"].pk]), {"reason": "继续"}),
            (reverse("aid_cases:follow_up", args=[flag.pk]), {f"flag-{flag.pk}-note": "已联系"}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code in (302, 403), (role, url)
    case.refresh_from_db()
    flag.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert case.active_assignment().counsellor == setting["counsellor"]
    assert case.active_assignment().ends_on == setting["assignment"].ends_on
    assert flag.followed_up_at is None
    assert not Conflict.objects.exists()
    assert CaseAccess.objects.count() == 0


def _menu_labels(user) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return [str(item.label) for item in admin_menu.menu_items_for_request(request)]


def test_only_coordinators_and_superusers_see_the_menu(setting):
    assert "援助项目" in _menu_labels(make_aid_coordinator())
    assert "援助项目" in _menu_labels(make_user("root@example.com", superuser=True))
    for role, user in other_roles().items():
        assert "援助项目" not in _menu_labels(user), role
    assert "援助项目" not in _menu_labels(AnonymousUser())


def test_the_menu_lists_the_coordinators_pages(setting):
    request = RequestFactory().get("/admin/")
    request.user = make_aid_coordinator()
    group = next(item for item in admin_menu.menu_items_for_request(request) if str(item.label) == "援助项目")
    labels = [str(item.label) for item in group.menu.menu_items_for_request(request)]
    assert labels == ["援助案例", "风险预警", "援助咨询师", "查阅记录", "统计报表"]


def test_a_coordinator_removed_from_the_group_loses_access(setting):
    coordinator = make_aid_coordinator()
    client = admin_client(coordinator)
    url = reverse("aid_cases:inspect", args=[setting["case"].pk])
    assert client.get(url).status_code == 200
    coordinator.groups.clear()
    coordinator.is_staff = True
    coordinator.save()
    reads = CaseAccess.objects.count()
    assert admin_client(coordinator).get(url).status_code in (302, 403)
    assert CaseAccess.objects.count() == reads
