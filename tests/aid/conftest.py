import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Proof files written by a test stay in its own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
