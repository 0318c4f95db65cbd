"""Membership at scale: issuing a year's invoices to 20,000 members, and the officers' member list
and CSV export as the number of members grows.

    .venv/bin/python bench/members.py                      # SQLite (bench/members.sqlite3, made afresh)
    .venv/bin/python bench/members.py --database-url postgres://postgres@127.0.0.1:5432/portal_bench_members

The database is created and migrated by this script and dropped (PostgreSQL) or deleted
(SQLite) at the end; nothing else is touched. It prints a Markdown table: the time to issue the
invoices (and to run it again, which creates nothing), and the SQL queries and peak Python memory
of one member-list page and one full CSV export at 2,000 and at 20,000 members.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))
SQLITE_PATH = BENCH_DIR / "members.sqlite3"


def log(message: str) -> None:
    print(f"[members] {message}", flush=True)


def setup(database_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": database_url,
            "STAFF_TWO_FACTOR_REQUIRED": "false",
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def create_postgres(url: str, drop: bool = False) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.strip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop:
            connection.execute(f'CREATE DATABASE "{name}"')


def seed_members(total: int) -> None:
    """Bulk-create members (and their accounts) up to `total`."""
    from members.models import Member, MembershipType, User

    individual = MembershipType.objects.get(name="个人会员")
    existing = Member.objects.count()
    started = time.perf_counter()
    for start in range(existing, total, 2000):
        end = min(start + 2000, total)
        unusable = "!"  # noqa: S105 - no one signs in as a benchmark member
        users = User.objects.bulk_create(
            [User(email=f"member{n}@bench.example", full_name=f"会员{n}", password=unusable) for n in range(start, end)]
        )
        Member.objects.bulk_create(
            [
                Member(
                    user=user,
                    number=f"DL-2020-{n:06d}",
                    membership_type=individual,
                    full_name=f"会员{n}",
                    phone="13900000000",
                    employer="大连市心理咨询中心",
                    district="zhongshan",
                    joined_on=datetime.date(2020, 5, 1),
                )
                for n, user in zip(range(start, end), users, strict=True)
            ]
        )
        log(f"members: {end:,}/{total:,} ({time.perf_counter() - started:.1f}s)")


def measure_list_and_export(label: str) -> list[str]:
    """Queries and peak Python memory of a member-list page and of the full CSV export."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from members.models import User
    from portal.roles import MEMBERSHIP_OFFICERS

    officer = User.objects.filter(email="officer@bench.example").first()
    if officer is None:
        from django.contrib.auth.models import Group

        officer = User.objects.create_user("officer@bench.example", "x", is_staff=True)
        officer.groups.add(Group.objects.get(name=MEMBERSHIP_OFFICERS))
    client = Client()
    client.force_login(officer)
    rows = []
    for what, params in (("member list, page 1", {}), ("CSV export of every member", {"export": "csv"})):
        tracemalloc.start()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(reverse("members:index"), params)
            size = (
                sum(len(chunk) for chunk in response.streaming_content) if response.streaming else len(response.content)
            )
            elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append(
            f"| {label} | {what} | {len(queries.captured_queries)} | {peak / 1024 / 1024:.1f} MB | "
            f"{elapsed:.2f} s | {size / 1024:,.0f} KB |"
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--members", type=int, default=20_000)
    args = parser.parse_args()
    url = args.database_url
    if url.startswith("postgres"):
        create_postgres(url)
    else:
        SQLITE_PATH.unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE_PATH}"
    try:
        setup(url)
        from django.db import connection

        from members import services
        from members.models import DuesPeriod, DuesRate, Invoice, MembershipType

        log(f"database: {connection.vendor}")
        table = [
            "| members | what | SQL queries | peak Python memory | time | response |",
            "|---|---|--:|--:|--:|--:|",
        ]
        small = min(2_000, args.members)
        seed_members(small)
        table += measure_list_and_export(f"{small:,}")
        seed_members(args.members)
        table += measure_list_and_export(f"{args.members:,}")

        period = DuesPeriod.objects.create(year=2026, title="2026年会费", due_date=datetime.date(2026, 3, 31))
        DuesRate.objects.create(
            period=period, membership_type=MembershipType.objects.get(name="个人会员"), amount=Decimal("200")
        )
        started = time.perf_counter()
        created = services.issue_invoices(period, progress=lambda n: log(f"invoices: {n:,}"))
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = services.issue_invoices(period)
        second = time.perf_counter() - started
        if not Invoice.objects.filter(period=period).count() == created == args.members:
            raise SystemExit("the invoices issued do not match the members")
        print()
        print(
            f"Issuing the 2026 invoices on {connection.vendor}: {created:,} created in {first:.1f} s; "
            f"run again: {again} created in {second:.1f} s."
        )
        print()
        print("\n".join(table))
    finally:
        from django.db import connections

        connections.close_all()
        if url.startswith("postgres"):
            create_postgres(url, drop=True)
        else:
            SQLITE_PATH.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
