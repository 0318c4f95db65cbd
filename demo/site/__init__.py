"""Builds the demo site from the data in demo/data (written from the association's own documents).

Every step looks for what it would create first and leaves existing content alone,
so running the loader again changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from .building import DATA, PageBuilder, as_date, dues_item, join_guide_body, load, stream, with_item_ids
from .contact import ContactPages
from .sections import SimplifiedSite
from .translations import TranslatedSites

__all__ = [
    "DATA",
    "DemoLoader",
    "PageBuilder",
    "as_date",
    "dues_item",
    "join_guide_body",
    "load",
    "stream",
    "with_item_ids",
]


class DemoLoader(ContactPages, SimplifiedSite, TranslatedSites):
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
