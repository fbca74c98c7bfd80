#!/usr/bin/env python
"""Our own cost per document translated through the LibreTranslate backend, against a stub of
LibreTranslate's API served by this process on the loopback address (no real LibreTranslate: the
stub answers each sentence at once, so what is measured is ours, not a model's).

    .venv/bin/python bench/translation_libretranslate.py [--runs 3] [--documents 20]
        [--paragraphs 10]

Each document is an appeal-like text in Markdown (`--paragraphs` paragraphs of three sentences,
with emphasis, links and a list) with a title and a summary, translated en→ko by
`translation.machine.engine.translate_texts`, as the translation tasks do: split into sentences
with the Markdown structure kept, the cache of segments read, the missing ones sent to the server
in batches of TRANSLATION_BATCH_SIZE, written to the cache, the structure put back. Each run:

- new documents (numbered afresh: nothing in the cache), ms per document;
- the same documents again (every segment from the cache: no request), ms per document;
- the very requests the stub received, sent again by `requests` alone (the HTTP round trips
  without our work), ms per document; the difference with the first is our overhead;
- the bare Django view (bench/urls_bench.py, through the middleware with the test client), ms per
  request, in the same run: the ratio says how many bare views a document costs.

Min/median/max over `--runs` runs, and the load average. SQLite in a temporary data directory.
"""

import argparse
import itertools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import load_average  # noqa: E402

SENTENCES = [
    "The dockers of the port have been on strike since Monday for a living wage.",
    "We ask every sister organization to send a message of support to the strike committee.",
    "The employer has refused to negotiate and threatens to dismiss the union delegates.",
    "Collect money for the strike fund and tell your members what is happening here.",
    "An injury to one is an injury to all, and we will not stand alone.",
    "The metalworkers of the factory voted to join the general strike next week.",
]


class Stub(BaseHTTPRequestHandler):
    """LibreTranslate's API as the backend uses it: GET /languages, POST /translate."""

    received: list[dict[str, Any]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802
        self._answer([{"code": "en", "name": "English", "targets": ["en", "ko"]}])

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append(body)
        self._answer({"translatedText": [f"[ko] {q}" for q in body["q"]]})


def document(n: int, paragraphs: int) -> dict[str, str]:
    """An appeal-like document, its sentences numbered with `n` so that no cache knows them."""
    body = []
    for p in range(paragraphs):
        three = [SENTENCES[(p + i) % len(SENTENCES)] for i in range(3)]
        three = [f"{s[:-1]} ({n}.{p}.{i}){s[-1]}" for i, s in enumerate(three)]
        if p % 3 == 0:
            three[0] = three[0].replace("strike", "*strike*", 1)
        if p % 3 == 1:
            three[1] = three[1].replace("support", "[support](https://example.org/support)", 1)
        body.append("- " + "\n- ".join(three) if p % 3 == 2 else " ".join(three))
    return {
        "title": f"Strike at the port, day {n}",
        "summary": f"The dockers ask for support ({n}).",
        "body": "\n\n".join(body),
    }


def timed(work: Callable[[], int], runs: int) -> list[float]:
    """Milliseconds per item of `work` (which returns how many items it did), one per run."""
    results = []
    for _run in range(runs):
        started = time.perf_counter()
        done = work()
        results.append((time.perf_counter() - started) * 1000 / done)
    return results


def line(label: str, values: list[float], unit: str) -> str:
    return (
        f"{label:<52} {min(values):>8.2f} {statistics.median(values):>8.2f} "
        f"{max(values):>8.2f}  {unit}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--documents", type=int, default=20, help="documents per run")
    parser.add_argument("--paragraphs", type=int, default=10, help="paragraphs per document")
    parser.add_argument("--requests", type=int, default=1000, help="bare view requests per run")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    data = Path(tempfile.mkdtemp(prefix="bench-libretranslate-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")
    os.environ["INTERNATIONALE_DATA_DIR"] = str(data)
    import django

    django.setup()
    import requests
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from internationale.translation.machine import backends, engine

    call_command("migrate", verbosity=0)
    url = f"http://127.0.0.1:{server.server_port}/"
    settings.TRANSLATION_BACKENDS = ["libretranslate"]
    settings.TRANSLATION_LIBRETRANSLATE_URL = url
    backends._instance.cache_clear()
    counter = itertools.count(1)
    batch = settings.TRANSLATION_BATCH_SIZE

    def translate(documents: list[dict[str, str]]) -> None:
        for texts in documents:
            engine.translate_texts(texts, "en", "ko", markdown=("body",))

    made: list[list[dict[str, str]]] = []

    def fresh() -> int:
        documents = [document(next(counter), args.paragraphs) for _ in range(args.documents)]
        made.append(documents)
        translate(documents)
        return len(documents)

    def cached() -> int:
        translate(made[-1])
        return len(made[-1])

    def direct(bodies: list[dict[str, Any]]) -> Callable[[], int]:
        def work() -> int:
            for body in bodies:
                # As the backend sends them: one connection per request (backends.LibreTranslate).
                requests.post(url + "translate", json=body, timeout=10).json()
            return args.documents

        return work

    client = Client(SERVER_NAME="127.0.0.1")
    client.get("/bench/minimal/")

    def bare() -> int:
        for _ in range(args.requests):
            client.get("/bench/minimal/")
        return args.requests

    translate([document(0, args.paragraphs)])  # warm-up: languages listed, caches loaded
    rows: dict[str, list[float]] = {"fresh": [], "cached": [], "http": [], "bare": []}
    requests_per_document = []
    segments = []
    for _run in range(args.runs):
        Stub.received = []
        rows["fresh"] += timed(fresh, 1)
        bodies = list(Stub.received)
        requests_per_document.append(len(bodies) / args.documents)
        segments.append(sum(len(body["q"]) for body in bodies) / args.documents)
        rows["cached"] += timed(cached, 1)
        rows["http"] += timed(direct(bodies), 1)
        rows["bare"] += timed(bare, 1)
    overhead = [f - h for f, h in zip(rows["fresh"], rows["http"], strict=True)]
    ratio = [o / b for o, b in zip(overhead, rows["bare"], strict=True)]
    sentences = statistics.median(segments)

    print(
        f"LibreTranslate stub on 127.0.0.1 · {args.runs} runs of {args.documents} documents "
        f"({args.paragraphs} paragraphs, {sentences:.0f} segments, "
        f"{statistics.median(requests_per_document):.1f} requests of up to {batch} each)"
    )
    print(load_average())
    print(f"{'':<52} {'min':>8} {'median':>8} {'max':>8}")
    print(line("a new document, translated (ours + HTTP)", rows["fresh"], "ms per document"))
    print(line("the same requests, by requests alone (HTTP)", rows["http"], "ms per document"))
    print(line("our overhead (the two above, run by run)", overhead, "ms per document"))
    print(line("the same document again (all from the cache)", rows["cached"], "ms per document"))
    print(line("bare Django view (test client)", rows["bare"], "ms per request"))
    print(line("our overhead, in bare views", ratio, "bare views per document"))
    print(load_average())
    server.shutdown()


if __name__ == "__main__":
    main()
