"""The screening of a signature before it is written: the one place the anti-abuse rules decide.

`screen_signature` is called by the signing service (signing.py) with what was submitted, after
the form's own checks and before anything is written. Its verdict:
- ACCEPT: the signature is written and its confirmation e-mailed;
- BLOCK: the signature is written with the status `blocked` (the operators see it among the
  trends), no e-mail is sent, and it is never counted;
- DROP: nothing is written and nothing sent.
Whatever the verdict, the signer is answered as for an accepted signature: a refused one cannot
be told from a good one by its answer.

What it may weigh (limits per address and per e-mail domain, allow and block lists, a honeypot
field, the time spent on the form) arrives in `Submission`. The client's address is never given,
only its keyed hash (`client_hash`, signing.client_hash).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .models import Campaign


class Verdict(enum.Enum):
    ACCEPT = "accept"
    BLOCK = "block"
    DROP = "drop"


@dataclass(frozen=True)
class Submission:
    """A signature as submitted, after the form's checks: the e-mail normalized, its domain, the
    keyed hash of the client's address (empty when unknown), when it arrived, and the raw extra
    fields of the form or API body the screening may read (a honeypot, when the form was shown)."""

    campaign: Campaign
    email: str
    email_domain: str
    client_hash: str
    country: str
    received_at: datetime.datetime
    extra: Mapping[str, Any] = field(default_factory=dict)


def screen_signature(submission: Submission) -> Verdict:
    """Whether to take the signature. Accepts every signature for now."""
    return Verdict.ACCEPT
