"""What an organization owns of campaigns (core/owned.py): the campaigns it organizes with their
targets, co-sponsors, signatures, consents and count; its answer to an invitation to co-sponsor.

Signers are the public, not the organization: their names, addresses, city and union are
personal data of the kind `SIGNER`. A signature's row goes with the organizing organization's
archive (its date, country, status); its signer's data only to an organization the signer
consented to be contacted by (`consent`: a consent row per sponsor, the organizer included, not
withdrawn, on a confirmed signature). So a co-sponsor's archive holds the signatures, with their
signers' data, of those who consented to it, and their consents to it: not those who consented
only to another sponsor or to no one. An emergency erase of a sponsor removes the consents given
to it (its list of signers to contact), not the signatures, which are the organizer's. What an
emergency erase removes of the organizer: a draft and everything of it; a launched campaign is
public, and its signatures stay with it."""

import secrets

from django.db.models import Q
from django.utils import timezone

from internationale.core.owned import (
    Agreed,
    Consented,
    Owned,
    Personal,
    declare_not_owned,
    declare_owned,
)

from .exports import VALID

ORGANIZER = "campaign__organization"
# A consent holds until withdrawn, and only on a signature that counts (VALID): one still waiting
# for its e-mail address's confirmation, blocked or invalidated gives nothing.
HOLDS = Q(withdrawn_at__isnull=True)
# Their address goes, besides, only into an archive whose admin confirmed that e-mail addresses
# are included (as its members' addresses).
SIGNER = {name: Personal.SIGNER for name in ("first_name", "last_name", "city", "union")}
SIGNER["email"] = Personal.SIGNER_EMAIL


def _no_link() -> str:
    return secrets.token_hex(32)


declare_owned(
    Owned(
        model="campaigns.Campaign",
        key="campaigns.campaign",
        owners=("organization",),
        confidential=True,
        keep_if=Q(visibility="public"),
        # Launched (open or closed since): only a verified organization launches a campaign.
        verified_only=~Q(status="draft"),
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
        # Another organization's acceptance is invited again: it accepts again on the new server.
        agreed=Agreed(
            status="status",
            values=("accepted",),
            asked={"status": "invited", "answered_at": None, "answered_by": None},
        ),
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
        consent=Consented(rows="consents", active=HOLDS, valid=Q(status__in=VALID)),
        # Moved to another server: a token no link names, expired (the old links name the old
        # server).
        fresh={"token_hash": _no_link, "token_expires_at": timezone.now},
        confidential=True,
        keep_if=Q(campaign__visibility="public"),
    )
)
declare_owned(
    Owned(
        model="campaigns.Consent",
        key="campaigns.consent",
        owners=("signature__campaign__organization",),
        # The sponsor's own consents go to it with their signatures, as long as they hold.
        consent=Consented(active=HOLDS, valid=Q(signature__status__in=VALID)),
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
declare_not_owned(
    "campaigns.SignatureIntake",
    "signatures received and not yet screened: kept for seconds, until the worker writes them",
)
