"""The expert directory's own Elasticsearch index: documents, requests, keeping it in step, the command.

Most tests need no server: they check the mapping, the documents and the request bodies, and talk
to a small stand-in that answers the Elasticsearch HTTP API on 127.0.0.1 (it records what it is
sent and answers searches with a prepared response). The tests marked "live" run against a real
Elasticsearch 8 only when ELASTICSEARCH_URL is set (e.g. http://127.0.0.1:9200);
they use an index of their own with a random prefix and delete it afterwards.
"""

from __future__ import annotations

import datetime
import json
import logging
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from elasticsearch import ApiError
from elasticsearch import ConnectionError as ElasticsearchConnectionError

from experts import directory, index
from experts.directory import DirectoryQuery
from experts.enums import ExpertStatus
from experts.models import Expert
from portal.search.segment import index_words, query_terms, segment_for_index
from tests.experts.factories import make_expert

CLOSED_PORT = "http://127.0.0.1:9"
EMPLOYER = "星海湾疗养院"
BIO = "擅长运用沙盘游戏帮助留守儿童。"

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def admitted_a_month_ago() -> datetime.date:
    return today() - datetime.timedelta(days=30)


def expert(notice_index, **fields) -> Expert:
    return make_expert(admitted_on=admitted_a_month_ago(), **fields)


def dumped(document: index.ExpertDocument) -> str:
    return json.dumps(document.to_dict(), ensure_ascii=False)


# The mapping and the documents --------------------------------------------------------------------


def test_mapping_has_whitespace_text_fields_and_keyword_filters():
    mappings = index.mapping_body()["mappings"]
    fields = mappings["properties"]
    for name in ("full_name", "text", "title", "employer", "bio", "projects"):
        assert fields[name] == {"type": "text", "analyzer": "whitespace"}, name
    for name in ("specialties", "services", "languages", "district", "status", "full_name_sort"):
        assert fields[name] == {"type": "keyword"}, name
    assert fields["admitted_on"]["type"] == fields["expires_on"]["type"] == "date"
    assert mappings["dynamic"] == "strict"


def test_index_name_follows_the_prefix(settings, monkeypatch):
    settings.ELASTICSEARCH_INDEX_PREFIX = "staging_"
    assert index.index_name() == "staging_experts"
    del settings.ELASTICSEARCH_INDEX_PREFIX
    monkeypatch.setenv("ELASTICSEARCH_INDEX_PREFIX", "demo_")
    assert index.index_name() == "demo_experts"
    monkeypatch.delenv("ELASTICSEARCH_INDEX_PREFIX")
    assert index.index_name() == "portal_experts"


def test_document_leaves_out_everything_not_consented(notice_index):
    hidden = expert(
        notice_index,
        full_name="赵小雨",
        consent=False,
        employer=EMPLOYER,
        district="shahekou",
        services_=("supervision",),
        languages=("japanese",),
        bio=BIO,
        title="副主任医师",
    )
    document = index.ExpertDocument.from_expert(hidden)
    text = dumped(document)

    for secret in (EMPLOYER, "shahekou", "沙河口", "supervision", "督导", "japanese", "日语", "沙盘", "副主任医师"):
        assert secret not in text, secret
    for word in index_words(EMPLOYER) + index_words(BIO):
        assert word not in document.text.split(), word
    # Contact details and the stored phone never reach the index, consent or not.
    assert "expert@example.com" not in text and "13800000000" not in text
    # What is always public is there: the name (as words), its sort key, the specialties.
    assert document.full_name == segment_for_index("赵小雨")
    assert document.full_name_sort == "zhao xiao yu"  # pinyin, so the order is alphabetical
    assert list(document.specialties) == ["youth"]
    assert "青少年" in document.text.split()
    assert document.meta.id == str(hidden.pk)


def test_document_holds_what_the_expert_consented_to_show(notice_index):
    shown = expert(
        notice_index,
        full_name="钱明",
        employer=EMPLOYER,
        district="shahekou",
        services_=("supervision", "crisis"),
        languages=("japanese",),
        bio=BIO,
    )
    document = index.ExpertDocument.from_expert(shown)
    text = dumped(document)

    assert "shahekou" in text and "supervision" in text and "japanese" in text
    assert document.employer == segment_for_index(EMPLOYER)
    assert document.district == "shahekou"
    assert sorted(document.services) == ["crisis", "supervision"]
    assert list(document.languages) == ["japanese"]
    words = document.text.split()
    for word in index_words(EMPLOYER) + index_words(BIO) + index_words("沙河口区") + ["督导"]:
        assert word in words, word
    assert document.status == ExpertStatus.ADMITTED
    assert document.admitted_on == shown.admitted_on.isoformat()
    assert document.expires_on == shown.expires_on.isoformat()


# The search request ------------------------------------------------------------------------------


def multi_match(body: dict) -> dict:
    (clause,) = body["query"]["bool"]["must"]
    return clause["multi_match"]


def test_search_body_for_a_chinese_query_with_a_filter():
    on = datetime.date(2026, 3, 1)
    body = index.search_body(DirectoryQuery(text="青少年 危机", service="crisis", page=3), on)

    match = multi_match(body)
    assert match["query"].split() == ["青少年", "危机"] == query_terms("青少年 危机")
    assert match["operator"] == "and"
    assert "full_name^3" in match["fields"] and "text" in match["fields"]
    # Always: admitted, and admitted on or before the day and not yet expired.
    assert body["query"]["bool"]["filter"] == [
        {"term": {"status": "admitted"}},
        {"range": {"admitted_on": {"lte": "2026-03-01"}}},
        {"range": {"expires_on": {"gte": "2026-03-01"}}},
    ]
    # The selected filter narrows the hits after the counts are taken ...
    assert body["post_filter"] == {"terms": {"services": ["crisis"]}}
    # ... and applies to every other filter's counts, but not to its own.
    aggs = body["aggs"]
    assert set(aggs) == {"_filter_specialty", "_filter_service", "_filter_district", "_filter_language"}
    assert aggs["_filter_service"]["filter"] == {"match_all": {}}
    for name, field in (("specialty", "specialties"), ("district", "district"), ("language", "languages")):
        assert aggs[f"_filter_{name}"]["filter"] == {"terms": {"services": ["crisis"]}}
        assert aggs[f"_filter_{name}"]["aggs"][name]["terms"]["field"] == field
    assert body["sort"] == ["full_name_sort", "id"]
    assert (body["from"], body["size"]) == (2 * directory.PER_PAGE, directory.PER_PAGE)
    assert body["track_total_hits"] is True


def test_search_body_without_keywords_or_filters_matches_every_listed_expert():
    body = index.search_body(DirectoryQuery(), datetime.date(2026, 3, 1))
    assert "must" not in body["query"]["bool"]
    assert "post_filter" not in body
    assert all(agg["filter"] == {"match_all": {}} for agg in body["aggs"].values())


def test_traditional_query_searches_the_same_words_as_simplified():
    on = datetime.date(2026, 3, 1)
    traditional = index.search_body(DirectoryQuery(text="青少年心理諮詢"), on)
    simplified = index.search_body(DirectoryQuery(text="青少年心理咨询"), on)
    assert multi_match(traditional)["query"] == multi_match(simplified)["query"] == "青少年 心理咨询"
    assert traditional == simplified


# Keeping the index in step -------------------------------------------------------------------------


def test_update_later_does_nothing_without_elasticsearch(settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.ELASTICSEARCH_URL = ""
    synced = []
    monkeypatch.setattr(index, "sync", synced.append)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        index.update_later(7)
    assert callbacks == [] and synced == []

    settings.ELASTICSEARCH_URL = CLOSED_PORT
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        index.update_later(7)
    assert len(callbacks) == 1 and synced == [7]


def test_sync_logs_and_swallows_elasticsearch_being_down(notice_index, settings, monkeypatch, caplog):
    listed = expert(notice_index)
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    monkeypatch.setattr(index, "REQUEST_TIMEOUT", 1)
    with caplog.at_level(logging.ERROR, logger="experts.index"):
        index.sync(listed.pk)  # would be saved
        index.sync(listed.pk + 1000)  # would be deleted
    errors = [record for record in caplog.records if record.name == "experts.index"]
    assert len(errors) == 2
    assert all(isinstance(record.exc_info[1], ElasticsearchConnectionError) for record in errors)
    assert str(listed.pk) in errors[0].getMessage()


def test_search_answers_from_the_database_while_elasticsearch_is_down(notice_index, settings, monkeypatch, caplog):
    found = expert(notice_index, full_name="孙悦")
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    monkeypatch.setattr(index, "REQUEST_TIMEOUT", 1)
    with caplog.at_level(logging.ERROR, logger="experts.index"):
        results = directory.search(DirectoryQuery(text="孙悦"))
    assert [e.pk for e in results.experts] == [found.pk]
    assert any(record.name == "experts.index" for record in caplog.records)


def test_command_refuses_without_elasticsearch(settings):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        call_command("rebuild_expert_index", stdout=StringIO())


def test_command_reports_elasticsearch_being_down(settings, monkeypatch):
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    settings.ELASTICSEARCH_INDEX_PREFIX = "portal_"
    monkeypatch.setattr(index, "REQUEST_TIMEOUT", 1)
    with pytest.raises(CommandError, match="could not rebuild portal_experts"):
        call_command("rebuild_expert_index", stdout=StringIO())


# Against a stand-in for the Elasticsearch HTTP API -------------------------------------------------


class StandIn(ThreadingHTTPServer):
    """Keeps indices and documents in memory, records every request, answers searches with
    `search_response`."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), StandInHandler)
        self.indices: dict[str, dict] = {}
        self.requests: list[tuple[str, str, object]] = []
        self.search_response: dict = {}
        self.failing = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def documents(self, name: str) -> dict[str, dict]:
        return self.indices[name]["documents"]


class StandInHandler(BaseHTTPRequestHandler):
    server: StandIn

    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        pass

    def reply(self, status: int, payload: dict | None = None) -> None:
        data = json.dumps(payload).encode() if payload is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def body(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if "ndjson" in (self.headers.get("Content-Type") or ""):
            return [json.loads(line) for line in raw.splitlines() if line.strip()]
        return json.loads(raw) if raw else None

    def handle_any(self) -> None:
        path = [part for part in urlsplit(self.path).path.split("/") if part]
        body = self.body()
        self.server.requests.append((self.command, "/" + "/".join(path), body))
        indices = self.server.indices
        name = path[0] if path else ""
        missing = {"error": {"type": "index_not_found_exception"}, "status": 404}
        if self.server.failing:
            self.reply(500, {"error": {"type": "internal_error"}, "status": 500})
            return
        match self.command, path:
            case (("PUT" | "POST"), ["_bulk"]):
                items = []
                for action, source in zip(body[::2], body[1::2], strict=True):
                    meta = action["index"]
                    indices[meta["_index"]]["documents"][meta["_id"]] = source
                    items.append({"index": {"_index": meta["_index"], "_id": meta["_id"], "status": 201}})
                self.reply(200, {"took": 1, "errors": False, "items": items})
            case "HEAD", [_]:
                self.reply(200 if name in indices else 404)
            case "PUT", [_]:
                if name in indices:
                    self.reply(400, {"error": {"type": "resource_already_exists_exception"}, "status": 400})
                else:
                    indices[name] = {"body": body, "documents": {}}
                    self.reply(200, {"acknowledged": True, "index": name})
            case "DELETE", [_]:
                self.reply(200, {"acknowledged": True}) if indices.pop(name, None) else self.reply(404, missing)
            case (("PUT" | "POST"), [_, "_doc", pk]):
                indices.setdefault(name, {"body": None, "documents": {}})["documents"][pk] = body
                self.reply(201, {"_index": name, "_id": pk, "_version": 1, "result": "created"})
            case "DELETE", [_, "_doc", pk]:
                if name in indices and indices[name]["documents"].pop(pk, None) is not None:
                    self.reply(200, {"_index": name, "_id": pk, "result": "deleted"})
                else:
                    self.reply(404, {"_index": name, "_id": pk, "result": "not_found"})
            case (("GET" | "POST"), [_, "_refresh"]):
                self.reply(200, {"_shards": {"total": 1, "successful": 1, "failed": 0}})
            case (("GET" | "POST"), [_, "_search"]):
                self.reply(200, self.server.search_response) if name in indices else self.reply(404, missing)
            case _:
                self.reply(400, {"error": {"type": "unexpected_request"}, "status": 400})

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


@pytest.fixture
def stand_in(settings):
    server = StandIn()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ELASTICSEARCH_URL = server.url
    settings.ELASTICSEARCH_INDEX_PREFIX = "unit_"
    yield server
    server.shutdown()
    server.server_close()


def test_sync_creates_the_index_then_saves_a_listed_expert(notice_index, stand_in):
    listed = expert(notice_index, consent=False, employer=EMPLOYER)
    index.sync(listed.pk)

    created = stand_in.indices["unit_experts"]["body"]
    assert created["mappings"] == index.mapping_body()["mappings"]
    saved = stand_in.documents("unit_experts")[str(listed.pk)]
    assert saved["full_name_sort"] == "li wen jing"
    assert saved["specialties"] == ["youth"]
    assert "employer" not in saved and "services" not in saved and "district" not in saved
    assert EMPLOYER not in json.dumps(saved, ensure_ascii=False)


def test_sync_deletes_an_expert_the_public_may_no_longer_find(notice_index, stand_in):
    leaving = expert(notice_index)
    index.sync(leaving.pk)
    assert str(leaving.pk) in stand_in.documents("unit_experts")

    Expert.objects.filter(pk=leaving.pk).update(expires_on=today() - datetime.timedelta(days=1))
    index.sync(leaving.pk)
    assert stand_in.documents("unit_experts") == {}
    assert stand_in.requests[-1][:2] == ("DELETE", f"/unit_experts/_doc/{leaving.pk}")

    index.sync(leaving.pk)  # already gone: nothing to complain about
    Expert.objects.filter(pk=leaving.pk).delete()
    index.sync(leaving.pk)


def test_sync_never_raises_when_elasticsearch_refuses(notice_index, stand_in, caplog):
    listed = expert(notice_index)
    stand_in.failing = True
    with caplog.at_level(logging.ERROR, logger="experts.index"):
        index.sync(listed.pk)
        index.sync(listed.pk + 1000)
    errors = [record for record in caplog.records if record.name == "experts.index"]
    assert [type(record.exc_info[1]) for record in errors] == [ApiError, ApiError]
    assert stand_in.indices == {}


def test_rebuild_indexes_every_listed_expert_in_chunks(notice_index, stand_in):
    first = expert(notice_index, full_name="周一")
    second = expert(notice_index, full_name="吴二")
    expired = expert(notice_index, full_name="郑三")
    Expert.objects.filter(pk=expired.pk).update(expires_on=today() - datetime.timedelta(days=1))
    stand_in.indices["unit_experts"] = {"body": None, "documents": {"999": {"stale": True}}}

    messages = []
    assert index.rebuild(progress=messages.append, chunk=1) == 2

    assert messages == ["  experts 1/2", "  experts 2/2"]
    assert stand_in.indices["unit_experts"]["body"]["mappings"] == index.mapping_body()["mappings"]
    documents = stand_in.documents("unit_experts")
    assert set(documents) == {str(first.pk), str(second.pk)}
    assert documents[str(second.pk)]["full_name_sort"] == "wu er"
    methods = [(method, path) for method, path, _body in stand_in.requests]
    assert [path for _method, path in methods].count("/_bulk") == 2
    assert methods[-1] == ("POST", "/unit_experts/_refresh")


def test_rebuild_of_an_empty_directory_leaves_an_empty_index(stand_in):
    messages = []
    assert index.rebuild(progress=messages.append) == 0
    assert messages == ["  experts 0/0"]
    assert stand_in.documents("unit_experts") == {}


def test_command_rebuilds_and_reports_progress(notice_index, stand_in):
    expert(notice_index)
    out = StringIO()
    call_command("rebuild_expert_index", stdout=out)
    assert "  experts 1/1" in out.getvalue()
    assert "Indexed 1 experts in unit_experts" in out.getvalue()
    assert len(stand_in.documents("unit_experts")) == 1


def test_search_turns_the_response_into_directory_results(notice_index, stand_in):
    first = expert(notice_index, full_name="冯一")
    second = expert(notice_index, full_name="陈二")
    stand_in.indices["unit_experts"] = {"body": None, "documents": {}}

    def buckets(name, **counts):
        values = [{"key": key, "doc_count": count} for key, count in counts.items()]
        return {"doc_count": sum(counts.values()), name: {"buckets": values}}

    stand_in.search_response = {
        "took": 1,
        "timed_out": False,
        "hits": {
            "total": {"value": 23, "relation": "eq"},
            "hits": [{"_index": "unit_experts", "_id": str(pk), "_score": None} for pk in (second.pk, first.pk)],
        },
        "aggregations": {
            "_filter_specialty": buckets("specialty", youth=23, crisis=4),
            "_filter_service": buckets("service", lectures=9, crisis=2),
            "_filter_district": buckets("district", shahekou=5),
            "_filter_language": buckets("language", mandarin=23),
        },
    }
    query = DirectoryQuery(text="青少年", specialty="youth", district="xigang", page=2)
    on = datetime.date(2026, 3, 1)

    results = index.search(query, on)

    method, path, body = stand_in.requests[-1]
    assert (method, path) == ("POST", "/unit_experts/_search")
    assert body == index.search_body(query, on)
    assert [e.pk for e in results.experts] == [second.pk, first.pk]
    assert (results.total, results.page, results.pages) == (23, 2, 2)

    def facet(name):
        return {value.value: (value.count, value.selected) for value in results.facets[name]}

    assert facet("specialty") == {"youth": (23, True), "crisis": (4, False)}
    assert facet("service") == {"lectures": (9, False), "crisis": (2, False)}
    # The selected district is listed even though no expert is left there.
    assert facet("district") == {"shahekou": (5, False), "xigang": (0, True)}
    assert facet("language") == {"mandarin": (23, False)}


# Against a real Elasticsearch ------------------------------------------------------------------


@pytest.fixture
def live(settings, monkeypatch):
    """A real Elasticsearch with an index of this test's own; a search that fell back to the
    database would fail the test."""
    url = settings.TEST_ELASTICSEARCH_URL
    if not url:
        pytest.skip("set ELASTICSEARCH_URL (e.g. http://127.0.0.1:9200) to test against a real Elasticsearch 8")
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test_{uuid.uuid4().hex[:8]}_"
    database = directory.search_database

    def no_fallback(*args, **kwargs):
        raise AssertionError("Elasticsearch did not answer")

    monkeypatch.setattr(directory, "search_database", no_fallback)
    yield database
    index.connection().options(ignore_status=404).indices.delete(index=index.index_name())


def ids(results) -> list[int]:
    return [e.pk for e in results.experts]


def facet_counts(results) -> dict:
    return {name: [(v.value, v.count, v.selected) for v in values] for name, values in results.facets.items()}


@pytest.fixture
def directory_experts(notice_index):
    """Five experts with overlapping specialties, services, districts and languages; one keeps
    their services and district private, one their employer."""

    def expert(notice_index, **fields):
        return make_expert(
            admitted_on=admitted_a_month_ago(), **{"bio": "", "projects": "", "publications": "", **fields}
        )

    return [
        expert(notice_index, full_name="李文静", specialties=("youth", "family"), district="shahekou"),
        expert(
            notice_index,
            full_name="王海",
            specialties=("elderly", "crisis"),
            services_=("crisis", "lectures"),
            district="xigang",
            bio="多年从事老年心理危机干预。",
        ),
        expert(
            notice_index,
            full_name="张敏",
            specialties=("youth", "crisis"),
            services_=("crisis",),
            languages=("mandarin", "english"),
            district="shahekou",
        ),
        expert(
            notice_index,
            full_name="刘洋",
            specialties=("youth",),
            services_=("crisis", "supervision"),
            district="zhongshan",
            show_services=False,
            show_district=False,
        ),
        expert(notice_index, full_name="陈静", specialties=("family",), employer=EMPLOYER, show_employer=False),
    ]


def test_live_rebuild_then_search_by_chinese_keyword(live, directory_experts):
    li, wang, zhang, liu, chen = directory_experts
    assert index.rebuild(progress=lambda message: None) == 5

    assert ids(index.search(DirectoryQuery(text="老年 危机"))) == [wang.pk]
    assert ids(index.search(DirectoryQuery(text="老年心理危機"))) == [wang.pk]
    assert set(ids(index.search(DirectoryQuery(text="青少年")))) == {li.pk, zhang.pk, liu.pk}
    assert ids(index.search(DirectoryQuery(text="李文静"))) == [li.pk]
    assert index.search(DirectoryQuery(text="青少年 老年")).total == 0


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"specialty": "youth"},
        {"service": "crisis"},
        {"district": "shahekou"},
        {"specialty": "youth", "service": "crisis"},
        {"text": "青少年", "language": "english"},
        {"text": "危机干预", "district": "xigang"},
        {"district": "zhongshan"},
        {"text": "婚姻家庭"},
    ],
)
def test_live_filters_and_counts_match_the_database(live, directory_experts, params):
    search_database = live
    index.rebuild(progress=lambda message: None)
    query = DirectoryQuery(**params)

    expected, found = search_database(query), index.search(query)

    assert ids(found) == ids(expected)
    assert found.total == expected.total
    assert facet_counts(found) == facet_counts(expected)


def test_live_expired_expert_disappears_after_sync(live, directory_experts):
    li = directory_experts[0]
    index.rebuild(progress=lambda message: None)
    assert li.pk in ids(index.search(DirectoryQuery(text="李文静")))

    Expert.objects.filter(pk=li.pk).update(expires_on=today() - datetime.timedelta(days=1))
    index.sync(li.pk)
    client = index.connection()
    client.indices.refresh(index=index.index_name())

    assert not client.exists(index=index.index_name(), id=str(li.pk))
    assert index.search(DirectoryQuery(text="李文静")).total == 0


def test_live_private_employer_is_not_found(live, directory_experts, notice_index):
    public = expert(notice_index, full_name="黄河", employer=EMPLOYER)
    index.rebuild(progress=lambda message: None)

    assert ids(index.search(DirectoryQuery(text=EMPLOYER))) == [public.pk]
