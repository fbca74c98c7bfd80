"""What an organization owns of appeals (core/owned.py): its appeals with their updates,
addressees and the answers and pledges others made to them (others' private amounts only as
totals), and its own pledges and answers to others' appeals."""

from django.db.models import Q

from internationale.core.owned import Owned, Private, declare_owned
from internationale.core.uploads import checked_document

from .forms import EVIDENCE_MAX_BYTES


def _evidence(upload):  # type: ignore[no-untyped-def]
    return checked_document(upload, EVIDENCE_MAX_BYTES)


PUBLIC_APPEAL = Q(appeal__visibility="public")
PLEDGE_DETAILS = ("amount", "goods", "evidence_text", "evidence_link", "evidence_file")

declare_owned(
    Owned(
        model="appeals.Appeal",
        key="appeals.appeal",
        owners=("organization",),
        confidential=True,
        keep_if=Q(visibility="public"),
        # Issued to the network: only a verified organization issues an appeal.
        verified_only=~Q(status="draft"),
    )
)
declare_owned(
    Owned(
        model="appeals.Addressee",
        key="appeals.addressee",
        owners=("appeal__organization",),
        confidential=True,
        keep_if=PUBLIC_APPEAL,
    )
)
declare_owned(
    Owned(
        model="appeals.Pledge",
        key="appeals.pledge",
        owners=("organization", "appeal__organization"),
        files=("evidence_file",),
        checks={"evidence_file": _evidence},
        private=Private(
            of="organization",
            unless="public",
            fields=PLEDGE_DETAILS,
            amount="amount",
            currency="currency",
            per="appeal",
        ),
        confidential=True,
        keep_if=PUBLIC_APPEAL,
        confidential_fields=PLEDGE_DETAILS,
    )
)
declare_owned(
    Owned(
        model="appeals.PledgeSupport",
        key="appeals.pledge_support",
        owners=("pledge__organization", "pledge__appeal__organization"),
        confidential=True,
        keep_if=Q(pledge__appeal__visibility="public"),
    )
)
declare_owned(
    Owned(
        model="appeals.Response",
        key="appeals.response",
        owners=("organization", "appeal__organization"),
        confidential=True,
        keep_if=PUBLIC_APPEAL,
    )
)
declare_owned(
    Owned(
        model="appeals.AppealUpdate",
        key="appeals.update",
        owners=("appeal__organization",),
        confidential=True,
        keep_if=PUBLIC_APPEAL,
    )
)
