"""HTTP signatures of ActivityPub requests, both ways.

- RFC 9421 (HTTP Message Signatures), through the maintained `http-message-signatures` library:
  `rsa-v1_5-sha256` over `@method`, `@target-uri` and, with a body, `content-digest` (RFC 9530).
- draft-cavage-http-signatures-12, which Mastodon and most of the fediverse still speak, written
  here (a page of code, tested against the text of the draft): `rsa-sha256` (or `hs2019` with an
  RSA key) over `(request-target)`, `host`, `date` and, with a body, `digest`.

Outgoing requests are signed one way or the other (RFC 9421 first, cavage for a server that
refuses it: the "double knock" is for the delivery step). Incoming requests are verified by
whichever scheme they carry: RFC 9421 when they carry `Signature-Input`.
"""

import base64
import datetime
import email.utils
import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import http_message_signatures as hms
from cryptography.exceptions import InvalidSignature as CryptoInvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.utils.translation import gettext as _

RFC9421 = "rfc9421"
CAVAGE = "cavage"
LABEL = "sig1"


class SignatureError(Exception):
    """A request whose signature is missing, malformed, wrong or out of date. `code` names the
    reason for machines; the message, for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Message:
    """What the library reads of a request: method, absolute URL, headers."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)


@functools.lru_cache(maxsize=256)
def _private_key(pem: str) -> rsa.RSAPrivateKey:
    """The key, read once per process: reading a PEM checks the RSA key's numbers, which costs
    far more than a signature (bench/federation.py)."""
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def _public_key(pem: str) -> rsa.RSAPublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError:
        raise SignatureError("bad_key", _("The signing key cannot be read.")) from None
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < 2048:
        raise SignatureError(
            "bad_key", _("The signing key is not an RSA key of 2048 bits or more.")
        )
    return key


class _OneKey(hms.HTTPSignatureKeyResolver):
    def __init__(self, *, private: Any = None, public: Any = None) -> None:
        self.private, self.public = private, public

    def resolve_private_key(self, key_id: str) -> Any:
        return self.private

    def resolve_public_key(self, key_id: str) -> Any:
        return self.public


def http_date(when: datetime.datetime | None = None) -> str:
    return email.utils.format_datetime(when or datetime.datetime.now(datetime.UTC), usegmt=True)


def digest_header(body: bytes) -> str:
    """The `Digest` header of draft-cavage (RFC 3230): SHA-256 of the body in base64."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def sign(
    *,
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes | None,
    key_id: str,
    private_key_pem: str,
    scheme: str = RFC9421,
    now: datetime.datetime | None = None,
) -> dict[str, str]:
    """The headers of the request, with its signature (and digest of `body`, and `Date`) added."""
    now = now or datetime.datetime.now(datetime.UTC)
    out = {**headers, "Date": http_date(now)}
    if scheme == RFC9421:
        message = Message(method.upper(), url, out)
        signer = hms.HTTPMessageSigner(
            signature_algorithm=hms.algorithms.RSA_V1_5_SHA256,
            key_resolver=_OneKey(private=_private_key(private_key_pem)),
        )
        signer.sign(
            message,
            key_id=key_id,
            created=now,
            label=LABEL,
            covered_component_ids=("@method", "@target-uri"),
            body=body,
        )
        return message.headers
    names = ["(request-target)", "host", "date"]
    out["Host"] = urlsplit(url).netloc
    if body is not None:
        out["Digest"] = digest_header(body)
        names.append("digest")
    base = _cavage_base(method, url, out, names)
    signature = _private_key(private_key_pem).sign(
        base.encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    out["Signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    return out


def _cavage_base(method: str, url: str, headers: dict[str, str], names: list[str]) -> str:
    """The signing string of draft-cavage-12 section 2.3: one `name: value` line per signed
    header, lower-cased names, `(request-target)` as `method path?query`."""
    lower = {k.lower(): v for k, v in headers.items()}
    parts = urlsplit(url)
    lines = []
    for name in names:
        if name == "(request-target)":
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            lines.append(f"(request-target): {method.lower()} {target}")
        elif name in lower:
            lines.append(f"{name}: {lower[name].strip()}")
        else:
            raise SignatureError(
                "bad_signature",
                _("A header the signature names is missing: %(name)s.") % {"name": name},
            )
    return "\n".join(lines)


@dataclass(frozen=True)
class Signed:
    """What a verified signature tells: the key that made it, and how."""

    key_id: str
    scheme: str


def key_id_of(headers: dict[str, str]) -> tuple[str, str]:
    """(key id, scheme) the request claims to be signed with, before anything is verified;
    SignatureError if it carries no readable signature."""
    lower = {k.lower(): v for k, v in headers.items()}
    if "signature-input" in lower:
        match = re.search(r';\s*keyid="([^"]+)"', lower["signature-input"])
        if not match or "signature" not in lower:
            raise SignatureError("bad_signature", _("The signature cannot be read."))
        return match.group(1), RFC9421
    if "signature" in lower:
        params = _cavage_params(lower["signature"])
        if "keyId" not in params:
            raise SignatureError("bad_signature", _("The signature names no key."))
        return params["keyId"], CAVAGE
    raise SignatureError("no_signature", _("The request is not signed."))


def _sha256_digests(value: str) -> list[str]:
    """The SHA-256 values of a `Digest` header (RFC 3230: `alg=value`, comma-separated, the
    algorithm's name in any case)."""
    found = []
    for item in value.split(","):
        name, _sep, digest = item.strip().partition("=")
        if name.lower() == "sha-256":
            found.append(digest.strip())
    return found


def _cavage_params(value: str) -> dict[str, str]:
    return dict(re.findall(r'(\w+)="([^"]*)"', value))


def verify(
    *,
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    public_key_pem: str,
    now: datetime.datetime | None = None,
) -> Signed:
    """Check the request's signature with the key given; the body's digest (`Content-Digest` or
    `Digest`, signed); its date (`created` or `Date`) within FEDERATION_SIGNATURE_WINDOW_SECONDS
    of now. SignatureError if anything fails."""
    key_id, scheme = key_id_of(headers)
    key = _public_key(public_key_pem)
    window = datetime.timedelta(seconds=settings.INTERNATIONALE_FEDERATION_SIGNATURE_WINDOW_SECONDS)
    now = now or datetime.datetime.now(datetime.UTC)
    if scheme == RFC9421:
        _verify_rfc9421(method, url, headers, body, key, window, now)
    else:
        _verify_cavage(method, url, headers, body, key, window, now)
    return Signed(key_id=key_id, scheme=scheme)


def _verify_rfc9421(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    key: rsa.RSAPublicKey,
    window: datetime.timedelta,
    now: datetime.datetime,
) -> None:
    class Verifier(hms.HTTPMessageVerifier):
        max_clock_skew = window

    verifier = Verifier(
        signature_algorithm=hms.algorithms.RSA_V1_5_SHA256, key_resolver=_OneKey(public=key)
    )
    created = re.search(r";\s*created=(\d+)", headers.get("Signature-Input", "") or "")
    if (
        created is None
        or abs(now - datetime.datetime.fromtimestamp(int(created.group(1)), datetime.UTC)) > window
    ):
        raise SignatureError("expired", _("The signature is too old, or dated in the future."))
    try:
        verifier.verify(
            Message(method.upper(), url, headers),
            max_age=window,
            require_components=("@method", "@target-uri"),
            body=body,
        )
    except hms.InvalidSignature as error:
        if "Content-Digest" in str(error) or "digest" in str(error).lower():
            raise SignatureError(
                "bad_digest", _("The body does not match its signed digest.")
            ) from None
        raise SignatureError("bad_signature", _("The signature does not verify.")) from None
    except hms.HTTPMessageSignaturesException:
        raise SignatureError("bad_signature", _("The signature cannot be read.")) from None


def _verify_cavage(
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    key: rsa.RSAPublicKey,
    window: datetime.timedelta,
    now: datetime.datetime,
) -> None:
    lower = {k.lower(): v for k, v in headers.items()}
    params = _cavage_params(lower["signature"])
    if params.get("algorithm", "rsa-sha256") not in ("rsa-sha256", "hs2019"):
        raise SignatureError("bad_signature", _("The signature's algorithm is not supported."))
    names = params.get("headers", "date").lower().split()
    required = {"(request-target)", "host", "date"} | ({"digest"} if body else set())
    if not required <= set(names):
        raise SignatureError(
            "bad_signature",
            _("The signature must cover (request-target), host, date and, with a body, digest."),
        )
    try:
        date = email.utils.parsedate_to_datetime(lower.get("date", ""))
    except (TypeError, ValueError):
        date = None
    if date is None or date.tzinfo is None or abs(now - date) > window:
        raise SignatureError("expired", _("The signature is too old, or dated in the future."))
    if body and digest_header(body).removeprefix("SHA-256=") not in _sha256_digests(
        lower.get("digest", "")
    ):
        # Only SHA-256 is accepted: a digest by any other algorithm proves nothing here.
        raise SignatureError("bad_digest", _("The body does not match its signed digest."))
    # The host is this server's public one (SITE_URL): the one the sender addressed.
    lower["host"] = urlsplit(url).netloc
    base = _cavage_base(method, url, lower, names)
    try:
        key.verify(
            base64.b64decode(params.get("signature", ""), validate=True),
            base.encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (CryptoInvalidSignature, ValueError):
        raise SignatureError("bad_signature", _("The signature does not verify.")) from None
