"""The `elasticsearch` emitter of `seventeenth_held.py`: the app indexing its patients for the
front desk's search box and searching them, through the official client (`elasticsearch`, its
`helpers`) and its `elastic_transport`, against a fake of Elasticsearch served by
`seventeenth_http` on a free loopback port (127.0.0.1), one request at a time; its answers carry
`X-Elastic-Product: Elasticsearch`, as the client requires. Captured: the `elastic_transport`
loggers at DEBUG (the request line with its status and duration; each request's headers and
JSON body and each response's status line, headers and body, as `elastic_transport.node` writes
them; retries after a 503 or a refused connection; the node pool's notes), the
`elasticsearch` loggers (the bulk helper's warnings) and what the app logs: patients indexed,
queries with names, phones, e-mails and MRNs in their DSL, hits, counts, `BulkIndexError`
(its message and its `errors`, which hold the failed documents), `BadRequestError` for
documents a mapping refuses (the server's reason quotes the field's value), `NotFoundError`,
`ConflictError`, `ApiError` and `ConnectionError` messages, tracebacks. Cluster health, the
stock and supply indices, index templates, aliases and refreshes for the benign lines.

The transport's, the node's and the node pool's clock is a seeded one (so the durations they log
and the moments a dead node comes back are the same on every run) and it waits without
sleeping; every document version, sequence number and `took` is drawn from a seeded source;
the ports shown are fixed ones."""

from __future__ import annotations

import json
import logging
import random
import types
import urllib.parse
from typing import Any

import elastic_transport._node._http_urllib3 as urllib3_node_module
import elastic_transport._node_pool as node_pool_module
import elastic_transport._transport as transport_module
import seventeenth_http
from elastic_transport import ConnectionError as TransportConnectionError
from elasticsearch import (
    ApiError,
    BadRequestError,
    ConflictError,
    Elasticsearch,
    NotFoundError,
)
from elasticsearch.helpers import BulkIndexError, bulk
from patients import Patient

log = logging.getLogger("clinic.search")
PRODUCT = {
    "X-Elastic-Product": "Elasticsearch",
    "Content-Type": "application/vnd.elasticsearch+json;compatible-with=9",
}
CLUSTER = "lakeview-search"


def _doc(p: Patient, r: random.Random) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "mrn": p.mrn,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "birth_date": p.dob.isoformat(),
        "phone": p.phone,
        "email": p.email,
    }
    extra = r.randrange(4)
    if extra == 0:
        doc["address"] = {"street": p.street, "city": p.city, "state": p.state, "zip": p.zip}
    elif extra == 1:
        doc["insurance"] = {"member_id": p.member_id, "mbi": p.mbi}
    elif extra == 2:
        doc["billing"] = {"account": p.account}
    else:
        doc["last_login_ip"] = p.ip
    return doc


class _Search:
    """The fake cluster: what each request answers, as the driver sets it for the next call."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.docs: dict[str, dict[str, Any]] = {}
        self.fail: str | None = None
        self.busy = 0

    def _json(self, status: int, payload: Any) -> tuple[int, dict[str, str], bytes]:
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return status, dict(PRODUCT), text.encode()

    def _error(self, status: int, kind: str, reason: str, index: str = "patients") -> Any:
        cause = {"type": kind, "reason": reason}
        if index:
            cause["index"] = index
            cause["index_uuid"] = "q1Hc7xLmT3y0rZ1b4vWk2A"
        return self._json(status, {"error": {"root_cause": [cause], **cause}, "status": status})

    def answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        r = self.r
        if self.busy:
            self.busy -= 1
            return self._json(
                503,
                {
                    "error": {
                        "type": "cluster_block_exception",
                        "reason": "blocked by: [SERVICE_UNAVAILABLE/2/no master];",
                    },
                    "status": 503,
                },
            )
        split = urllib.parse.urlsplit(path)
        parts = [urllib.parse.unquote(x) for x in split.path.strip("/").split("/")]
        data: Any = None
        if body and not path.startswith("/_bulk") and "/_bulk" not in path:
            data = json.loads(body)
        fail, self.fail = self.fail, None
        if parts == ["_cluster", "health"]:
            return self._json(
                200,
                {
                    "cluster_name": CLUSTER,
                    "status": r.choice(["green", "green", "yellow"]),
                    "number_of_nodes": 3,
                    "active_shards": r.randint(20, 60),
                    "unassigned_shards": r.randint(0, 2),
                },
            )
        if parts[-1] == "_bulk":
            return self._bulk(body, fail)
        if parts[-1] in ("_search", "_count"):
            if fail == "bad_query":
                return self._error(
                    400,
                    "parsing_exception",
                    "[match] query doesn't support multiple fields, found [first_name] and "
                    "[last_name]",
                )
            hits = [doc for doc in self.docs.values() if fail != "empty"]
            if parts[-1] == "_count":
                return self._json(200, {"count": len(hits), "_shards": {"total": 1}})
            return self._json(
                200,
                {
                    "took": r.randint(1, 40),
                    "timed_out": False,
                    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                    "hits": {
                        "total": {"value": len(hits), "relation": "eq"},
                        "max_score": 7.1 if hits else None,
                        "hits": [
                            {
                                "_index": parts[0],
                                "_id": doc.get("mrn", str(i)),
                                "_score": round(7.1 - i, 1),
                                "_source": doc,
                            }
                            for i, doc in enumerate(hits)
                        ],
                    },
                },
            )
        if len(parts) >= 3 and parts[1] in ("_doc", "_create", "_update"):
            index, doc_id = parts[0], parts[2]
            if method == "GET":
                if fail == "missing" or doc_id not in self.docs:
                    return self._json(404, {"_index": index, "_id": doc_id, "found": False})
                return self._json(
                    200,
                    {
                        "_index": index,
                        "_id": doc_id,
                        "_version": r.randint(1, 9),
                        "_seq_no": r.randint(0, 9999),
                        "_primary_term": 1,
                        "found": True,
                        "_source": self.docs[doc_id],
                    },
                )
            if method == "DELETE":
                return self._json(
                    200,
                    {
                        "_index": index,
                        "_id": doc_id,
                        "_version": r.randint(2, 9),
                        "result": "deleted",
                    },
                )
            if fail == "conflict":
                return self._error(
                    409,
                    "version_conflict_engine_exception",
                    f"[{doc_id}]: version conflict, document already exists (current version "
                    f"[{r.randint(1, 6)}])",
                )
            if fail == "mapping" and isinstance(data, dict):
                field, value = self._odd_field(data)
                return self._error(
                    400,
                    "document_parsing_exception",
                    f"[1:{r.randint(20, 200)}] failed to parse field [{field}] of type [date] "
                    f"in document with id '{doc_id}'. Preview of field's value: '{value}'",
                )
            if isinstance(data, dict):
                self.docs[doc_id] = data.get("doc", data)
            return self._json(
                201 if method == "PUT" else 200,
                {
                    "_index": index,
                    "_id": doc_id,
                    "_version": r.randint(1, 9),
                    "result": "created" if method == "PUT" else "updated",
                    "_shards": {"total": 2, "successful": 1, "failed": 0},
                    "_seq_no": r.randint(0, 9999),
                    "_primary_term": 1,
                },
            )
        if parts[-1] in ("_refresh", "_alias", "_mapping") or parts[0] == "_index_template":
            if fail == "missing":
                return self._error(
                    404, "index_not_found_exception", f"no such index [{parts[0]}]", parts[0]
                )
            return self._json(200, {"acknowledged": True, "_shards": {"total": 2}})
        return self._error(400, "illegal_argument_exception", f"unknown request [{split.path}]")

    @staticmethod
    def _odd_field(data: dict[str, Any]) -> tuple[str, str]:
        value = data.get("birth_date", "")
        return "birth_date", str(value)

    def _bulk(self, body: bytes, fail: str | None) -> tuple[int, dict[str, str], bytes]:
        r = self.r
        lines = [json.loads(x) for x in body.decode().splitlines() if x.strip()]
        items = []
        errors = False
        for action, doc in zip(lines[::2], lines[1::2], strict=False):
            op, meta = next(iter(action.items()))
            item: dict[str, Any] = {"_index": meta.get("_index"), "_id": meta.get("_id")}
            if fail and (fail == "bulk" and r.random() < 0.6):
                errors = True
                item["status"] = 400
                item["error"] = {
                    "type": "document_parsing_exception",
                    "reason": f"[1:{r.randint(20, 200)}] failed to parse field [phone] of type "
                    f"[long] in document with id '{meta.get('_id')}'. Preview of field's value: "
                    f"'{doc.get('phone')}'",
                }
            else:
                item.update({"_version": 1, "result": "created", "status": 201})
            items.append({op: item})
        return self._json(200, {"took": r.randint(3, 90), "errors": errors, "items": items})


class _Clock:
    """The transport's `time`: a seeded clock moving on a few milliseconds a reading, and a
    `sleep` that does not wait."""

    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.now = 1_788_000_000.0

    def time(self) -> float:
        self.now += self.r.uniform(0.0008, 0.04)
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class _App:
    def __init__(self, seed: int, port: int, closed: int, search: _Search) -> None:
        self.r = random.Random(seed)
        self.search = search
        self.es = Elasticsearch(f"http://127.0.0.1:{port}", request_timeout=10, max_retries=2)
        self.replica = Elasticsearch(
            f"http://127.0.0.1:{closed}", request_timeout=10, max_retries=1
        )

    def _failed(self, what: str, exc: Exception) -> None:
        r = self.r
        how = r.randrange(4)
        if how == 0:
            log.error("%s failed: %s", what, exc)
        elif how == 1 and isinstance(exc, ApiError):
            log.error("%s failed: %s %s", what, exc.status_code, exc.body)
        elif how == 2:
            log.error("%s failed: %r", what, exc)
        else:
            log.exception("%s failed", what)

    def index(self, p: Patient) -> None:
        r = self.r
        doc = _doc(p, r)
        twist = r.randrange(5)
        if twist == 0:
            self.search.fail = "mapping"
            doc["birth_date"] = f"{p.dob.month:02d}/{p.dob.day:02d}/{p.dob.year}"
        elif twist == 1:
            self.search.fail = "conflict"
        try:
            if twist == 1:
                self.es.create(index="patients", id=p.mrn, document=doc)
            else:
                result = self.es.index(index="patients", id=p.mrn, document=doc, refresh=True)
                if r.random() < 0.5:
                    log.info(
                        "indexed %s %s (%s): %s", p.first_name, p.last_name, p.mrn, result["result"]
                    )
        except (BadRequestError, ConflictError) as exc:
            self._failed(f"indexing {p.mrn}", exc)

    def find(self, p: Patient) -> None:
        r = self.r
        kind = r.randrange(5)
        if kind == 0:
            query: dict[str, Any] = {
                "bool": {
                    "must": [
                        {"match": {"last_name": p.last_name}},
                        {"match": {"first_name": p.first_name}},
                    ],
                    "filter": [{"term": {"birth_date": p.dob.isoformat()}}],
                }
            }
        elif kind == 1:
            query = {"term": {"phone": p.phone}}
        elif kind == 2:
            query = {"term": {"email.keyword": p.email}}
        elif kind == 3:
            query = {"multi_match": {"query": p.full_name, "fields": ["first_name", "last_name"]}}
        else:
            query = {"match": {"first_name": p.first_name, "last_name": p.last_name}}
            self.search.fail = "bad_query"
        if r.random() < 0.2:
            self.search.fail = "empty"
        try:
            if r.random() < 0.25:
                count = self.es.count(index="patients", query=query)
                log.info("%d chart(s) for %s", count["count"], query)
                return
            result = self.es.search(index="patients", query=query, size=5)
        except BadRequestError as exc:
            self._failed(f"search for {p.full_name}", exc)
            return
        hits = result["hits"]["hits"]
        how = r.randrange(3)
        if how == 0:
            log.info("search %s: %d hit(s)", json.dumps(query, ensure_ascii=False), len(hits))
        elif how == 1 and hits:
            source = hits[0]["_source"]
            log.info(
                "best match %s %s, born %s, phone %s",
                source.get("first_name"),
                source.get("last_name"),
                source.get("birth_date"),
                source.get("phone"),
            )
        elif not hits:
            log.warning("no chart found for %s (DOB %s)", p.full_name, p.dob.isoformat())

    def fetch(self, p: Patient) -> None:
        if self.r.random() < 0.5:
            self.search.fail = "missing"
        try:
            doc = self.es.get(index="patients", id=p.mrn)
            if self.r.random() < 0.5:
                log.debug("chart %s: %s", p.mrn, doc["_source"])
        except NotFoundError as exc:
            self._failed(f"chart {p.mrn}", exc)

    def update(self, p: Patient) -> None:
        r = self.r
        change = r.choice(
            [
                {"phone": p.phone},
                {"email": p.email},
                {"address": {"street": p.street, "city": p.city, "zip": p.zip}},
                {"insurance": {"member_id": p.member_id}},
            ]
        )
        if r.random() < 0.3:
            self.search.busy = r.choice([1, 3])
        try:
            self.es.update(index="patients", id=p.mrn, doc=change)
            log.info("updated %s with %s", p.mrn, change)
        except ApiError as exc:
            self._failed(f"update of {p.mrn}", exc)

    def bulk_load(self, p: Patient) -> None:
        r = self.r
        doc = _doc(p, r)
        actions = [{"_index": "patients", "_id": p.mrn, "_source": doc}]
        if r.random() < 0.7:
            self.search.fail = "bulk"
        try:
            ok, _ = bulk(self.es, actions)
            log.info("bulk load of %s: %d indexed", p.mrn, ok)
        except BulkIndexError as exc:
            how = r.randrange(3)
            if how == 0:
                log.error("bulk load failed: %s", exc)
            elif how == 1:
                log.error("bulk load failed: %s %s", exc, exc.errors)
            else:
                for error in exc.errors:
                    log.error("rejected: %s", json.dumps(error, ensure_ascii=False))

    def replica_down(self, p: Patient) -> None:
        try:
            self.replica.index(index="patients", id=p.mrn, document=_doc(p, self.r))
        except TransportConnectionError as exc:
            self._failed(f"mirroring {p.full_name} to the replica", exc)

    def patient(self, p: Patient) -> None:
        kind = self.r.randrange(8)
        if kind in (0, 1):
            self.index(p)
        elif kind in (2, 3):
            self.find(p)
        elif kind == 4:
            self.fetch(p)
        elif kind == 5:
            self.update(p)
        elif kind == 6:
            self.bulk_load(p)
        else:
            self.replica_down(p)

    def benign(self) -> None:
        r = self.r
        kind = r.randrange(6)
        try:
            if kind == 0:
                health = self.es.cluster.health()
                log.info("cluster %s is %s", health["cluster_name"], health["status"])
            elif kind == 1:
                sku = f"SKU-{r.randint(10000, 99999)}"
                self.es.index(
                    index="supplies",
                    id=sku,
                    document={
                        "sku": sku,
                        "item": r.choice(["gloves", "gauze", "syringes"]),
                        "on_hand": r.randint(0, 500),
                        "bin": f"B{r.randint(1, 40)}",
                    },
                )
            elif kind == 2:
                result = self.es.search(
                    index="supplies", query={"range": {"on_hand": {"lte": r.randint(5, 50)}}}
                )
                log.info("low stock items: %d", result["hits"]["total"]["value"])
            elif kind == 3:
                if r.random() < 0.3:
                    self.search.fail = "missing"
                self.es.indices.refresh(index=r.choice(["supplies", "appointments-2026.09"]))
            elif kind == 4:
                self.es.indices.put_index_template(
                    name="appointments",
                    index_patterns=["appointments-*"],
                    template={"settings": {"number_of_shards": 1}},
                )
            else:
                self.es.indices.put_alias(index="appointments-2026.09", name="appointments")
        except ApiError as exc:
            log.warning("maintenance call failed: %s", exc)


def drive(seed: int, patients: list[Patient], cap: Any, fix: Any) -> None:
    search = _Search(seed + 1)
    clock = _Clock(random.Random(seed + 3))
    modules = (transport_module, urllib3_node_module, node_pool_module)
    saved = [module.time for module in modules]
    for module in modules:
        module.time = types.SimpleNamespace(  # type: ignore[attr-defined]
            time=clock.time, sleep=clock.sleep
        )
    closed = seventeenth_http.closed_port()
    try:
        with seventeenth_http.serving(search.answer) as port:
            fix.port(port, 9200)
            fix.port(closed, 9201)
            app = _App(seed + 2, port, closed, search)
            for p in patients:
                # the patient's chart is in the index already (for searches and reads)
                search.docs = {p.mrn: _doc(p, random.Random(p.mrn))}
                with cap.about(p):
                    for _ in range(3):
                        app.patient(p)
                search.docs = {}
                for _ in range(2):
                    app.benign()
            app.es.close()
            app.replica.close()
    finally:
        for module, real in zip(modules, saved, strict=True):
            module.time = real  # type: ignore[attr-defined]
