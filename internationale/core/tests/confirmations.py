"""Reading destructive actions off rendered pages: how prominent the link to one is, and what its
confirmation page offers."""

import html
import re
from dataclasses import dataclass

from django.test import Client


def _text(fragment: str) -> str:
    """The words of an HTML fragment, as a reader (or a screen reader) gets them."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def link_classes(page: str, href: str) -> set[str]:
    """The classes of the link to `href` on a page; fails when the page has no such link."""
    match = re.search(r'<a class="([^"]*)" href="' + re.escape(href) + '"', page)
    assert match is not None, f"no link to {href}"
    return set(match.group(1).split())


def assert_offered_second(page: str, href: str) -> None:
    """The link to a destructive action is outlined in the danger colour: never a page's main,
    filled button."""
    assert {"button", "danger", "secondary"} <= link_classes(page, href)


@dataclass(frozen=True)
class Confirmation:
    button: str  # what the filled button says it does
    cancel: str  # where Cancel leads


def confirmation(client: Client, url: str) -> Confirmation:
    """GET a destructive action's address: a page of its own asking to confirm."""
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    page = page[page.index('<main id="main"') :]
    form = re.search(r'<form method="post"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None, "no form on the confirmation page"
    button = re.search(r'<button type="submit" class="button danger">(.*?)</button>', form[1], re.S)
    cancel = re.search(r'<a class="button secondary" href="([^"]*)">(.*?)</a>', form[1], re.S)
    assert button is not None and cancel is not None
    assert _text(cancel.group(2)) == "Cancel"
    return Confirmation(button=_text(button.group(1)), cancel=html.unescape(cancel.group(1)))
