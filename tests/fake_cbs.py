"""A fake CBS OData v3 server on 127.0.0.1 for fault tests (test fixture, not CBS).

It serves recorded responses (the snapshot's JSON files of one table, paged like CBS with
odata.nextLink) and can be scripted to misbehave on a resource: time out, reset the
connection, answer 500/503/404, send a truncated body, an empty table, or cut a page short.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

PAGE_SIZE = 1000


class FakeCbs:
    """Holds the recorded table and the scripted faults; `url` is host:port for cbsodata."""

    def __init__(self, table_dir: Path):
        self.table_id = table_dir.name
        self.files = {p.stem: json.loads(p.read_text()) for p in table_dir.glob("*.json")
                      if p.stem != "SNAPSHOT"}
        self.faults: dict[str, list[str]] = {}
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def fail(self, resource: str, *actions: str) -> None:
        """Script the next answers for a resource ('' is the table's index)."""
        self.faults.setdefault(resource, []).extend(actions)

    def handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                fake.serve(self)

        return Handler

    def index(self, base: str) -> list[dict]:
        names = [n for n in self.files if n != "TypedDataSet"] + ["TypedDataSet",
                                                                  "UntypedDataSet"]
        return [{"name": n, "url": f"{base}{n}"} for n in names]

    def serve(self, req: BaseHTTPRequestHandler) -> None:
        parsed = urlparse(req.path)
        resource = parsed.path.rstrip("/").split("/")[-1]
        resource = "" if re.fullmatch(r"\d{5}[A-Za-z]{3}", resource) else resource
        self.requests.append(resource)
        action = (self.faults.get(resource) or ["ok"]).pop(0)
        if action == "reset":
            req.connection.close()
            return
        if action == "timeout":
            time.sleep(2.0)
        if action.isdigit():
            self.send(req, int(action), {"odata.error": {"message": {"value": "fault"}}})
            return
        base = f"http://{self.url}/ODataFeed/odata/{self.table_id}/"
        if resource == "":
            self.send(req, 200, {"value": self.index(base)})
            return
        rows = self.files.get(resource, [])
        if action == "empty":
            rows = []
        skip = int(parse_qs(parsed.query).get("$skip", ["0"])[0])
        page = {"value": rows[skip:skip + PAGE_SIZE]}
        if skip + PAGE_SIZE < len(rows) and action != "cut":
            page["odata.nextLink"] = f"{base}{resource}?$format=json&$skip={skip + PAGE_SIZE}"
        body = json.dumps(page).encode()
        if action == "truncated":
            body = body[: len(body) // 2]
        self.send_raw(req, 200, body)

    def send(self, req, status: int, payload: object) -> None:
        self.send_raw(req, status, json.dumps(payload).encode())

    @staticmethod
    def send_raw(req, status: int, body: bytes) -> None:
        try:
            req.send_response(status)
            req.send_header("Content-Type", "application/json")
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            req.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
