"""The review pipeline refuses every move its table does not list: a draft is never approved
without being submitted, a decided application is never decided again. The status, the history
and the decision fields stay as they were."""

import itertools

import pytest

from members.models import MembershipApplication
from portal.vetting.enums import Status
from portal.vetting.models import Transition
from portal.vetting.services import TransitionNotAllowed, move
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ALLOWED = MembershipApplication.TRANSITIONS
FORBIDDEN = [
    (source, target)
    for source, target in itertools.product(Status.values, Status.values)
    if target not in ALLOWED.get(source, set())
]


def test_the_table_forbids_the_shortcuts_that_matter():
    assert (Status.DRAFT, Status.APPROVED) in FORBIDDEN
    assert (Status.REJECTED, Status.APPROVED) in FORBIDDEN
    assert (Status.APPROVED, Status.REJECTED) in FORBIDDEN


@pytest.mark.parametrize(("source", "target"), FORBIDDEN, ids=[f"{s}-to-{t}" for s, t in FORBIDDEN])
def test_a_move_the_table_does_not_list_is_refused(source, target):
    application = MembershipApplication.objects.create(applicant=make_user("applicant@example.com"), status=source)
    officer = make_user("officer@example.com")

    with pytest.raises(TransitionNotAllowed):
        move(application, target, by=officer, note="理由")

    application.refresh_from_db()
    assert application.status == source
    assert application.decided_at is None and application.decided_by is None
    assert not Transition.objects.exists()
