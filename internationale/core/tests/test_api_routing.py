"""The API's URLs are grouped by the first segment of their path (core.api.by_first_segment), so
that a request tests a few prefixes rather than every pattern before its own: every path still
reaches the view it reached in the flat list, with the same arguments and name."""

import re

import pytest
from django.urls import URLResolver, path, re_path
from django.urls.resolvers import RegexPattern, RoutePattern

from internationale.core import api as core_api
from internationale.web.api import api

SAMPLES = {"int": "7", "slug": "some-slug", "str": "x7", "path": "a/b", "uuid": "0" * 32}


def _sample(route: str) -> str:
    """A path that `route` matches: each converter given a value of its kind."""
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "7"), route)


def _resolve(urls, path_):  # type: ignore[no-untyped-def]
    match = URLResolver(RegexPattern(r"^/"), urls).resolve(path_)
    # The view itself is made afresh by each building of the list: its name and route say which.
    return match.url_name, match.kwargs, match.route


def test_every_path_of_the_api_reaches_the_same_view_as_in_the_flat_list(monkeypatch):
    monkeypatch.setattr(core_api, "by_first_segment", lambda urls: urls)
    flat = api._get_urls()
    monkeypatch.undo()
    grouped = api._get_urls()
    assert len(grouped) < len(flat) / 4  # a request tests a few prefixes
    routes = [str(url.pattern) for url in flat if isinstance(url.pattern, RoutePattern)]
    assert len(routes) > 200
    for route in routes + ["nothing/here", "campaigns/nothing/here", "me"]:
        sample = "/" + _sample(route)
        assert _resolve(grouped, sample) == _resolve(flat, sample), sample


def test_a_pattern_that_may_match_any_prefix_keeps_its_place(monkeypatch):
    def view(name):  # type: ignore[no-untyped-def]
        return lambda request, **kwargs: name  # noqa: ARG005

    flat = [
        path("a/<int:pk>", view("a-int"), name="a-int"),
        path("me", view("me"), name="me"),
        path("b/", view("b"), name="b"),
        re_path(r"^a/x", view("regex"), name="regex"),
        path("<slug:first>/y", view("any-y"), name="any-y"),
        path("a/<str:s>", view("a-str"), name="a-str"),
        path("a/x", view("a-x"), name="a-x"),
        path("b/<int:pk>", view("b-int"), name="b-int"),
    ]
    grouped = core_api.by_first_segment(flat)
    for sample in ["/a/7", "/me", "/b/", "/a/x", "/a/y", "/b/y", "/b/7", "/c/y", "/a/xz"]:
        assert _resolve(grouped, sample) == _resolve(flat, sample), sample
    assert _resolve(grouped, "/a/x")[0] == "regex"


@pytest.mark.django_db
def test_a_signature_through_the_grouped_api_is_answered_as_before(client):
    response = client.post(
        "/api/v1/campaigns/999999/signatures",
        {"first_name": "A", "email": "a@example.org", "country": "ES"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["detail"]
