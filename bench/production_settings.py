"""portal.settings.production, unchanged except that collected static files go to bench/staticfiles
and e-mails are written to the server's log, sent in the request (no task worker).

Production stores static files with whitenoise's CompressedManifestStaticFilesStorage, so
pages only render after ``collectstatic``; the benchmark collects them here instead of
into the project's staticfiles/ so that it writes nothing outside bench/. Production refuses to
start without a mail server; the benchmark names one that is never contacted and counts the
e-mails it would send in the log instead.
"""

import os
from pathlib import Path

os.environ.setdefault("EMAIL_HOST", "smtp.bench.invalid")
# No task worker runs beside the benchmark's servers: e-mails and Wagtail's index updates run in the
# request that queues them, so the figures include that work (a production worker takes it off them).
os.environ.setdefault("TASKS_BACKEND", "immediate")
# Keys for the benchmark's own throwaway data.
for _name in ("AID_ENCRYPTION_KEYS", "MFA_ENCRYPTION_KEYS"):
    os.environ.setdefault(_name, "YmVuY2gtb25seS1rZXktbm90LXNlY3JldC0wMTIzNDU=")

from portal.settings.production import *  # noqa: E402, F403

STATIC_ROOT = Path(__file__).resolve().parent / "staticfiles"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
