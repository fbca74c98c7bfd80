"""Permissions on meetings, declared once. Checked inside services; asked by pages and the API
only to choose what to show.

Hosting: those who speak (admin, secretary) for a verified organization, as for appeals. Inviting:
those who speak for the host. Answering an invitation: those who speak for the organization
invited. Members and observers read, and do nothing else. Who sees a meeting is its audience
(Meeting.audience), from which the rule "cooperation.view_meeting" comes.
"""

import rules

from internationale.core.actors import Actor
from internationale.core.predicates import (
    SPEAKING_ROLES,
    is_org_member,
    org_is_verified,
    organizations_of,
    role_in,
    speaks_for_org,
)
from internationale.core.services import needs_verified_organization
from internationale.core.visibility import addressed_among

from .models import Agreement, Invitation, Meeting, Series, Task


@rules.predicate
def speaks_for_host(user: Actor, meeting: Meeting) -> bool:
    return meeting is not None and role_in(user, meeting.organization_id) in SPEAKING_ROLES


@rules.predicate
def speaks_for_an_invitee(user: Actor, meeting: Meeting) -> bool:
    if meeting is None:
        return False
    invited = addressed_among(meeting, frozenset(organizations_of(user)))
    return any(role_in(user, org) in SPEAKING_ROLES for org in invited)


@rules.predicate
def speaks_for_the_invited(user: Actor, invitation: Invitation) -> bool:
    return invitation is not None and role_in(user, invitation.organization_id) in SPEAKING_ROLES


# Hosting: the object is the organization; only a verified one reaches the network.
rules.add_perm("cooperation.host_meeting", speaks_for_org & org_is_verified)
needs_verified_organization("cooperation.host_meeting", object_acts=True)
# On the meeting.
rules.add_perm("cooperation.invite_to_meeting", speaks_for_host)
rules.add_perm("cooperation.change_meeting", speaks_for_host)
rules.add_perm("cooperation.answer_meeting", speaks_for_an_invitee)
# On one invitation: answering for the organization invited.
rules.add_perm("cooperation.answer_invitation", speaks_for_the_invited)


# Series and readiness (series.py, readiness.py).
@rules.predicate
def speaks_for_series_host(user: Actor, series: Series) -> bool:
    return series is not None and role_in(user, series.organization_id) in SPEAKING_ROLES


@rules.predicate
def of_a_participant(user: Actor, meeting: Meeting) -> bool:
    """One of the host's people, or of an organization invited that has not declined."""
    if meeting is None:
        return False
    mine = organizations_of(user)
    if meeting.organization_id in mine:
        return True
    return (
        Invitation.objects.filter(meeting=meeting, organization_id__in=mine)
        .exclude(status=Invitation.Status.DECLINED)
        .exists()
    )


# Making a meeting the first edition of a series: on the meeting.
rules.add_perm("cooperation.start_series", speaks_for_host)
# Preparing the next edition: on the series.
rules.add_perm("cooperation.prepare_edition", speaks_for_series_host)
# Reading the readiness matrix of a multilateral meeting: on the meeting.
rules.add_perm("cooperation.view_readiness", of_a_participant)
# Cancelling: those who speak for the host. An organization's calendar feed (its secret address):
# those who speak for the organization, once it is verified (as hosting: the object is the
# organization).
rules.add_perm("cooperation.cancel_meeting", speaks_for_host)
rules.add_perm("cooperation.manage_calendar_feed", speaks_for_org & org_is_verified)
needs_verified_organization("cooperation.manage_calendar_feed", object_acts=True)
# Agenda and minutes (agenda.py, minutes.py): the host's speakers set the agenda and record the
# minutes; the invited organizations' speakers approve them or propose corrections (whether their
# organization attended is checked by the service, with its own error).
rules.add_perm("cooperation.change_agenda", speaks_for_host)
rules.add_perm("cooperation.record_minutes", speaks_for_host)
rules.add_perm("cooperation.approve_minutes", speaks_for_an_invitee)


# Agreements and tasks: recorded by those who speak for the meeting's host, who also create and
# change the tasks; a task is acted on (progress, notes, evidence, done, dropped) by those who
# speak for its responsible organization. Who sees them: their meeting's audience
# ("cooperation.view_agreement", "cooperation.view_task").
@rules.predicate
def speaks_for_agreement_host(user: Actor, agreement: Agreement) -> bool:
    return agreement is not None and (
        role_in(user, agreement.meeting.organization_id) in SPEAKING_ROLES
    )


@rules.predicate
def speaks_for_task_host(user: Actor, task: Task) -> bool:
    return task is not None and speaks_for_agreement_host(user, task.agreement)


@rules.predicate
def speaks_for_responsible(user: Actor, task: Task) -> bool:
    return task is not None and role_in(user, task.organization_id) in SPEAKING_ROLES


rules.add_perm("cooperation.record_agreement", speaks_for_host)
rules.add_perm("cooperation.add_task", speaks_for_agreement_host)
rules.add_perm("cooperation.change_task", speaks_for_task_host)
rules.add_perm("cooperation.act_on_task", speaks_for_responsible)
# An organization's commitments and relations: for its people, whatever their role.
rules.add_perm("cooperation.view_commitments", is_org_member)
