"""Search field types that store Chinese text segmented into words, and bulk loads indexed once."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db.models import Model
from django.db.models.signals import post_save
from wagtail.search import index

from .segment import segment_for_index, text_for_index

if TYPE_CHECKING:
    from wagtail.search.index import BaseField as IndexedField
else:
    IndexedField = object


class SegmentedValueMixin(IndexedField):
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


@contextmanager
def indexed_once_at_the_end() -> Iterator[None]:
    """For bulk loads (the demo): inside the block, saving a searchable object notes it instead of
    indexing it; when the block ends, each object noted is indexed once, as it then stands.

    A page is saved several times on its way to being published and translated (save, revision,
    publish, the translation's copy), and indexing each save would cost several times the whole.
    Signal receivers are process-wide: this is for management commands, never for a request."""
    from modelsearch.index import get_indexed_models, insert_or_update_object
    from modelsearch.signal_handlers import post_save_signal_handler

    models = [model for model in get_indexed_models() if getattr(model, "search_auto_update", True)]
    noted: dict[tuple[type[Model], object], None] = {}

    def note(sender, instance, raw=False, **kwargs):
        if not raw:
            noted[(type(instance), instance.pk)] = None

    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
        post_save.connect(note, sender=model, weak=False)
    try:
        yield
    finally:
        for model in models:
            post_save.disconnect(note, sender=model)
            post_save.connect(post_save_signal_handler, sender=model)
    for model, pk in noted:
        instance = model._default_manager.filter(pk=pk).first()
        if instance is not None:
            insert_or_update_object(instance)
