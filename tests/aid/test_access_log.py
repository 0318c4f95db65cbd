"""The access log (查阅记录): every read listed, filtered by case number, reader and date; nothing
in it can be added, edited or deleted, through the admin or otherwise."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from aid import access
from aid.models import CaseAccess
from tests.aid.factories import admin_client, assigned_case, register_case
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def rows_of(html: str) -> list[str]:
    body = html.split('<table class="listing', 1)[1].split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)) for row in re.findall(r"<tr.*?</tr>", body, re.S)]


def test_the_log_lists_who_read_what_and_filters(programme, coordinator):
    first, counsellor = assigned_case(programme)
    second = register_case(programme)
    with time_machine.travel(datetime.datetime(2026, 4, 2, 10, 0, tzinfo=datetime.UTC)):
        access.read_personal(first, counsellor.user)
    with time_machine.travel(datetime.datetime(2026, 4, 9, 10, 0, tzinfo=datetime.UTC)):
        access.read_personal(second, coordinator)
        access.read_proof(second, coordinator)
    client = admin_client(coordinator)
    index = reverse("aid_access:index")

    rows = rows_of(client.get(index).content.decode())
    assert len(rows) == 3
    assert first.number in rows[-1] and "负责咨询师" in rows[-1] and "个人信息" in rows[-1]
    assert "2026-04-02 18:00" in rows[-1]  # shown in Beijing time
    assert any(second.number in row and "驰援证明" in row and "援助协调员" in row for row in rows)

    by_number = rows_of(client.get(index, {"case_number": first.number}).content.decode())
    assert len(by_number) == 1 and first.number in by_number[0]
    by_reader = rows_of(client.get(index, {"user": coordinator.pk}).content.decode())
    assert len(by_reader) == 2 and all(second.number in row for row in by_reader)
    by_date = rows_of(client.get(index, {"at_from": "2026-04-01", "at_to": "2026-04-02"}).content.decode())
    assert len(by_date) == 1 and first.number in by_date[0]


def test_nothing_in_the_log_can_be_added_edited_or_deleted_through_the_admin(programme, coordinator):
    case = register_case(programme)
    access.read_personal(case, coordinator)
    entry = CaseAccess.objects.get()
    for name, args in (("add", []), ("edit", [entry.pk]), ("delete", [entry.pk]), ("inspect", [entry.pk])):
        with pytest.raises(NoReverseMatch):
            reverse(f"aid_access:{name}", args=args)
    for user in (coordinator, make_user("root@example.com", superuser=True)):
        html = admin_client(user).get(reverse("aid_access:index")).content.decode()
        assert "/aid/access/new/" not in html and "/aid/access/edit/" not in html
        assert "/aid/access/delete/" not in html and "添加查阅记录" not in html
        assert admin_client(user).post(reverse("aid_access:index"), {"what": "x"}).status_code in (200, 405)
    assert CaseAccess.objects.count() == 1


def test_the_model_and_its_queryset_refuse_changes(programme, coordinator):
    case = register_case(programme)
    access.read_personal(case, coordinator)
    entry = CaseAccess.objects.get()

    entry.what = "改过"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        CaseAccess.objects.filter(pk=entry.pk).update(what="改过")
    with pytest.raises(PermissionDenied):
        CaseAccess.objects.all().delete()
    assert CaseAccess.objects.get().what == "个人信息"


def test_the_log_does_not_grow_in_queries_with_its_entries(programme, coordinator, django_assert_max_num_queries):
    client = admin_client(coordinator)
    url = reverse("aid_access:index")
    case = register_case(programme)
    access.read_personal(case, coordinator)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        other, counsellor = assigned_case(programme)
        access.read_personal(other, counsellor.user)
        access.read_personal(other, coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows_of(client.get(url).content.decode())) == 13
