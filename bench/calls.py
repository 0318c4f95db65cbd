"""One call with 2,000 submissions, each with a file: the staff's list, the ranking, 统计, the CSV
export and the ZIP of every file.

    .venv/bin/python bench/calls.py [--submissions 2000] [--runs 5]

Works on its own SQLite file, bench/calls.sqlite3 (private files in bench/calls-media), made
afresh and deleted at the end. The call is an evaluation (考评) with three weighted criteria and
a form of six fields; each submission comes from its own branch through the real service
(`calls.services.save_submission`), attaches a one-page PDF of about 40 kB, and is scored by two
reviewers. Then, through Django's test client as a call officer, for each screen: the median
wall time over `--runs` runs and the SQL queries of one run, checked against the pinned bound
below (the script fails when a screen needs more queries than that); for the ZIP also the
archive's size and the peak of memory Python allocated while it was written (tracemalloc), to
show it streams.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
SQLITE_PATH = BENCH_DIR / "calls.sqlite3"
MEDIA = BENCH_DIR / "calls-media"

# The most SQL queries each screen may make, whatever the number of submissions.
PINNED_QUERIES = {"list": 20, "ranking": 15, "results": 15, "csv": 15, "zip": 15}


def _project_first() -> None:
    """The project before bench/: this folder's members.py and experts.py would hide the apps."""
    sys.path[:] = [str(ROOT)] + [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR]


_project_first()


def log(message: str) -> None:
    print(f"[calls] {message}", flush=True)


def setup() -> None:
    SQLITE_PATH.unlink(missing_ok=True)
    shutil.rmtree(MEDIA, ignore_errors=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": f"sqlite:///{SQLITE_PATH}",
            "STAFF_TWO_FACTOR_REQUIRED": "false",
            "PAGE_CACHE_ENABLED": "false",
            "PRIVATE_MEDIA_ROOT": str(MEDIA / "private"),
            "MEDIA_ROOT": str(MEDIA),
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PRIVATE_MEDIA_ROOT = str(MEDIA / "private")
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)


def pdf(index: int) -> bytes:
    """A one-page PDF of about 40 kB that compresses as a scan does (a real scan is larger; the size
    only scales the ZIP)."""
    filler = f"% submission {index} ".encode() + os.urandom(20_000).hex().encode() + b"\n"
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n" + filler
    )
    xref = len(body)
    return body + b"xref\n0 4\n0000000000 65535 f \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref


def seed(count: int):
    import datetime

    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page

    from calls import services
    from calls.enums import CallKind, Eligibility
    from calls.models import CallCriterion, CallField, CallPage, CallSubmission
    from members.models import Member, MembershipType, User
    from notices.models import NoticeIndexPage
    from portal.roles import CALL_OFFICERS, CALL_REVIEWERS

    home = Page.objects.get(depth=2, locale__language_code="zh-hans")
    index = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    call = CallPage(
        title="关于开展2019年度分支机构考评的通知",
        slug="evaluation",
        date=datetime.date(2019, 11, 1),
        kind=CallKind.EVALUATION,
        eligibility=Eligibility.BRANCHES,
        opens_at=timezone.now() - datetime.timedelta(days=10),
        closes_at=timezone.now() + datetime.timedelta(days=10),
        reviews_required=2,
    )
    index.add_child(instance=call)
    fields = [
        ("short_text", "负责人", "", ""),
        ("long_text", "年度工作总结", "", ""),
        ("number", "全年开展活动次数", "", ""),
        ("choice", "考评等级自评", "优秀\n良好\n合格", ""),
        ("table", "骨干成员", "", "姓名\n职务"),
        ("file", "总结全文", "", ""),
    ]
    for order, (kind, label, choices, columns) in enumerate(fields):
        CallField.objects.create(
            page=call, sort_order=order, field_type=kind, label=label, choices=choices, columns=columns, required=False
        )
    for order, (name, marks) in enumerate([("工作业绩", 40), ("组织建设", 30), ("社会影响", 30)]):
        CallCriterion.objects.create(page=call, sort_order=order, name=name, full_marks=marks)
    call.save_revision().publish()
    call = CallPage.objects.get(pk=call.pk)
    with transaction.atomic():
        version = services.current_version(CallPage.objects.select_for_update().get(pk=call.pk))
    keys = {field["label"]: field["key"] for field in version.fields}
    branch = MembershipType.objects.get(name="分支机构")
    started = time.perf_counter()
    for number in range(1, count + 1):
        user = User.objects.create_user(f"branch{number}@example.org", "pw")
        member = Member.objects.create(
            user=user,
            number=f"FZ-{number:05d}",
            membership_type=branch,
            full_name=f"第{number}分会",
            joined_on=datetime.date(2015, 1, 1),
        )
        services.save_submission(
            call,
            user,
            organisation=member,
            version=version,
            answers={
                keys["负责人"]: f"负责人{number}",
                keys["年度工作总结"]: "全年开展讲座、沙龙和公益咨询活动。" * 5,
                keys["全年开展活动次数"]: str(number % 30),
                keys["考评等级自评"]: number % 3,
                keys["骨干成员"]: [[f"成员{number}-{row}", "理事"] for row in range(3)],
            },
            self_scores={key: high // 2 for key, _label, _low, high in version.review_criteria()},
            file_changes={keys["总结全文"]: SimpleUploadedFile(f"report-{number}.pdf", pdf(number))},
            submit=True,
        )
        if number % 250 == 0:
            log(f"  {number:,}/{count:,} submissions ({time.perf_counter() - started:.0f}s)")
    CallPage.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    officer = User.objects.create_user("officer@example.org", "pw", is_staff=True)
    officer.groups.add(Group.objects.get(name=CALL_OFFICERS))
    reviewers = []
    for n in range(2):
        reviewer = User.objects.create_user(f"reviewer{n}@example.org", "pw", is_staff=True)
        reviewer.groups.add(Group.objects.get(name=CALL_REVIEWERS))
        reviewers.append(reviewer)
    log("  scoring: two reviews each …")
    for submission in CallSubmission.objects.select_related("call", "form_version", "organisation"):
        for offset, reviewer in enumerate(reviewers):
            scores = {
                key: (submission.number * 7 + offset) % (high + 1)
                for key, _l, _low, high in submission.review_criteria()
            }
            services.review(submission, reviewer, scores=scores, comment="意见")
    return CallPage.objects.get(pk=call.pk), officer


def measure(client, url: str, runs: int, *, stream: bool = False) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        if stream:
            size = 0
            for chunk in response.streaming_content:
                size += len(chunk)
            return size
        return len(response.content)

    connection.queries_log.clear()  # a full log (it keeps the last 9,000) would hide new queries
    with CaptureQueriesContext(connection) as captured:
        size = fetch()
    queries = len(captured)  # now: the next request empties the log it reads from
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fetch()
        times.append(time.perf_counter() - started)
    result = {"queries": queries, "median_ms": statistics.median(times) * 1000, "bytes": size}
    if stream:
        tracemalloc.start()
        fetch()
        result["peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup()
    try:
        log(f"seeding one call with {args.submissions:,} submissions, each with a PDF …")
        call, officer = seed(args.submissions)
        from django.test import Client

        client = Client()
        client.force_login(officer)
        screens = {
            "list": f"/admin/calls/submissions/?call={call.pk}",
            "ranking": f"/admin/calls/submissions/ranking/{call.pk}/",
            "results": f"/admin/calls/submissions/calls/{call.pk}/results/",
            "csv": f"/admin/calls/submissions/calls/{call.pk}/answers.csv",
            "zip": f"/admin/calls/submissions/calls/{call.pk}/files.zip",
        }
        failed = False
        print(
            f"\n| screen ({args.submissions:,} submissions) | SQL queries (pinned) | median ms | size | peak memory |"
        )
        print("|---|--:|--:|--:|--:|")
        for name, url in screens.items():
            result = measure(client, url, args.runs, stream=name == "zip")
            over = result["queries"] > PINNED_QUERIES[name]
            failed |= over
            peak = f"{result['peak_mb']:.1f} MB" if "peak_mb" in result else ""
            print(
                f"| {name} | {result['queries']} ({PINNED_QUERIES[name]}){' ✗' if over else ''} | "
                f"{result['median_ms']:.0f} | {result['bytes'] / 1e6:.1f} MB | {peak} |"
            )
        return 1 if failed else 0
    finally:
        SQLITE_PATH.unlink(missing_ok=True)
        shutil.rmtree(MEDIA, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
