"""A small closed-loop HTTP/1.1 load generator (asyncio, standard library only).

`concurrency` clients each send one GET, wait for the whole response, and send the next,
for `duration` seconds (and at most `max_requests` requests in all). Connections are
kept alive when the server allows it (gunicorn's gthread workers do; sync workers close
every connection, so the client reconnects, as a proxy in front of them would).

Every response's status is checked: anything but 200, a timeout or a broken connection
counts as an error. Latency is measured from sending the request to the last byte.
The generator also reports its own CPU time, because it shares the machine's cores
with the server under test.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Result:
    url: str
    concurrency: int
    duration: float = 0.0
    requests: int = 0
    ok: int = 0
    errors: int = 0
    statuses: Counter = field(default_factory=Counter)
    error_kinds: Counter = field(default_factory=Counter)
    cache_hits: int = 0
    bytes: int = 0
    latencies: list[float] = field(default_factory=list)
    client_cpu: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.duration if self.duration else 0.0

    def percentile(self, p: float) -> float:
        """Latency percentile in milliseconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank] * 1000

    def summary(self) -> dict:
        return {
            "url": self.url,
            "concurrency": self.concurrency,
            "duration_s": round(self.duration, 3),
            "requests": self.requests,
            "ok": self.ok,
            "errors": self.errors,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items(), key=lambda kv: str(kv[0]))},
            "error_kinds": dict(self.error_kinds),
            "cache_hits": self.cache_hits,
            "bytes": self.bytes,
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(50), 2),
            "p95_ms": round(self.percentile(95), 2),
            "p99_ms": round(self.percentile(99), 2),
            "max_ms": round(max(self.latencies) * 1000, 2) if self.latencies else None,
            "client_cpu_s": round(self.client_cpu, 3),
        }


class ProtocolError(Exception):
    pass


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], int, bool]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("connection closed before the status line")
    parts = status_line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
        raise ProtocolError(f"bad status line {status_line[:60]!r}")
    status = int(parts[1])
    headers: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n"):
            break
        if not line:
            raise ConnectionResetError("connection closed in the headers")
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    keep_alive = headers.get("connection", "").lower() != "close"
    if "content-length" in headers:
        size = int(headers["content-length"])
        await reader.readexactly(size)
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        size = 0
        while True:
            chunk_size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if chunk_size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                break
            await reader.readexactly(chunk_size + 2)
            size += chunk_size
    else:
        size = len(await reader.read())
        keep_alive = False
    return status, headers, size, keep_alive


async def _client(host, port, requests, turn, deadline, budget, timeout, result: Result) -> None:
    reader = writer = None
    try:
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
                writer.write(requests[next(turn) % len(requests)])
                status, headers, size, keep_alive = await asyncio.wait_for(_read_response(reader), timeout)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ProtocolError, ValueError) as exc:
                result.requests += 1
                result.errors += 1
                result.error_kinds[type(exc).__name__] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                await asyncio.sleep(0.01)
                continue
            elapsed = time.perf_counter() - started
            result.requests += 1
            result.statuses[status] += 1
            result.bytes += size
            result.latencies.append(elapsed)
            if status == 200:
                result.ok += 1
            else:
                result.errors += 1
            if headers.get("x-cache") == "HIT":
                result.cache_hits += 1
            if not keep_alive:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def _run(host, port, paths, concurrency, duration, max_requests, timeout) -> Result:
    requests = [
        (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: portal-bench\r\n"
            "Accept: text/html\r\nAccept-Encoding: identity\r\nAccept-Language: zh-CN,zh;q=0.9\r\n\r\n"
        ).encode("latin-1")
        for path in paths
    ]
    turn = itertools.count()  # the clients take the paths in turn: each asked once before any twice
    result = Result(url=paths[0] if len(paths) == 1 else f"{len(paths)} paths, {paths[0]} …", concurrency=concurrency)
    budget = [max_requests]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    deadline = time.monotonic() + duration
    await asyncio.gather(
        *(_client(host, port, requests, turn, deadline, budget, timeout, result) for _ in range(concurrency))
    )
    result.duration = time.perf_counter() - wall0
    result.client_cpu = time.process_time() - cpu0
    return result


def run(
    host: str,
    port: int,
    path: str | list[str],
    *,
    concurrency: int = 8,
    duration: float = 10.0,
    max_requests: int = 200_000,
    timeout: float = 10.0,
) -> Result:
    """Load `path` for `duration` seconds (bounded by `max_requests`); the path must be ASCII (percent-encoded).
    Given a list of paths, the requests take them in turn (a long tail: each asked once before any twice)."""
    paths = [path] if isinstance(path, str) else path
    return asyncio.run(_run(host, port, paths, concurrency, duration, max_requests, timeout))


def fetch(host: str, port: int, path: str, timeout: float = 30.0) -> tuple[int, dict[str, str]]:
    """One GET; (status, headers)."""

    async def once():
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode("latin-1"))
            status, headers, _size, _keep = await asyncio.wait_for(_read_response(reader), timeout)
            return status, headers
        finally:
            writer.close()

    return asyncio.run(once())
