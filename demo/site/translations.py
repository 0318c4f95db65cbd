"""The 繁體 site, converted from the 简体 one by the OpenCC machine translator, and the English site: its
structure, the English news and explainers, and the join guide linked in every language."""

from __future__ import annotations

from django.utils.html import escape
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from home.models import HomePage, HomeQuickLink, JoinGuidePage, StandardPage
from notices.models import (
    ArticlePage,
    Audience,
    InterpretationDocumentLink,
    NewsArticlePage,
    PolicyDocumentPage,
    PolicyIndexPage,
    PolicyInterpretationPage,
    ScienceArticlePage,
)
from portal.localization.conversion import to_traditional
from portal.localization.services import machine_translate

from .building import PageBuilder, dues_item, join_guide_body, load, stream
from .sections import JOIN_SLUG


class TranslatedSites(PageBuilder):
    # 繁體: the whole 简体 site, converted by the OpenCC machine translator --------------------

    def traditional_site(self, home: HomePage, documents: list[PolicyDocumentPage]):
        hant_home = self.translation_of(home, self.zh_hant)
        new_home = hant_home is None
        if new_home:
            hant_home = home.copy_for_translation(self.zh_hant)
            hant_home.title = to_traditional(home.title)
            hero = load("home.json")["zh_hans"]
            hant_home.hero_title = to_traditional(hero["hero_title"])
            hant_home.hero_text = to_traditional(hero["hero_text"])
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
            data = load("home.json")["en"]
            en_home.title, en_home.hero_title, en_home.hero_text = data["title"], data["hero_title"], data["hero_text"]
            en_home.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)
            en_home.quick_links.all().delete()
            self.created += 1
        sections = {}
        structure = load("sections.json")
        for item in structure["sections"]:
            source = self.child(home, item["slug"])
            sections[item["slug"]] = self.english_copy(source, title=item["title_en"], intro=item["intro_en"])
        for item in structure["news_sections"]:
            source = self.child(self.child(home, "news"), item["slug"])
            sections[item["slug"]] = self.english_copy(source, title=item["title_en"])
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
            tile = guide["tile"]
            for order, (title, description, icon, slug) in enumerate(
                [
                    (tile["title"], tile["description"], "join", JOIN_SLUG),
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
        texts = load("join_guide.json")
        for locale in (self.zh_hans, self.zh_hant, self.en):
            local_home = self.translation_of(home, locale)
            guide = local_home and JoinGuidePage.objects.child_of(local_home).filter(slug=JOIN_SLUG).first()
            if guide is None:
                continue
            about = self.child(local_home, "about")
            tile = texts["en" if locale == self.en else "zh_hans"]["tile"]
            title, description = tile["title"], tile["description"]
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
        section = load("join_guide.json")["en" if locale == self.en else "zh_hans"]["about"]
        heading, text, link = section["heading"], section["text"], section["link"]
        if locale == self.zh_hant:
            heading, text, link = to_traditional(heading), to_traditional(text), to_traditional(link)
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
