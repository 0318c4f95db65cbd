"""Search field types that store Chinese text segmented into words."""

from wagtail.search import index

from .segment import segment_for_index


class SegmentedSearchField(index.SearchField):
    """A SearchField whose value reaches the index as space-separated words, on every backend."""

    def get_value(self, obj):
        value = super().get_value(obj)
        if value is None:
            return None
        if isinstance(value, (list, tuple)):
            value = " ".join(str(item) for item in value)
        elif not isinstance(value, str):
            value = str(value)
        return segment_for_index(value)


def page_search_fields(*fields: index.BaseField, title_boost: float = 3) -> list[index.BaseField]:
    """Search fields of a page type: the segmented title (weighted), its own fields, Wagtail's filters."""
    from wagtail.models import Page

    return [
        SegmentedSearchField("title", boost=title_boost),
        index.AutocompleteField("title"),
        *fields,
        *(field for field in Page.search_fields if isinstance(field, index.FilterField)),
    ]


def with_segmented_title(search_fields: list[index.BaseField], boost: float = 10) -> list[index.BaseField]:
    """Replace a model's plain title search field by a segmented one (images, documents)."""
    return [
        *(f for f in search_fields if not (isinstance(f, index.SearchField) and f.field_name == "title")),
        SegmentedSearchField("title", boost=boost),
    ]
