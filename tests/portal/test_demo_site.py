"""The demo site `make run` loads: built once, with every state the README promises, read whole in
繁體 (every page in 繁體) and in English (every listing shows as many items as the Chinese one, in
English where translated, otherwise in Chinese marked as such).

Loading the demo takes about a minute, so the tests of this module share one load: it is committed as
`make run` commits it (wagtail-localize publishes each translation when its transaction commits), the
tests read it inside their own rolled-back transactions, and the database goes back to what the
migrations made when the module is done. The checks run as subtests of one test, so that they run on
one worker, after one load.
"""

import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page, Revision

from calls.models import CallCertificate, CallPage, CallReview
from calls.reports import aggregate, missing
from demo import logins
from demo import members as members_demo
from experts.models import BatchObjection, Expert, ExpertApplication, ExpertBatch, ExpertReview
from home.models import HomePage, Partner
from members.models import Invoice, Member, MembershipApplication, Payment
from notices.models import (
    NewsArticlePage,
    NoticePage,
    PolicyDocumentPage,
    PolicyInterpretationPage,
)
from portal.localization.conversion import to_traditional
from portal.models import CustomDocument, CustomImage
from tests.portal.factories import html

TRADITIONAL_PREFIX = "/zh-hant/"
# Links not worth following: sign-in round trips, feeds, files, calendar entries, the admin.
SKIPPED = re.compile(r"/accounts/|/admin/|/feed/|/documents/|\.ics$|/share/|/_util/")
ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
LISTINGS = ("/notices/", "/news/", "/policies/", "/science/", "/volunteer/", "/aid/")


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The output of one `load_demo_content` for the whole module; afterwards, the database as the
    migrations left it (as after a transactional test)."""
    output = io.StringIO()
    with django_db_blocker.unblock():
        migrated = connection.creation.serialize_db_to_string()
        call_command("load_demo_content", "--force", stdout=output)
    yield output.getvalue()
    with django_db_blocker.unblock():
        # As TransactionTestCase does: the sequences keep counting, so the rows put back with their
        # own keys are never handed out again (PostgreSQL).
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
        connection.creation.deserialize_db_from_string(migrated)


class Reader(HTMLParser):
    """The text a reader gets (text, attributes read out, the description), each with its language,
    and the links of the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.hidden = 0

    def language(self) -> str:
        return next((lang for _tag, lang in reversed(self.stack) if lang), "")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "meta":
            if attrs.get("name") == "description" or (attrs.get("property") or "").startswith("og:"):
                self.texts.append((self.language(), attrs.get("content") or ""))
            return
        lang = attrs.get("lang")
        for name in ATTRIBUTES:
            if attrs.get(name):
                self.texts.append((lang or self.language(), attrs[name]))
        if tag in ("script", "style"):
            self.hidden += 1
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append((self.language(), data.strip()))


def read(response) -> Reader:
    reader = Reader()
    reader.feed(response.content.decode())
    return reader


def still_simplified(reader: Reader) -> list[str]:
    """Text in 繁體 (the page's language) that OpenCC would still convert."""
    return [text for lang, text in reader.texts if lang.lower() == "zh-hant" and to_traditional(text) != text]


def traditional_pages(client: Client) -> tuple[dict[str, list[str]], list[str], int]:
    """{path: text still in 简体} of every 繁體 page reached from the sitemap and by links, the paths of
    pages the sitemap lists that have no 繁體 page, and how many 繁體 pages were read."""
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    queue, missing = [TRADITIONAL_PREFIX], []
    for url in re.findall(r"<loc>([^<]+)</loc>", sitemap):
        path = urlsplit(url).path
        if path.startswith(TRADITIONAL_PREFIX):
            queue.append(path)
        elif not path.startswith("/en/"):
            queue.append("/zh-hant" + path)
    sitemap_paths = set(queue)
    seen, found, read_pages = set(), {}, 0
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code == 404 and path in sitemap_paths:
            missing.append(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        reader = read(response)
        read_pages += 1
        assert re.search(r'<html lang="zh-hant"', response.content.decode(), re.I), path
        if leftovers := still_simplified(reader):
            found[path] = leftovers
        for link in reader.links:
            link = link.split("#")[0]
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith(TRADITIONAL_PREFIX) or SKIPPED.search(parts.path):
                continue
            if parts.query and (len(parts.query.split("&")) > 1 or "next=" in parts.query):
                continue
            queue.append(link)
    return found, missing, read_pages


def listed(client: Client, path: str) -> tuple[int, bool]:
    """How many items the listing at `path` shows over all its pages, and whether it says it has none."""
    count, empty, number = 0, False, 1
    while True:
        response = client.get(path, {"page": number} if number > 1 else {})
        if response.status_code != 200:
            break
        page = response.content.decode()
        main = page.split("<main", 1)[1].split("</main>", 1)[0]
        count += main.count('class="card__title"')
        empty = empty or 'class="empty"' in main
        if f"page={number + 1}" not in main:
            break
        number += 1
    return count, empty


def reads_in_traditional_and_in_english(demo):
    client = Client()

    leftovers, missing, read_pages = traditional_pages(client)
    english = {path: listed(client, "/en" + path) for path in LISTINGS}
    chinese = {path: listed(client, path) for path in LISTINGS}

    assert read_pages > 100  # every page of the demo: sections, articles, drives, campaigns, experts …
    assert not missing, f"pages with no 繁體 translation: {missing}"
    assert not leftovers, "简体 text on 繁體 pages:\n" + "\n".join(
        f"{path}: {' | '.join(texts[:5])}" for path, texts in sorted(leftovers.items())
    )
    for path in LISTINGS:
        assert chinese[path][0] > 0, path
        assert english[path] == chinese[path], (path, "English", english[path], "Chinese", chinese[path])


# Demo content -----------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    models = (Page, Revision, CustomDocument, CustomImage, Partner, Member, MembershipApplication, Invoice, Payment)
    models += (ExpertApplication, ExpertReview, ExpertBatch, BatchObjection, Expert)
    return {model.__name__: model.objects.count() for model in models}


def builds_the_site_once(demo):
    client = Client()
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    first_output, second_output = io.StringIO(demo), io.StringIO()

    loaded = row_counts()
    call_command("load_demo_content", "--force", stdout=second_output)

    assert row_counts() == loaded
    assert "Demo content loaded" in first_output.getvalue()
    assert "Demo expert database loaded" in first_output.getvalue()
    assert "nothing changed" in second_output.getvalue()

    # Demo members in each standing, applications in each state, dues paid by transfer and in cash.
    people = Member.objects.filter(user__email__in=[person[0] for person in members_demo.MEMBERS])
    standings = {member.full_name: member.standing() for member in people}
    assert sorted(standings.values()) == sorted(["active", "grace", "lapsed", "resigned"])
    # The expert applicants are members in good standing too.
    assert {member.standing() for member in Member.objects.exclude(pk__in=people)} == {"active"}
    assert set(MembershipApplication.objects.values_list("status", flat=True)) >= {
        "draft",
        "submitted",
        "returned",
        "rejected",
        "approved",
    }
    assert set(Payment.objects.values_list("method", "status")) >= {
        ("transfer", "confirmed"),
        ("transfer", "pending"),
        ("cash", "confirmed"),
        ("online", "confirmed"),
    }
    member_page = Client()
    member_page.post(reverse("account_login"), {"login": "member@example.com", "password": "portal-demo-2026"})
    assert "张明（演示）" in html(member_page.get(reverse("membership_home")))

    # The demo administrator printed by `make run` signs in (password, then the two-factor set-up).
    signed_in = client.post(reverse("account_login"), {"login": "admin@example.com", "password": "portal-demo-2026"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    assert client.get(reverse("wagtailadmin_home"))["Location"] == reverse("mfa_activate_totp")
    client.logout()

    # So does the demo expert reviewer.
    signed_in = client.post(reverse("account_login"), {"login": "reviewer@example.com", "password": "portal-demo-2026"})
    assert signed_in.status_code == 302
    assert client.get(reverse("wagtailadmin_home"))["Location"] == reverse("mfa_activate_totp")
    client.logout()

    # 52 notices from the data, this year's dues notice, the expert database's call, three batches'
    # notices and final lists and the fourth batch's notice, the seven calls (征集) and the 公示 and
    # results notices of three of them, all public, and their 繁體 translations.
    assert NoticePage.objects.filter(locale=locales["zh-hans"]).live().count() == 52 + 1 + 8 + 7 + 6
    assert NoticePage.objects.filter(locale=locales["zh-hant"]).live().count() == 52 + 1 + 8 + 7 + 6
    # The open directory call with three entries accepted and listed in 机构名录, one waiting and a
    # draft for another organisation; the 2021 awards closed, announced and decided, with a certificate for each of
    # the three honoured; the branch evaluation graded, two branches 优秀 and certified; the expert
    # proposals scored by two call reviewers but for one score still waiting; the project call with
    # three of four proposals recommended.
    directory = CallPage.objects.get(slug="industry-directory-institutions", locale=locales["zh-hans"])
    awards = CallPage.objects.get(slug="awards-2021-nominations", locale=locales["zh-hans"])
    assert directory.state() == "open" and awards.state() == "closed"
    assert sorted(directory.submissions.values_list("status", flat=True)) == [
        "approved",
        "approved",
        "approved",
        "draft",
        "submitted",
    ]
    institutions = html(client.get("/institutions/"))
    assert "共 3 家机构" in institutions and "危机干预分会心理援助站" in institutions
    assert list(awards.submissions.values_list("status", flat=True)) == ["accepted"] * 3
    assert awards.announcement.result_page.title == "关于表彰2021年度先进集体和先进个人的决定"
    certificate = CallCertificate.objects.get(holder="张明（演示）")
    assert certificate.honour == "2021年度先进个人"
    verified = html(client.get(f"/certificates/{certificate.display_code}/"))
    assert "张*（演示）" in verified and "张明" not in verified and "有效" in verified
    results = html(client.get(awards.announcement.result_page.url))
    assert "张明（演示）" in results and "大连市第七人民医院" in results and "荣誉证书" in results
    evaluation = CallPage.objects.get(slug="branch-evaluation-2019-online", locale=locales["zh-hans"])
    assert sorted(evaluation.submissions.values_list("grade", flat=True)) == ["优秀", "优秀", "合格"]
    assert CallCertificate.objects.filter(honour="2019年度优秀分支机构").count() == 2
    proposals = CallPage.objects.get(slug="expert-advice-2018", locale=locales["zh-hans"])
    assert CallReview.objects.filter(submission__call=proposals, submitted_at__isnull=False).count() == 3
    projects = CallPage.objects.get(slug="civil-affairs-projects-2019", locale=locales["zh-hans"])
    assert sorted(projects.submissions.values_list("status", flat=True)) == ["accepted"] * 3 + ["rejected"]
    assert "中学生心理健康守护计划" in html(client.get(projects.announcement.result_page.url))
    # The work reports with two of the four branches missing; the survey answered by four organisations.
    reports = CallPage.objects.get(slug="work-reports-2019", locale=locales["zh-hans"])
    assert [member.full_name for member in missing(reports)] == [
        "大连市心理咨询师协会危机干预分会（演示）",
        "大连市心理咨询师协会老年心理分会（演示）",
    ]
    survey = CallPage.objects.get(slug="return-to-work-survey", locale=locales["zh-hans"])
    assert aggregate(survey)[0]["answered"] == 4
    assert "已截止" in html(client.get(awards.url))
    # This year's dues notice shows the year's rates and leads to paying, in every language.
    dues_notices = NoticePage.objects.filter(dues_period__year=timezone.localdate().year).live()
    assert sorted(notice.locale.language_code for notice in dues_notices) == ["en", "zh-hans", "zh-hant"]
    for notice in dues_notices:
        dues_html = html(client.get(notice.url))
        assert 'class="dues-panel"' in dues_html and "200" in dues_html, notice.url
    assert ExpertBatch.objects.filter(status="closed").count() == 3

    # The policy document with its PDF attachment.
    document = PolicyDocumentPage.objects.get(document_number="联防联控机制发〔2020〕39号", locale=locales["zh-hans"])
    attachment = document.attachments.get()
    with attachment.document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    document_html = html(client.get(document.url))
    assert "联防联控机制发〔2020〕39号" in document_html
    assert "患者、隔离人员及家属心理疏导和社会工作服务要点" in document_html and "(PDF," in document_html
    assert client.get(attachment.document.url).status_code == 200

    # The interpretation in 简体, in 繁體 (converted, with its 13 tasks) and in English.
    assert "解读：2020年全国社会心理服务体系建设试点" in html(
        client.get(PolicyInterpretationPage.objects.get(locale=locales["zh-hans"]).url)
    )
    english_interpretation = PolicyInterpretationPage.objects.get(locale=locales["en"])
    assert "13 tasks in three areas" in html(client.get(english_interpretation.url))
    interpretation = PolicyInterpretationPage.objects.get(locale=locales["zh-hant"])
    interpretation_html = html(client.get(interpretation.url))
    assert interpretation.url.startswith("/zh-hant/")
    assert "解讀：2020年全國社會心理服務體系建設試點" in interpretation_html
    assert "三方面13項任務" in interpretation_html
    tasks = re.findall(r"<p>[(（](十[一二三]?|[一二三四五六七八九])[)）]", interpretation_html)
    assert tasks == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]

    # The quick links of each home page lead to pages in that home page's language.
    for code, prefix in (("zh-hans", "/"), ("zh-hant", "/zh-hant/"), ("en", "/en/")):
        home = HomePage.objects.get(locale=locales[code])
        links = re.findall(r'class="quick-link[^"]*">\s*<a href="([^"]+)"', html(client.get(home.url)))
        assert len(links) == 4, code
        assert all(link.startswith(prefix) and link != prefix for link in links), (code, links)
        assert all(client.get(link, follow=True).status_code == 200 for link in links), (code, links)

    # English news.
    english_news = NewsArticlePage.objects.filter(locale=locales["en"]).live()
    assert english_news.count() == 2
    for article in english_news:
        assert article.url.startswith("/en/")
        assert article.title in html(client.get(article.url))

    # Partners in every language, shown on the home page.
    assert {locale: Partner.objects.filter(locale=locales[locale]).count() for locale in locales} == {
        "zh-hans": 4,
        "zh-hant": 4,
        "en": 4,
    }
    home_html = html(client.get("/"))
    assert "大连市民政局" in home_html and "腾讯公益" in home_html

    # The home page lists the pinned notices first (not the closed 2022 dues notice), then the newest ones:
    # the batch in its notice period.
    notices_panel = re.search(r'<section class="panel panel--notices".*?</section>', home_html, re.S).group(0)
    headlines = re.findall(r'<li>\s*<a href="[^"]+">([^<]+)</a>\s*(<span class="badge badge--pinned">)?', notices_panel)
    assert headlines[:3] == [
        (f"关于交纳{timezone.localdate().year}年会费的通知", '<span class="badge badge--pinned">'),
        ("对我市赴武汉驰援的医护人员提供两年义务心理咨询援助", '<span class="badge badge--pinned">'),
        ("关于报审第四批入库专家名单的通告", ""),
    ]


def prints_logins_that_sign_in_as_the_readme_lists_them(demo):
    for email, _role, path in logins.LOGINS:
        assert f"{email} " in demo and path in demo
        client = Client()
        signed_in = client.post(reverse("account_login"), {"login": email, "password": logins.PASSWORD})
        assert signed_in.status_code == 302, email

    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (`[^|]+`) \|", readme, re.M)
    assert {email for row in rows for email in re.findall(r"`([^`]+@example\.com)`", row)} == {
        email for email, _role, _path in logins.LOGINS
    }


def test_the_demo_site(demo, subtests):
    for check in (
        reads_in_traditional_and_in_english,
        builds_the_site_once,
        prints_logins_that_sign_in_as_the_readme_lists_them,
    ):
        with subtests.test(check.__name__):
            check(demo)
