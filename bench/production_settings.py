"""portal.settings.production, unchanged except that collected static files go to bench/staticfiles.

Production stores static files with whitenoise's CompressedManifestStaticFilesStorage, so
pages only render after ``collectstatic``; the benchmark collects them here instead of
into the project's staticfiles/ so that it writes nothing outside bench/.
"""

from pathlib import Path

from portal.settings.production import *  # noqa: F403

STATIC_ROOT = Path(__file__).resolve().parent / "staticfiles"
