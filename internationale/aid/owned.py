"""What an organization owns of material aid (core/owned.py): what it sent, and what others sent
for its appeals (their amounts only as totals)."""

from internationale.core.owned import Owned, Private, declare_owned

declare_owned(
    Owned(
        model="aid.Contribution",
        key="aid.contribution",
        owners=("organization", "appeal__organization"),
        private=Private(
            of="organization",
            fields=("amount", "goods", "reference"),
            amount="amount",
            currency="currency",
            per="appeal",
        ),
        confidential=True,
    )
)
