"""A remote ActivityPub server on 127.0.0.1, in a thread: it serves the actor documents and keys
it is given, and counts what it is asked (to see what the platform fetched); it takes what is
POSTed to it (an inbox), keeps it, and answers as told (`answer`: a status, or a function of the
request's headers; 202 by default)."""

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

Fetch = Callable[[str], dict[str, Any] | None]


def key_pair(bits: int = 2048) -> tuple[str, str]:
    """(public PEM, private PEM)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode(),
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
    )


@dataclass
class RemoteServer:
    documents: dict[str, Any] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    # The headers of each GET, in the same order.
    asked_headers: list[dict[str, str]] = field(default_factory=list)
    # What was POSTed: (path, headers, body), in order.
    posted: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    answer: int | Callable[[dict[str, str]], int] = 202
    # The Content-Type of a document by its path, if not application/activity+json.
    content_types: dict[str, str] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def add_actor(self, name: str, public_pem: str, *, base: str = "") -> tuple[str, str]:
        """A Person with the key; (actor URL, key id). Named under `base` if given (another
        spelling of this server's host: it answers by path, whatever the name)."""
        actor = f"{base or self.url}/users/{name}"
        key_id = f"{actor}#main-key"
        self.documents[f"/users/{name}"] = {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": actor,
            "type": "Person",
            "preferredUsername": name,
            "inbox": f"{actor}/inbox",
            "endpoints": {"sharedInbox": f"{self.url}/inbox"},
            "publicKey": {"id": key_id, "owner": actor, "publicKeyPem": public_pem},
        }
        return actor, key_id

    def verify(self, posted: tuple[str, dict[str, str], bytes], fetch: Fetch) -> dict[str, Any]:
        """Check the signature of what was POSTed here as a server would: the key named by its
        `keyid`, fetched at that address (`fetch(url)`: the key document, or None if it is not
        served); returns the key document. AssertionError or SignatureError if it fails."""
        from requests.structures import CaseInsensitiveDict

        from internationale.federation.signatures import key_id_of, verify

        path, headers, body = posted
        lower = CaseInsensitiveDict(headers)
        key_id, _scheme = key_id_of(dict(lower))
        document = fetch(key_id)
        assert document is not None, f"{key_id} is not served"
        verify(
            method="POST",
            url=self.url + path,
            headers=lower,  # type: ignore[arg-type]
            body=body,
            public_key_pem=document["publicKeyPem"],
        )
        return document

    def start(self, port: int = 0) -> "RemoteServer":
        remote = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 -- the name http.server calls
                remote.asked.append(self.path)
                remote.asked_headers.append(dict(self.headers.items()))
                document = remote.documents.get(self.path)
                body = json.dumps(document).encode() if document is not None else b""
                self.send_response(200 if document is not None else 404)
                self.send_header(
                    "Content-Type",
                    remote.content_types.get(self.path, "application/activity+json"),
                )
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802 -- the name http.server calls
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = dict(self.headers.items())
                remote.posted.append((self.path, headers, body))
                answer = remote.answer
                status = answer(headers) if callable(answer) else answer
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
