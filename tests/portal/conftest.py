"""Fixtures for the tests in tests/portal."""

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in 繁體 or English leaves that language active in the test's thread (Django never
    switches back): the next test's reverse() calls, run in the same process, must not inherit it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
