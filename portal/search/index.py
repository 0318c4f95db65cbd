"""Search field types that store Chinese text segmented into words."""

from wagtail.search import index

from .segment import segment_for_index, text_for_index


class SegmentedValueMixin:
    """The field's value reaches the index as space-separated words, on every backend."""

    @staticmethod
    def for_index(text: str) -> str:
        return segment_for_index(text)

    def get_value(self, obj):
        value = super().get_value(obj)
        if value is None:
            return None
        if isinstance(value, (list, tuple)):
            value = " ".join(str(item) for item in value)
        elif not isinstance(value, str):
            value = str(value)
        return self.for_index(value)


class SegmentedSearchField(SegmentedValueMixin, index.SearchField):
    """Words and character bigrams: the site search matches a query word either way (portal.search.query)."""

    @staticmethod
    def for_index(text: str) -> str:
        return text_for_index(text)


class SegmentedAutocompleteField(SegmentedValueMixin, index.AutocompleteField):
    """Autocomplete (used by the Wagtail admin's search boxes) over words, so 会费 matches mid-title."""


def page_search_fields(*fields: index.BaseField, title_boost: float = 3) -> list[index.BaseField]:
    """Search fields of a page type: the segmented title (weighted), its own fields, Wagtail's filters."""
    from wagtail.models import Page

    return [
        SegmentedSearchField("title", boost=title_boost),
        SegmentedAutocompleteField("title"),
        *fields,
        *(field for field in Page.search_fields if isinstance(field, index.FilterField)),
    ]


def with_segmented_title(search_fields: list[index.BaseField], boost: float = 10) -> list[index.BaseField]:
    """Replace a model's plain title search and autocomplete fields by segmented ones (images, documents)."""
    plain = (index.SearchField, index.AutocompleteField)
    return [
        *(f for f in search_fields if not (isinstance(f, plain) and f.field_name == "title")),
        SegmentedSearchField("title", boost=boost),
        SegmentedAutocompleteField("title"),
    ]
