"""Fixtures shared by every test: the site's home page, users per role, a clean cache."""

import datetime
import os
import time

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Locale, Page

from home.models import HomePage
from members.models import User
from portal.roles import EDITORS, MODERATORS

# External services are configured per test, never inherited from the shell running the suite
# (portal/settings/test.py keeps ELASTICSEARCH_URL for the tests that ask for it).
os.environ.pop("EMAIL_HOST", None)


def pytest_configure(config):
    """PORTAL_TEST_CLOCK (an ISO moment, e.g. 2026-12-04T00:30+08:00) runs the whole suite with the
    clock starting there and ticking: `make test-clock` proves the suite passes at the awkward hours,
    around midnight in Dalian and while the UTC date is still the day before."""
    moment = os.environ.get("PORTAL_TEST_CLOCK")
    if moment:
        time_machine.travel(datetime.datetime.fromisoformat(moment), tick=True).start()


def pytest_collection_modifyitems(items):
    """Transactional tests flush the database at the end; restore what the migrations created
    (locales, the home page, groups, the workflow) for the next one with serialized rollback."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        transactional = kwargs.get("transaction") or {"transactional_db", "live_server"} & set(item.fixturenames)
        if transactional and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, end every other session on the test database before it is dropped.

    While Playwright's synchronous API runs, the ORM calls a browser test makes itself happen in
    another context, whose connections Django never sees again to close; left open, they keep
    the test database from being dropped at the end of the run."""
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in 繁體 or English leaves that language active in the test's thread (Django never
    switches back): the next test's reverse() calls, run in the same process, must not inherit it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Page cache entries and view counters must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_page(db) -> HomePage:
    """The 简体 home page that the migrations make the site root."""
    return HomePage.objects.get(locale__language_code="zh-hans", depth=2)


@pytest.fixture
def locales(db) -> dict[str, Locale]:
    return {locale.language_code: locale for locale in Locale.objects.all()}


def translate_page(page: Page, language_code: str, **fields) -> Page:
    """A published copy of `page` in another language (the parent must already have one)."""
    copy = page.copy_for_translation(Locale.objects.get(language_code=language_code))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return copy


def run_at_once(count: int, action) -> list:
    """Run `action(index)` in `count` threads released together; what each returned or raised."""
    import threading

    from django.db import connection, connections

    start = threading.Barrier(count)
    outcomes: list = []

    def worker(index):
        try:
            connection.ensure_connection()  # connected before the start, so the threads really overlap
            start.wait()
            outcomes.append(action(index))
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


# The authenticator app of every member of staff the tests make (staff must use two-factor).
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = STAFF_TOTP_SECRET) -> str:
    """The code an authenticator app shows now; in the last seconds of its 30-second window, the
    next window's (as a person would wait for it), so that it is still valid when it arrives."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, user, *, second_factor: bool = True) -> None:
    """Sign `user` in on `client` as the site's login would: a person with an authenticator app
    has also entered its code in this session, unless `second_factor` is False (a session that
    stopped at the password)."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.test import RequestFactory

    client.force_login(user)
    session = client.session
    request = RequestFactory().get("/")
    request.session = session
    record_authentication(request, user, "password", email=user.email)
    if second_factor and Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        record_authentication(request, user, "mfa", type=Authenticator.Type.TOTP)
    session.save()


def make_user(
    email: str,
    *,
    groups: tuple[str, ...] = (),
    superuser: bool = False,
    password: str = "pw",  # noqa: S107
    two_factor: bool | None = None,
) -> User:
    """An account with a verified address; staff (and `two_factor=True`) with an authenticator app."""
    if superuser:
        user = User.objects.create_superuser(email, password)
    else:
        user = User.objects.create_user(email, password, is_staff=bool(groups))
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if user.is_staff if two_factor is None else two_factor:
        TOTP.activate(user, STAFF_TOTP_SECRET)
    return user


@pytest.fixture
def editor(db) -> User:
    return make_user("editor@example.com", groups=(EDITORS,))


@pytest.fixture
def moderator(db) -> User:
    return make_user("moderator@example.com", groups=(MODERATORS,))


@pytest.fixture
def superuser(db) -> User:
    return make_user("root@example.com", superuser=True)


@pytest.fixture
def member(db) -> User:
    return make_user("member@example.com")
