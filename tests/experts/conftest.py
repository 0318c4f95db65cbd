"""The notice centre and the review chair the experts tests share, and a private media folder per test."""

import pytest

from tests.experts.factories import make_chair
from tests.notices.factories import NoticeIndexPageFactory


@pytest.fixture
def notice_index(home_page):
    """The notice centre, where batch announcements are published."""
    return NoticeIndexPageFactory(parent=home_page, title="通知公告", slug="notices")


@pytest.fixture
def chair(db):
    return make_chair()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Certificates and photos written by a test stay in its own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
