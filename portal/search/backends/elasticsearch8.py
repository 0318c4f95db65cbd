"""Wagtail's Elasticsearch 8 backend with Chinese query segmentation and a whitespace analyzer.

Text arrives in the index already cut into words (see portal.search.index), so the
default analyzer only splits on spaces and lower-cases instead of cutting Chinese
into single characters.
"""

import copy

from modelsearch.backends.elasticsearch8 import Elasticsearch8SearchBackend

from . import SegmentingBackendMixin

WHITESPACE_ANALYZER = {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]}


class ChineseElasticsearch8SearchBackend(SegmentingBackendMixin, Elasticsearch8SearchBackend):
    def __init__(self, params):
        params = dict(params)
        settings = copy.deepcopy(params.pop("INDEX_SETTINGS", {}))
        analysis = settings.setdefault("settings", {}).setdefault("analysis", {})
        analysis.setdefault("analyzer", {})["default"] = WHITESPACE_ANALYZER
        params["INDEX_SETTINGS"] = settings
        super().__init__(params)


SearchBackend = ChineseElasticsearch8SearchBackend
