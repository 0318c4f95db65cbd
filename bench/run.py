"""Benchmark the portal under gunicorn with production settings (`make bench`).

    .venv/bin/python bench/run.py [--duration 10] [--concurrency 8] [--configs gthread:3x4,sync:3]

1. seeds bench/bench.sqlite3 (bench/seed.py: demo site + 10,000 notices), if needed;
2. collects static files into bench/staticfiles (production's manifest storage needs them);
3. for every gunicorn configuration, and for the page cache off then on, starts gunicorn on
   127.0.0.1 (a free port), warms it up, then loads each scenario for a fixed time at a fixed
   concurrency, checking that every response is a 200;
4. prints a Markdown table and writes it to bench/RESULTS.md, the raw figures to
   bench/results/<timestamp>.json.

gunicorn is stopped at the end whatever happens. See bench/README.md.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import loadgen  # noqa: E402
from seed import DB_PATH, MEDIA_ROOT, TARGET  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
STATIC_ROOT = BENCH_DIR / "staticfiles"
RESULTS_DIR = BENCH_DIR / "results"
LOG_DIR = BENCH_DIR / "logs"
HOST = "127.0.0.1"
SETTINGS = "bench.production_settings"  # portal.settings.production + STATIC_ROOT in bench/
settings_module = SETTINGS  # --settings may name a variant (experiments)
redis_url = ""  # a private redis-server started for the run (not with --local-cache)

# Targets (bench/README.md): uncached listing and notice pages, cached pages, search.
TARGET_UNCACHED_RPS = 200
TARGET_UNCACHED_P95_MS = 60
TARGET_CACHED_RPS = 2500
TARGET_SEARCH_P95_MS = 100

_started = time.monotonic()
_servers: list[subprocess.Popen] = []


def log(message: str) -> None:
    print(f"[bench {time.monotonic() - _started:7.1f}s] {message}", flush=True)


# Environment ---------------------------------------------------------------------------------


def server_env(page_cache: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "ELASTICSEARCH_URL", "DATABASE_URL"}}
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env["ALLOW_LOCAL_MEMORY_CACHE"] = "true"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "SECRET_KEY": "bench-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz-portal",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"sqlite:///{DB_PATH}",
            "MEDIA_ROOT": str(MEDIA_ROOT),
            "PAGE_CACHE_ENABLED": "true" if page_cache else "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def seed() -> None:
    log("seeding (bench/seed.py) …")
    subprocess.run([PYTHON, str(BENCH_DIR / "seed.py")], cwd=ROOT, check=True, timeout=3600)


def collectstatic() -> None:
    """collectstatic into bench/staticfiles when the manifest is missing or older than a static file."""
    manifest = STATIC_ROOT / "staticfiles.json"
    if manifest.exists():
        newest = max((p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file()), default=0)
        if newest <= manifest.stat().st_mtime:
            log("static files already collected")
            return
    log("collectstatic into bench/staticfiles …")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=server_env(page_cache=False),
        check=True,
        timeout=900,
    )


def notice_path() -> str:
    """The public URL of a notice in the middle of the 简体 notice listing."""
    with contextlib.closing(sqlite3.connect(f"file:{DB_PATH}?mode=ro", uri=True)) as db:
        (home_url_path,) = db.execute(
            "SELECT p.url_path FROM wagtailcore_page p JOIN wagtailcore_locale l ON l.id = p.locale_id"
            " WHERE l.language_code = 'zh-hans' AND p.depth = 2"
        ).fetchone()
        (url_path,) = db.execute(
            "SELECT p.url_path FROM wagtailcore_page p JOIN wagtailcore_locale l ON l.id = p.locale_id"
            " JOIN notices_articlepage a ON a.page_ptr_id = p.id"
            " WHERE l.language_code = 'zh-hans' AND p.slug LIKE 'bench-%'"
            " ORDER BY a.date DESC, p.id DESC LIMIT 1 OFFSET ?",
            [TARGET // 2],
        ).fetchone()
    return url_path[len(home_url_path) - 1 :]


def notice_paths() -> list[str]:
    """The public URLs of every benchmark notice, 简体 and 繁體, in a fixed shuffled order: readers and
    crawlers asking for a different notice on every request (the long tail)."""
    import random

    with contextlib.closing(sqlite3.connect(f"file:{DB_PATH}?mode=ro", uri=True)) as db:
        homes = dict(
            db.execute(
                "SELECT p.locale_id, p.url_path FROM wagtailcore_page p WHERE p.depth = 2 AND p.url_path LIKE '/home%'"
            ).fetchall()
        )
        prefixes = dict(db.execute("SELECT id, language_code FROM wagtailcore_locale").fetchall())
        rows = db.execute(
            "SELECT p.locale_id, p.url_path FROM wagtailcore_page p"
            " JOIN notices_noticepage n ON n.articlepage_ptr_id = p.id WHERE p.slug LIKE 'bench-%' AND p.live"
        ).fetchall()
    paths = []
    for locale_id, url_path in rows:
        language = prefixes[locale_id]
        prefix = "" if language == "zh-hans" else f"/{language}"
        paths.append(prefix + quote(url_path[len(homes[locale_id]) - 1 :]))
    random.Random(2026).shuffle(paths)
    return paths


def scenarios() -> list[tuple[str, str | list[str]]]:
    return [
        ("home", "/"),
        ("notices p1", "/notices/"),
        ("notices p500", "/notices/?page=500"),
        ("notice", notice_path()),
        ("long tail", notice_paths()),
        ("search 会费", "/search/?q=" + quote("会费")),
    ]


def code_fingerprint() -> str:
    """A short hash of the application code and templates, to notice when they change during a run."""
    import hashlib

    digest = hashlib.sha256()
    for folder in ("portal", "home", "notices", "members", "volunteers", "templates", "locale"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".html", ".txt", ".json", ".mo"}:
                digest.update(str(path.relative_to(ROOT)).encode())
                with contextlib.suppress(OSError):
                    digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# gunicorn ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def parse_config(text: str) -> dict:
    """'gthread:3x4' or 'sync:3' → gunicorn options."""
    kind, _, size = text.partition(":")
    if kind == "gthread":
        workers, _, threads = size.partition("x")
        return {"name": text, "worker_class": "gthread", "workers": int(workers or 3), "threads": int(threads or 4)}
    if kind == "sync":
        return {"name": text, "worker_class": "sync", "workers": int(size or 3), "threads": 1}
    raise SystemExit(f"unknown gunicorn configuration {text!r} (gthread:WxT or sync:W)")


def start_gunicorn(config: dict, page_cache: bool, port: int, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    """gunicorn with the project's gunicorn.conf.py (read from the working directory) and `extra`
    options after it."""
    LOG_DIR.mkdir(exist_ok=True)
    label = f"{config['name'].replace(':', '-')}-{'cached' if page_cache else 'uncached'}"
    command = [
        GUNICORN,
        "portal.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(config["workers"]),
        "--worker-class",
        config["worker_class"],
        "--threads",
        str(config["threads"]),
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
        "--backlog",
        "256",
        "--error-logfile",
        str(LOG_DIR / f"gunicorn-{label}.log"),
        "--chdir",
        str(ROOT),
        "--no-control-socket",  # gunicorn ≥ 27 would otherwise create ~/.gunicorn/gunicorn.ctl
        *extra,
    ]
    log(f"starting gunicorn {config['name']} (page cache {'on' if page_cache else 'off'}) on {HOST}:{port}")
    with open(LOG_DIR / f"gunicorn-{label}.out", "w", encoding="utf-8") as output:  # jieba's messages etc.
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=server_env(page_cache),
            start_new_session=True,
            stdout=output,
            stderr=output,
            preexec_fn=_die_with_parent,  # only calls prctl(): safe before exec
        )
    _servers.append(process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {LOG_DIR}")
        with contextlib.suppress(OSError):
            status, _ = loadgen.fetch(HOST, port, "/robots.txt", timeout=5)
            if status == 200:
                return process
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM gunicorn's master if this script dies, even by SIGKILL (Linux)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def stop_gunicorn(process: subprocess.Popen) -> None:
    """Stop the gunicorn we started (its own process group), politely then firmly."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    if process in _servers:
        _servers.remove(process)


def start_redis() -> tuple[subprocess.Popen, str]:
    """A private, memory-only redis-server on a free port of 127.0.0.1, stopped with gunicorn."""
    port = free_port()
    command = [shutil.which("redis-server"), "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"]
    LOG_DIR.mkdir(exist_ok=True)
    with open(LOG_DIR / "redis.log", "w", encoding="utf-8") as output:
        process = subprocess.Popen(
            command, start_new_session=True, stdout=output, stderr=output, preexec_fn=_die_with_parent
        )
    _servers.append(process)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                log(f"private redis-server on {HOST}:{port}")
                return process, f"redis://{HOST}:{port}/0"
        time.sleep(0.2)
    raise RuntimeError("redis-server did not start")


def flush_redis() -> None:
    """Empty the private Redis between servers, so each run starts cold like the local-memory cache."""
    if redis_url:
        host_port = redis_url.split("//", 1)[1].split("/", 1)[0]
        host, port = host_port.rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(b"FLUSHALL\r\n")
            sock.recv(16)


def stop_all() -> None:
    for process in list(_servers):
        stop_gunicorn(process)


def _on_signal(signum, _frame):
    stop_all()
    raise SystemExit(128 + signum)


def machine_busy() -> float:
    """CPU seconds all processes on the machine have used so far (every core; idle and iowait excluded)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def wait_for_quiet(server_pid: int, limit: float) -> float:
    """Wait (at most `limit` s) until other processes use < 0.3 core; returns their load when we stopped waiting."""
    deadline = time.monotonic() + limit
    while True:
        busy0, server0 = machine_busy(), process_tree_cpu(server_pid)
        time.sleep(1.0)
        other = (machine_busy() - busy0) - (process_tree_cpu(server_pid) - server0)
        if other < 0.3 or time.monotonic() >= deadline:
            return other
        log(f"  other processes use {other:.1f} cores; waiting for a quieter machine …")
        time.sleep(2.0)


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by `pid` and its children (the gunicorn workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        this_pid, ppid = int(stat.parent.name), int(fields[1])
        if this_pid == pid or ppid == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


# Load --------------------------------------------------------------------------------------------


WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non200 = 0; hits = 0 end
function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
  if headers["X-Cache"] == "HIT" then hits = hits + 1 end
end
function done(summary, latency, requests)
  local bad, hit = 0, 0
  for _, t in ipairs(threads) do bad = bad + t:get("non200"); hit = hit + t:get("hits") end
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\\"requests\\":%d,\\"duration_us\\":%d,\\"bytes\\":%d,\\"connect\\":%d,\\"read\\":%d," ..
    "\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d,\\"non200\\":%d,\\"hits\\":%d,\\"p50\\":%d," ..
    "\\"p95\\":%d,\\"p99\\":%d,\\"max\\":%d}\\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    bad, hit, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def run_wrk(port: int, path: str, concurrency: int, duration: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        before = os.times()
        output = subprocess.run(
            [
                shutil.which("wrk"),
                "-t1",
                f"-c{concurrency}",
                f"-d{max(1, round(duration))}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://{HOST}:{port}{path}",
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=True,
        ).stdout
        after = os.times()
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    seconds = data["duration_us"] / 1e6
    socket_errors = data["connect"] + data["read"] + data["write"] + data["timeout"]
    return {
        "url": path,
        "concurrency": concurrency,
        "duration_s": round(seconds, 3),
        "requests": data["requests"],
        "ok": data["requests"] - data["non200"],
        "errors": data["non200"] + socket_errors,
        "statuses": {},
        "error_kinds": {k: data[k] for k in ("connect", "read", "write", "timeout") if data[k]},
        "cache_hits": data["hits"],
        "bytes": data["bytes"],
        "rps": round(data["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(data["p50"] / 1000, 2),
        "p95_ms": round(data["p95"] / 1000, 2),
        "p99_ms": round(data["p99"] / 1000, 2),
        "max_ms": round(data["max"] / 1000, 2),
        "client_cpu_s": round(
            (after.children_user + after.children_system) - (before.children_user + before.children_system), 3
        ),
    }


def load(client: str, port: int, path: str | list[str], concurrency: int, duration: float) -> dict:
    if client == "wrk" and isinstance(path, str):  # the long tail's many paths: the Python client
        return run_wrk(port, path, concurrency, duration)
    return loadgen.run(HOST, port, path, concurrency=concurrency, duration=duration).summary()


def measure(
    client: str, server: subprocess.Popen, port: int, name: str, path: str | list[str], args, cached: bool
) -> dict:
    for one in [path] if isinstance(path, str) else path[:3]:
        status, headers = loadgen.fetch(HOST, port, one)
        if status != 200:
            raise RuntimeError(f"{one} answered {status}, not 200")
    # Warm-up at the measured concurrency: every worker loads its code (and jieba for the search),
    # and with the page cache on, fills its cache (the local-memory cache is per worker process).
    # The long tail warms up on the other end of its list, so that the measured requests are all
    # for notices not asked before.
    warm = load(client, port, path if isinstance(path, str) else path[::-1], args.concurrency, args.warmup)
    if args.wait_quiet:
        wait_for_quiet(server.pid, args.wait_quiet)
    cpu_before, busy_before = process_tree_cpu(server.pid), machine_busy()
    result = load(client, port, path, args.concurrency, args.duration)
    server_cpu = process_tree_cpu(server.pid) - cpu_before
    other_cpu = max(0.0, machine_busy() - busy_before - server_cpu - result["client_cpu_s"])
    result.update(
        {
            "scenario": name,
            "page_cache": cached,
            "warmup_requests": warm["requests"],
            "warmup_errors": warm["errors"],
            "server_cpu_s": round(server_cpu, 3),
            "server_cores_busy": round(server_cpu / result["duration_s"], 2) if result["duration_s"] else None,
            "client_cores_busy": round(result["client_cpu_s"] / result["duration_s"], 2)
            if result["duration_s"]
            else None,
            "other_cores_busy": round(other_cpu / result["duration_s"], 2) if result["duration_s"] else None,
            "server_cpu_ms_per_request": round(1000 * server_cpu / result["requests"], 2)
            if result["requests"]
            else None,
        }
    )
    per_request = result["server_cpu_ms_per_request"]
    result["projected_rps_all_cores"] = round(1000 * CORES / per_request, 0) if per_request else None
    hits = f", {result['cache_hits']} cache hits" if cached else ""
    log(
        f"  {name:<13} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms"
        f"  errors {result['errors']}{hits}  (cores: server {result['server_cores_busy']},"
        f" client {result['client_cores_busy']}, other processes {result['other_cores_busy']})"
    )
    return result


# Report ------------------------------------------------------------------------------------------

CORES = os.cpu_count() or 1


def machine() -> dict:
    cpu_model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    versions = {}
    for package in ("django", "wagtail", "gunicorn"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[package] = version(package)
    with contextlib.closing(sqlite3.connect(f"file:{DB_PATH}?mode=ro", uri=True)) as db:
        pages = db.execute("SELECT COUNT(*) FROM wagtailcore_page").fetchone()[0]
        notices = db.execute("SELECT COUNT(*) FROM notices_noticepage").fetchone()[0]
    return {
        "cpu_count": CORES,
        "cpu_affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": cpu_model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "database": f"SQLite {sqlite3.sqlite_version} (WAL), {DB_PATH.name}, {DB_PATH.stat().st_size / 1e6:.0f} MB",
        "pages": pages,
        "notices_all_languages": notices,
        "cache": f"Redis ({redis_url}, private redis-server, shared by the workers)"
        if redis_url
        else "local memory (per gunicorn worker process; no REDIS_URL)",
        "versions": versions,
    }


def verdict(row: dict) -> str:
    if row["errors"]:
        return "❌ errors"
    if row["scenario"] == "long tail":  # every request a miss, with the page cache on or off
        return "(bakerydemo's rate: README)"
    if row["page_cache"]:
        return "✅" if row["rps"] >= TARGET_CACHED_RPS else f"❌ < {TARGET_CACHED_RPS} req/s"
    if row["scenario"].startswith("search"):
        return "✅" if row["p95_ms"] <= TARGET_SEARCH_P95_MS else f"❌ p95 > {TARGET_SEARCH_P95_MS} ms"
    if row["scenario"] == "home":
        return "(no target)"
    missed = []
    if row["rps"] < TARGET_UNCACHED_RPS:
        missed.append(f"< {TARGET_UNCACHED_RPS} req/s")
    if row["p95_ms"] > TARGET_UNCACHED_P95_MS:
        missed.append(f"p95 > {TARGET_UNCACHED_P95_MS} ms")
    return "❌ " + ", ".join(missed) if missed else "✅"


def table(rows: list[dict]) -> str:
    lines = [
        "| gunicorn | cache | scenario | req/s | p50 ms | p95 ms | p99 ms | requests | errors | cache hits"
        " | server CPU ms/req | capacity req/s | cores: server / client / other | target |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in rows:
        hits = f"{100 * r['cache_hits'] / r['requests']:.0f} %" if r["page_cache"] and r["requests"] else "–"
        lines.append(
            f"| {r['gunicorn']} | {'on' if r['page_cache'] else 'off'} | {r['scenario']} | {r['rps']:.0f}"
            f" | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['requests']} | {r['errors']}"
            f" | {hits} | {r['server_cpu_ms_per_request']} | {r['projected_rps_all_cores']:.0f}"
            f" | {r['server_cores_busy']} / {r['client_cores_busy']} / {r.get('other_cores_busy')}"
            f" | {verdict(r)} |"
        )
    return "\n".join(lines)


def best_config(rows: list[dict]) -> str | None:
    totals: dict[str, float] = {}
    for r in rows:
        if not r["page_cache"]:
            totals[r["gunicorn"]] = totals.get(r["gunicorn"], 0.0) + r["rps"]
    return max(totals, key=totals.get) if totals else None


def write_report(rows: list[dict], info: dict, args, client: str, started_at: str) -> tuple[Path, Path]:
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = started_at.replace(":", "").replace("-", "")
    json_path = RESULTS_DIR / f"bench-{stamp}.json"
    json_path.write_text(
        json.dumps(
            {
                "started_at": started_at,
                "machine": info,
                "client": client,
                "duration_s": args.duration,
                "warmup_s": args.warmup,
                "concurrency": args.concurrency,
                "configs": args.configs,
                "results": rows,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    best = best_config(rows)
    client_text = (
        "wrk (1 thread)"
        if client == "wrk"
        else "bench/loadgen.py (Python asyncio, one process, closed loop, keep-alive where the server allows)"
    )
    command = " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]])
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    codes = sorted({r.get("code", "?") for r in rows})
    code_note = (
        f"\nApplication code fingerprint: `{codes[0]}` (the same for every server of this run).\n"
        if len(codes) == 1
        else "\n**The application code changed during this run** (others were editing the tree): fingerprints "
        + ", ".join(f"`{c}`" for c in codes)
        + " (see the JSON file for which rows ran which code); compare rows of the same fingerprint only.\n"
    )
    text = f"""# Benchmark results

Run {started_at} with `{command}` (see README.md for the method and the targets).

## Machine

- CPUs: {info["cpu_count"]} × {info["cpu_model"] or "unknown"} (usable: {info["cpu_affinity"]})
- {info["platform"]}, Python {info["python"]}, {versions}
- Database: {info["database"]}; {info["pages"]:,} pages, {info["notices_all_languages"]:,} notices
  ({TARGET:,} 简体 + their 繁體 translations)
- Cache: {info["cache"]}
- Load generator: {client_text}; {args.concurrency} concurrent clients, {args.warmup:g} s warm-up then
  {args.duration:g} s measured per scenario, on the same machine as the server

## Results

{table(rows)}

Best gunicorn configuration here (highest total uncached req/s): **{best}**.
{code_note}

"cores: server / client / other" is the CPU time the gunicorn processes, the load generator and every
other process on the machine used during the measured window, in cores (the machine has
{info["cpu_count"]}). "cache hits" is the share of responses served from the page cache (X-Cache: HIT).
"server CPU ms/req" is the gunicorn CPU time per request: it does not depend on how much CPU the
load generator (or anything else) takes, and "capacity" = {info["cpu_count"]} × 1000 / (server CPU ms/req) is
the throughput the server would reach with every core to itself, fully busy.
"""
    variant = bool(args.only) or args.cache != "both" or args.settings != SETTINGS or args.local_cache
    # Only a complete default run replaces bench/RESULTS.md; partial or variant runs go to results/.
    markdown = RESULTS_DIR / f"bench-{stamp}.md" if variant else BENCH_DIR / "RESULTS.md"
    markdown.write_text(text, encoding="utf-8")
    return json_path, markdown


# Main --------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per scenario (≤ 120)")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per scenario (≤ 30)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients (≤ 64)")
    parser.add_argument("--configs", default="gthread:3x4,sync:3", help="gunicorn configurations, comma separated")
    parser.add_argument("--client", choices=["auto", "python", "wrk"], default="auto")
    parser.add_argument("--only", default="", help="comma-separated scenario names to run (default: all)")
    parser.add_argument("--cache", choices=["both", "off", "on"], default="both")
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument(
        "--local-cache",
        action="store_true",
        help="each worker's local memory as the cache instead of a private redis-server (REDIS_URL), "
        "as production allows only with ALLOW_LOCAL_MEMORY_CACHE for a single process",
    )
    parser.add_argument(
        "--settings",
        default=SETTINGS,
        help="settings module for gunicorn (experiments only; must import bench.production_settings)",
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        help="before each measurement wait up to this many seconds (≤ 300) for other processes to go below 0.3 core",
    )
    args = parser.parse_args()
    args.duration = min(max(args.duration, 1.0), 120.0)
    args.warmup = min(max(args.warmup, 0.5), 30.0)
    args.concurrency = min(max(args.concurrency, 1), 64)
    args.wait_quiet = min(max(args.wait_quiet, 0.0), 300.0)
    global settings_module, redis_url
    settings_module = args.settings
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    elif client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (optional: apt-get install -y wrk)")

    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    started_at = datetime.datetime.now().replace(microsecond=0).isoformat()
    if not args.skip_seed:
        seed()
    collectstatic()
    chosen = scenarios()
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        chosen = [s for s in chosen if s[0] in wanted or s[0].split()[0] in wanted]
    configs = [parse_config(c.strip()) for c in args.configs.split(",") if c.strip()]
    modes = {"both": [False, True], "off": [False], "on": [True]}[args.cache]
    log(f"client: {client}; {len(configs)} configuration(s) × {len(modes)} cache mode(s) × {len(chosen)} scenarios")

    rows: list[dict] = []
    try:
        if not args.local_cache:
            if not shutil.which("redis-server"):
                raise SystemExit("production needs Redis: install redis-server, or pass --local-cache")
            _redis, redis_url = start_redis()
        for config in configs:
            for cached in modes:
                port = free_port()
                flush_redis()
                fingerprint = code_fingerprint()
                server = start_gunicorn(config, cached, port)
                try:
                    for name, path in chosen:
                        row = measure(client, server, port, name, path, args, cached)
                        row["gunicorn"] = config["name"]
                        row["code"] = fingerprint
                        rows.append(row)
                    if code_fingerprint() != fingerprint:
                        log("  WARNING: the application code changed while this server was running")
                        for row in rows[-len(chosen) :]:
                            row["code"] += " (changed during the run)"
                finally:
                    stop_gunicorn(server)
    finally:
        stop_all()
        if rows:
            info = machine()
            json_path, markdown = write_report(rows, info, args, client, started_at)
            print()
            print(table(rows))
            print()
            log(
                f"best configuration: {best_config(rows)}; wrote {markdown.relative_to(ROOT)}"
                f" and {json_path.relative_to(ROOT)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
