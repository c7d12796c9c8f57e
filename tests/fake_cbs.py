"""A fake CBS OData v3 service on 127.0.0.1 that answers like CBS (test fixture, not CBS).

Built from two sources:
- the shape of CBS's real answers, recorded verbatim in ../shared/cbs-recordings/ (its README):
  code keys padded with spaces and titles apart, `TableInfos` with a `Modified` timestamp and
  CBS's other fields, `Perioden` with `Status`, `DataProperties` with titles, units, decimals,
  topic groups and positions, `CategoryGroups`, pages of at most 10,000 rows ending in
  `odata.nextLink`, `UntypedDataSet` values as padded strings;
- the figures of the data bundle (written out by `etl.bundle.export_cbs_layout`), so a live
  build on this fake can be compared with the bundle build figure by figure.

Fixture additions, so the live path meets what CBS really sends (never shown as statistics):
- slice dimensions get code keys (`T001038`, `1012600 `); the bundle has titles only;
- 'niet in te delen' rows (GM0998, PV99, LD99) in the tables CBS has them in, with values
  copied from the Nederland row: if one ever entered a sum, the sum would be far off;
- a gemeente that existed only before 2010 (FIXTURE_EARLY_CODE, not in our reference lists)
  in the tables on each year's own boundaries that start before 2010, with the values of its
  successor for those years and nothing after (CBS's cube holds every region in every year);
- `Perioden.Status`: the latest period Voorlopig, the others Definitief; 85383NED keeps its
  `StatusCijfer` Voorlopig/Definitief pair.

ASSUMED, not recorded (the recordings README says so): how CBS answers a `$filter` (here: the
OData v3 subset cbsodata callers use, `eq`, `substringof`, `and`, `or`, `not`, brackets,
applied to the data sets; anything else is a 400); that a filtered page's `odata.nextLink`
repeats the `$filter` (the recorded unfiltered one is the same URL plus `$skip`); error pages
(`{"odata.error": ...}` with the status); rate limits (none).

Faults can be scripted per resource (optionally per table: `fail("86088NED/TypedDataSet",
...)`): `timeout` (answers after 2 s), `hang` (never answers), `trickle` (one byte every
`trickle_every` s), `reset`, a status code (`500`, `503`, `404`), `truncated`, `empty`, `cut`
(a page without its nextLink).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

PAGE_SIZE = 10_000
RECORDINGS = "cbs-recordings"
MODIFIED = "2025-03-27T02:00:00"  # CBS's own format (85984NED's TableInfos); fixture value
# Where CBS publishes 'niet in te delen' rows among our tables (issue 19, SNAPSHOT.json files).
AGGREGATE_TABLES = {"82538NED", "83582NED", "83648NED", "83651NED", "85005NED", "86007NED",
                    "86082NED"}
AGGREGATES = (("GM0998", "Gemeenten; niet in te delen"), ("PV99", "Niet in te delen (PV)"),
              ("LD99", "Niet in te delen (LD)"))
# A gemeente code of before 2010 that neither the 2024 division nor our historic list has
# (fixture code; Bergschenhoek merged into Lansingerland GM1621 in 2007).
FIXTURE_EARLY_CODE, FIXTURE_EARLY_NAME, FIXTURE_EARLY_SUCCESSOR = "GM0495", "Bergschenhoek", \
    "GM1621"
DATA_SETS = ("TypedDataSet", "UntypedDataSet")


def pad(key: str, width: int) -> str:
    """CBS pads keys with spaces to the longest key of their list."""
    return str(key).ljust(width)


# --- $filter -------------------------------------------------------------------------------

TOKEN = re.compile(r"\s*(\(|\)|,|'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_]*)")


class FilterError(ValueError):
    """A $filter the fake does not understand (answered with 400)."""


def tokenize(text: str) -> list[str]:
    tokens, pos = [], 0
    while pos < len(text.rstrip()):
        match = TOKEN.match(text, pos)
        if not match:
            raise FilterError(f"cannot parse $filter at {text[pos:pos + 20]!r}")
        tokens.append(match.group(1))
        pos = match.end()
    return tokens


class FilterParser:
    """Recursive descent over the tokens: expr := term (or term)*, term := factor (and
    factor)*, factor := ( expr ) | not factor | substringof('x', F) | F eq 'x'."""

    def __init__(self, tokens: list[str]):
        self.tokens, self.i = tokens, 0

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected and tok.lower() != expected):
            raise FilterError(f"$filter: expected {expected!r}, found {tok!r}")
        self.i += 1
        return tok

    def literal(self) -> str:
        tok = self.take()
        if not (tok.startswith("'") and tok.endswith("'")):
            raise FilterError(f"$filter: expected a string, found {tok!r}")
        return tok[1:-1].replace("''", "'")

    def chain(self, word, operand, join):
        left = operand()
        while (self.peek() or "").lower() == word:
            self.take(word)
            left = join(left, operand())
        return left

    def expr(self):
        return self.chain("or", self.term, lambda a, b: lambda row: a(row) or b(row))

    def term(self):
        return self.chain("and", self.factor, lambda a, b: lambda row: a(row) and b(row))

    def factor(self):
        tok = self.take()
        if tok == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if tok.lower() == "not":
            inner = self.factor()
            return lambda row: not inner(row)
        if tok.lower() == "substringof":
            self.take("(")
            needle = self.literal()
            self.take(",")
            field = self.take()
            self.take(")")
            return lambda row: needle in str(row.get(field, ""))
        self.take("eq")
        value = self.literal()
        return lambda row: str(row.get(tok)) == value


def parse_filter(text: str):
    """A predicate row -> bool for the OData subset named in the module doc."""
    parser = FilterParser(tokenize(text))
    predicate = parser.expr()
    if parser.peek() is not None:
        raise FilterError(f"$filter: unexpected {parser.peek()!r}")
    return predicate


# --- turning a bundle table into CBS's answers --------------------------------------------

def untyped(value) -> str:
    """UntypedDataSet's text for a value: right-aligned in 8 characters, '.' for none."""
    if value is None:
        return "       ."
    if isinstance(value, float) and value.is_integer():
        value = int(value) if abs(value) < 1e15 else value
    return str(value).rjust(8)


def slice_codes(titles: list[str]) -> dict[str, str]:
    """Code keys for a slice dimension's titles, CBS-like: the total first, then numbers."""
    codes = {}
    for i, title in enumerate(titles):
        codes[title] = "T001038" if i == 0 else f"{1012600 + 5 * i}"
    width = max(len(c) for c in codes.values()) + 1
    return {t: pad(c, width) for t, c in codes.items()}


def cbs_table(folder: Path, recorded_info: dict) -> dict[str, list[dict]]:
    """Every resource of one table as CBS serves it (see the module doc)."""
    table_id = folder.name
    read = lambda name: json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))  # noqa: E731
    rows, props = read("TypedDataSet"), read("DataProperties")
    dims = {p["Key"]: p["Type"] for p in props if p["Type"] in
            ("Dimension", "GeoDimension", "TimeDimension")}
    resources: dict[str, list[dict]] = {}
    for dim, kind in dims.items():
        codes = read(dim)
        if kind == "Dimension":
            mapping = slice_codes([c["Title"] for c in codes])
            for row in rows:
                row[dim] = mapping[row[dim]]
            codes = [{"Key": mapping[c["Title"]], "Title": c["Title"], "Description": None,
                      "CategoryGroupID": None} for c in codes]
        elif kind == "TimeDimension":
            last = max(c["Key"] for c in codes)
            codes = [{"Description": None, "Status": "Voorlopig" if c["Key"] == last else
                      "Definitief", "Key": c["Key"], "Title": c["Title"]} for c in codes]
        else:
            width = max([6] + [len(str(c["Key"]).strip()) for c in codes])
            codes = [{"Key": pad(c["Key"].strip(), width), "Title": c["Title"],
                      "Description": None, "CategoryGroupID": None} for c in codes]
            for row in rows:
                row[dim] = pad(str(row[dim]).strip(), width)
        resources[dim] = codes
    if "Perioden" in dims and "RegioS" in dims:
        add_fixture_regions(table_id, rows, resources)
    complete_cube(rows, resources, list(dims))
    rows, props, resources = as_published(table_id, rows, props, resources)
    for i, row in enumerate(rows):
        row["ID"] = i
    resources["TypedDataSet"] = rows
    resources["DataProperties"] = cbs_properties(props)
    info = {**recorded_info, **{k: v for k, v in read("TableInfos")[0].items() if v is not None}}
    info.update({"Identifier": table_id, "Modified": MODIFIED, "ID": 0,
                 "ShortTitle": info.get("Title", table_id)[:40]})
    resources["TableInfos"] = [info]
    resources["CategoryGroups"] = []
    return resources


def add_fixture_regions(table_id: str, rows: list[dict], resources: dict) -> None:
    """'Niet in te delen' rows and a gemeente of before 2010 (see the module doc)."""
    regions = resources["RegioS"]
    nl = [r for r in rows if r["RegioS"].strip() == "NL01"]
    if table_id in AGGREGATE_TABLES:
        for code, title in AGGREGATES:
            regions.append({"Key": pad(code, 6), "Title": title, "Description": None,
                            "CategoryGroupID": None})
            rows += [{**r, "RegioS": pad(code, 6)} for r in nl]
    early_periods = {c["Key"] for c in resources["Perioden"] if c["Key"][:4] < "2010"}
    successor = [r for r in rows if r["RegioS"].strip() == FIXTURE_EARLY_SUCCESSOR]
    if early_periods and successor and table_id in EARLY_TABLES:
        regions.append({"Key": pad(FIXTURE_EARLY_CODE, 6), "Title": FIXTURE_EARLY_NAME,
                        "Description": None, "CategoryGroupID": None})
        rows += [{**r, "RegioS": pad(FIXTURE_EARLY_CODE, 6)} for r in successor
                 if r["Perioden"] in early_periods]  # later years: empty, as the cube has it


def as_published(table_id: str, rows: list[dict], props: list[dict], resources: dict):
    """Undo what the bundle conformed (etl.raw.conform): CBS names the region dimension of some
    tables otherwise (WerkregioS, WijkenEnBuurten, DistrictsAndNeighbourhoods) and a table of
    one year has no Perioden at all."""
    from etl.catalog import get_table

    try:
        spec = get_table(table_id)
    except KeyError:
        return rows, props, resources
    region = spec.region_dimension
    drop = {"Perioden"} if spec.year is not None else set()
    if region != "RegioS" or drop:
        rename = {"RegioS": region}
        rows = [{rename.get(k, k): v for k, v in r.items() if k not in drop} for r in rows]
        props = [{**p, "Key": rename.get(p["Key"], p["Key"])} for p in props
                 if p["Key"] not in drop]
        resources = {rename.get(k, k): v for k, v in resources.items() if k not in drop}
    return rows, props, resources


def complete_cube(rows: list[dict], resources: dict, dims: list[str]) -> None:
    """CBS's data set holds every combination of its dimensions' codes (empty where there is
    no figure); the bundle keeps only rows it uses. Add the missing ones, empty."""
    measures = [k for k in rows[0] if k not in dims and k != "ID"] if rows else []
    present = {tuple(r[d] for d in dims) for r in rows}
    for combo in itertools.product(*[[c["Key"] for c in resources[d]] for d in dims]):
        if combo not in present:
            rows.append({**dict(zip(dims, combo, strict=True)), **dict.fromkeys(measures)})


# Tables on each year's own boundaries that start before 2010 (bundle manifest).
EARLY_TABLES = {"80305ned"}


def cbs_properties(props: list[dict]) -> list[dict]:
    """DataProperties as CBS sends them: a topic group, titles, units, decimals, positions."""
    out = [{"Position": None, "Description": "Onderwerpen (fixture topic group)",
            "odata.type": "Cbs.OData.TopicGroup", "ParentID": None, "Type": "TopicGroup",
            "Key": "", "Title": "Onderwerpen", "ID": 0}]
    for i, p in enumerate(props, 1):
        entry = {k: v for k, v in p.items() if v is not None and v == v}  # drop null/NaN
        entry.update({"ID": i, "Position": i, "Description": None,
                      "Title": p.get("Title") or p["Key"].rsplit("_", 1)[0]})
        if p["Type"] == "Topic":
            entry.update({"ParentID": 0, "Unit": p.get("Unit") or "aantal",
                          "Decimals": p.get("Decimals") or 0,
                          "Datatype": p.get("Datatype") or "Double",
                          "Default": p.get("Default") or "Missing"})
        else:
            entry["ParentID"] = None
        out.append(entry)
    return out


# --- the server ----------------------------------------------------------------------------

def answer(req: BaseHTTPRequestHandler, status: int, body: bytes,
           trickle: tuple[threading.Event, float] | None = None) -> None:
    """Send one JSON answer; with `trickle` (stop event, seconds), one byte at a time."""
    try:
        req.send_response(status)
        req.send_header("Content-Type", "application/json;charset=utf-8")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        if trickle is None:
            req.wfile.write(body)
            return
        stopping, every = trickle
        for i in range(len(body)):
            if stopping.wait(every):
                return
            req.wfile.write(body[i:i + 1])
            req.wfile.flush()
    except (BrokenPipeError, ConnectionResetError):
        pass


class Loopback:
    """A threaded HTTP server on 127.0.0.1 (a free port) for the fakes below; `with` starts it,
    leaving the block stops it and releases anything waiting on `stopping` (hangs, trickles)."""

    def listen(self, handler: type[BaseHTTPRequestHandler]) -> int:
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        return self.server.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


class FakeCbs(Loopback):
    """CBS's OData v3 feed for the tables of a snapshot-shaped folder (cbs/<ID>/*.json) or of
    one table folder; `url` is host:port, for cbsodata's catalog_url."""

    def __init__(self, layout: Path, shared: Path | None = None, trickle_every: float = 0.2):
        layout = Path(layout)
        folders = [layout] if (layout / "TypedDataSet.json").is_file() else \
            sorted(p for p in (layout / "cbs").iterdir() if p.is_dir())
        self.folders = {p.name.lower(): p for p in folders}
        self.table_id = folders[0].name  # one-table use (the fault tests)
        recorded = (shared / RECORDINGS / "80137ned" / "TableInfos.json") if shared else None
        self.recorded_info = ({k: v for k, v in json.loads(recorded.read_text())["value"][0]
                               .items() if k not in ("Identifier", "Title", "Modified", "ID")}
                              if recorded and recorded.is_file() else {})
        self.tables: dict[str, dict] = {}
        self.faults: dict[str, list[str]] = {}
        self.requests: list[str] = []
        self.log: list[str] = []
        self.trickle_every = trickle_every
        self.page_size = PAGE_SIZE
        self.lock = threading.Lock()
        self.url = f"127.0.0.1:{self.listen(self.handler())}"

    # what tests change
    def table(self, table_id: str) -> dict[str, list[dict]]:
        """The resources of one table (built on first use; tests may edit them)."""
        key = table_id.lower()
        with self.lock:
            if key not in self.tables:
                self.tables[key] = cbs_table(self.folders[key], self.recorded_info)
            return self.tables[key]

    def fail(self, resource: str, *actions: str) -> None:
        """Script the next answers for a resource ('' is a table's index); 'ID/resource'
        limits it to one table."""
        self.faults.setdefault(resource, []).extend(actions)

    def withdraw_period(self, table_id: str, period: str) -> None:
        """CBS takes a period back (e.g. 2024 from 86088NED)."""
        res = self.table(table_id)
        res["Perioden"] = [c for c in res["Perioden"] if c["Key"] != period]
        res["TypedDataSet"] = [r for r in res["TypedDataSet"] if r["Perioden"] != period]

    def rename_measure(self, table_id: str, old: str, new: str) -> None:
        """CBS renames a measure key (its column and its DataProperties entry)."""
        res = self.table(table_id)
        for p in res["DataProperties"]:
            if p["Key"] == old:
                p["Key"] = new
        res["TypedDataSet"] = [{(new if k == old else k): v for k, v in r.items()}
                               for r in res["TypedDataSet"]]

    # serving
    def handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                fake.serve(self)

        return Handler

    def next_action(self, table_id: str, resource: str) -> str:
        with self.lock:
            for key in (f"{table_id}/{resource}", resource):
                queue = self.faults.get(key)
                if queue:
                    return queue.pop(0)
        return "ok"

    def serve(self, req: BaseHTTPRequestHandler) -> None:
        parsed = urlparse(req.path)
        query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        parts = [p for p in parsed.path.split("/") if p]
        self.log.append(req.path)
        # /ODataFeed/odata/<ID>[/<Resource>]
        if len(parts) < 3 or parts[0].lower() != "odatafeed" or parts[1].lower() != "odata":
            return self.send(req, 404, {"odata.error": {"message": {"value": "not found"}}})
        table_key, resource = parts[2].lower(), parts[3] if len(parts) > 3 else ""
        self.requests.append(resource)
        if table_key not in self.folders:
            return self.send(req, 404, {"odata.error": {"message": {
                "value": f"table {parts[2]} not found"}}})
        folder_id = self.folders[table_key].name
        action = self.next_action(folder_id, resource)
        if self.misbehave(req, action):
            return None
        base = f"http://{self.url}/ODataFeed/odata/{folder_id}/"
        res = self.table(folder_id)
        if resource == "":
            return self.send(req, 200, self.index(res, base), action)
        if resource not in res and resource != "UntypedDataSet":
            return self.send(req, 404, {"odata.error": {"message": {
                "value": f"resource {resource} not found"}}})
        rows = res["TypedDataSet"] if resource in DATA_SETS else res[resource]
        if resource in DATA_SETS and "$filter" in query:
            try:
                keep = parse_filter(query["$filter"])
            except FilterError as exc:
                return self.send(req, 400, {"odata.error": {"message": {"value": str(exc)}}})
            rows = [r for r in rows if keep(r)]
        if action == "empty":
            rows = []
        return self.send(req, 200, self.page(rows, resource, query, base, action), action)

    def misbehave(self, req: BaseHTTPRequestHandler, action: str) -> bool:
        """Act out a scripted fault; True when that was the whole answer."""
        if action == "reset":
            req.close_connection = True
            req.connection.close()
            return True
        if action == "timeout":
            time.sleep(2.0)
        if action == "hang":
            self.stopping.wait(120)
            return True
        if action.isdigit():
            self.send(req, int(action), {"odata.error": {"message": {"value": "fault"}}})
            return True
        return False

    @staticmethod
    def index(res: dict, base: str) -> dict:
        """The table's service document: its resources, the data sets first as CBS lists them."""
        first = ("TableInfos", "TypedDataSet", "DataProperties", "CategoryGroups")
        names = ["TableInfos", "UntypedDataSet", *first[1:]] + [k for k in res if k not in first]
        return {"value": [{"name": n, "url": base + n} for n in names],
                "odata.metadata": f"{base}$metadata"}

    def page(self, rows: list[dict], resource: str, query: dict, base: str, action: str) -> dict:
        """One page of rows as CBS pages them, with the next link while rows remain."""
        skip = int(query.get("$skip", "0"))
        size = self.page_size
        page_rows = rows[skip:skip + size]
        if resource == "UntypedDataSet":
            page_rows = [{k: (v if k in ("ID",) or isinstance(v, str) else untyped(v))
                          for k, v in r.items()} for r in page_rows]
        page = {"value": page_rows, "odata.metadata": f"{base}$metadata#Cbs.OData.WebAPI."
                                                      f"{resource}"}
        if resource in DATA_SETS and skip + size < len(rows) and action != "cut":
            link = f"{base}{resource}/?$format=json"
            if "$filter" in query:  # ASSUMED: CBS keeps the filter in the next link
                link += "&$filter=" + quote(query["$filter"])
            page["odata.nextLink"] = f"{link}&$skip={skip + size}"
        return page

    def send(self, req, status: int, payload: object, action: str = "ok") -> None:
        body = json.dumps(payload).encode()
        if action == "truncated":
            body = body[: len(body) // 2]
        answer(req, status, body, (self.stopping, self.trickle_every)
               if action == "trickle" else None)


class RecordedCbs(FakeCbs):
    """CBS's recorded answers (../shared/cbs-recordings) served as they are; only the host in
    their links points here. Answers only the requests the recordings README lists."""

    def __init__(self, shared: Path):
        self.root = Path(shared) / RECORDINGS
        self.lock = threading.Lock()
        self.faults, self.requests, self.log = {}, [], []
        self.url = f"127.0.0.1:{self.listen(self.handler())}"

    def file_for(self, parts: list[str], query: dict) -> Path | None:
        if [p.lower() for p in parts[:1]] == ["odatacatalog"]:
            return self.root / "catalog" / "Tables.json"
        if len(parts) < 3:
            return None
        table, resource = parts[2], parts[3] if len(parts) > 3 else ""
        if table == "83599NED" and resource == "UntypedDataSet":
            return self.root / table / ("UntypedDataSet.page2.json" if query.get("$skip")
                                        else "UntypedDataSet.page1.json")
        name = resource or "service_root"
        path = self.root / table.lower() / f"{name}.json"
        return path if path.is_file() else None

    def serve(self, req: BaseHTTPRequestHandler) -> None:
        parsed = urlparse(req.path)
        query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        parts = [p for p in parsed.path.split("/") if p]
        self.log.append(req.path)
        path = self.file_for(parts, query)
        if path is None:
            return self.send(req, 404, {"odata.error": {"message": {"value": "not recorded"}}})
        text = path.read_text(encoding="utf-8").replace("https://opendata.cbs.nl",
                                                        f"http://{self.url}")
        text = text.replace("http://opendata.cbs.nl", f"http://{self.url}")
        answer(req, 200, text.encode())
        return None


class FakePdok(Loopback):
    """PDOK's WFS on 127.0.0.1: answers any GetFeature with a GeoJSON file; scripted faults
    like FakeCbs (`hang`, `trickle`, a status). `url` is the full URL to configure."""

    def __init__(self, geojson: Path, trickle_every: float = 0.2):
        self.body = Path(geojson).read_bytes()
        self.faults: list[str] = []
        self.requests = 0
        self.trickle_every = trickle_every
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                fake.requests += 1
                action = fake.faults.pop(0) if fake.faults else "ok"
                if action == "hang":
                    fake.stopping.wait(120)
                    return
                status = int(action) if action.isdigit() else 200
                body = fake.body if status == 200 else b'{"error": "fault"}'
                answer(self, status, body, (fake.stopping, fake.trickle_every)
                       if action == "trickle" else None)

        port = self.listen(Handler)
        self.url = (f"http://127.0.0.1:{port}/cbs/gebiedsindelingen/2024/wfs/v1_0?service=WFS"
                    "&request=GetFeature&typeNames=gebiedsindelingen:gemeente_gegeneraliseerd"
                    "&outputFormat=application/json")

    def fail(self, *actions: str) -> None:
        self.faults.extend(actions)


__all__ = ["FakeCbs", "FakePdok", "RecordedCbs", "parse_filter"]
