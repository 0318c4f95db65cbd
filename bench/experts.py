"""The public expert directory at scale: keyword searches, filters and pages of the directory
(`/experts/`) with 1,000 and with 10,000 admitted experts.

    .venv/bin/python bench/experts.py                      # SQLite (bench/experts.sqlite3, made afresh)
    .venv/bin/python bench/experts.py --database-url postgres://postgres@127.0.0.1:5432/portal_bench_experts

The database is created and migrated by this script and dropped (PostgreSQL) or deleted
(SQLite) at the end; nothing else is touched. Experts are seeded in bulk with generated names,
employers, titles and short biographies, random districts, 1-3 specialties, services and
languages and random consents (about 70 % show their employer, district and services); their
search text and sort name are built by `experts.services.public_text` and `sort_name`, as when
an expert is admitted.

For each query it measures `experts.directory.search_database` (the directory's database engine:
count, page of ids, filter counts, the page's experts) and the whole page through Django's test
client with the anonymous page cache off: the median and 95th percentile of the wall time over
`--runs` runs, and the SQL queries of one run. It prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))
SQLITE_PATH = BENCH_DIR / "experts.sqlite3"
CHUNK = 2000

# The directory queries measured: a label and the page's GET parameters.
QUERIES = [
    ("no filter", {}),
    ("keyword 青少年", {"q": "青少年"}),
    ("keyword 医院", {"q": "医院"}),
    ("specialty=youth", {"specialty": "youth"}),
    (
        "specialty=youth + district=shahekou + language=english",
        {"specialty": "youth", "district": "shahekou", "language": "english"},
    ),
    ("keyword 医院 + specialty=youth", {"q": "医院", "specialty": "youth"}),
    ("page 20, no filter", {"page": "20"}),
]

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
    "阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍红玲芬燕春菊凤洁梅琳云莲雪荣爱香月佳嘉琼珍莉晶妍"
    "秋珊婷颖露瑶怡丹蓉君琴薇梦岚馨韵悦昭冰宁欣柔晓欢枫芸菲亚宜舒思鹏辉斌浩宇晨阳博文志海峰建国立新东"
)
TITLES = [
    "国家二级心理咨询师",
    "国家三级心理咨询师",
    "心理治疗师",
    "主任医师",
    "副主任医师",
    "主治医师",
    "教授",
    "副教授",
    "讲师",
    "心理健康教育教师",
    "社会工作师",
    "中级社会工作师",
]
HOSPITALS = [
    "大连市第七人民医院",
    "大连市友谊医院",
    "大连市中心医院",
    "大连市中医医院",
    "大连市儿童医院",
    "大连市妇女儿童医疗中心",
    "大连医科大学附属第一医院",
    "大连医科大学附属第二医院",
    "大连市精神卫生中心",
    "大连市第三人民医院",
]
UNIVERSITIES = ["大连理工大学", "辽宁师范大学", "大连海事大学", "东北财经大学", "大连外国语大学", "大连大学"]
UNIVERSITY_UNITS = ["心理健康教育中心", "心理学院", "学生工作处", "教育学部"]
SCHOOLS = ["实验小学", "第一中学", "第二十四中学", "育明高级中学", "第八中学", "职业技术学校", "外国语学校"]
PRACTICES = ["心理咨询中心", "心理咨询工作室", "心理健康服务有限公司", "家庭教育指导中心", "社会工作服务中心"]
PRACTICE_NAMES = ["心晴", "阳光", "启明", "馨语", "海之蓝", "向日葵", "知心", "同行", "暖心", "安澜"]
STREETS = ["人民路", "青泥洼桥", "春柳", "马栏", "泉水", "金石滩", "周水子", "星海湾", "西安路", "中华路"]
STRENGTHS = [
    "青少年情绪困扰与学业压力",
    "亲子沟通与家庭教育",
    "婚姻家庭关系",
    "焦虑、抑郁情绪的调适",
    "职场压力与职业发展",
    "危机干预与心理援助",
    "老年人心理关怀",
    "丧亲哀伤辅导",
    "儿童注意力与行为问题",
    "创伤后应激反应",
]
# The share of experts consenting to show each field (name and specialties are always shown).
CONSENT_RATES = {
    "show_title": 0.7,
    "show_employer": 0.7,
    "show_district": 0.7,
    "show_services": 0.7,
    "show_languages": 0.6,
    "show_experience": 0.5,
    "show_bio": 0.5,
    "show_projects": 0.3,
    "show_contact": 0.2,
}
# Who speaks which language, besides Mandarin (everyone).
LANGUAGE_RATES = {"english": 0.15, "japanese": 0.05, "korean": 0.05, "sign": 0.02}


def log(message: str) -> None:
    print(f"[experts] {message}", flush=True)


def setup(database_url: str) -> None:
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


def create_postgres(url: str, drop: bool = False) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.strip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop:
            connection.execute(f'CREATE DATABASE "{name}"')


def employer(rng: random.Random, district_label: str) -> str:
    kind = rng.random()
    if kind < 0.3:
        return rng.choice(HOSPITALS)
    if kind < 0.5:
        return rng.choice(UNIVERSITIES) + rng.choice(UNIVERSITY_UNITS)
    if kind < 0.7:
        return f"大连市{district_label}{rng.choice(SCHOOLS)}"
    if kind < 0.8:
        return f"{district_label}{rng.choice(STREETS)}街道社区卫生服务中心"
    return f"大连{rng.choice(PRACTICE_NAMES)}{rng.choice(PRACTICES)}"


def bio(rng: random.Random, years: int) -> str:
    first, second = rng.sample(STRENGTHS, 2)
    return (
        f"从事心理咨询工作{years}年，擅长{first}和{second}。"
        f"累计个体咨询{rng.randint(3, 60) * 100}小时，长期参与学校、社区的心理健康宣传与公益讲座。"
    )


def seed_experts(total: int, rng: random.Random) -> None:
    """Bulk-create admitted experts (with their accounts and applications) up to `total`, then
    fill in the search text and sort name of the new ones."""
    from django.utils import timezone

    from experts.models import Expert, ExpertApplication, ExpertBatch, Language, ServiceType, Specialty
    from members.models import User
    from portal.districts import District
    from portal.vetting.enums import NoticeStatus, Status

    today = timezone.localdate()
    admitted_on = today - datetime.timedelta(days=365)
    expires_on = today + datetime.timedelta(days=730)
    batch, _created = ExpertBatch.objects.get_or_create(
        number=1,
        defaults={
            "status": NoticeStatus.CLOSED,
            "notice_starts": admitted_on - datetime.timedelta(days=14),
            "notice_ends": admitted_on - datetime.timedelta(days=7),
        },
    )
    specialties = list(Specialty.objects.all())
    services = list(ServiceType.objects.all())
    languages = {term.slug: term for term in Language.objects.all()}
    districts = list(District)
    existing = Expert.objects.count()
    started = time.perf_counter()
    start = existing
    while start < total:
        end = min((start // CHUNK + 1) * CHUNK, total)
        names = [rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2)))) for _ in range(start, end)]
        unusable = "!"  # noqa: S105 - no one signs in as a benchmark expert
        users = User.objects.bulk_create(
            [
                User(email=f"expert{n}@bench.example", full_name=name, password=unusable)
                for n, name in zip(range(start, end), names, strict=True)
            ]
        )
        applications = ExpertApplication.objects.bulk_create(
            [
                ExpertApplication(
                    applicant=user,
                    full_name=user.full_name,
                    status=Status.ACCEPTED,
                    notice_consent=True,
                    batch=batch,
                )
                for user in users
            ]
        )
        experts = []
        for user, application in zip(users, applications, strict=True):
            district = rng.choice(districts)
            years = rng.randint(3, 30)
            experts.append(
                Expert(
                    user=user,
                    application=application,
                    batch=batch,
                    full_name=user.full_name,
                    title=rng.choice(TITLES),
                    employer=employer(rng, str(district.label)),
                    district=district.value,
                    years_of_practice=years,
                    training_hours=rng.randint(2, 40) * 50,
                    supervision_hours=rng.randint(1, 30) * 10,
                    bio=bio(rng, years),
                    public_phone="0411-8" + "".join(rng.choices("0123456789", k=7)),
                    admitted_on=admitted_on,
                    expires_on=expires_on,
                    **{consent: rng.random() < rate for consent, rate in CONSENT_RATES.items()},
                )
            )
        experts = Expert.objects.bulk_create(experts)
        Expert.specialties.through.objects.bulk_create(
            [
                Expert.specialties.through(expert_id=expert.pk, specialty_id=term.pk)
                for expert in experts
                for term in rng.sample(specialties, rng.randint(1, 3))
            ]
        )
        Expert.services.through.objects.bulk_create(
            [
                Expert.services.through(expert_id=expert.pk, servicetype_id=term.pk)
                for expert in experts
                for term in rng.sample(services, rng.randint(1, 3))
            ]
        )
        spoken = []
        for expert in experts:
            slugs = ["mandarin"] + [slug for slug, rate in LANGUAGE_RATES.items() if rng.random() < rate]
            spoken += [Expert.languages.through(expert_id=expert.pk, language_id=languages[slug].pk) for slug in slugs]
        Expert.languages.through.objects.bulk_create(spoken)
        log(f"seeded {end:,}/{total:,} ({time.perf_counter() - started:.1f}s)")
        start = end
    fill_search_fields(existing, total)


def fill_search_fields(existing: int, total: int) -> None:
    """The stored search text and sort name of the experts without them, as the app builds them
    on admission (`experts.services.refresh`)."""
    from django.conf import settings
    from django.utils import translation

    from experts.models import Expert
    from experts.services import public_text, sort_name

    started = time.perf_counter()
    done = existing
    pending = Expert.objects.filter(search_text="").order_by("pk").values_list("pk", flat=True)
    ids = list(pending)
    with translation.override(settings.LANGUAGE_CODE):
        for start in range(0, len(ids), CHUNK):
            experts = list(
                Expert.objects.filter(pk__in=ids[start : start + CHUNK]).prefetch_related(
                    "specialties", "services", "languages"
                )
            )
            for expert in experts:
                expert.search_text, expert.sort_name = public_text(expert), sort_name(expert.full_name)
            Expert.objects.bulk_update(experts, ["search_text", "sort_name"], batch_size=500)
            done += len(experts)
            log(f"search text and sort names {done:,}/{total:,} ({time.perf_counter() - started:.1f}s)")


def analyze() -> None:
    """Fresh planner statistics on PostgreSQL, as autovacuum keeps them after a bulk load."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(function, runs: int) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank) of `function()`'s wall time in ms."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[math.ceil(0.95 * len(times)) - 1]


def measure(label: str, runs: int) -> list[str]:
    """For each query: `search_database` and the full page, times and SQL queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from experts.directory import DirectoryQuery, search_database

    client = Client()
    url = reverse("experts:directory")
    for _ in range(2):  # the site's header, footer and other fragments, kept until the next purge
        client.get(url)
    rows = []
    for what, params in QUERIES:
        query = DirectoryQuery.from_params(params)
        search_database(query)  # warm-up
        with CaptureQueriesContext(connection) as queries:
            results = search_database(query)
        search_queries = len(queries.captured_queries)
        search_median, search_p95 = timed(lambda query=query: search_database(query), runs)

        response = client.get(url, params)  # warm-up
        if response.status_code != 200:
            raise SystemExit(f"{url} {params} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        page_queries = len(queries.captured_queries)
        page_median, page_p95 = timed(lambda params=params: client.get(url, params), runs)
        rows.append(
            f"| {label} | {what} | {results.total:,} | {search_median:.1f} | {search_p95:.1f} | {search_queries} | "
            f"{page_median:.1f} | {page_p95:.1f} | {page_queries} |"
        )
        log(f"{label}: {what}: {search_median:.1f} ms, page {page_median:.1f} ms")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--experts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
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

        log(f"database: {connection.vendor}")
        rng = random.Random(args.seed)
        table = [
            "| experts | query | found | search_database median ms | p95 ms | SQL queries "
            "| /experts/ page median ms | p95 ms | SQL queries |",
            "|--:|---|--:|--:|--:|--:|--:|--:|--:|",
        ]
        small = min(1_000, args.experts)
        seed_experts(small, rng)
        analyze()
        table += measure(f"{small:,}", args.runs)
        seed_experts(args.experts, rng)
        analyze()
        table += measure(f"{args.experts:,}", args.runs)
        print()
        print(f"The expert directory on {connection.vendor}, {args.runs} runs per query:")
        print()
        print("\n".join(table))
    finally:
        from django.db import connections

        connections.close_all()
        if url.startswith("postgres"):
            create_postgres(url, drop=True)
        else:
            for path in (SQLITE_PATH, Path(f"{SQLITE_PATH}-wal"), Path(f"{SQLITE_PATH}-shm")):
                path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
