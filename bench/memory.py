"""How much memory each gunicorn worker holds that no other process shares, with the application
loaded once in the master before the workers fork (gunicorn.conf.py) and loaded again by every
worker (the configuration without it).

    .venv/bin/python bench/memory.py [--workers 3]

Seeds bench/bench.sqlite3 and collects static files as `make bench` does, starts gunicorn
(sync workers as docs/operations.md advises, production settings, page cache off,
the cache in a private redis-server as in production) once per way of loading, sends each
scenario of `make bench` 40 times from 8 connections so that every worker has served pages and a
search, then reads each process's /proc/<pid>/smaps_rollup: RSS (resident, shared pages
counted in full), PSS (shared pages divided among the processes sharing them) and USS (private
pages: what stopping the worker would give back). Linux only. See bench/README.md.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import run  # noqa: E402

WAYS = {
    "loaded once, before the fork (gunicorn.conf.py)": (),
    "loaded by each worker": ("--config", str(run.LOG_DIR / "gunicorn_each_worker.py")),
}


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(value) for value in text.split()]


def memory(pid: int) -> dict[str, float]:
    """RSS, PSS and USS of `pid` in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    return {
        "rss": fields["Rss"],
        "pss": fields["Pss"],
        "uss": fields["Private_Clean"] + fields["Private_Dirty"],
    }


def serve_everything(port: int) -> None:
    paths = [path for _name, path in run.scenarios()] * 40
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda path: run.loadgen.fetch(run.HOST, port, path, timeout=30)[0], paths))
    if set(statuses) != {200}:
        raise SystemExit(f"unexpected answers: {sorted(set(statuses))}")


def measure(workers: int, extra: tuple[str, ...]) -> dict:
    config = {"name": f"sync:{workers}", "worker_class": "sync", "workers": workers, "threads": 1}
    port = run.free_port()
    server = run.start_gunicorn(config, page_cache=False, port=port, extra=extra)
    try:
        serve_everything(port)
        pids = children(server.pid)
        return {"master": memory(server.pid), "workers": [memory(pid) for pid in pids]}
    finally:
        run.stop_gunicorn(server)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    run.seed()  # does nothing when the database is already seeded
    run.collectstatic()
    redis, run.redis_url = run.start_redis()
    run.LOG_DIR.mkdir(exist_ok=True)
    (run.LOG_DIR / "gunicorn_each_worker.py").write_text("preload_app = False\n")
    print(f"| {args.workers} sync workers | master RSS | worker RSS | worker PSS | worker USS |")
    print("|---|---|---|---|---|")
    for way, extra in WAYS.items():
        run.flush_redis()
        figures = measure(args.workers, extra)
        worst = {key: max(worker[key] for worker in figures["workers"]) for key in ("rss", "pss", "uss")}
        print(
            f"| {way} | {figures['master']['rss']:.0f} MB | {worst['rss']:.0f} MB | {worst['pss']:.0f} MB "
            f"| {worst['uss']:.0f} MB |"
        )
    run.stop_gunicorn(redis)  # any process started by run.py, stopped the same way
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
