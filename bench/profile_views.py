"""Where a benchmark scenario's time goes: SQL queries and a cProfile of the view, in one process.

    .venv/bin/python bench/profile_views.py [--repeat 20] [--only notice,search,long]

Renders each benchmark URL with Django's test client against bench/bench.sqlite3 and the
production settings (page cache off), after one warm-up request, then reports per scenario:
wall time per request, the CPU time of a request right after an article is published (all but
the chrome rebuilt) and after everything is purged (every fragment rendered), the number of SQL
queries and their total time, the slowest and most repeated queries (grouped by their SQL with
the parameters blanked), and the functions with the most cumulative time. The full text goes to
bench/results/profile-<timestamp>.txt.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import os
import pstats
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


# The project first, and bench/ not at all: Python puts this script's folder first, where
# bench/members.py and bench/experts.py would hide the apps of the same name.
def _project_first() -> None:
    sys.path[:] = [str(ROOT)] + [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]


_project_first()

from bench.seed import DB_PATH, MEDIA_ROOT  # noqa: E402

NUMBERS = re.compile(r"\b\d+\b")
STRINGS = re.compile(r"'[^']*'")


# What the profiles list: the project's code and the library calls where its time goes.
PROFILED = r"(/work/main/(?!\.venv)|modelsearch|paginator|jieba|opencc|wagtail/|query\.py|template)"


def normalise(sql: str) -> str:
    return NUMBERS.sub("N", STRINGS.sub("'…'", sql))


def setup() -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.production_settings",
            "SECRET_KEY": "bench-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz-portal",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"sqlite:///{DB_PATH}",
            "MEDIA_ROOT": str(MEDIA_ROOT),
            "PAGE_CACHE_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
            # One process profiling itself: its own local-memory cache is the whole cache.
            "ALLOW_LOCAL_MEMORY_CACHE": "true",
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def scenario_urls() -> list[tuple[str, str]]:
    from bench.run import notice_path

    return [
        ("home", "/"),
        ("notices p1", "/notices/"),
        ("notices p500", "/notices/?page=500"),
        ("notice", notice_path()),
        ("search 会费", "/search/?q=" + quote("会费")),
    ]


def session_access_report(client, url: str) -> list[str]:
    """Which template/code touched the session (that makes SessionMiddleware add Vary: Cookie)."""
    import traceback

    from django.contrib.sessions.backends.base import SessionBase

    original = SessionBase._session
    stacks: list[str] = []

    def spy(self):
        frames = [
            f"{Path(f.filename).relative_to(ROOT) if f.filename.startswith(str(ROOT)) else Path(f.filename).name}"
            f":{f.lineno} {f.name}"
            for f in traceback.extract_stack()[:-1]
            if "/.venv/" not in f.filename or "/django/template/" in f.filename or "wagtail" in f.filename
        ]
        stacks.append(" ← ".join(reversed(frames[-6:])))
        return original.fget(self)

    SessionBase._session = property(spy)
    try:
        client.get(url)
    finally:
        SessionBase._session = original
    return stacks


def profile_long_tail(client, emit, repeat: int) -> None:
    """A different notice on every request, none asked before, nothing purged: what a crawler or a
    reader arriving from a search engine costs (make bench's "long tail")."""
    from bench.run import notice_paths

    paths = notice_paths()
    for path in paths[-20:]:  # warm-up at the other end of the list: the shared fragments and id lists
        client.get(path)
    fresh = iter(paths)
    count = repeat * 5
    cpu_started = time.process_time()
    for _ in range(count):
        response = client.get(next(fresh))
        if response.status_code != 200:
            raise SystemExit(f"{response.request['PATH_INFO']} answered {response.status_code}")
    cpu = (time.process_time() - cpu_started) / count
    emit(f"\n## long tail  {count} notices, each asked once")
    emit(f"CPU {cpu * 1000:.1f} ms/request")
    profiler = cProfile.Profile()
    for _ in range(20):
        path = next(fresh)
        profiler.enable()
        client.get(path)
        profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(PROFILED, 45)
    emit("cProfile, 20 notices never asked before, cumulative:")
    for line in stream.getvalue().splitlines():
        if re.match(r"\s+\d", line) or "ncalls" in line:
            emit("  " + line.rstrip())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    repeat = min(max(args.repeat, 1), 200)
    stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")  # before Django sets TZ to Asia/Shanghai
    from bench.run import collectstatic, seed

    _project_first()  # bench.run puts bench/ first again, for its own imports
    seed()  # as make bench does: the database seeded (once) and the static files collected
    collectstatic()
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    out = io.StringIO()

    def emit(text: str = "") -> None:
        print(text)
        out.write(text + "\n")

    urls = scenario_urls()
    if args.only:
        wanted = {w.strip() for w in args.only.split(",")}
        urls = [u for u in urls if u[0] in wanted or u[0].split()[0] in wanted]
    for name, url in urls:
        response = client.get(url)  # warm-up: imports, jieba, template loading
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        emit(f"\n## {name}  {url}")
        emit(f"response headers: Vary={response.get('Vary')!r} Set-Cookie={bool(response.cookies)}")
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        captured = list(context.captured_queries)  # Django clears the log when the next request starts
        by_sql: dict[str, list[float]] = defaultdict(list)
        full_sql: dict[str, str] = {}
        for query in captured:
            by_sql[normalise(query["sql"])].append(float(query["time"]))
            full_sql.setdefault(normalise(query["sql"]), query["sql"])
        total_sql = sum(sum(times) for times in by_sql.values())
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(repeat):
            client.get(url)
        wall = (time.perf_counter() - started) / repeat
        cpu = (time.process_time() - cpu_started) / repeat
        emit(
            f"wall {wall * 1000:.1f} ms/request, CPU {cpu * 1000:.1f} ms/request (mean of {repeat}); "
            f"{len(captured)} SQL queries, {total_sql * 1000:.1f} ms in SQLite (one request, as timed by Django)"
        )
        from portal.cache import purge

        # What the first visitor after a change waits for: after an article is published, everything
        # but the chrome is rebuilt; after a change to a menu page or the settings, everything.
        for what, chrome in (("an article is published", False), ("everything is purged", True)):
            cold_cpu = 0.0
            for _ in range(repeat):
                purge(chrome=chrome)
                cpu_started = time.process_time()
                client.get(url)
                cold_cpu += time.process_time() - cpu_started
            purge(chrome=chrome)
            with CaptureQueriesContext(connection) as cold_context:
                client.get(url)
            emit(
                f"right after {what}: CPU {cold_cpu / repeat * 1000:.1f} ms/request (mean of {repeat}), "
                f"{len(cold_context.captured_queries)} SQL queries"
            )
        emit("slowest queries (total ms × count):")
        for sql, times in sorted(by_sql.items(), key=lambda kv: -sum(kv[1]))[:6]:
            emit(f"  {sum(times) * 1000:7.1f} ms ×{len(times):3d}  {sql[:300]}")
        for sql, _times in sorted(by_sql.items(), key=lambda kv: -sum(kv[1]))[:3]:
            if not full_sql[sql].lstrip().upper().startswith("SELECT"):
                continue
            emit(f"  SQL: {full_sql[sql]}")
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + full_sql[sql])
                for row in cursor.fetchall():
                    emit(f"    plan: {row[-1]}")
            repeat_timer = time.perf_counter()
            with connection.cursor() as cursor:
                for _ in range(5):
                    cursor.execute(full_sql[sql])
                    cursor.fetchall()
            emit(f"    re-run alone: {(time.perf_counter() - repeat_timer) / 5 * 1000:.1f} ms")
        repeated = [(sql, times) for sql, times in by_sql.items() if len(times) > 1]
        if repeated:
            emit("repeated queries:")
            for sql, times in sorted(repeated, key=lambda kv: -len(kv[1]))[:5]:
                emit(f"  ×{len(times):3d} {sum(times) * 1000:7.1f} ms  {sql[:200]}")
        for title, cold in (
            ("cProfile, 5 requests, cumulative (project code and the hot library calls):", False),
            ("cProfile right after an article is published, 5 requests, cumulative:", True),
        ):
            profiler = cProfile.Profile()
            for _ in range(5):
                if cold:
                    purge(chrome=False)
                profiler.enable()
                client.get(url)
                profiler.disable()
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream).sort_stats("cumulative")
            stats.print_stats(PROFILED, 40 if cold else 28)
            emit(title)
            for line in stream.getvalue().splitlines():
                if re.match(r"\s+\d", line) or "ncalls" in line:
                    emit("  " + line.rstrip())
        stacks = session_access_report(client, url)
        emit(f"session accessed {len(stacks)}× while rendering (→ Vary: Cookie, page not cacheable):")
        for stack in dict.fromkeys(stacks):
            emit("  " + stack[:400])
    if not args.only or "long" in {w.strip().split()[0] for w in args.only.split(",")}:
        profile_long_tail(client, emit, repeat)
    (BENCH_DIR / "results").mkdir(exist_ok=True)
    path = BENCH_DIR / "results" / f"profile-{stamp}.txt"
    path.write_text(out.getvalue(), encoding="utf-8")
    print(f"\nwrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
