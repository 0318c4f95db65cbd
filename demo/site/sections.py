"""Builds the demo site from the data in demo/data (written from the association's own documents).

Every step looks for what it would create first and leaves existing content alone,
so running the loader again changes nothing.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.html import escape
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from demo import files
from home.models import (
    ContactPage,
    ContactSettings,
    CounsellingCentrePage,
    CustomDocument,
    CustomImage,
    HomePage,
    HomeQuickLink,
    JoinGuidePage,
    Partner,
    StandardPage,
)
from notices.models import (
    ArticleAttachment,
    ArticlePage,
    Audience,
    InterpretationDocumentLink,
    NewsArticlePage,
    NewsIndexPage,
    NewsSectionPage,
    NoticeCategory,
    NoticeIndexPage,
    NoticePage,
    PolicyDocumentPage,
    PolicyIndexPage,
    PolicyInterpretationPage,
    ScienceArticlePage,
    ScienceIndexPage,
)
from portal.localization.conversion import to_traditional
from portal.localization.services import machine_translate

DATA = Path(__file__).parent.parent / "data"

ADDRESS = "大连市中山区民康街15号报业大厦23-D室"
ADDRESS_EN = "Room 23-D, Newspaper Building, 15 Minkang Street, Zhongshan District, Dalian"
PHONE = "0411-39768800"
# Fictitious: the filings, the 公众号 address its QR code holds and the secretariat's mailbox of the demo.
FILINGS = {"icp_number": "辽ICP备00000000号-1", "public_security_number": "辽公网安备21020202000000号"}
WECHAT_QR_TEXT = "https://weixin.qq.com/r/demo-dalian-counsellors"
SECRETARIAT_EMAIL = "secretariat@example.org"
DESCRIPTION = (
    "大连市心理咨询师协会官方网站：通知公告、行业资讯、政策解读、心理健康科普，会员服务、专家库、志愿服务与心理援助。",
    "The Dalian Psychological Counsellors Association: notices, news, policies and mental-health explainers; "
    "membership, the expert database, volunteering and psychological aid.",
)
# Standard pages of pages.json that are pages of their own type ("type" in the data).
PAGE_TYPES = {"contact": ContactPage, "counselling_centre": CounsellingCentrePage}

# Top-level sections: slug, model, 简体 title, English title, intro (简体, English).
SECTIONS = [
    (
        "notices",
        NoticeIndexPage,
        "通知公告",
        "Notices",
        "协会发布的通知、通告和公告。",
        "Notices and announcements of the association.",
    ),
    (
        "news",
        NewsIndexPage,
        "行业资讯",
        "News",
        "国内心理服务行业资讯与协会动态。",
        "News of the profession and of the association.",
    ),
    (
        "policies",
        PolicyIndexPage,
        "政策解读",
        "Policies",
        "与心理咨询和社会心理服务相关的政策文件及其解读。",
        "Policy documents on counselling and psychological services, and their interpretations.",
    ),
    (
        "science",
        ScienceIndexPage,
        "科普",
        "Science",
        "面向公众的心理健康科普文章。",
        "Mental-health explainers for the public.",
    ),
]
JOIN_SLUG = "join"
JOIN_TILE = ("入会申请", "会员类别、会费标准和申请步骤")
JOIN_TILE_EN = ("How to join", "Who can join, dues and how to apply")
ABOUT_JOIN = ("如何入会", "会员类别、会费标准、申请步骤和需要准备的材料，请看", "入会指南")
ABOUT_JOIN_EN = ("How to join", "Who can join, the dues, the steps and the documents you need: see ", "How to join")
NEWS_SECTIONS = [("domestic", "国内资讯", "Domestic news"), ("association", "协会动态", "Association news")]
HERO = (
    "关注心理健康 服务大连市民",
    "大连市心理咨询师协会：会员服务、专家库、志愿服务与心理援助。",
    "Caring for the mental health of Dalian",
    "Dalian Psychological Counsellors Association: members, expert database, volunteering and aid.",
)


def load(name: str):
    with (DATA / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def as_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def with_item_ids(value):
    """Block data with every list item in Wagtail's current form, id included: the 繁體 translation finds each
    item by its id, and items stored without one get a new id on every load and are left unconverted."""
    if isinstance(value, dict):
        return {key: with_item_ids(item) for key, item in value.items()}
    if isinstance(value, list):
        return [{"type": "item", "value": with_item_ids(item), "id": str(uuid.uuid4())} for item in value]
    return value


def join_guide_body(blocks: list[dict]) -> str:
    return json.dumps([{"type": b["type"], "value": with_item_ids(b["value"])} for b in blocks], ensure_ascii=False)


def stream(blocks: Iterable) -> str:
    """StreamField JSON from plain paragraphs or {"type": "heading"|"paragraph", "text": ...} blocks."""
    data = []
    for block in blocks:
        if isinstance(block, str):
            block = {"type": "paragraph", "text": block}
        if block["type"] == "heading":
            data.append({"type": "heading", "value": {"text": block["text"], "level": "h2"}})
        else:
            data.append({"type": "paragraph", "value": f"<p>{escape(block['text'])}</p>"})
    return json.dumps(data, ensure_ascii=False)


def dues_item(data, year: int):
    """The dues notice of dues.json for `year`: {year} in its texts replaced."""
    if isinstance(data, str):
        return data.replace("{year}", str(year))
    if isinstance(data, list):
        return [dues_item(value, year) for value in data]
    if isinstance(data, dict):
        return {key: dues_item(value, year) for key, value in data.items()}
    return data


class DemoLoader:
    def __init__(self, user, progress: Callable[[str], None] = print):
        self.user = user
        self.progress = progress
        self.zh_hans = Locale.objects.get(language_code="zh-hans")
        self.zh_hant = Locale.objects.get(language_code="zh-hant")
        self.en = Locale.objects.get(language_code="en")
        self.created = 0

    # Helpers ---------------------------------------------------------------------------------

    def child(self, parent: Page, slug: str):
        # Not parent.get_children(): treebeard answers that from the in-memory numchild, which is
        # stale for a parent whose children were added through another instance.
        return Page.objects.child_of(parent).filter(slug=slug).specific().first()

    def publish(self, parent: Page, page: Page) -> Page:
        parent.add_child(instance=page)
        page.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)
        self.created += 1
        return page

    def add_page(self, parent: Page, page: Page, after_create=None) -> Page:
        existing = self.child(parent, page.slug)
        if existing is not None:
            return existing
        if after_create is None:
            return self.publish(parent, page)
        parent.add_child(instance=page)
        after_create(page)
        page.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)
        self.created += 1
        return page

    def document(self, title: str, filename: str, paragraphs: list[str]) -> CustomDocument:
        existing = CustomDocument.objects.filter(title=title).first()
        if existing:
            return existing
        pdf = files.pdf_document(title, paragraphs, author="大连市心理咨询师协会")
        document = CustomDocument(title=title, file=ContentFile(pdf, name=filename))
        document.save()
        return document

    def translation_of(self, page: Page, locale: Locale):
        return Page.objects.filter(translation_key=page.translation_key, locale=locale).specific().first()

    # Steps -----------------------------------------------------------------------------------

    def run(self) -> int:
        with transaction.atomic():
            self.contact_settings()
            home = self.home_page()
            vocab = self.vocabulary()
            sections = self.sections(home)
            self.notices(sections["notices"], vocab["categories"])
            self.dues_notice(sections["notices"], vocab["categories"])
            self.news(sections)
            documents = self.policies(sections["policies"])
            self.science(sections["science"], vocab["audiences"])
            self.standard_pages(home)
            self.legal_pages(home)
            self.join_guide(home)
            self.partners()
            self.quick_links(home, sections)
        self.traditional_site(home, documents)
        with transaction.atomic():
            self.english_site(home)
            self.join_links(home)
        with transaction.atomic():
            self.page_types(home)
        return self.created

    def contact_settings(self):
        site = Site.objects.get(is_default_site=True)
        contact = ContactSettings.for_site(site)
        if not contact.address:
            contact.address, contact.address_en, contact.phone = ADDRESS, ADDRESS_EN, PHONE
            contact.wechat_account = "大连市心理咨询师"
            contact.save()
        if not contact.icp_number:
            contact.icp_number, contact.public_security_number = (
                FILINGS["icp_number"],
                FILINGS["public_security_number"],
            )
            contact.description, contact.description_en = DESCRIPTION
            contact.email = contact.email or SECRETARIAT_EMAIL
            contact.wechat_qr = CustomImage.objects.create(
                title="协会微信公众号二维码（演示）",
                file=ContentFile(files.qr_png(WECHAT_QR_TEXT), name="wechat-qr.png"),
            )
            contact.share_image = CustomImage.objects.create(
                title="网站分享图片", file=ContentFile(files.share_png("DPCA"), name="share.png")
            )
            contact.save()
        if not contact.bank_account_number:  # fictitious: members see where a dues transfer would go
            contact.bank_account_name, contact.bank_name = "大连市心理咨询师协会", "中国工商银行大连分行营业部（演示）"
            contact.bank_account_number = "0000 0000 0000 0000 000"
            contact.save()
        if contact.seal is None:  # receipts and certificates carry a seal and 经办人: a demo one, marked so
            contact.seal = CustomImage.objects.create(
                title="协会印章（演示专用）",
                file=ContentFile(files.seal_png(contact.organisation_name), name="seal-demo.png"),
            )
            contact.receipt_handler = contact.receipt_handler or "王秘书（演示）"
            contact.save()
        if site.hostname == "localhost" and site.port == 80:
            # `make run` serves the demo at http://127.0.0.1:8000/.
            site.hostname, site.port = "127.0.0.1", 8000
            site.save()

    def home_page(self) -> HomePage:
        home = HomePage.objects.get(locale=self.zh_hans, depth=2)
        if not home.hero_title:
            home.title = "大连市心理咨询师协会"
            home.hero_title, home.hero_text = HERO[0], HERO[1]
            home.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)
        return home

    def vocabulary(self) -> dict:
        categories, audiences = {}, {}
        for item in load("categories.json"):
            categories[item["key"]] = self.translated_snippet(NoticeCategory, item)
        for item in load("audiences.json"):
            audiences[item["key"]] = self.translated_snippet(Audience, item)
        return {"categories": categories, "audiences": audiences}

    def translated_snippet(self, model, item):
        """A vocabulary entry in 简体 with its 繁體 and English translations."""
        source = model.objects.filter(slug=item["key"], locale=self.zh_hans).first()
        if source is None:
            source = model.objects.create(slug=item["key"], name=item["zh_hans"], locale=self.zh_hans)
        for locale, name in ((self.zh_hant, item["zh_hant"]), (self.en, item["en"])):
            if not model.objects.filter(translation_key=source.translation_key, locale=locale).exists():
                copy = source.copy_for_translation(locale)
                copy.name = name
                copy.save()
        return source

    def sections(self, home: HomePage) -> dict:
        sections = {}
        for slug, model, title, _title_en, intro, _intro_en in SECTIONS:
            sections[slug] = self.add_page(home, model(title=title, slug=slug, intro=intro, show_in_menus=True))
        for slug, title, _title_en in NEWS_SECTIONS:
            sections[slug] = self.add_page(sections["news"], NewsSectionPage(title=title, slug=slug))
        return sections

    def article_fields(self, item: dict) -> dict:
        return {
            "title": item["title"],
            "slug": item["slug"],
            "date": as_date(item["date"]),
            "author": item.get("author", ""),
            "source": item.get("source", ""),
            "summary": item.get("summary", ""),
            "body": stream(item["body"]),
        }

    def add_article(self, parent: Page, page: ArticlePage, tags: list[str], after_create=None) -> ArticlePage:
        def prepare(created):
            created.tags.add(*tags)
            if after_create:
                after_create(created)

        return self.add_page(parent, page, after_create=prepare)

    def notices(self, index: NoticeIndexPage, categories: dict):
        items = load("notices.json")
        for number, item in enumerate(items, 1):
            page = NoticePage(
                **self.article_fields(item),
                document_number=item.get("document_number", ""),
                category=categories.get(item["category"]),
                pinned=item.get("pinned", False),
                pinned_until=as_date(item.get("pinned_until")),
                closing_date=as_date(item.get("closing_date")),
            )
            self.add_article(index, page, item.get("tags", []))
            if number % 10 == 0 or number == len(items):
                self.progress(f"  notices {number}/{len(items)}")

    def dues_notice(self, index: NoticeIndexPage, categories: dict):
        """This year's dues notice, linked to this year's dues period, whose rates it shows: pinned, and open
        until the grace period ends (the home page's 会费缴纳 leads to it)."""
        from django.utils import timezone

        from demo import members as members_demo

        today = timezone.localdate()
        # The period the demo members are invoiced for: it fell due a month ago (as members.demo makes it).
        period = members_demo._period(today.year, today - datetime.timedelta(days=30))
        item = dues_item(load("dues.json"), today.year)
        page = NoticePage(
            **self.article_fields({**item, "date": (period.due_date - datetime.timedelta(days=60)).isoformat()}),
            document_number=item["document_number"],
            category=categories.get(item["category"]),
            pinned=True,
            closing_date=period.grace_ends,
            dues_period=period,
        )
        self.add_article(index, page, item["tags"])

    def news(self, sections: dict):
        data = load("news.json")
        for key in ("domestic", "association"):
            for item in data[key]:
                self.add_article(sections[key], NewsArticlePage(**self.article_fields(item)), item.get("tags", []))
        self.progress("  news")

    def policies(self, index: PolicyIndexPage) -> list[PolicyDocumentPage]:
        data = load("policies.json")
        documents = []
        for item in data["documents"]:

            def attach(page, item=item):
                for order, attachment in enumerate(item.get("attachments", [])):
                    document = self.document(attachment["title"], attachment["filename"], attachment["paragraphs"])
                    page.attachments.add(ArticleAttachment(document=document, sort_order=order))

            page = PolicyDocumentPage(
                **self.article_fields(item),
                issuing_body=item["issuing_body"],
                document_number=item.get("document_number", ""),
                issue_date=as_date(item.get("issue_date")),
                disclosure=item.get("disclosure", ""),
            )
            page = self.add_article(index, page, item.get("tags", []), after_create=attach)
            if item.get("view_count") and page.view_count < item["view_count"]:
                PolicyDocumentPage.objects.filter(pk=page.pk).update(view_count=item["view_count"])
            documents.append(page)
        self.progress("  policy documents")
        return documents

    def science(self, index: ScienceIndexPage, audiences: dict):
        for item in load("science.json"):

            def set_audiences(page, item=item):
                page.audiences.set([audiences[key] for key in item.get("audiences", [])])

            self.add_article(
                index, ScienceArticlePage(**self.article_fields(item)), item.get("tags", []), set_audiences
            )
        self.progress("  science articles")

    def standard_pages(self, home: HomePage):
        for item in load("pages.json"):
            self.add_page(
                home,
                StandardPage(
                    title=item["title"],
                    slug=item["slug"],
                    intro=item["intro"],
                    body=stream(item["body"]),
                    show_in_menus=True,
                ),
            )

    def legal_pages(self, home: HomePage):
        """The charter, privacy policy and user agreement: linked from the footer and consent boxes, not the menu."""
        for item in load("legal.json"):
            self.add_page(
                home,
                StandardPage(title=item["title"], slug=item["slug"], intro=item["intro"], body=stream(item["body"])),
            )

    def join_guide(self, home: HomePage):
        guide = load("join_guide.json")["zh_hans"]
        self.add_page(
            home,
            JoinGuidePage(
                title=guide["title"],
                slug=JOIN_SLUG,
                intro=guide["intro"],
                body=join_guide_body(guide["body"]),
            ),
        )

    def partners(self):
        for order, item in enumerate(load("partners.json")):
            if Partner.objects.filter(name=item["name"], locale=self.zh_hans).exists():
                continue
            logo = CustomImage(
                title=item["name"],
                description=item["name"],
                file=ContentFile(files.logo_png(item["abbreviation"], item["colour"]), name=f"{item['key']}.png"),
            )
            logo.save()
            partner = Partner.objects.create(
                name=item["name"], logo=logo, url=item.get("url", ""), locale=self.zh_hans, sort_order=order
            )
            for locale, name in ((self.zh_hant, to_traditional(item["name"])), (self.en, item["name_en"])):
                copy = partner.copy_for_translation(locale)
                copy.name = name
                copy.save()
        self.progress("  partners")

    def quick_links(self, home: HomePage, sections: dict):
        self.dues_quick_links()
        if home.quick_links.exists():
            return
        guide = self.child(home, JOIN_SLUG)
        # The current dues notice, found on each visit (or the member centre when there is none).
        dues = sections["notices"].url + sections["notices"].reverse_subpage("current_dues")
        links = [
            (*JOIN_TILE, "join", guide, ""),
            ("会费缴纳", "年度会费缴纳通知", "dues", None, dues),
            ("专家库", "心理咨询行业专家库", "experts", None, "/experts/"),
            ("志愿服务", "志愿者招募与公益行动", "volunteer", None, "/volunteer/"),
        ]
        for order, (title, description, icon, page, url) in enumerate(links):
            HomeQuickLink.objects.create(
                page=home,
                title=title,
                description=description,
                icon=icon,
                link_page=page,
                link_url=url,
                sort_order=order,
            )

    def dues_quick_links(self):
        """会费缴纳 leads to the current dues notice of its language, found on each visit: a site loaded when it
        led to one notice (which has closed since) is brought up to date."""
        for link in HomeQuickLink.objects.filter(icon="dues", link_page__isnull=False).select_related("page"):
            index = NoticeIndexPage.objects.child_of(link.page).first()
            if index is not None and link.link_page.specific_class is NoticePage:
                link.link_page, link.link_url = None, index.url + index.reverse_subpage("current_dues")
                link.save()

    def page_types(self, home: HomePage):
        """Standard pages of the data that are pages of their own type (contact, the counselling centre), in
        every language: made as standard pages like the others, then given their type and its fields."""
        for item in load("pages.json"):
            model = PAGE_TYPES.get(item.get("type", ""))
            source = self.child(home, item["slug"])
            if model is None or source is None:
                continue
            fields = item.get("fields", {})
            fields_en = item.get("fields_en", {})
            for locale, values in (
                (self.zh_hans, fields),
                (self.zh_hant, {name: to_traditional(value) for name, value in fields.items()}),
                (self.en, fields_en),
            ):
                page = self.translation_of(source, locale)
                if page is not None and not isinstance(page, model):
                    self.specialise(page, model, values)
        self.progress("  contact and counselling centre pages")

    def specialise(self, page: StandardPage, model: type[StandardPage], fields: dict) -> StandardPage:
        """Turn a standard page into a page of a subtype in place: same id, address, text and history."""
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Revision

        specific = model(standardpage_ptr_id=page.pk, **fields)
        for field in StandardPage._meta.concrete_fields:
            setattr(specific, field.attname, getattr(page, field.attname))
        specific.save_base(raw=True)  # the subtype's own row; the page's rows stay as they are
        content_type = ContentType.objects.get_for_model(model)
        Page.objects.filter(pk=page.pk).update(content_type=content_type)
        Revision.page_revisions.filter(object_id=str(page.pk)).update(content_type=content_type)
        try:
            from wagtail_localize.models import TranslationSource

            TranslationSource.objects.filter(object_id=page.translation_key).update(specific_content_type=content_type)
        except ImportError:
            pass
        specific = model.objects.get(pk=page.pk)
        specific.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)
        self.created += 1
        return specific

    # 繁體: the whole 简体 site, converted by the OpenCC machine translator --------------------

    def traditional_site(self, home: HomePage, documents: list[PolicyDocumentPage]):
        hant_home = self.translation_of(home, self.zh_hant)
        new_home = hant_home is None
        if new_home:
            hant_home = home.copy_for_translation(self.zh_hant)
            hant_home.title = to_traditional(home.title)
            hant_home.hero_title, hant_home.hero_text = to_traditional(HERO[0]), to_traditional(HERO[1])
            hant_home.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)
            self.created += 1
        pages = list(home.get_descendants().specific().order_by("path"))
        missing = [
            p for p in pages if not Page.objects.filter(translation_key=p.translation_key, locale=self.zh_hant).exists()
        ]
        for number, page in enumerate(missing, 1):
            machine_translate(page, self.zh_hant, self.user)
            self.created += 1
            if number % 10 == 0 or number == len(missing):
                self.progress(f"  繁體 {number}/{len(missing)}")
        if new_home:
            # The copied quick links still point at 简体 pages: point them at their 繁體 translations.
            for link in hant_home.quick_links.all():
                if link.link_page_id:
                    link.link_page = self.translation_of(link.link_page, self.zh_hant) or link.link_page
                elif link.link_url.startswith("/"):
                    link.link_url = f"/zh-hant{link.link_url}"
                link.title, link.description = to_traditional(link.title), to_traditional(link.description)
                link.save()
        self.interpretation(documents)

    def interpretation(self, documents: list[PolicyDocumentPage]):
        """The interpretation of the 2020 pilot tasks in 简体 and, converted, in 繁體. A site loaded when it
        existed in 繁體 only keeps that page, as the translation of the new 简体 one."""
        for item in load("policies.json")["interpretations"]:
            index = PolicyIndexPage.objects.get(locale=self.zh_hans)
            explained = [d for d in documents if d.slug in item["explains"]]
            hant_index = PolicyIndexPage.objects.get(locale=self.zh_hant)
            hant = PolicyInterpretationPage.objects.child_of(hant_index).filter(slug=item["slug"]).first()

            def link(page, explained=explained):
                for order, document in enumerate(explained):
                    page.document_links.add(InterpretationDocumentLink(document=document, sort_order=order))

            page = PolicyInterpretationPage(**self.article_fields(item))
            if hant is not None:
                page.translation_key = hant.translation_key
            page = self.add_article(index, page, item.get("keywords", []), after_create=link)
            if self.translation_of(page, self.zh_hant) is None:
                machine_translate(page, self.zh_hant, self.user)
                self.created += 1
        self.progress("  interpretation")

    # English: the site structure in English, with the English news and explainer -----------

    def english_site(self, home: HomePage):
        en_home = self.translation_of(home, self.en)
        if en_home is None:
            en_home = home.copy_for_translation(self.en)
            en_home.title = "Dalian Psychological Counsellors Association"
            en_home.hero_title, en_home.hero_text = HERO[2], HERO[3]
            en_home.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)
            en_home.quick_links.all().delete()
            self.created += 1
        sections = {}
        for slug, _model, _title, title_en, _intro, intro_en in SECTIONS:
            sections[slug] = self.english_copy(self.child(home, slug), title=title_en, intro=intro_en)
        for slug, _title, title_en in NEWS_SECTIONS:
            sections[slug] = self.english_copy(self.child(self.child(home, "news"), slug), title=title_en)
        for item in [*load("pages.json"), *load("legal.json")]:
            self.english_copy(
                self.child(home, item["slug"]),
                title=item["title_en"],
                intro=item["intro_en"],
                body=stream(item["body_en"]),
            )
        guide = load("join_guide.json")["en"]
        self.english_copy(
            self.child(home, JOIN_SLUG),
            title=guide["title"],
            intro=guide["intro"],
            apply_label=guide["apply_label"],
            body=join_guide_body(guide["body"]),
        )
        data = load("english.json")
        domestic = self.child(self.child(home, "news"), "domestic")
        for item in data["news"]:
            self.english_translation(
                sections["domestic"],
                self.child(domestic, item["slug"]),
                NewsArticlePage(**self.article_fields(item), locale=self.en),
                item.get("tags", []),
            )
        audiences = {a.slug: a for a in Audience.objects.filter(locale=self.en)}
        for item in data["science"]:

            def set_audiences(page, item=item):
                page.audiences.set([audiences[key] for key in item.get("audiences", []) if key in audiences])

            self.english_translation(
                sections["science"],
                self.child(self.child(home, "science"), item["slug"]),
                ScienceArticlePage(**self.article_fields(item), locale=self.en),
                item.get("tags", []),
                set_audiences,
            )
        if not en_home.quick_links.exists():
            for order, (title, description, icon, slug) in enumerate(
                [
                    (*JOIN_TILE_EN, "join", JOIN_SLUG),
                    ("Contact", "Address and telephone", "notice", "contact"),
                    ("News", "News of the profession", "notice", "news"),
                    ("Science", "Mental-health explainers", "volunteer", "science"),
                ]
            ):
                HomeQuickLink.objects.create(
                    page=en_home,
                    title=title,
                    description=description,
                    icon=icon,
                    link_page=self.child(en_home, slug),
                    sort_order=order,
                )
        self.english_articles(home)
        self.progress("  English site")

    def english_articles(self, home: HomePage):
        """The English interpretation and this year's dues notice, as translations of the 简体 pages."""
        from django.utils import timezone

        for item in load("policies.json")["interpretations"]:
            source = self.child(self.child(home, "policies"), item["slug"])
            self.english_article(source, item, tags=item["keywords_en"])
        item = dues_item(load("dues.json"), timezone.localdate().year)
        source = self.child(self.child(home, "notices"), item["slug"])
        if source is not None:
            self.english_article(source, item, tags=item["tags_en"])

    def english_article(self, source: ArticlePage, item: dict, tags: list[str]) -> Page:
        """An English copy of an article with the English texts of its data (the *_en keys)."""
        if self.translation_of(source, self.en) is not None:
            return self.translation_of(source, self.en)
        copy = source.copy_for_translation(self.en)
        copy.title, copy.summary, copy.body = item["title_en"], item["summary_en"], stream(item["body_en"])
        copy.author, copy.source = item["author_en"], item["source_en"]
        if getattr(copy, "category", None) is not None:
            copy.category = copy.category.get_translation_or_none(self.en) or copy.category
        copy.tags.clear()
        copy.tags.add(*tags)
        copy.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)
        self.created += 1
        return copy

    def join_links(self, home: HomePage):
        """Point the join tile and the about page of each language at the join guide; also on a site loaded
        before the guide existed, when the tile led to the about page."""
        for locale in (self.zh_hans, self.zh_hant, self.en):
            local_home = self.translation_of(home, locale)
            guide = local_home and JoinGuidePage.objects.child_of(local_home).filter(slug=JOIN_SLUG).first()
            if guide is None:
                continue
            about = self.child(local_home, "about")
            title, description = JOIN_TILE_EN if locale == self.en else JOIN_TILE
            if locale == self.zh_hant:
                title, description = to_traditional(title), to_traditional(description)
            for link in local_home.quick_links.filter(icon="join").exclude(link_page=guide):
                if link.link_page_id is None or (about and link.link_page_id == about.pk):
                    link.link_page, link.title, link.description = guide, title, description
                    link.save()
            if about is not None:
                self.about_join_section(about, guide, locale)

    def about_join_section(self, about: StandardPage, guide: JoinGuidePage, locale: Locale):
        """A 入会 section at the end of the about page, linking the guide (once)."""
        guides = set(Page.objects.filter(translation_key=guide.translation_key).values_list("pk", flat=True))
        for block in about.body.raw_data:
            html = str(block["value"])
            if 'linktype="page"' in html and any(f'id="{pk}"' in html for pk in guides):
                return
        heading, text, link = ABOUT_JOIN_EN if locale == self.en else ABOUT_JOIN
        if locale == self.zh_hant:
            heading, text, link = (to_traditional(part) for part in ABOUT_JOIN)
        paragraph = f'<p>{escape(text)}<a linktype="page" id="{guide.pk}">{escape(link)}</a></p>'
        about.body.append(("heading", {"text": heading, "level": "h2"}))
        about.body.append(("paragraph", RichText(paragraph)))
        about.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)

    def english_translation(self, parent: Page, source, page: ArticlePage, tags: list[str], after_create=None):
        """An English article, as the translation of the 简体 one at the same address where there is one
        (so English listings show it once, in English, rather than also the Chinese original)."""
        if source is None or self.child(parent, page.slug) is not None:
            return self.add_article(parent, page, tags, after_create)
        copy = source.copy_for_translation(self.en)
        for name in ("title", "date", "author", "source", "summary", "body"):
            setattr(copy, name, getattr(page, name))
        copy.tags.clear()
        copy.tags.add(*tags)
        if after_create:
            after_create(copy)
        copy.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)
        self.created += 1
        return copy

    def english_copy(self, source: Page, **fields) -> Page:
        existing = self.translation_of(source, self.en)
        if existing is not None:
            return existing
        copy = source.copy_for_translation(self.en)
        for name, value in fields.items():
            setattr(copy, name, value)
        copy.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)
        self.created += 1
        return copy
