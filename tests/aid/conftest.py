"""The aid programme and coordinator most aid tests start from, and a private media folder per test."""

import pytest

from tests.aid.factories import make_aid_coordinator, make_programme


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Proof files written by a test stay in its own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def programme(home_page):
    return make_programme(home_page)


@pytest.fixture
def coordinator(db):
    return make_aid_coordinator()
