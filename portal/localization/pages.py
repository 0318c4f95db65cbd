"""A page translated into 繁體 or English is the same drive, campaign or programme: records
(applications, activities, cases) hang from its page in the default language."""

from wagtail.models import Locale, Page


def source_page(page: Page) -> Page:
    """The page in the default language that records hang from."""
    if page.locale_id == Locale.get_default().pk:
        return page
    return type(page).objects.get(translation_key=page.translation_key, locale=Locale.get_default())


def source_pages(pages) -> dict[int, Page]:
    """{page pk: its page in the default language} for several pages of one type, in one query at most."""
    pages = list(pages)
    default = Locale.get_default()
    translated = [page for page in pages if page.locale_id != default.pk]
    sources = {}
    if translated:
        model = type(translated[0])
        sources = {
            page.translation_key: page
            for page in model.objects.filter(
                locale=default, translation_key__in=[page.translation_key for page in translated]
            )
        }
    return {
        page.pk: sources.get(page.translation_key, page) if page.locale_id != default.pk else page for page in pages
    }
