"""The audit kinds of ownership, worded in each reader's language (see core/audit.py). Registered
when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.core.audit import register


def _export(params: Mapping[str, Any]) -> str:
    if params.get("emails"):
        return _("Export %(id)s, with e-mail addresses") % params
    return _("Export %(id)s, without e-mail addresses") % params


register("organization.export_start", label=gettext_lazy("Export started"), wording=_export)
register(
    "organization.export_ready",
    label=gettext_lazy("Export ready"),
    wording=lambda p: _("Export %(id)s, %(size)s bytes") % p,
)
register(
    "organization.export_download",
    label=gettext_lazy("Export downloaded"),
    wording=lambda p: _("Export %(id)s") % p,
)
register(
    "organization.import_archive",
    label=gettext_lazy("Organization imported from an archive"),
    wording=lambda p: _("%(name)s, %(rows)s rows") % p,
)
register(
    "account.export_data",
    label=gettext_lazy("Person's data exported"),
    wording=lambda p: _("By the person themselves"),
)
register(
    "account.delete",
    label=gettext_lazy("Account deleted"),
    wording=lambda p: _("By the person themselves"),
)


# The emergency erase (erase.py) ----------------------------------------------------------------
register(
    "ownership.erase_request",
    label=gettext_lazy("Emergency erase asked for"),
    wording=lambda p: _("It lapses unless a second person confirms it within an hour."),
)
register(
    "ownership.erase_cancel",
    label=gettext_lazy("Emergency erase withdrawn"),
    wording=lambda p: _("The request was withdrawn before it was confirmed."),
)
register(
    "ownership.erase",
    label=gettext_lazy("Emergency erase"),
    wording=lambda p: (
        _(
            "Confidential content erased: asked for by %(requested_by)s, confirmed by %(confirmed_by)s"
        )
        % p
    ),
)
register(
    "ownership.pending_relation_propose",
    label=gettext_lazy("Relation from another server proposed"),
    wording=lambda p: _("To %(partner)s") % p,
)
register(
    "ownership.pending_relation_dismiss",
    label=gettext_lazy("Relation from another server dismissed"),
    wording=lambda p: _("With %(partner)s") % p,
)
