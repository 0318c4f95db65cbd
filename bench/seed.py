"""Seed the benchmark database: the demo site plus 10,000 notices (and their 繁體 translations).

    .venv/bin/python bench/seed.py

Works on its own SQLite file, bench/bench.sqlite3 (media in bench/media), never on the
development database. Steps:

1. ``migrate`` and ``load_demo_content --force`` with the development settings (DEBUG on);
2. bulk-create NoticePage rows until the 简体 notice index holds 10,000 notices: the
   ``wagtailcore_page`` rows with ``bulk_create`` (treebeard paths computed here), the
   ``notices_articlepage`` / ``notices_noticepage`` rows with ``executemany``;
3. the same for the 繁體 translations (same translation_key, zh-hant locale, under the
   繁體 notice index), converted with OpenCC;
4. index every notice that has no search index entry yet, in chunks (backend.add_bulk).

Every step first looks at what is there, so running it again when everything is present
changes nothing (and an interrupted run is completed by the next one).
"""

from __future__ import annotations

import datetime
import html
import json
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DB_PATH = BENCH_DIR / "bench.sqlite3"
MEDIA_ROOT = BENCH_DIR / "media"
TARGET = 10_000
PROGRESS_EVERY = 1_000
INSERT_CHUNK = 1_000
INDEX_CHUNK = 500
RANDOM_SEED = 20_260_101
FIRST_DATE = datetime.date(2010, 1, 1)
LAST_DATE = datetime.date(2026, 11, 20)

_START = time.monotonic()


def log(message: str) -> None:
    print(f"[seed {time.monotonic() - _START:7.1f}s] {message}", flush=True)


def bench_env(settings_module: str = "portal.settings.dev") -> dict[str, str]:
    """The environment every bench process runs with: the bench database and media, never the dev ones."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DATABASE_URL": f"sqlite:///{DB_PATH}",
            "MEDIA_ROOT": str(MEDIA_ROOT),
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.pop("REDIS_URL", None)
    env.pop("ELASTICSEARCH_URL", None)
    return env


# Titles ----------------------------------------------------------------------------------------
# (weight, category key, tags, title template, body paragraphs). Weights are relative; 会费 only
# appears in the two "dues" templates (≈3 % of the notices), so a search for 会费 finds a few
# hundred notices, not all of them.

VOLUNTEER_KINDS = ["心理援助", "公益讲座", "社区心理服务", "热线接听", "校园心理辅导", "考前减压", "灾后心理疏导"]
TRAINING_TOPICS = ["沙盘游戏", "认知行为疗法", "家庭治疗", "危机干预", "青少年心理咨询", "婚姻家庭咨询", "团体辅导"]
DISTRICTS = ["中山区", "西岗区", "沙河口区", "甘井子区", "旅顺口区", "金州区", "普兰店区", "瓦房店市", "庄河市"]
TOPICS = ["儿童青少年心理健康", "老年人心理关爱", "职场压力管理", "睡眠与情绪", "心理咨询伦理", "家庭教育"]
ORDINALS = "一二三四五六七八九十"

TEMPLATES = [
    (
        2,
        "dues",
        ["会费"],
        "关于交纳{year}年度会费的通知",
        [
            "根据协会章程和会员代表大会决议，现将{year}年度会费交纳事宜通知如下。",
            "请各位会员于{month}月底前通过银行转账或到协会秘书处交纳{year}年度会费，逾期未交者视为自动放弃会员资格。",
        ],
    ),
    (
        1,
        "dues",
        ["会费"],
        "关于{year}年度会员会费收缴工作的通知",
        [
            "为做好{year}年度会员会费收缴工作，协会秘书处定于{month}月开展集中收缴。",
            "会员可凭会员证到协会办公室办理，也可通过对公账户转账，并注明姓名和会员编号。",
        ],
    ),
    (
        6,
        "meeting",
        ["理事会"],
        "关于召开第{term}届理事会第{n}次会议的通知",
        [
            "经会长办公会研究，定于{year}年{month}月{day}日召开协会第{term}届理事会第{n}次会议。",
            "请各位理事准时出席，因故不能参会者请提前向秘书处请假。",
        ],
    ),
    (
        5,
        "meeting",
        ["常务理事会"],
        "关于召开{year}年第{n}次常务理事会议的通知",
        [
            "协会定于{year}年{month}月{day}日在协会会议室召开常务理事会议，审议近期工作安排。",
            "请各位常务理事提前审阅会议材料，准时参会。",
        ],
    ),
    (
        6,
        "recruitment",
        ["志愿者"],
        "关于招募{volunteer}志愿者的通知",
        [
            "为深入开展{volunteer}工作，协会现面向全体会员招募志愿者。",
            "报名者须持有心理咨询相关资质，热心公益，能保证每月参加不少于两次服务。",
        ],
    ),
    (
        5,
        "recruitment",
        ["志愿者", "爱心大使"],
        "{district}{volunteer}志愿服务队招募公告",
        [
            "{district}{volunteer}志愿服务队现招募新一批队员，服务时间为{year}年{month}月至年底。",
            "有意者请填写报名表并发送至协会邮箱，经培训考核合格后上岗。",
        ],
    ),
    (
        8,
        "notice",
        ["培训"],
        "关于举办{year}年{training}专题培训班的通知",
        [
            "为提升会员专业能力，协会定于{year}年{month}月举办{training}专题培训班。",
            "培训由资深专家授课，结业后颁发继续教育学时证明。名额有限，额满即止。",
        ],
    ),
    (
        6,
        "notice",
        ["继续教育"],
        "关于开展{year}年度会员继续教育学时登记的通知",
        [
            "根据行业管理要求，现开展{year}年度会员继续教育学时登记工作。",
            "请会员于{month}月{day}日前提交学时证明材料，逾期不予登记。",
        ],
    ),
    (
        6,
        "commendation",
        ["表彰"],
        "关于表彰{year}年度优秀会员和先进个人的决定",
        [
            "{year}年度，广大会员积极投身社会心理服务，涌现出一批先进典型。",
            "经理事会研究，决定对表现突出的优秀会员和先进个人予以表彰，希望受表彰者再接再厉。",
        ],
    ),
    (
        6,
        "campaign",
        ["公益行动"],
        "关于开展“{topic}”主题公益讲座的通知",
        [
            "为普及心理健康知识，协会将于{year}年{month}月在{district}开展“{topic}”主题公益讲座。",
            "欢迎市民朋友报名参加，讲座免费，现场提供个体心理咨询。",
        ],
    ),
    (
        5,
        "campaign",
        ["公益行动", "心理健康"],
        "{year}年“5·25心理健康日”系列活动安排",
        [
            "围绕“{topic}”主题，协会将在全市各区开展心理健康宣传周系列活动。",
            "请各分支机构按照活动方案做好组织工作，并及时报送活动信息。",
        ],
    ),
    (
        6,
        "expert-database",
        ["专家库"],
        "关于遴选{year}年度心理咨询行业入库专家的通知",
        [
            "为充实心理咨询行业专家库，协会现开展{year}年度入库专家遴选工作。",
            "申报者应具有五年以上从业经历，无不良执业记录，由所在单位推荐。",
        ],
    ),
    (
        6,
        "announcement",
        ["公示"],
        "{year}年第{n}批新入会会员名单公示",
        [
            "经协会秘书处审核，现将{year}年第{n}批申请入会人员名单予以公示。",
            "公示期为七个工作日，如有异议请与协会秘书处联系。",
        ],
    ),
    (
        5,
        "announcement",
        ["考试"],
        "关于{year}年心理咨询师技能考核报名工作的公告",
        [
            "{year}年心理咨询师技能考核报名工作即将开始，报名时间为{month}月{day}日至月底。",
            "考生须如实填写报名信息，提交学历和培训证明材料。",
        ],
    ),
    (
        6,
        "general",
        ["假期"],
        "关于{year}年{holiday}放假安排的通知",
        [
            "根据国务院办公厅通知精神，现将协会{year}年{holiday}放假安排通知如下。",
            "放假期间如有紧急事务，请拨打协会值班电话。心理援助热线照常开通。",
        ],
    ),
    (
        6,
        "general",
        ["督导"],
        "关于开展{year}年第{n}期个案督导活动的通知",
        [
            "协会定于{year}年{month}月{day}日开展个案督导活动，由{training}方向的督导师主持。",
            "请参加督导的会员提前准备个案材料，注意保护来访者隐私。",
        ],
    ),
    (
        5,
        "notice",
        ["分支机构"],
        "关于{district}分支机构换届选举工作的通知",
        [
            "根据协会章程，{district}分支机构任期届满，现启动换届选举工作。",
            "请分支机构于{year}年{month}月底前完成候选人推荐和会员代表选举。",
        ],
    ),
    (
        5,
        "notice",
        ["心理援助"],
        "关于做好{year}年{district}心理援助热线值守工作的通知",
        [
            "为保障心理援助热线服务质量，现对{year}年{district}热线值守工作提出如下要求。",
            "值守人员须按时到岗，做好来电记录，遇危机个案及时转介。",
        ],
    ),
]
HOLIDAYS = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
AUTHORS = ["协会秘书处", "协会办公室", "会员部", "培训部", "志愿服务部"]


def _days_between(first: datetime.date, last: datetime.date) -> int:
    return (last - first).days


def make_notice(rng: random.Random, number: int) -> dict:
    """Title, body and metadata of the number-th generated notice, deterministic for a given seed."""
    weights = [t[0] for t in TEMPLATES]
    _weight, category, tags, title_template, paragraphs = rng.choices(TEMPLATES, weights=weights)[0]
    date = FIRST_DATE + datetime.timedelta(days=rng.randrange(_days_between(FIRST_DATE, LAST_DATE) + 1))
    values = {
        "year": date.year,
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
        "n": rng.randint(1, 12),
        "term": ORDINALS[rng.randrange(2, 6)],
        "volunteer": rng.choice(VOLUNTEER_KINDS),
        "training": rng.choice(TRAINING_TOPICS),
        "district": rng.choice(DISTRICTS),
        "topic": rng.choice(TOPICS),
        "holiday": rng.choice(HOLIDAYS),
    }
    body = [p.format(**values) for p in paragraphs]
    body.append(f"特此通知。联系电话：0411-3976{rng.randint(1000, 9999)}。")
    closing = date + datetime.timedelta(days=rng.randint(10, 45)) if category in {"recruitment", "meeting"} else None
    docno = f"连心协发〔{date.year}〕{rng.randint(1, 60)}号" if rng.random() < 0.4 else ""
    return {
        "title": title_template.format(**values),
        "slug": f"bench-{date.year}-{number:05d}",
        "date": date,
        "category": category,
        "tags": tags,
        "author": rng.choice(AUTHORS),
        "source": "大连市心理咨询师协会",
        "summary": body[0],
        "body": body,
        "document_number": docno,
        "closing_date": closing,
    }


def stream_json(paragraphs: list[str]) -> str:
    from django.utils.html import escape

    return json.dumps(
        [{"type": "paragraph", "value": f"<p>{escape(text)}</p>", "id": str(uuid.uuid4())} for text in paragraphs],
        ensure_ascii=False,
    )


# Steps -----------------------------------------------------------------------------------------


def manage(*args: str) -> None:
    """Run a management command in a child process with the bench environment, output streamed."""
    log("manage.py " + " ".join(args))
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=bench_env(), check=True, timeout=1800)


def setup_django() -> None:
    os.environ.update(bench_env())
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("ELASTICSEARCH_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def step_path(number: int) -> str:
    """The base-36 step of a materialised path, Page.steplen characters wide."""
    from wagtail.models import Page

    alphabet, width = Page.alphabet, Page.steplen
    digits = ""
    while number:
        number, rest = divmod(number, len(alphabet))
        digits = alphabet[rest] + digits
    digits = digits.rjust(width, alphabet[0])
    if len(digits) > width:
        raise ValueError(f"step {number} does not fit in {width} characters")
    return digits


def next_child_number(parent) -> int:
    """1 + the step of the parent's last child (treebeard numbers children from 1)."""
    from wagtail.models import Page

    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    if last is None:
        return 1
    return int(last[-Page.steplen :], len(Page.alphabet)) + 1


def insert_notices(parent, rows: list[dict], locale, owner, label: str) -> list[int]:
    """Create NoticePage rows under `parent` in bulk; returns the new page ids, in order."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page

    from notices.models import ArticlePage, ArticleTag, NoticePage

    if not rows:
        return []
    content_type = ContentType.objects.get_for_model(NoticePage)
    article_fields = list(ArticlePage._meta.local_concrete_fields)
    notice_fields = list(NoticePage._meta.local_concrete_fields)
    tag_fields = [ArticleTag._meta.get_field("content_object"), ArticleTag._meta.get_field("tag")]

    def insert_sql(model, fields):
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        return f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from _meta

    article_sql = insert_sql(ArticlePage, article_fields)
    notice_sql = insert_sql(NoticePage, notice_fields)
    tag_sql = insert_sql(ArticleTag, tag_fields)

    created_ids: list[int] = []
    step = next_child_number(parent)
    depth = parent.depth + 1
    started = time.monotonic()
    with transaction.atomic():
        for offset in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[offset : offset + INSERT_CHUNK]
            base_rows, specifics = [], []
            for row in chunk:
                published = timezone.make_aware(datetime.datetime.combine(row["date"], datetime.time(9, 0)))
                specific = NoticePage(
                    title=row["title"],
                    draft_title=row["title"],
                    slug=row["slug"],
                    content_type=content_type,
                    live=True,
                    has_unpublished_changes=False,
                    url_path=f"{parent.url_path}{row['slug']}/",
                    owner=owner,
                    locale=locale,
                    translation_key=row["translation_key"],
                    path=parent.path + step_path(step),
                    depth=depth,
                    numchild=0,
                    first_published_at=published,
                    last_published_at=published,
                    latest_revision_created_at=published,
                    date=row["date"],
                    author=row["author"],
                    source=row["source"],
                    summary=row["summary"],
                    body=stream_json(row["body"]),
                    document_number=row["document_number"],
                    category_id=row["category_id"],
                    pinned=False,
                    closing_date=row["closing_date"],
                )
                step += 1
                base_rows.append(Page(**{f.attname: getattr(specific, f.attname) for f in Page._meta.concrete_fields}))
                specifics.append(specific)
            Page.objects.bulk_create(base_rows)
            article_values, notice_values, tag_values = [], [], []
            for base, specific, row in zip(base_rows, specifics, chunk, strict=True):
                if base.pk is None:
                    raise RuntimeError("bulk_create did not return primary keys (SQLite ≥ 3.35 needed)")
                specific.pk = specific.id = specific.page_ptr_id = specific.articlepage_ptr_id = base.pk
                article_values.append(
                    [f.get_db_prep_save(getattr(specific, f.attname), connection) for f in article_fields]
                )
                notice_values.append(
                    [f.get_db_prep_save(getattr(specific, f.attname), connection) for f in notice_fields]
                )
                tag_values.extend([base.pk, tag_id] for tag_id in row["tag_ids"])
                created_ids.append(base.pk)
            with connection.cursor() as cursor:
                cursor.executemany(article_sql, article_values)
                cursor.executemany(notice_sql, notice_values)
                if tag_values:
                    cursor.executemany(tag_sql, tag_values)
            done = offset + len(chunk)
            if done % PROGRESS_EVERY == 0 or done == len(rows):
                log(f"  {label}: {done:,}/{len(rows):,} pages ({time.monotonic() - started:.1f}s)")
        numchild = Page.objects.filter(path__startswith=parent.path, depth=depth).count()
        Page.objects.filter(pk=parent.pk).update(numchild=numchild)
    return created_ids


def tag_ids(names: set[str]) -> dict[str, int]:
    """Ids of the tags the templates use, created when missing."""
    from taggit.models import Tag

    found = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    for name in sorted(names - found.keys()):
        tag = Tag(name=name)
        tag.slug = tag.slugify(name) or f"tag-{uuid.uuid4().hex[:8]}"
        if Tag.objects.filter(slug=tag.slug).exists():
            tag.slug = f"{tag.slug}-{uuid.uuid4().hex[:6]}"
        tag.save()
        found[name] = tag.pk
    return found


def add_simplified_notices(index, locale, owner) -> int:
    from notices.models import NoticeCategory, NoticePage

    existing = NoticePage.objects.child_of(index).count()
    missing = TARGET - existing
    log(f"简体 notice index {index.url_path}: {existing:,} notices, {max(missing, 0):,} to add")
    if missing <= 0:
        return 0
    categories = dict(NoticeCategory.objects.filter(locale=locale).values_list("slug", "pk"))
    tags = tag_ids({name for t in TEMPLATES for name in t[2]})
    rng = random.Random(RANDOM_SEED + existing)
    taken = set(NoticePage.objects.child_of(index).values_list("slug", flat=True))
    rows = []
    number = existing
    while len(rows) < missing:
        number += 1
        row = make_notice(rng, number)
        if row["slug"] in taken:
            continue
        row["translation_key"] = uuid.uuid4()
        row["category_id"] = categories.get(row["category"])
        row["tag_ids"] = [tags[name] for name in row["tags"]]
        rows.append(row)
    return len(insert_notices(index, rows, locale, owner, "简体"))


def add_traditional_translations(index, hant_index, hant_locale, owner) -> int:
    """A 繁體 NoticePage for every 简体 notice that has none, under the 繁體 notice index."""
    from django.utils.html import strip_tags
    from wagtail.models import Page

    from notices.models import ArticleTag, NoticeCategory, NoticePage
    from portal.localization.conversion import to_traditional

    sources = NoticePage.objects.child_of(index).order_by("path")
    translated = set(Page.objects.filter(locale=hant_locale).values_list("translation_key", flat=True))
    todo = [p for p in sources.defer_streamfields() if p.translation_key not in translated]
    log(f"繁體 notice index {hant_index.url_path}: {len(todo):,} translations to add")
    if not todo:
        return 0
    hans_categories = dict(NoticeCategory.objects.values_list("pk", "translation_key"))
    hant_categories = dict(NoticeCategory.objects.filter(locale=hant_locale).values_list("translation_key", "pk"))
    tags_of: dict[int, list[int]] = {}
    for page_id, tag_id in ArticleTag.objects.filter(content_object__in=[p.pk for p in todo]).values_list(
        "content_object_id", "tag_id"
    ):
        tags_of.setdefault(page_id, []).append(tag_id)
    bodies = dict(NoticePage.objects.filter(pk__in=[p.pk for p in todo]).values_list("pk", "body"))
    taken = set(NoticePage.objects.child_of(hant_index).values_list("slug", flat=True))
    rows = []
    started = time.monotonic()
    for number, page in enumerate(todo, 1):
        paragraphs = [
            html.unescape(strip_tags(block["value"]))
            for block in bodies[page.pk].raw_data
            if block["type"] == "paragraph"
        ]
        slug = page.slug if page.slug not in taken else f"{page.slug}-zh-hant"
        rows.append(
            {
                "title": to_traditional(page.title),
                "slug": slug,
                "date": page.date,
                "author": to_traditional(page.author),
                "source": to_traditional(page.source),
                "summary": to_traditional(page.summary),
                "body": [to_traditional(text) for text in paragraphs],
                "document_number": to_traditional(page.document_number),
                "closing_date": page.closing_date,
                "category_id": hant_categories.get(hans_categories.get(page.category_id)),
                "translation_key": page.translation_key,
                "tag_ids": tags_of.get(page.pk, []),
            }
        )
        if number % PROGRESS_EVERY == 0 or number == len(todo):
            log(f"  繁體： converted {number:,}/{len(todo):,} ({time.monotonic() - started:.1f}s)")
    return len(insert_notices(hant_index, rows, hant_locale, owner, "繁體"))


def index_notices() -> int:
    """Add every notice without a search index entry to the search index, INDEX_CHUNK at a time."""
    from wagtail.search.backends import get_search_backend

    from notices.models import NoticePage

    todo = unindexed_notice_ids()
    log(f"search index: {len(todo):,} notices to add")
    if not todo:
        return 0
    backend = get_search_backend()
    started = time.monotonic()
    done = 0
    for offset in range(0, len(todo), INDEX_CHUNK):
        ids = todo[offset : offset + INDEX_CHUNK]
        objects = list(NoticePage.objects.filter(pk__in=ids).prefetch_related("tags").select_related("category"))
        backend.add_bulk(NoticePage, objects)
        done += len(ids)
        if done % PROGRESS_EVERY == 0 or done == len(todo):
            log(f"  indexed {done:,}/{len(todo):,} ({time.monotonic() - started:.1f}s)")
    return done


def unindexed_notice_ids() -> list[int]:
    from django.contrib.contenttypes.models import ContentType
    from modelsearch.conf import get_app_config

    from notices.models import NoticePage

    index_entry = get_app_config().get_model("IndexEntry")  # wagtail.search's IndexEntry under Wagtail

    content_type = ContentType.objects.get_for_model(NoticePage)
    indexed = set(index_entry.objects.filter(content_type=content_type).values_list("object_id", flat=True))
    return [pk for pk in NoticePage.objects.order_by("pk").values_list("pk", flat=True) if str(pk) not in indexed]


def is_complete() -> bool:
    """True when the bench database is migrated and holds the 10,000 notices, translated and indexed."""
    if not DB_PATH.exists():
        return False
    from django.core.exceptions import ObjectDoesNotExist
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return False
        found = counts()
        return found["zh-hans"] >= TARGET and found["zh-hant"] >= found["zh-hans"] and not unindexed_notice_ids()
    except (DatabaseError, ObjectDoesNotExist):
        return False


def analyse() -> None:
    """Planner statistics, as PostgreSQL's autovacuum keeps them after a bulk load: without them
    SQLite guesses how selective each index is and may walk the wrong one."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            started = time.monotonic()
            cursor.execute("ANALYZE")
            log(f"planner statistics (ANALYZE) in {time.monotonic() - started:.1f}s")


def counts() -> dict[str, int]:
    from wagtail.models import Locale

    from notices.models import NoticeIndexPage, NoticePage

    result = {}
    for code in ("zh-hans", "zh-hant"):
        index = NoticeIndexPage.objects.get(locale=Locale.objects.get(language_code=code))
        result[code] = NoticePage.objects.child_of(index).count()
    return result


def main() -> int:
    import argparse
    import shutil

    parser = argparse.ArgumentParser(description="Seed bench/bench.sqlite3 (idempotent).")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="delete bench/bench.sqlite3 and bench/media first, e.g. after search fields or demo data changed",
    )
    if parser.parse_args().fresh:
        for path in (DB_PATH, DB_PATH.with_name(DB_PATH.name + "-wal"), DB_PATH.with_name(DB_PATH.name + "-shm")):
            path.unlink(missing_ok=True)
        shutil.rmtree(MEDIA_ROOT, ignore_errors=True)
        log("deleted the bench database and media")
    MEDIA_ROOT.mkdir(exist_ok=True)
    setup_django()
    if is_complete():
        log(f"{DB_PATH.name} already holds {TARGET:,} notices （+ 繁體， indexed）")
        analyse()
        return 0
    manage("migrate", "--noinput")
    from django.db import connection
    from wagtail.models import Locale

    from members.models import User
    from notices.models import NoticeIndexPage

    connection.close()  # the child process changed the schema
    zh_hans = Locale.objects.filter(language_code="zh-hans").first()
    if zh_hans is None or not NoticeIndexPage.objects.filter(locale=zh_hans).exists():
        manage("load_demo_content", "--force")
    else:
        log("demo content present: load_demo_content skipped")
    zh_hans = Locale.objects.get(language_code="zh-hans")
    zh_hant = Locale.objects.get(language_code="zh-hant")
    index = NoticeIndexPage.objects.get(locale=zh_hans)
    hant_index = NoticeIndexPage.objects.get(locale=zh_hant)
    owner = User.objects.filter(is_superuser=True).order_by("pk").first()

    added = add_simplified_notices(index, zh_hans, owner)
    translated = add_traditional_translations(index, hant_index, zh_hant, owner)
    indexed = index_notices()
    analyse()
    log(f"done: +{added:,} 简体， +{translated:,} 繁體， {indexed:,} indexed; notices now {counts()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
