from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


def _routes(patterns: list[Any], urlconf: str) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            name = getattr(pattern.urlconf_name, "__name__", "")
            yield from _routes(pattern.url_patterns, name or urlconf)
        else:
            yield urlconf, pattern


def _app(module: str) -> str:
    return module.split(".")[1]  # internationale.<app>.…


def test_each_app_routes_only_its_own_views():
    routes = [
        (urlconf, pattern)
        for urlconf, pattern in _routes(get_resolver().url_patterns, "internationale.urls")
        if urlconf.startswith("internationale.") and urlconf != "internationale.urls"
    ]
    assert routes
    strangers = [
        (urlconf, pattern.name)
        for urlconf, pattern in routes
        if _app(pattern.callback.__module__) != _app(urlconf)
    ]
    assert strangers == []


def test_organization_pages_of_other_apps_keep_their_paths(client, ana, owner_org):
    client.force_login(ana)
    for page in ("tokens", "webhooks", "audit"):
        assert client.get(f"/organizations/{owner_org.slug}/{page}/").status_code == 200
