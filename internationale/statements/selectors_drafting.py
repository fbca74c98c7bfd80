"""Reads for drafting: who inviting would reach, the supporters, the comments on paragraphs. Each
takes what the viewer may see (statement_access) or checks the rule for what it previews."""

from collections.abc import Iterable

from django.db.models import Count, QuerySet
from django.http import Http404

from internationale.addressing.preview import route_kept
from internationale.addressing.routing import SEND_FIELDS, Candidate, Criteria, Reason
from internationale.core.actors import ViewerLike, as_actor
from internationale.core.predicates import SPEAKING_ROLES
from internationale.core.visibility import Access
from internationale.organizations.models import Organization
from internationale.organizations.reference import normalize_language

from .models import Comment, Participant, Statement


def invite_preview(
    *, viewer: ViewerLike, statement: Statement, criteria: Criteria
) -> list[Candidate]:
    """Who inviting with these criteria would reach, each with its reasons: for those who may
    invite (404 for others). Kept for a minute (addressing/preview.py)."""
    if not as_actor(viewer).has_perm("statements.invite_to_statement", statement):
        raise Http404
    return route_kept(statement.routing_origin(), criteria.clean(), fields=SEND_FIELDS).candidates


def create_preview(
    *, viewer: ViewerLike, organization: Organization, language: str, criteria: Criteria
) -> list[Candidate]:
    """Who starting a statement of `organization` in `language` with these criteria would
    invite, and why: for those who may start one for it (404 for others)."""
    if not as_actor(viewer).has_perm("statements.initiate_statement", organization):
        raise Http404
    try:
        tag = normalize_language(language)
    except ValueError:
        tag = ""
    draft = Statement(organization=organization, language=tag)
    return route_kept(draft.routing_origin(), criteria.clean(), fields=SEND_FIELDS).candidates


def invited_ids(statement: Statement) -> set[int]:
    return set(
        Participant.objects.filter(statement=statement).values_list("organization_id", flat=True)
    )


def participants(access: Access[Statement]) -> QuerySet[Participant]:
    """The organizations invited, by name: for the participants only."""
    if not access.concerned:
        return Participant.objects.none()
    return (
        Participant.objects.filter(statement=access.obj)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )


def participant_rows(rows: Iterable[Participant]) -> list[tuple[Participant, list[str]]]:
    """Each participant with why it was invited, worded in the reader's language."""
    return [(p, [str(Reason.from_json(r)) for r in p.reasons]) for p in rows]


def supporters_count(statement: Statement) -> int:
    return Participant.objects.filter(statement=statement, supported_at__isnull=False).count()


def supporting_as(access: Access[Statement]) -> list[tuple[Organization, bool]]:
    """The invited organizations the viewer speaks for, each with whether it supports the draft."""
    ids = access.speaking_addressees(SPEAKING_ROLES)
    if not ids:
        return []
    rows = (
        Participant.objects.filter(statement=access.obj, organization_id__in=ids)
        .select_related("organization")
        .order_by("organization__name")
    )
    return [(p.organization, p.supported_at is not None) for p in rows]


def comment_list(access: Access[Statement], paragraph: int) -> QuerySet[Comment]:
    """The comments on a paragraph of the current version, oldest first: for the participants
    (404 for others)."""
    version_id = access.obj.current_version_id
    if not access.concerned or version_id is None:
        raise Http404
    return (
        Comment.objects.visible_to(access.who)
        .filter(statement=access.obj, version_id=version_id, paragraph=paragraph)
        .select_related("organization")
        .order_by("id")
    )


def paragraph_rows(access: Access[Statement]) -> list[tuple[str, int]]:
    """The current version's paragraphs, each with how many comments it has: for the
    participants (none for others)."""
    version = access.obj.current_version
    if not access.concerned or version is None:
        return []
    rows = (
        Comment.objects.filter(statement=access.obj, version=version)
        .values("paragraph")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["paragraph"]: row["n"] for row in rows}
    return [(text, counts.get(n, 0)) for n, text in enumerate(version.paragraphs, start=1)]
