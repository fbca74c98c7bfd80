"""Permissions of campaigns, declared once. Checked inside services; asked by pages and the API only to
choose what to show.

Launching: those who speak (admin, secretary) for a verified organization. Changing, launching,
closing and inviting co-sponsors: those who speak for the organizer. Accepting or declining to
co-sponsor: those who speak for an organization invited. Members and observers read, and do
nothing else. Who sees a campaign is its audience (Campaign.audience), from which the rule
"campaigns.view_campaign" comes. Signing needs no rule: anyone may sign a campaign they may see
while it is open (the service checks the dates, the screening checks the rest).
"""

import rules

from internationale.core.actors import Actor
from internationale.core.predicates import (
    SPEAKING_ROLES,
    is_server_operator,
    org_is_verified,
    organizations_of,
    role_in,
    speaks_for_org,
)
from internationale.core.services import needs_verified_organization
from internationale.core.visibility import addressed_among

from .models import Campaign


@rules.predicate
def speaks_for_organizer(user: Actor, campaign: Campaign) -> bool:
    return campaign is not None and role_in(user, campaign.organization_id) in SPEAKING_ROLES


@rules.predicate
def speaks_for_an_invited_sponsor(user: Actor, campaign: Campaign) -> bool:
    """Speaks for an organization invited to co-sponsor the campaign (whatever its answer)."""
    if campaign is None:
        return False
    invited = addressed_among(campaign, frozenset(organizations_of(user)))
    return any(role_in(user, org) in SPEAKING_ROLES for org in invited)


# Launching: the object is the organization; only a verified one reaches the network.
rules.add_perm("campaigns.launch_campaign", speaks_for_org & org_is_verified)
needs_verified_organization("campaigns.launch_campaign", object_acts=True)
# On the campaign, for the organizer.
rules.add_perm("campaigns.change_campaign", speaks_for_organizer)
rules.add_perm("campaigns.invite_sponsors", speaks_for_organizer)
# On the campaign, for the organizations invited to co-sponsor it.
rules.add_perm("campaigns.answer_sponsorship", speaks_for_an_invited_sponsor)

# Screening signatures (screening.py, abuse.py): the server's operators keep the allow and block
# lists, watch the trends and invalidate signatures in bulk.
rules.add_perm("campaigns.screen_signatures", is_server_operator)

# Delivery (delivery.py, exports.py): the log of messages to the targets, and the letter with its
# signatures as CSV or PDF for a hand delivery, for those who speak for the organizer.
rules.add_perm("campaigns.view_deliveries", speaks_for_organizer)
rules.add_perm("campaigns.download_signatures", speaks_for_organizer)

# Signers a sponsor reads and exports (sponsors.py): those who speak for the organization, and
# only for an organization sponsoring the campaign (checked by the service).
rules.add_perm("campaigns.export_signers", speaks_for_org)

# Updates and the result (outcome.py): those who speak for the organizer post them.
rules.add_perm("campaigns.post_update", speaks_for_organizer)
