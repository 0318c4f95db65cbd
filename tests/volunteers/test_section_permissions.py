"""Coordinators write the pages of their own section (drives, campaign batches, aid programmes) and
nothing else of the page tree; publishing still goes through moderation."""

import pytest

from tests.aid.factories import aid_index, make_aid_coordinator
from tests.volunteers.factories import login, make_coordinator, volunteer_index

pytestmark = pytest.mark.django_db


def _add_url(app_model: str, parent) -> str:
    return f"/admin/pages/add/{app_model}/{parent.pk}/"


def test_volunteer_coordinators_add_drives_and_campaigns_in_their_section_only(home_page):
    section = volunteer_index(home_page)
    coordinator = login(make_coordinator())

    assert coordinator.get(_add_url("volunteers/recruitmentpage", section)).status_code == 200
    assert coordinator.get(_add_url("volunteers/campaignpage", section)).status_code == 200
    assert coordinator.get(_add_url("home/standardpage", home_page)).status_code in (302, 403)
    assert coordinator.get(_add_url("aid/aidprogrammepage", aid_index(home_page))).status_code in (302, 403)


def test_aid_coordinators_add_programmes_in_their_section_only(home_page):
    section = aid_index(home_page)
    coordinator = login(make_aid_coordinator())

    assert coordinator.get(_add_url("aid/aidprogrammepage", section)).status_code == 200
    assert coordinator.get(_add_url("volunteers/recruitmentpage", volunteer_index(home_page))).status_code in (
        302,
        403,
    )
    assert coordinator.get(_add_url("home/standardpage", home_page)).status_code in (302, 403)


def test_a_coordinator_can_submit_a_drive_for_moderation_but_not_publish_it(home_page, superuser):
    section = volunteer_index(home_page)
    url = _add_url("volunteers/recruitmentpage", section)

    as_coordinator = login(make_coordinator()).get(url).content.decode()
    as_superuser = login(superuser).get(url).content.decode()

    assert 'name="action-publish"' in as_superuser
    assert 'name="action-publish"' not in as_coordinator
    assert 'name="action-submit"' in as_coordinator
