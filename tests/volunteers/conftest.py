"""The volunteer coordinator and the campaign most volunteers tests start from."""

import pytest

from tests.volunteers.factories import make_campaign, make_coordinator


@pytest.fixture
def coordinator(db):
    return make_coordinator()


@pytest.fixture
def campaign(home_page):
    return make_campaign(home_page, theme="关注老年人抑郁孤独")
