"""The notice index page, under the home page, that the notices tests publish into."""

import pytest

from tests.notices.factories import NoticeIndexPageFactory


@pytest.fixture
def index(home_page):
    return NoticeIndexPageFactory(parent=home_page)
