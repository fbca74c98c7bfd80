"""The headers every answer carries: a Content-Security-Policy with nothing inline, the referrer
and permissions policies, and no-store on everything that is not public."""

import re
from pathlib import Path

import pytest
from django.test import Client

from internationale.accounts.services import token_create
from internationale.appeals.tests.factories import AppealFactory
from internationale.core.actors import System
from internationale.organizations.services import invitation_create

PACKAGE = Path(__file__).resolve().parents[2]


def assert_strict_policies(response) -> None:  # type: ignore[no-untyped-def]
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["Referrer-Policy"] == "same-origin"
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in response["Permissions-Policy"]


def assert_not_stored(response) -> None:  # type: ignore[no-untyped-def]
    assert "no-store" in response.get("Cache-Control", ""), response.get("Cache-Control")


def test_a_public_page_has_the_policies_and_may_be_cached(client_for, db):
    response = client_for(None).get("/")
    assert response.status_code == 200
    assert_strict_policies(response)
    assert "no-store" not in response.get("Cache-Control", "")


def test_every_answer_carries_the_policy_built_once_as_django_csp_would(
    client_for, settings, monkeypatch, db
):
    """The header is built once per process (core.middleware.ContentSecurityPolicyMiddleware), not
    for every answer: the same as django-csp's for the settings, and a change of the settings
    shows at the next answer."""
    import csp.middleware
    from csp.utils import build_policy

    client = client_for(None)
    client.get("/")
    built: list[bool] = []
    monkeypatch.setattr(
        csp.middleware, "build_policy", lambda **kw: built.append(True) or build_policy(**kw)
    )
    for url in ["/", "/missing/", "/api/v1/appeals"]:
        assert client.get(url)["Content-Security-Policy"] == build_policy()
    assert not built
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'"]}
    }
    assert client.get("/")["Content-Security-Policy"] == build_policy()
    assert "data:" not in client.get("/")["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"script-src": ["'none'"]}}
    response = client.get("/")
    assert response["Content-Security-Policy-Report-Only"] == build_policy(report_only=True)
    assert "script-src 'none'" in response["Content-Security-Policy-Report-Only"]


def test_signed_in_pages_are_never_stored(client_for, ana, owner_org):
    client = client_for(ana)
    for url in ["/dashboard/", f"/inbox/{owner_org.slug}/", "/organizations/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policies(response)
        assert_not_stored(response)


def test_an_appeal_that_is_not_public_is_never_stored(client_for, sam, owner_org):
    draft = AppealFactory(organization=owner_org, created_by=sam)
    response = client_for(sam).get(f"/appeals/{draft.pk}/")
    assert response.status_code == 200
    assert_not_stored(response)


def test_pages_reached_with_a_key_in_the_address_are_never_stored(client_for, ana, owner_org):
    _invitation, token = invitation_create(
        actor=ana, organization=owner_org, email="new@union.example", role="member"
    )
    anonymous = client_for(None)
    for url in [f"/invitations/{token}/", "/accounts/password/reset/", "/accounts/login/"]:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert_not_stored(response)


def test_api_answers_are_never_stored_whether_by_session_or_token(client_for, ana, owner_org):
    response = client_for(ana).get("/api/v1/me")
    assert response.status_code == 200
    assert_strict_policies(response)
    assert_not_stored(response)

    _token, raw = token_create(
        actor=System(reason="test"), user=ana, organization=owner_org, name="bot"
    )
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
    assert response.status_code == 200
    assert_not_stored(response)


def test_the_api_reference_has_nothing_inline(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<style" not in page and "<script" not in page and " style=" not in page
    assert "/static/css/api-reference.css" in page


TEMPLATES = sorted(PACKAGE.glob("**/templates/**/*.html"))
INLINE = [
    ("an inline script", re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)),
    ("a style element", re.compile(r"<style\b", re.IGNORECASE)),
    ("a style attribute", re.compile(r"\sstyle\s*=", re.IGNORECASE)),
    ("an event handler attribute", re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)),
    ("a javascript: link", re.compile(r"javascript:", re.IGNORECASE)),
    ("an htmx handler", re.compile(r"\s(data-)?hx-on", re.IGNORECASE)),
]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_template_holds_script_or_style_inline(template):
    # The policy refuses them: each would silently stop working in the browser.
    text = template.read_text()
    found = [what for what, pattern in INLINE if pattern.search(text)]
    assert found == []


def test_htmx_injects_no_style_and_evaluates_no_code(client_for, db):
    page = client_for(None).get("/").content.decode()
    assert '"includeIndicatorStyles":false' in page
    assert '"allowEval":false' in page
