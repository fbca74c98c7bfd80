"""A real HTTP server on 127.0.0.1, in a thread, that records what webhooks send it and, given a
secret, checks their signatures as a receiving system would, with the Standard Webhooks library."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import standardwebhooks


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers each request with the next status in `statuses` (the last one repeats). Given a
    `secret`, answers 401 to a request whose signature does not verify with it."""

    statuses: list[int] = field(default_factory=lambda: [200])
    location: str = ""
    secret: str | bytes | None = None
    # An answer's body sent one byte every `drip_seconds`, as a slow (or hostile) server would.
    slow_body: bytes = b""
    drip_seconds: float = 0.0
    received: list[Received] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 -- the name http.server calls
                length = int(self.headers.get("Content-Length") or 0)
                receiver.received.append(
                    Received(self.path, dict(self.headers.items()), self.rfile.read(length))
                )
                status = receiver.statuses[min(len(receiver.received), len(receiver.statuses)) - 1]
                if receiver.secret is not None:
                    try:
                        standardwebhooks.Webhook(receiver.secret).verify(
                            receiver.received[-1].body, receiver.received[-1].headers
                        )
                    except standardwebhooks.WebhookVerificationError as error:
                        receiver.refused.append(str(error))
                        status = 401
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", str(len(receiver.slow_body)))
                self.end_headers()
                for byte in receiver.slow_body:
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:  # the caller gave up
                        return
                    time.sleep(receiver.drip_seconds)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
