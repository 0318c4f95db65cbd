"""Sign-up timing: does the answer to a sign-up come sooner when the address already has an account?

    .venv/bin/python bench/signup_timing.py [--rounds 20]

Signs up `--rounds` taken and `--rounds` new addresses, alternately, through Django's test client
(the whole request: middleware, allauth's form and flow, templates, the database), with Django's
default password hasher (PBKDF2, as in production; the test settings use a fast MD5 one). Once with
allauth's own adapter, as the portal was, once with the portal's (members.adapter.AccountAdapter).
Rate limits are off, so every sign-up goes the whole way; e-mails go to memory (no SMTP time, the
same for both kinds). The database is bench/signup.sqlite3, made afresh and deleted at the end.
Prints a Markdown table of wall times per kind: median, mean, 90th percentile.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))
SQLITE_PATH = BENCH_DIR / "signup.sqlite3"
PASSWORD = "Xinli-2026-dues"  # noqa: S105
ADAPTERS = {
    "allauth's DefaultAccountAdapter (before)": "allauth.account.adapter.DefaultAccountAdapter",
    "members.adapter.AccountAdapter (now)": "members.adapter.AccountAdapter",
}


def remove_database() -> None:
    for path in (SQLITE_PATH, *(SQLITE_PATH.with_name(SQLITE_PATH.name + end) for end in ("-wal", "-shm"))):
        path.unlink(missing_ok=True)


def setup() -> None:
    remove_database()
    os.environ.update({"DJANGO_SETTINGS_MODULE": "portal.settings.test", "DATABASE_URL": f"sqlite:///{SQLITE_PATH}"})
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(adapter: str, rounds: int, run: int) -> dict[str, list[float]]:
    from allauth.account.models import EmailAddress
    from django.core import mail
    from django.test import Client, override_settings

    from members.models import User

    times: dict[str, list[float]] = {"taken": [], "new": []}
    with override_settings(
        ACCOUNT_ADAPTER=adapter,
        ACCOUNT_RATE_LIMITS=False,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        mail.outbox = []
        for index in range(rounds + 2):  # the first two of each kind warm up and are not counted
            taken = f"taken-{run}-{index}@example.com"
            user = User.objects.create_user(taken, PASSWORD)
            EmailAddress.objects.create(user=user, email=taken, verified=True, primary=True)
            for kind, email in (("taken", taken), ("new", f"new-{run}-{index}@example.com")):
                client = Client()
                started = time.perf_counter()
                response = client.post(
                    "/accounts/signup/",
                    {"email": email, "password1": PASSWORD, "password2": PASSWORD, "terms_agreed": "on"},
                )
                elapsed = time.perf_counter() - started
                if response.status_code != 302:
                    raise SystemExit(f"a {kind} sign-up answered {response.status_code}")
                if index >= 2:
                    times[kind].append(elapsed)
        if len(mail.outbox) != 2 * (rounds + 2):  # one e-mail per sign-up, either kind
            raise SystemExit(f"{len(mail.outbox)} e-mails for {2 * (rounds + 2)} sign-ups")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="sign-ups of each kind per adapter (20)")
    args = parser.parse_args()
    setup()
    try:
        print("| adapter | address | sign-ups | median | mean | p90 |")
        print("|---|---|--:|--:|--:|--:|")
        for run, (label, adapter) in enumerate(ADAPTERS.items()):
            times = measure(adapter, args.rounds, run)
            for kind, values in times.items():
                print(
                    f"| {label} | {kind} | {len(values)} | {statistics.median(values) * 1000:.0f} ms "
                    f"| {statistics.mean(values) * 1000:.0f} ms | {percentile(values, 0.9) * 1000:.0f} ms |"
                )
            gap = statistics.median(times["new"]) - statistics.median(times["taken"])
            print(f"| {label} | new − taken (medians) | | {gap * 1000:+.0f} ms | | |")
    finally:
        from django.db import connections

        connections.close_all()
        remove_database()


if __name__ == "__main__":
    main()
