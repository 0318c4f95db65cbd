"""The 简体 site: the home page, the sections (notices, news, policies, science), the standard and legal
pages, the join guide, partners and the home page's quick links."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from demo import files
from home.models import HomePage, HomeQuickLink, JoinGuidePage, Partner, StandardPage
from notices.models import (
    ArticleAttachment,
    Audience,
    NewsArticlePage,
    NewsIndexPage,
    NewsSectionPage,
    NoticeCategory,
    NoticeIndexPage,
    NoticePage,
    PolicyDocumentPage,
    PolicyIndexPage,
    ScienceArticlePage,
    ScienceIndexPage,
)
from portal.localization.conversion import to_traditional
from portal.models import CustomImage

from .building import PageBuilder, as_date, dues_item, join_guide_body, load, stream

# The page type of each top-level section of sections.json.
SECTION_MODELS = {
    "notices": NoticeIndexPage,
    "news": NewsIndexPage,
    "policies": PolicyIndexPage,
    "science": ScienceIndexPage,
}
JOIN_SLUG = "join"


class SimplifiedSite(PageBuilder):
    def home_page(self) -> HomePage:
        home = HomePage.objects.get(locale=self.zh_hans, depth=2)
        if not home.hero_title:
            data = load("home.json")["zh_hans"]
            home.title, home.hero_title, home.hero_text = data["title"], data["hero_title"], data["hero_text"]
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
        data = load("sections.json")
        for item in data["sections"]:
            model = SECTION_MODELS[item["slug"]]
            page = model(title=item["title"], slug=item["slug"], intro=item["intro"], show_in_menus=True)
            sections[item["slug"]] = self.add_page(home, page)
        for item in data["news_sections"]:
            page = NewsSectionPage(title=item["title"], slug=item["slug"])
            sections[item["slug"]] = self.add_page(sections["news"], page)
        return sections

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
        tile = load("join_guide.json")["zh_hans"]["tile"]
        links = [
            (tile["title"], tile["description"], "join", guide, ""),
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
