"""What an organization owns of campaigns (core/owned.py): the campaigns it organizes with their
targets, co-sponsors, signatures, consents and count; its answer to an invitation to co-sponsor.

Signers are the public, not the organization: their names, addresses, city and union are
personal data of the kind `SIGNER`. A signature's row goes with the organizing organization's
archive (its date, country, status), but its signer's data only to an organization the signer
consented to: `consent` names the path to it. A signature may consent to several sponsors, which
one path cannot name, so the archive's path leads nowhere (`consent_archive`): signer data is
never put in an archive, and reaches a sponsor only through the sponsor's own export of the
signers who consented to it (exports.py), audited. What an emergency erase removes: a draft and
everything of it; a launched campaign is public, and its signatures stay with it."""

from django.db.models import Q

from internationale.core.owned import Owned, Personal, declare_not_owned, declare_owned

ORGANIZER = "campaign__organization"
SIGNER = {name: Personal.SIGNER for name in ("first_name", "last_name", "email", "city", "union")}

declare_owned(
    Owned(
        model="campaigns.Campaign",
        key="campaigns.campaign",
        owners=("organization",),
        confidential=True,
        keep_if=Q(visibility="public"),
    )
)
declare_owned(
    Owned(
        model="campaigns.Target",
        key="campaigns.target",
        owners=(ORGANIZER,),
        confidential=True,
        keep_if=Q(campaign__visibility="public"),
    )
)
declare_owned(
    Owned(
        model="campaigns.Sponsor",
        key="campaigns.sponsor",
        owners=(ORGANIZER, "organization"),
        confidential=True,
        keep_if=Q(campaign__visibility="public"),
    )
)
declare_owned(
    Owned(
        model="campaigns.Signature",
        key="campaigns.signature",
        owners=(ORGANIZER,),
        # Neither the token's hash nor the address's: secrets of this server.
        fields=(
            "campaign",
            "first_name",
            "last_name",
            "email",
            "email_domain",
            "country",
            "city",
            "union",
            "language",
            "show_publicly",
            "wants_news",
            "status",
            "created_at",
            "confirmed_at",
        ),
        personal=SIGNER,
        confidential=True,
        keep_if=Q(campaign__visibility="public"),
    )
)
declare_owned(
    Owned(
        model="campaigns.Consent",
        key="campaigns.consent",
        owners=("signature__campaign__organization", "organization"),
        confidential=True,
        keep_if=Q(signature__campaign__visibility="public"),
    )
)
declare_owned(
    Owned(
        model="campaigns.SignatureCount",
        key="campaigns.signature_count",
        owners=(ORGANIZER,),
    )
)
for model, key in (
    ("campaigns.Delivery", "campaigns.delivery"),
    ("campaigns.CampaignUpdate", "campaigns.update"),
):
    declare_owned(
        Owned(
            model=model,
            key=key,
            owners=(ORGANIZER,),
            confidential=True,
            keep_if=Q(campaign__visibility="public"),
        )
    )
declare_owned(
    Owned(
        model="campaigns.NewsOptOut",
        key="campaigns.news_opt_out",
        owners=("signature__campaign__organization",),
        confidential=True,
        keep_if=Q(signature__campaign__visibility="public"),
    )
)
declare_not_owned(
    "campaigns.ScreeningRule", "the operators' allow and block lists of signing on this server"
)
