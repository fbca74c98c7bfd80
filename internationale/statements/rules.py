"""Permissions on statements and advice, declared once. Checked inside services; asked by pages and
the API only to choose what to show.

Initiating: those who speak (admin, secretary) for a verified organization. Inviting, deciding on
amendments, revising, calling positions, declining a signature, attaching a translation: those
who speak for the initiator. Proposing amendments, commenting, supporting and stating positions:
those who speak for a participant (the initiator included, for comments and positions; whether
the organization they name takes part is checked by the service, with its own error). Adding a
signature after adoption: those who speak for a verified organization, and an accepted
organization of another server through its activity (federation). Members and observers read,
and do nothing else. Who sees a statement is its audience (Statement.audience), from which the
rule "statements.view_statement" comes.

Advice is read and answered by those who speak for the organizations concerned, nobody else.
"""

import rules

from internationale.core.actors import Actor, Remote
from internationale.core.predicates import (
    SPEAKING_ROLES,
    org_is_verified,
    organizations_of,
    role_in,
    speaks_for_a_verified_org,
    speaks_for_org,
)
from internationale.core.services import needs_verified_organization
from internationale.core.visibility import addressed_among

from .models import Advice, Statement


@rules.predicate
def speaks_for_initiator(user: Actor, statement: Statement) -> bool:
    return statement is not None and role_in(user, statement.organization_id) in SPEAKING_ROLES


@rules.predicate
def speaks_for_a_participant(user: Actor, statement: Statement) -> bool:
    """Speaks for the initiator or for an organization invited to take part."""
    if statement is None:
        return False
    if role_in(user, statement.organization_id) in SPEAKING_ROLES:
        return True
    invited = addressed_among(statement, frozenset(organizations_of(user)))
    return any(role_in(user, org) in SPEAKING_ROLES for org in invited)


@rules.predicate
def speaks_for_an_invitee(user: Actor, statement: Statement) -> bool:
    """Speaks for an organization invited to take part (not the initiator)."""
    if statement is None:
        return False
    invited = addressed_among(statement, frozenset(organizations_of(user)))
    return any(role_in(user, org) in SPEAKING_ROLES for org in invited)


@rules.predicate
def acts_for_a_remote_organization(user: Actor) -> bool:
    """An organization of another server, accepted on this one (and so listed, as a verified
    one is), acting through an activity it sent (federation): it signs as a verified one."""
    return isinstance(user, Remote)


# Initiating: the object is the organization; only a verified one reaches the network.
rules.add_perm("statements.initiate_statement", speaks_for_org & org_is_verified)
needs_verified_organization("statements.initiate_statement", object_acts=True)
# On the statement, for the initiator.
rules.add_perm("statements.change_statement", speaks_for_initiator)
rules.add_perm("statements.invite_to_statement", speaks_for_initiator)
rules.add_perm("statements.decide_amendment", speaks_for_initiator)
rules.add_perm("statements.call_positions", speaks_for_initiator)
rules.add_perm("statements.decline_signature", speaks_for_initiator)
rules.add_perm("statements.translate_statement", speaks_for_initiator)
# On the statement, for the participants.
rules.add_perm("statements.propose_amendment", speaks_for_an_invitee)
rules.add_perm("statements.support_statement", speaks_for_an_invitee)
rules.add_perm("statements.comment_statement", speaks_for_a_participant)
rules.add_perm("statements.state_position", speaks_for_a_participant)
# Adding a signature once adopted: on the statement; the service checks the organization named.
rules.add_perm(
    "statements.sign_statement", speaks_for_a_verified_org | acts_for_a_remote_organization
)
needs_verified_organization("statements.sign_statement")


# Advice.
@rules.predicate
def speaks_for_sender_or_receiver(user: Actor, advice: Advice) -> bool:
    return advice is not None and (
        role_in(user, advice.sender_id) in SPEAKING_ROLES
        or role_in(user, advice.receiver_id) in SPEAKING_ROLES
    )


@rules.predicate
def speaks_for_receiver(user: Actor, advice: Advice) -> bool:
    return advice is not None and role_in(user, advice.receiver_id) in SPEAKING_ROLES


# Giving: the object is the sending organization, which must be verified.
rules.add_perm("statements.give_advice", speaks_for_org & org_is_verified)
needs_verified_organization("statements.give_advice", object_acts=True)
rules.add_perm("statements.view_advice", speaks_for_sender_or_receiver)
rules.add_perm("statements.answer_advice", speaks_for_receiver)
# An organization's advice history, given and received: on the organization.
rules.add_perm("statements.view_advice_history", speaks_for_org)
