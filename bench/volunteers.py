"""The volunteer sign-up rush: a popular activity opens with 100 places and 1,000 volunteers press
报名 within a few seconds. How fast does the portal take the sign-ups, how long does anyone wait,
and does the number of people confirmed ever exceed the places?

    .venv/bin/python bench/volunteers.py       # PostgreSQL at 127.0.0.1:5432, database portal_bench_volunteers
    .venv/bin/python bench/volunteers.py --database-url postgres://postgres@127.0.0.1:5432/OTHER --workers 5
    .venv/bin/python bench/volunteers.py --concurrency 20,50 --modes follow,post --wait-quiet 120

PostgreSQL only: SQLite lets one writer in at a time whatever the code does, so it cannot show
whether the row lock of `volunteers.services.sign_up` holds. The database is created and migrated
by this script and dropped at the end, whatever happens; gunicorn and a private redis-server are
stopped too. Nothing outside bench/ is written (static files in bench/staticfiles, logs in bench/logs).

1. Seeds a volunteer section with one campaign of 50 activities: one with 100 places per rush,
   nobody signed up yet, and others with 10-40 places and some sign-ups already. 1,000 volunteers
   get an account with a verified e-mail address and a signed-in session: the session rows that
   `django.contrib.auth.login` stores (user id, backend and session hash, signed with the server's
   SECRET_KEY), written straight to the session table. Signing in through the login form would
   measure allauth's rate limits, not the sign-ups.
2. Serves the site with gunicorn (production settings, sync workers, the page cache in Redis).
3. Every volunteer opens the campaign page signed in, which gives them the CSRF cookie and the
   form's token, as a browser does before the button is pressed.
4. The rushes, each on an activity of its own: the 1,000 volunteers in a random order, 20 (then 50)
   at a time, each POSTs the 报名 form with the CSRF token and either follows the redirect to the
   campaign page that tells the outcome, as a browser does, or stops there (POST only: what the
   sign-up itself costs). Meanwhile an anonymous visitor opens the campaign page every 0.1 s.
   Reported: sign-ups per second, the latency of the POST and of the POST plus the result page,
   how many requests were waiting for the activity's row lock (sampled in pg_stat_activity every
   10 ms), the anonymous visitor's page cache hits and waits, the CPU used, and the checks: every POST answered with a
   redirect, 100 volunteers told 报名成功 and the others their place on the waiting list (each
   position once), and in the database exactly 100 confirmed and the rest waiting, one sign-up per
   volunteer, the confirmed ones the first to arrive, and one e-mail each.
5. The campaign page with its 50 activities, signed in and anonymous (from the page cache, and
   rendered afresh): one client after another, then 8 at once for 10 s; and the view alone in
   this process (its SQL queries and time).

It prints two Markdown tables and the machine they ran on.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import datetime
import math
import os
import platform
import random
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
import run  # noqa: E402 - bench/run.py: gunicorn and redis-server handling shared with `make bench`

sys.path.insert(0, str(ROOT))  # before bench/ (which run.py puts first): its experts.py and members.py hide the apps

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_volunteers"
SERVER_SECRET_KEY = "bench-only-not-secret-volunteers-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
STATIC_ROOT = BENCH_DIR / "staticfiles"
SERVER_LOG = run.LOG_DIR / "gunicorn-volunteers.out"
TIMEOUT = 60.0
CHUNK = 200

# The activities rushed, one per rush: the volunteers press 报名 on each in turn.
RUSHED = [
    "重阳节社区独居老人陪伴走访",
    "世界精神卫生日公益心理咨询",
    "敬老院团体心理辅导",
    "社区老年人情绪健康筛查",
    "独居老人新春慰问",
    "老年人防诈骗心理讲座",
]
ACTIVITY_KINDS = [
    "社区老人陪伴走访",
    "心理健康公益讲座",
    "社区心理咨询义诊",
    "独居老人电话关怀",
    "老年人情绪测评",
    "家属心理支持小组",
    "养老院团体辅导",
    "健康科普展板宣传",
]
PLACES = [
    "桃源街道社区服务中心",
    "春柳街道养老服务中心",
    "马栏广场",
    "星海湾街道老年活动中心",
    "泉水街道社区卫生服务中心",
    "周水子街道新时代文明实践站",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍红玲芬燕春菊凤洁梅琳云莲雪荣爱香月佳嘉琼珍"

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFIRMED_TEXT = "报名成功".encode()
WAITING_TEXT = re.compile(r"候补名单第 (\d+) 位".encode())
ALREADY_TEXT = "您已经报名了".encode()
# The first line of the two sign-up e-mails (templates/volunteers/email/signup_*.txt).
MAIL_CONFIRMED = "您已报名以下活动："
MAIL_WAITING = "以下活动名额已满，您已进入候补名单。"


def log(message: str) -> None:
    print(f"[volunteers] {message}", flush=True)


# Database ---------------------------------------------------------------------------------------


def create_postgres(url: str, drop: bool = False) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.strip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop:
            connection.execute(f'CREATE DATABASE "{name}"')


def setup(database_url: str) -> None:
    """Django in this process, for seeding and checking: the test settings on the benchmark database."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": database_url,
            "STAFF_TWO_FACTOR_REQUIRED": "false",
            "PAGE_CACHE_ENABLED": "false",
        }
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("ELASTICSEARCH_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# Seeding ----------------------------------------------------------------------------------------


@dataclass
class Volunteer:
    pk: int
    email: str
    cookies: dict[str, str]
    token: str = ""


def seed_volunteers(total: int, rng: random.Random) -> list[Volunteer]:
    """Accounts with a verified address and a signed-in session each, in bulk."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.test.utils import override_settings
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from members.models import User

    volunteers = []
    started = time.perf_counter()
    expires = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    for start in range(0, total, CHUNK):
        numbers = range(start, min(start + CHUNK, total))
        users = User.objects.bulk_create(
            [
                User(
                    email=f"volunteer{n}@bench.example",
                    full_name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2)))),
                    password=make_password(None),  # no one signs in with a password here
                )
                for n in numbers
            ]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
        )
        sessions = []
        # What django.contrib.auth.login() keeps in the session, signed as the server signs it.
        with override_settings(SECRET_KEY=SERVER_SECRET_KEY):
            for user in users:
                data = {
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                }
                key = get_random_string(32, VALID_KEY_CHARS)
                sessions.append(Session(session_key=key, session_data=SessionStore().encode(data), expire_date=expires))
                volunteers.append(Volunteer(user.pk, user.email, {settings.SESSION_COOKIE_NAME: key}))
        Session.objects.bulk_create(sessions)
        log(f"volunteers with a session: {numbers.stop:,}/{total:,} ({time.perf_counter() - started:.1f}s)")
    return volunteers


def seed_campaign(volunteers: list[Volunteer], activities: int, rushes: int, places: int, rng: random.Random):
    """The volunteer section, one campaign batch and its activities: `rushes` with `places` each and
    nobody signed up yet first, then others with sign-ups already."""
    from django.utils import timezone

    from home.models import HomePage
    from portal.districts import District
    from volunteers.enums import SignUpStatus
    from volunteers.models import Activity, CampaignPage, SignUp, VolunteerIndexPage

    started = time.perf_counter()
    home = HomePage.objects.get(locale__language_code="zh-hans", depth=2)
    section = VolunteerIndexPage(title="志愿服务", slug="volunteer", intro="加入协会的志愿者队伍。")
    home.add_child(instance=section)
    section.save_revision().publish()
    today = timezone.localdate()
    campaign = CampaignPage(
        title="爱心大使｜第3批关注老年人抑郁孤独公益行动",
        slug="aixin-dashi-3",
        theme="关注老年人抑郁孤独",
        batch_number=3,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=60),
        summary="走进社区与养老机构，陪伴独居老人，开展情绪测评与心理健康宣传。",
    )
    section.add_child(instance=campaign)
    campaign.save_revision().publish()

    first_day = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + datetime.timedelta(days=7)
    districts = list(District)
    rows = []
    for n in range(activities):
        starts_at = first_day + datetime.timedelta(days=n // 3, hours=(n % 3) * 3)
        rushed = n < rushes
        district = rng.choice(districts)
        rows.append(
            Activity(
                campaign=campaign,
                title=RUSHED[n] if rushed else f"{rng.choice(ACTIVITY_KINDS)}（第{n - rushes + 1}场）",
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=rng.choice((2, 3, 4))),
                place=rng.choice(PLACES),
                district=district.value,
                places=places if rushed else rng.randint(10, 40),
                description="两人一组入户陪伴，聊天、读报、测评情绪；活动前半小时到场签到。",
            )
        )
    rows = Activity.objects.bulk_create(rows)
    rushed, others = rows[:rushes], rows[rushes:]
    # The other activities: some half full, some full with a waiting list, written straight to the roster.
    signups = []
    now = timezone.now()
    for activity in others:
        wanted = rng.randint(0, activity.places + 10)
        for order, volunteer in enumerate(rng.sample(volunteers, wanted)):
            confirmed = order < activity.places
            created = now - datetime.timedelta(minutes=wanted - order)
            signups.append(
                SignUp(
                    activity=activity,
                    volunteer_id=volunteer.pk,
                    status=SignUpStatus.CONFIRMED if confirmed else SignUpStatus.WAITING,
                    created_at=created,
                    confirmed_at=created if confirmed else None,
                )
            )
    SignUp.objects.bulk_create(signups, batch_size=1000)
    log(
        f"campaign with {len(rows)} activities ({len(rushed)} to rush with {places} places each, "
        f"{len(signups):,} sign-ups on the others) ({time.perf_counter() - started:.1f}s)"
    )
    return campaign, rushed


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# HTTP -------------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float

    def header(self, name: str) -> str:
        return next((value for key, value in self.headers if key == name), "")

    def set_cookies(self, jar: dict[str, str]) -> None:
        """Keep the cookies set (and forget those deleted) the way a browser does, attributes aside."""
        for key, value in self.headers:
            if key != "set-cookie":
                continue
            pair, _, attributes = value.partition(";")
            name, _, content = pair.strip().partition("=")
            if not content or "max-age=0" in attributes.lower().replace(" ", ""):
                jar.pop(name, None)
            else:
                jar[name] = content


def _decode(raw: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines[0].startswith("HTTP/"):
        raise ConnectionError(f"not an HTTP response: {lines[0][:60]!r}")
    status = int(lines[0].split()[1])
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip().lower(), value.strip()))
    if any(k == "transfer-encoding" and v.lower() == "chunked" for k, v in headers):
        chunks, rest = [], body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0] or b"0", 16)
            if size == 0:
                break
            chunks.append(rest[:size])
            rest = rest[size + 2 :]
        body = b"".join(chunks)
    return status, headers, body


async def request(port: int, method: str, path: str, jar: dict[str, str], form: dict | None = None) -> Reply:
    """One request on a new connection (gunicorn's sync workers close each one), cookies from `jar`."""
    origin = f"http://{run.HOST}:{port}"
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {run.HOST}:{port}",
        "Connection: close",
        "User-Agent: portal-bench",
        "Accept: text/html",
        "Accept-Encoding: identity",
        "Accept-Language: zh-CN,zh;q=0.9",
    ]
    if jar:
        lines.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in jar.items()))
    body = b""
    if form is not None:
        body = urlencode(form).encode()
        lines += [
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(body)}",
            f"Origin: {origin}",
        ]
    started = time.perf_counter()
    reader, writer = await asyncio.wait_for(asyncio.open_connection(run.HOST, port), TIMEOUT)
    try:
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        raw = await asyncio.wait_for(reader.read(), TIMEOUT)
    finally:
        writer.close()
    status, headers, content = _decode(raw)
    reply = Reply(status, headers, content, time.perf_counter() - started)
    reply.set_cookies(jar)
    return reply


def activity_card(body: bytes, pk: int) -> bytes:
    """The card of activity `pk` on a campaign page."""
    start = body.find(f'id="activity-{pk}"'.encode())
    return body[start : body.find(b"</article>", start)] if start >= 0 else b""


def local_path(location: str) -> str:
    """The path of a redirect's Location, without the #fragment (a browser does not send it)."""
    parts = urlsplit(location)
    return urlunsplit(("", "", parts.path, parts.query, ""))


# Measuring --------------------------------------------------------------------------------------


class Usage:
    """CPU time used between start() and stop(): gunicorn, this database's PostgreSQL backends,
    this process (the client), and everything else on the machine."""

    def __init__(self, server_pid: int, database: str):
        self.server_pid = server_pid
        self.database = database

    def _backends(self) -> set[int]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.database]
            )
            return {pid for (pid,) in cursor.fetchall()}

    @staticmethod
    def _cpu(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def start(self) -> None:
        self.pids = self._backends()
        self.before = {pid: self._cpu(pid) for pid in self.pids}
        self.server = run.process_tree_cpu(self.server_pid)
        self.client = time.process_time()
        self.busy = run.machine_busy()
        self.wall = time.perf_counter()

    def stop(self) -> dict[str, float]:
        pids = self.pids | self._backends()
        # A backend gone since start() took its CPU time with it: counted as nothing, not as negative.
        database = sum(max(0.0, self._cpu(pid) - self.before.get(pid, 0.0)) for pid in pids)
        wall = time.perf_counter() - self.wall
        server = run.process_tree_cpu(self.server_pid) - self.server
        client = time.process_time() - self.client
        other = max(0.0, run.machine_busy() - self.busy - server - database - client)
        return {
            name: value / wall
            for name, value in (("server", server), ("db", database), ("client", client), ("other", other))
        }


class LockWaits:
    """Samples, every 10 ms from a thread of its own, how many of this database's sessions are waiting
    for a lock (the activity row that sign_up locks while it counts places)."""

    def __init__(self, url: str):
        self.url = url
        self.samples: list[int] = []
        self.done = threading.Event()

    def _sample(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self.done.wait(0.01):
                (waiting,) = connection.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                ).fetchone()
                self.samples.append(waiting)

    def __enter__(self):
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join()

    def summary(self) -> str:
        """The average number waiting, and the share of the time anyone was."""
        if not self.samples:
            return "–"
        mean = sum(self.samples) / len(self.samples)
        anyone = sum(1 for n in self.samples if n) / len(self.samples)
        return f"{mean:.2f} ({100 * anyone:.0f} %)"


def percentile(values: list[float], p: float) -> float:
    """Nearest rank, in milliseconds."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


def cores(usage: dict[str, float]) -> str:
    return f"{usage['server']:.2f} / {usage['db']:.2f} / {usage['client']:.2f} / {usage['other']:.2f}"


async def open_campaign_page(port: int, path: str, volunteers: list[Volunteer], concurrency: int) -> list[float]:
    """Every volunteer opens the campaign page signed in: the CSRF cookie and the form's token."""
    queue = list(volunteers)
    times: list[float] = []

    async def client():
        while queue:
            volunteer = queue.pop()
            reply = await request(port, "GET", path, volunteer.cookies)
            match = CSRF_INPUT.search(reply.body)
            if reply.status != 200 or not match or "csrftoken" not in volunteer.cookies:
                raise SystemExit(f"{volunteer.email} could not open {path} signed in: {reply.status}")
            volunteer.token = match.group(1).decode()
            times.append(reply.seconds)

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return times


@dataclass
class Rush:
    concurrency: int
    follow: bool
    seconds: float = 0.0
    post: list[float] = field(default_factory=list)
    shown: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    told_confirmed: int = 0
    told_positions: list[int] = field(default_factory=list)
    visitor: list[float] = field(default_factory=list)
    visitor_hits: int = 0
    usage: dict[str, float] = field(default_factory=dict)
    lock_waits: str = "–"


async def rush(
    port: int, activity_pk: int, volunteers: list[Volunteer], concurrency: int, follow: bool, page: str
) -> Rush:
    """`concurrency` volunteers at a time press 报名 and, if `follow`, read the page they are sent
    back to, which tells them the outcome (else the message cookie is dropped unread). Meanwhile an
    anonymous visitor opens the campaign `page` every 0.1 s."""
    result = Rush(concurrency, follow)
    queue = list(volunteers)
    path = f"/volunteer/activities/{activity_pk}/signup/"
    finished = asyncio.Event()

    async def visitor():
        while not finished.is_set():
            reply = await request(port, "GET", page, {})
            if reply.status != 200:
                result.errors.append(f"anonymous visitor: {page} answered {reply.status}")
            result.visitor.append(reply.seconds)
            result.visitor_hits += reply.header("x-cache") == "HIT"
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(finished.wait(), 0.1)

    async def client():
        while queue:
            volunteer = queue.pop()
            jar = volunteer.cookies if follow else dict(volunteer.cookies)
            try:
                posted = await request(port, "POST", path, jar, {"csrfmiddlewaretoken": volunteer.token})
                if posted.status != 302:
                    result.errors.append(f"{volunteer.email}: POST answered {posted.status}")
                    continue
                if not follow:
                    result.post.append(posted.seconds)
                    continue
                shown = await request(port, "GET", local_path(posted.header("location")), jar)
            except (OSError, TimeoutError, ConnectionError, ValueError) as error:
                result.errors.append(f"{volunteer.email}: {type(error).__name__} {error}")
                continue
            if shown.status != 200:
                result.errors.append(f"{volunteer.email}: the result page answered {shown.status}")
                continue
            result.post.append(posted.seconds)
            result.shown.append(posted.seconds + shown.seconds)
            if position := WAITING_TEXT.search(shown.body):
                result.told_positions.append(int(position.group(1)))
            elif ALREADY_TEXT in shown.body:
                result.errors.append(f"{volunteer.email}: told they had signed up already")
            elif CONFIRMED_TEXT in shown.body:
                result.told_confirmed += 1
            else:
                result.errors.append(f"{volunteer.email}: the result page shows no outcome")

    async def volunteers_then_stop():
        await asyncio.gather(*(client() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - started
        finished.set()

    started = time.perf_counter()
    await asyncio.gather(volunteers_then_stop(), visitor())
    return result


def mails_sent(since: int) -> tuple[int, int, int]:
    """The sign-up e-mails gunicorn wrote to its log (the console e-mail backend) after byte `since`:
    (confirmed, waiting list, where the log ends)."""
    with open(SERVER_LOG, "rb") as output:
        output.seek(since)
        text = output.read().decode("utf-8", "replace")
        end = output.tell()
    return text.count(MAIL_CONFIRMED), text.count(MAIL_WAITING), end


def check_roster(activity, places: int, volunteers: int) -> dict:
    """What the database holds after the rush."""
    from django.db.models import Count, Max, Min

    from volunteers.enums import SignUpStatus
    from volunteers.models import SignUp

    signups = SignUp.objects.filter(activity=activity)
    counts = dict(signups.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    duplicates = signups.values("volunteer_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    last_confirmed = signups.filter(status=SignUpStatus.CONFIRMED).aggregate(at=Max("created_at"))["at"]
    first_waiting = signups.filter(status=SignUpStatus.WAITING).aggregate(at=Min("created_at"))["at"]
    confirmed = counts.get(SignUpStatus.CONFIRMED, 0)
    waiting = counts.get(SignUpStatus.WAITING, 0)
    return {
        "confirmed": confirmed,
        "waiting": waiting,
        "volunteers": signups.values("volunteer_id").distinct().count(),
        "duplicates": duplicates,
        "first_come": last_confirmed is not None and (first_waiting is None or last_confirmed <= first_waiting),
        "ok": confirmed == places and waiting == volunteers - places and duplicates == 0,
    }


async def closed_loop(port: int, path: str, jars: list[dict], concurrency: int, seconds: float) -> tuple[list, int]:
    """`concurrency` clients, each with its own cookies, one request after another for `seconds`."""
    times: list[float] = []
    hits = 0
    deadline = time.monotonic() + seconds

    async def client(index: int):
        nonlocal hits
        n = index
        while time.monotonic() < deadline:
            jar = dict(jars[n % len(jars)]) if jars else {}
            n += concurrency
            reply = await request(port, "GET", path, jar)
            if reply.status != 200:
                raise SystemExit(f"{path} answered {reply.status}")
            times.append(reply.seconds)
            hits += reply.header("x-cache") == "HIT"

    await asyncio.gather(*(client(i) for i in range(concurrency)))
    return times, hits


async def in_a_row(port: int, paths: list[str], jar: dict) -> tuple[list[float], int]:
    times, hits = [], 0
    for path in paths:
        reply = await request(port, "GET", path, dict(jar))
        if reply.status != 200:
            raise SystemExit(f"{path} answered {reply.status}")
        times.append(reply.seconds)
        hits += reply.header("x-cache") == "HIT"
    return times, hits


def view_cost(path: str, user, runs: int = 20) -> dict[str, tuple[int, float]]:
    """The campaign page's view in this process, signed in and anonymous (no page cache): SQL queries
    of one view and its median time, with no other request competing."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    costs = {}
    for who in ("signed in", "anonymous"):
        client = Client()
        if who == "signed in":
            client.force_login(user)
        for _ in range(3):  # fragments kept until the next purge, as on a running site
            client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} in process")
        count = len(queries.captured_queries)  # before the next request empties the log
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
        costs[who] = (count, percentile(times, 50))
    return costs


# gunicorn ---------------------------------------------------------------------------------------


def server_env(database_url: str, redis_url: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "ELASTICSEARCH_URL", "DATABASE_URL", "EMAIL_HOST", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.production_settings",
            "SECRET_KEY": SERVER_SECRET_KEY,
            "AID_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "ALLOWED_HOSTS": f"{run.HOST},localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PAGE_CACHE_ENABLED": "true",
            # Each worker keeps its connection for the whole run (production: 60 s), so that the CPU
            # time of its PostgreSQL backend can be counted; one reconnect a minute costs nothing here.
            "DATABASE_CONN_MAX_AGE": "600",
            "MEDIA_ROOT": str(BENCH_DIR / "media"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def collectstatic(env: dict[str, str]) -> None:
    """Production's manifest storage renders pages only after collectstatic (into bench/staticfiles)."""
    manifest = STATIC_ROOT / "staticfiles.json"
    if manifest.exists():
        newest = max((p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file()), default=0)
        if newest <= manifest.stat().st_mtime:
            return
    log("collectstatic into bench/staticfiles …")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=900,
    )


def start_gunicorn(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, int]:
    run.LOG_DIR.mkdir(exist_ok=True)
    port = run.free_port()
    command = [
        run.GUNICORN,
        "portal.wsgi:application",
        "--bind",
        f"{run.HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--backlog",
        "256",
        "--error-logfile",
        str(run.LOG_DIR / "gunicorn-volunteers.log"),
        "--chdir",
        str(ROOT),
        "--no-control-socket",
    ]
    with open(SERVER_LOG, "w", encoding="utf-8") as output:  # the e-mails (console backend), jieba …
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=output,
            stderr=output,
            preexec_fn=run._die_with_parent,  # only calls prctl(): safe before exec
        )
    run._servers.append(process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {SERVER_LOG}")
        with contextlib.suppress(OSError, ConnectionError):
            if asyncio.run(request(port, "GET", "/robots.txt", {})).status == 200:
                log(f"gunicorn: {workers} sync workers on {run.HOST}:{port}")
                return process, port
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


# Report -----------------------------------------------------------------------------------------


def machine(workers: int) -> str:
    from importlib.metadata import version

    from django.db import connection

    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server_version,) = cursor.fetchone()
    packages = ", ".join(f"{name} {version(name)}" for name in ("django", "wagtail", "gunicorn", "psycopg"))
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.platform()}, Python {platform.python_version()}, {packages}; "
        f"PostgreSQL {server_version.split()[0]} on {run.HOST}; gunicorn {workers} sync workers, "
        "production settings, the cache in a private Redis; the client on the same machine."
    )


def spread(times: list[float]) -> str:
    return f"{percentile(times, 50):.0f} / {percentile(times, 95):.0f} / {percentile(times, 100):.0f}"


def rush_row(result: Rush, roster: dict, mails: tuple[int, int], volunteers: int, places: int) -> str:
    told = "–"
    if result.follow:
        positions_ok = sorted(result.told_positions) == list(range(1, volunteers - places + 1))
        told = f"{result.told_confirmed} / {len(result.told_positions)}" + ("" if positions_ok else " ❌ positions")
    done = len(result.post)
    return (
        f"| {'POST, then the result page' if result.follow else 'POST only'} | {result.concurrency} "
        f"| {done:,} in {result.seconds:.1f} s | **{done / result.seconds:.0f}** | {spread(result.post)} "
        f"| {spread(result.shown) if result.follow else '–'} | {len(result.errors)} | {told} "
        f"| {roster['confirmed']} / {roster['waiting']} {'✅' if roster['ok'] else '❌'} | {roster['duplicates']} "
        f"| {'yes' if roster['first_come'] else '❌ no'} | {mails[0]} / {mails[1]} | {result.lock_waits} "
        f"| {100 * result.visitor_hits / len(result.visitor):.0f} %, {spread(result.visitor)} | {cores(result.usage)} |"
    )


def page_row(what: str, clients: int, times: list[float], seconds: float | None, hits: int) -> str:
    rate = f"{len(times) / seconds:.0f}" if seconds else "–"
    return (
        f"| {what} | {clients} | {len(times):,} | {rate} | {percentile(times, 50):.1f} | {percentile(times, 95):.1f} "
        f"| {percentile(times, 100):.1f} | {100 * hits / len(times):.0f} % |"
    )


def places_badge(reply: Reply, pk: int) -> str:
    """What the card of activity `pk` says about its places (剩余 N 个名额, 已满)."""
    match = re.search(rb'<span class="badge badge--(?:active|lapsed)">([^<]+)</span>', activity_card(reply.body, pk))
    return match.group(1).decode() if match else "?"


# Main -------------------------------------------------------------------------------------------


def quiet(server: subprocess.Popen, limit: float) -> None:
    if limit:
        run.wait_for_quiet(server.pid, limit)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--volunteers", type=int, default=1_000)
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--activities", type=int, default=50)
    parser.add_argument("--concurrency", default="20,50", help="clients at once: one rush per value and mode")
    parser.add_argument(
        "--modes", default="follow,post", help="follow: POST then the result page, as a browser; post: POST only"
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--page-seconds", type=float, default=10.0, help="each closed-loop page measurement")
    parser.add_argument(
        "--wait-quiet", type=float, default=0.0, help="wait up to this many seconds for other processes < 0.3 core"
    )
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    url = args.database_url
    if not url.startswith("postgres"):
        raise SystemExit("the sign-up rush is measured on PostgreSQL only (--database-url postgres://…)")
    levels = [int(level) for level in args.concurrency.split(",") if level.strip()]
    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    if set(modes) - {"follow", "post"}:
        raise SystemExit("--modes: follow, post or both")
    rushes = [(level, mode == "follow") for mode in modes for level in levels]
    if not 0 < len(rushes) <= len(RUSHED) or not 0 < args.places < args.volunteers:
        raise SystemExit(f"1 to {len(RUSHED)} rushes (concurrency levels × modes), fewer places than volunteers")
    if args.activities < len(rushes):
        raise SystemExit(f"at least {len(rushes)} activities: one per rush")

    atexit.register(run.stop_all)
    signal.signal(signal.SIGTERM, run._on_signal)
    signal.signal(signal.SIGINT, run._on_signal)
    create_postgres(url)
    try:
        setup(url)
        from django.db import connection

        from members.models import User

        rng = random.Random(args.seed)
        volunteers = seed_volunteers(args.volunteers, rng)
        campaign, rushed = seed_campaign(volunteers, args.activities, len(rushes), args.places, rng)
        analyze()

        _redis, redis_url = run.start_redis()
        env = server_env(url, redis_url)
        collectstatic(env)
        server, port = start_gunicorn(env, args.workers)
        path = campaign.url
        # An anonymous visitor looks before the rush; the page goes into the page cache.
        anonymous_before = asyncio.run(request(port, "GET", path, {}))

        started = time.perf_counter()
        opened = asyncio.run(open_campaign_page(port, path, volunteers, 8))
        log(
            f"{len(opened):,} volunteers opened {path} signed in, 8 at a time ({time.perf_counter() - started:.1f}s; "
            f"median {percentile(opened, 50):.0f} ms, p95 {percentile(opened, 95):.0f} ms)"
        )

        rows = []
        failed: list[str] = []
        anonymous_after = None
        log_at = mails_sent(0)[2]
        for (level, follow), activity in zip(rushes, rushed, strict=True):
            order = list(volunteers)
            rng.shuffle(order)
            quiet(server, args.wait_quiet)
            usage = Usage(server.pid, connection.settings_dict["NAME"])
            usage.start()
            with LockWaits(url) as waits:
                result = asyncio.run(rush(port, activity.pk, order, level, follow, path))
            result.usage = usage.stop()
            result.lock_waits = waits.summary()
            time.sleep(1.0)  # the last e-mails reach the log
            *mails, log_at = mails_sent(log_at)
            roster = check_roster(activity, args.places, args.volunteers)
            for error in result.errors[:5]:
                log(f"  error: {error}")
            log(
                f"rush, {level} at once, {'POST and result page' if follow else 'POST only'}: "
                f"{len(result.post):,} sign-ups in {result.seconds:.1f}s ({len(result.post) / result.seconds:.0f}/s), "
                f"POST p95 {percentile(result.post, 95):.0f} ms; confirmed {roster['confirmed']}, "
                f"waiting {roster['waiting']}, duplicates {roster['duplicates']}, e-mails {mails[0]} + {mails[1]}"
            )
            rows.append(rush_row(result, roster, mails, args.volunteers, args.places))
            expected_mails = [args.places, args.volunteers - args.places]
            told_right = not follow or (
                result.told_confirmed == args.places
                and sorted(result.told_positions) == list(range(1, args.volunteers - args.places + 1))
            )
            checks = [not result.errors, roster["ok"], roster["first_come"], mails == expected_mails, told_right]
            if not all(checks):
                failed.append(f"{level} at once, {'POST and result page' if follow else 'POST only'}")
            if anonymous_after is None:  # the anonymous visitor looks again, right after the first rush
                anonymous_after = asyncio.run(request(port, "GET", path, {}))

        # The campaign page with its activities, after the rushes, as the first volunteer sees it: signed
        # up for every activity rushed (a place or the waiting list) and for some of the others.
        reader = volunteers[0]
        costs = view_cost(path, User.objects.get(pk=reader.pk))
        pages = []
        runs = 50
        quiet(server, args.wait_quiet)
        times, hits = asyncio.run(in_a_row(port, [path] * runs, reader.cookies))
        pages.append(page_row("signed in", 1, times, None, hits))
        started = time.perf_counter()
        times, hits = asyncio.run(closed_loop(port, path, [v.cookies for v in volunteers], 8, args.page_seconds))
        pages.append(page_row("signed in (8 volunteers)", 8, times, time.perf_counter() - started, hits))
        quiet(server, args.wait_quiet)
        fresh = [f"{path}?from=bench-{n}" for n in range(runs)]  # never asked for: rendered, then cached
        times, hits = asyncio.run(in_a_row(port, fresh, {}))
        pages.append(page_row("anonymous, not yet in the page cache", 1, times, None, hits))
        asyncio.run(request(port, "GET", path, {}))
        times, hits = asyncio.run(in_a_row(port, [path] * runs, {}))
        pages.append(page_row("anonymous, from the page cache", 1, times, None, hits))
        started = time.perf_counter()
        times, hits = asyncio.run(closed_loop(port, path, [], 8, args.page_seconds))
        pages.append(page_row("anonymous, from the page cache", 8, times, time.perf_counter() - started, hits))

        print()
        print(
            f"The sign-up rush: {args.volunteers:,} volunteers press 报名 on an activity with {args.places} places "
            "(one activity per row)."
        )
        print(machine(args.workers))
        print()
        print(
            "| what each volunteer does | clients at once | sign-ups | sign-ups/s | POST ms p50 / p95 / max "
            "| until the result page ms p50 / p95 / max | errors | told: confirmed / waiting "
            "| database: confirmed / waiting | duplicates | first come, first confirmed | e-mails: confirmed / waiting "
            "| waiting for the row lock: mean (share of time) "
            "| anonymous visitor meanwhile: page cache hits, ms p50 / p95 / max "
            "| cores: gunicorn / PostgreSQL / client / other |"
        )
        print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|")
        print("\n".join(rows))
        print()
        print(f"The campaign page with {args.activities} activities after the rushes ({path}):")
        print()
        print("| visitor | clients at once | requests | req/s | p50 ms | p95 ms | max ms | page cache hits |")
        print("|---|--:|--:|--:|--:|--:|--:|--:|")
        print("\n".join(pages))
        print()
        for who, (queries, median) in costs.items():
            print(f"The view alone, {who}, in this process and nothing else: {queries} SQL queries, {median:.1f} ms.")
        before, after = (
            f"“{places_badge(reply, rushed[0].pk)}” (X-Cache {reply.header('x-cache') or '–'})"
            for reply in (anonymous_before, anonymous_after)
        )
        print(f"The first activity rushed, to an anonymous visitor: before the rush {before}, right after it {after}.")
        if failed:
            print(f"\nFAILED CHECKS in the rush: {'; '.join(failed)} (see the table and the errors above).")
            return 1
    finally:
        run.stop_all()
        from django.db import connections

        connections.close_all()
        create_postgres(url, drop=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
