"""Signatures both ways, checked against the specifications' own construction (the signing
string written out by hand here, verified with the cryptography package alone)."""

import base64
import datetime
import email.utils
import hashlib
import re

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from internationale.federation.signatures import (
    CAVAGE,
    RFC9421,
    SignatureError,
    sign,
    verify,
)

URL = "https://solidarity.example/federation/actors/dockers/inbox"
BODY = b'{"type": "Follow"}'
NOW = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)


def _public(private_pem: str):  # type: ignore[no-untyped-def]
    return serialization.load_pem_private_key(private_pem.encode(), password=None).public_key()


def test_a_cavage_signature_is_the_drafts_signing_string(alice_keys):
    headers = sign(
        method="POST",
        url=URL,
        headers={"Content-Type": "application/activity+json"},
        body=BODY,
        key_id="https://solidarity.example/k",
        private_key_pem=alice_keys[1],
        scheme=CAVAGE,
        now=NOW,
    )
    assert headers["Date"] == "Fri, 01 May 2026 12:00:00 GMT"
    assert (
        headers["Digest"] == "SHA-256=" + base64.b64encode(hashlib.sha256(BODY).digest()).decode()
    )
    params = dict(re.findall(r'(\w+)="([^"]*)"', headers["Signature"]))
    assert params["headers"] == "(request-target) host date digest"
    signing_string = (
        "(request-target): post /federation/actors/dockers/inbox\n"
        "host: solidarity.example\n"
        "date: Fri, 01 May 2026 12:00:00 GMT\n"
        f"digest: {headers['Digest']}"
    )
    _public(alice_keys[1]).verify(
        base64.b64decode(params["signature"]),
        signing_string.encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )


def test_an_rfc9421_signature_is_the_rfcs_signature_base(alice_keys):
    headers = sign(
        method="POST",
        url=URL,
        headers={"Content-Type": "application/activity+json"},
        body=BODY,
        key_id="https://solidarity.example/k",
        private_key_pem=alice_keys[1],
        now=NOW,
    )
    assert headers["Content-Digest"] == (
        "sha-256=:" + base64.b64encode(hashlib.sha256(BODY).digest()).decode() + ":"
    )
    params = headers["Signature-Input"].removeprefix("sig1=")
    base = (
        '"@method": POST\n'
        f'"@target-uri": {URL}\n'
        f'"content-digest": {headers["Content-Digest"]}\n'
        f'"@signature-params": {params}'
    )
    assert params.startswith('("@method" "@target-uri" "content-digest");created=')
    signature = headers["Signature"].removeprefix("sig1=:").removesuffix(":")
    _public(alice_keys[1]).verify(
        base64.b64decode(signature), base.encode(), padding.PKCS1v15(), hashes.SHA256()
    )


@pytest.mark.parametrize("scheme", [RFC9421, CAVAGE])
def test_what_is_signed_verifies_and_anything_else_does_not(
    settings, alice_keys, other_keys, scheme
):
    def signed(**changes):  # type: ignore[no-untyped-def]
        args = {
            "method": "POST",
            "url": URL,
            "headers": {"Content-Type": "application/activity+json"},
            "body": BODY,
            "key_id": "https://solidarity.example/k",
            "private_key_pem": alice_keys[1],
            "scheme": scheme,
        } | changes
        return sign(**args)

    def check(headers, *, url=URL, body=BODY, key=alice_keys[0]):  # type: ignore[no-untyped-def]
        return verify(method="POST", url=url, headers=headers, body=body, public_key_pem=key)

    assert check(signed()).scheme == scheme
    with pytest.raises(SignatureError) as wrong_key:
        check(signed(), key=other_keys[0])
    assert wrong_key.value.code == "bad_signature"
    with pytest.raises(SignatureError) as other_body:
        check(signed(), body=BODY + b" ")
    assert other_body.value.code == "bad_digest"
    with pytest.raises(SignatureError) as other_url:
        check(signed(), url=URL.replace("dockers", "miners"))
    assert other_url.value.code == "bad_signature"
    window = datetime.timedelta(seconds=settings.INTERNATIONALE_FEDERATION_SIGNATURE_WINDOW_SECONDS)
    now = datetime.datetime.now(datetime.UTC)
    for when in (
        now - window - datetime.timedelta(minutes=1),
        now + window + datetime.timedelta(minutes=1),
    ):
        with pytest.raises(SignatureError) as expired:
            check(signed(now=when))
        assert expired.value.code == "expired"
    assert check(signed(now=now - window + datetime.timedelta(minutes=1))).scheme == scheme


def test_a_cavage_digest_is_read_whatever_the_case_of_its_algorithm(alice_keys):
    """A request signed by hand as another server might: lower-case `sha-256`, beside another
    algorithm's digest."""
    digest = base64.b64encode(hashlib.sha256(BODY).digest()).decode()
    now = datetime.datetime.now(datetime.UTC)
    headers = {
        "Host": "solidarity.example",
        "Date": email.utils.format_datetime(now, usegmt=True),
        "Digest": f"md5=AAAA, sha-256={digest}",
    }
    signing_string = (
        "(request-target): post /federation/actors/dockers/inbox\n"
        "host: solidarity.example\n"
        f"date: {headers['Date']}\n"
        f"digest: {headers['Digest']}"
    )
    private = serialization.load_pem_private_key(alice_keys[1].encode(), password=None)
    signature = private.sign(signing_string.encode(), padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr,call-arg]
    headers["Signature"] = (
        'keyId="https://solidarity.example/k",algorithm="hs2019",'
        'headers="(request-target) host date digest",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    signed = verify(
        method="POST", url=URL, headers=headers, body=BODY, public_key_pem=alice_keys[0]
    )
    assert signed.scheme == CAVAGE
    with pytest.raises(SignatureError) as other_body:
        verify(method="POST", url=URL, headers=headers, body=b"{}", public_key_pem=alice_keys[0])
    assert other_body.value.code == "bad_digest"
