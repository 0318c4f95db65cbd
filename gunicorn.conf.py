"""gunicorn's settings for the portal, read from the working directory by `gunicorn portal.wsgi`.

The application is loaded once, in the master, before the workers are forked (`preload_app`):
Django, Wagtail and the apps, the URL configuration with every view it names, and the Chinese
segmenter's dictionary (portal/wsgi.py loads the last two) are then shared by every worker instead
of being loaded again by each. Objects the master
made are frozen out of the garbage collector's reach, so that a collection in a worker does not
write to (and so copy) the pages they sit on. A worker closes the database and cache connections
it inherited, if any, and opens its own.

Anything gunicorn takes on its command line still applies (`--workers`, `--bind` …); the number
of workers and threads is the deployment's choice (docs/operations.md).
"""

import gc

preload_app = True


def when_ready(server):
    """In the master, with the application loaded: keep the collector off what every worker shares."""
    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    """In each new worker: no connection is shared with the master or a sibling."""
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    caches.close_all()
