"""What an organization owns of its profile, members and relations (core/owned.py)."""

from django.db.models import Q
from django.utils.translation import gettext_noop

from internationale.core.owned import Owned, declare_not_owned, declare_owned

from .forms import checked_logo

PUBLIC = Q(visibility="public")

declare_owned(
    Owned(
        model="organizations.Organization",
        key="organizations.organization",
        owners=("",),
        fields=(
            "created_at",
            "name",
            "short_name",
            "slug",
            "kind",
            "country",
            "city",
            "founded_year",
            "membership_size",
            "website",
            "description",
            "public_contact",
            "logo",
        ),
        files=("logo",),
        checks={"logo": checked_logo},
    )
)
declare_owned(
    Owned(
        model="organizations.OrganizationLanguage",
        key="organizations.language",
        owners=("organization",),
    )
)
declare_owned(
    Owned(
        model="organizations.OrganizationSector",
        key="organizations.sector",
        owners=("organization",),
    )
)
declare_owned(
    Owned(
        model="organizations.Membership",
        key="organizations.membership",
        owners=("organization",),
        confidential=True,
    )
)
declare_owned(
    Owned(
        model="organizations.Relation",
        key="organizations.relation",
        owners=("proposer", "partner"),
        confidential=True,
        keep_if=PUBLIC,
    )
)
declare_owned(
    Owned(
        model="organizations.Presence",
        key="organizations.presence",
        owners=("organization",),
        confidential=True,
        keep_if=PUBLIC,
    )
)
declare_not_owned(
    "organizations.Invitation", gettext_noop("a pending invitation with this server's link")
)
declare_not_owned("organizations.Vouch", gettext_noop("verification, which each server does"))
declare_not_owned(
    "organizations.ErasedSlug",
    gettext_noop("the slugs of erased profiles, which the server keeps from being taken again"),
)
declare_not_owned("organizations.Employer", gettext_noop("the server's shared list of employers"))
declare_not_owned(
    "organizations.EmployerSite", gettext_noop("the server's shared list of employers")
)
