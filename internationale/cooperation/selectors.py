"""Reads on meetings, each filtered by the viewer through the meeting's audience
(Meeting.audience). `meeting_access` and `meeting_get` answer 404 for missing and not visible
alike."""

from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from internationale.addressing.preview import route_kept
from internationale.addressing.routing import ORG_FIELDS, Candidate, Criteria
from internationale.core.actors import ViewerLike, as_actor
from internationale.core.predicates import SPEAKING_ROLES, organizations_of
from internationale.core.visibility import Access, access
from internationale.organizations.models import Membership, Organization

from .models import Delegate, Invitation, Meeting


def meeting_list(*, viewer: ViewerLike) -> QuerySet[Meeting]:
    """The meetings the viewer's organizations host or are invited to: those not yet over first,
    the soonest first, then those over, the latest first."""
    mine = organizations_of(viewer)
    now = timezone.now()
    invited = Invitation.objects.filter(organization__in=mine).values("meeting_id")
    return (
        Meeting.objects.visible_to(viewer)
        .filter(Q(organization__in=mine) | Q(pk__in=invited))
        .select_related("organization")
        .annotate(
            over=Case(When(end_at__lte=now, then=Value(1)), default=Value(0)),
            ahead=Case(When(end_at__gt=now, then=F("start_at")), default=None),
        )
        .order_by("over", F("ahead").asc(nulls_last=True), "-start_at", "pk")
    )


def meeting_access(*, viewer: ViewerLike, pk: int) -> Access[Meeting]:
    """The meeting, if the viewer may see it, and what the viewer is to it (of the host, which of
    its organizations are invited): the reads below take it."""
    return access(
        Meeting.objects.select_related("organization", "sender", "receiver", "series"),
        viewer,
        pk=pk,
    )


def meeting_get(*, viewer: ViewerLike, pk: int) -> Meeting:
    return meeting_access(viewer=viewer, pk=pk).obj


def invitation_list(access: Access[Meeting]) -> list[Invitation]:
    """The organizations invited, their answers and delegates: for the host's people and the
    invited organizations'; others see who accepted, without delegates."""
    rows = Invitation.objects.filter(meeting=access.obj).select_related("organization")
    delegates = Delegate.objects.select_related("membership__user").order_by("id")
    if not access.concerned:
        rows, delegates = rows.filter(status=Invitation.Status.ACCEPTED), Delegate.objects.none()
    return list(
        rows.prefetch_related(Prefetch("delegates", queryset=delegates)).order_by(
            "organization__name"
        )
    )


def answering_organizations(access: Access[Meeting]) -> list[Organization]:
    """The invited organizations the viewer speaks for: those it may answer for."""
    speaking = access.speaking_addressees(SPEAKING_ROLES)
    if not speaking:
        return []
    return list(Organization.objects.filter(pk__in=speaking).order_by("name"))


def delegate_choices(*, organizations: list[Organization]) -> QuerySet[Membership]:
    """The people the organizations may name as their delegates: their own."""
    return (
        Membership.objects.filter(organization__in=organizations)
        .select_related("user")
        .order_by("user__name", "user__email")
    )


def invite_preview(
    *,
    viewer: ViewerLike,
    meeting: Meeting,
    criteria: Criteria,
    fields: tuple[str, ...] = ORG_FIELDS,
) -> list[Candidate]:
    """Who inviting with these criteria would reach, each with its reasons: for those who may
    invite (404 for others). Kept for a minute (addressing/preview.py)."""
    if not as_actor(viewer).has_perm("cooperation.invite_to_meeting", meeting):
        raise Http404
    return route_kept(meeting.routing_origin(), criteria.clean(), fields=fields).candidates


def invited_ids(meeting: Meeting) -> set[int]:
    return set(Invitation.objects.filter(meeting=meeting).values_list("organization_id", flat=True))
