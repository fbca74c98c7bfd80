"""Titles of inbox entries, worded in each reader's language, and what a confidential entry says.

An entry the platform writes ("Union X pledged support: ...") is stored with the name of its
wording and the values the wording needs, and is worded when it is read: on the page in the
reader's language, in an e-mail in the recipient's language, in the API in the request's. The
stored `title` is the same wording in the server's language, for a wording no longer known.

Every app registers its wordings once, when it is ready (see `AppealsConfig.ready`):

    @wording("appeal.update")
    def _update(params):
        return _("Update: %(title)s") % params

A confidential entry (about an appeal that is not public, say) travels by e-mail and webhook with
only the label of its kind and a link: mailboxes and other systems are not the platform's to
protect. `label` gives that label, registered with `kind_label`.
"""

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

logger = logging.getLogger("internationale.notifications")

Wording = Callable[[Mapping[str, Any]], str]

_WORDINGS: dict[str, Wording] = {}
_LABELS: dict[str, Promise | str] = {}


def wording(name: str) -> Callable[[Wording], Wording]:
    """Register the function that words the titles named `name`."""

    def register(function: Wording) -> Wording:
        _WORDINGS[name] = function
        return function

    return register


def kind_label(kind: str, label: Promise | str) -> None:
    """Register what a confidential entry of this kind says instead of its title."""
    _LABELS[kind] = label


def word(name: str, params: Mapping[str, Any], fallback: str = "") -> str:
    """The title named `name` with these values, in the active language; `fallback` if the
    wording is unknown or its values do not fit (an entry older than a change of wording)."""
    function = _WORDINGS.get(name)
    if function is None:
        return fallback
    try:
        return function(params)
    except (KeyError, TypeError, ValueError):
        logger.warning("inbox title %r does not fit its values", name, exc_info=True)
        return fallback


def label(kind: str) -> str:
    """What a confidential entry of this kind says, in the active language."""
    text = _LABELS.get(kind)
    return str(text) if text is not None else _("A new entry in your inbox")
