"""Search backends that segment Chinese queries the same way the index was segmented."""

from typing import TYPE_CHECKING

from modelsearch.query import Phrase, PlainText

from ..query import Grams, Words
from ..segment import segment_query

if TYPE_CHECKING:
    from modelsearch.backends.base import BaseSearchBackend
else:
    BaseSearchBackend = object


class SegmentingBackendMixin(BaseSearchBackend):
    """Cut every query string into words before the backend sees it, also in the Wagtail admin.

    The site search's own query objects (portal.search.query) are already cut and pass unchanged.
    """

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if isinstance(query, (Words, Grams)):
            pass
        elif isinstance(query, str):
            query = segment_query(query)
        elif isinstance(query, PlainText):
            query = PlainText(segment_query(query.query_string), operator=query.operator, boost=query.boost)
        elif isinstance(query, Phrase):
            query = Phrase(segment_query(query.query_string))
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)
