import datetime

import pytest
from django.core import mail
from django.db import connection

from aid import access, services
from aid.models import Case, CaseAccess
from tests.aid.factories import make_aid_coordinator, make_counsellor, make_programme, register_case
from tests.volunteers.factories import make_activity, make_campaign, make_volunteer
from volunteers import services as volunteering
from volunteers.enums import SignUpStatus

pytestmark = pytest.mark.django_db(transaction=False)


def test_waiting_list_and_promotion(home_page, django_capture_on_commit_callbacks):
    activity = make_activity(make_campaign(home_page), places=1)
    first, second = make_volunteer(), make_volunteer()
    with django_capture_on_commit_callbacks(execute=True):
        one = volunteering.sign_up(activity, first)
        two = volunteering.sign_up(activity, second)
    assert (one.status, two.status) == (SignUpStatus.CONFIRMED, SignUpStatus.WAITING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = volunteering.cancel(one, by=first)
    assert promoted.pk == two.pk
    assert [m.to for m in mail.outbox] == [[second.email]]


def test_case_sealed_and_reads_logged(home_page, django_capture_on_commit_callbacks):
    programme = make_programme(home_page)
    counsellor = make_counsellor(programme)
    coordinator = make_aid_coordinator()
    with django_capture_on_commit_callbacks(execute=True):
        case = register_case(programme)
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, phone FROM aid_case WHERE id = %s", [case.pk])
        name, phone = cursor.fetchone()
    assert "测试者甲" not in name and "13800000001" not in phone
    case = Case.objects.get(pk=case.pk)
    assert str(case.full_name) != "测试者甲"
    suggestions = services.suggest_counsellors(case)
    assert suggestions[0].counsellor == counsellor
    assignment = services.assign(case, counsellor, by=coordinator, starts_on=datetime.date(2026, 3, 1))
    assert assignment.ends_on == datetime.date(2028, 2, 29)
    assert access.read_personal(case, counsellor.user).full_name == "测试者甲"
    assert CaseAccess.objects.filter(case=case, user=counsellor.user).count() == 1
    name, data = access.read_proof(case, coordinator)
    assert data.startswith(b"%PDF")
