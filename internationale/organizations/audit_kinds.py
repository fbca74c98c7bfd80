"""The audit kinds of organizations, worded in each reader's language (see core/audit.py).
Registered when the app is ready."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from internationale.core.audit import PEOPLE_RULE, Confidential, register

from .models import Membership, Relation


def _role(code: str) -> str:
    try:
        return str(Membership.Role(code).label)
    except ValueError:
        return code


def _relation_kind(code: str) -> str:
    try:
        return str(Relation.Kind(code).label)
    except ValueError:
        return code


def _person_as_role(p: Mapping[str, Any]) -> str:
    return _("%(email)s as %(role)s") % {"email": p["email"], "role": _role(p["role"])}


def _a_person_as_role(p: Mapping[str, Any]) -> str:
    return _("A person as %(role)s") % {"role": _role(p["role"])}


def _people(wording: Any) -> Confidential:
    """Who: for those who may see the organization's people."""
    return Confidential(rule=PEOPLE_RULE, on="organization", wording=wording)


# Who is related to whom: for those who may see the relation.
RELATION = Confidential(rule="organizations.view_relation", wording=lambda p: _("A relation"))


def _relation(p: Mapping[str, Any]) -> str:
    return _("%(proposer)s ↔ %(partner)s (%(kind)s)") % {
        "proposer": p["proposer"],
        "partner": p["partner"],
        "kind": _relation_kind(p["kind"]),
    }


def _verified(p: Mapping[str, Any]) -> str:
    if p.get("by") == "vouches":
        return _("Verified by two vouches")
    return _("Verified by a server operator")


register(
    "organization.create",
    label=gettext_lazy("Organization registered"),
    wording=lambda p: (
        (_("%(name)s, registered verified") if p.get("verified") else _("%(name)s, registered"))
        % {"name": p["name"]}
    ),
)
register(
    "organization.update",
    label=gettext_lazy("Organization changed"),
    wording=lambda p: _("Changed: %(fields)s") % {"fields": ", ".join(p["fields"])},
)
register(
    "organization.verify",
    label=gettext_lazy("Organization verified"),
    wording=_verified,
)
register(
    "organization.unverify",
    label=gettext_lazy("Verification withdrawn"),
    wording=lambda p: _("Verification withdrawn by a server operator"),
)
register(
    "membership.add",
    label=gettext_lazy("Member added"),
    wording=_person_as_role,
    confidential=_people(_a_person_as_role),
)
register(
    "membership.role",
    label=gettext_lazy("Role changed"),
    wording=lambda p: (
        _("%(email)s: %(old)s → %(new)s")
        % {"email": p["email"], "old": _role(p["old"]), "new": _role(p["new"])}
    ),
    confidential=_people(
        lambda p: (
            _("A person: %(old)s → %(new)s") % {"old": _role(p["old"]), "new": _role(p["new"])}
        )
    ),
)
register(
    "membership.remove",
    label=gettext_lazy("Member removed"),
    wording=lambda p: (
        _("%(email)s, who was %(role)s") % {"email": p["email"], "role": _role(p["role"])}
    ),
    confidential=_people(lambda p: _("A person, who was %(role)s") % {"role": _role(p["role"])}),
)
register(
    "invitation.create",
    label=gettext_lazy("Invitation sent"),
    wording=_person_as_role,
    confidential=_people(_a_person_as_role),
)
register(
    "invitation.accept",
    label=gettext_lazy("Invitation accepted"),
    wording=_person_as_role,
    confidential=_people(_a_person_as_role),
)
register(
    "vouch.add",
    label=gettext_lazy("Vouch received"),
    wording=lambda p: (
        _("%(voucher)s vouches for %(org)s") % {"voucher": p["voucher_name"], "org": p["org"]}
    ),
)
register(
    "vouch.give",
    label=gettext_lazy("Vouch given"),
    wording=lambda p: _("Vouched for %(org)s") % {"org": p["org"]},
)
register(
    "vouch.withdraw",
    label=gettext_lazy("Vouch withdrawn"),
    wording=lambda p: _("%(voucher)s withdrew its vouch") % {"voucher": p["voucher_name"]},
)
for _kind, _label in (
    ("relation.propose", gettext_lazy("Relation proposed")),
    ("relation.accept", gettext_lazy("Relation accepted")),
    ("relation.decline", gettext_lazy("Relation declined")),
    ("relation.end", gettext_lazy("Relation ended")),
):
    register(_kind, label=_label, wording=_relation, confidential=RELATION)
