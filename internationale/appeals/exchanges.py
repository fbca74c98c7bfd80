"""What appeals tell of two organizations (core/exchanges.py): the answers and pledges each gave
to the other's appeals, as the viewer sees them."""

from django.db.models import Q
from django.utils.translation import gettext as _

from internationale.core.actors import ViewerLike
from internationale.core.exchanges import Exchange

from .models import Pledge, Response


def _between(a: int, b: int) -> Q:
    return Q(organization=a, appeal__organization=b) | Q(organization=b, appeal__organization=a)


def appeals_answered(viewer: ViewerLike, a: int, b: int, limit: int) -> list[Exchange]:
    """Pledges, and the other answers (acknowledged, declined, passed on), between `a` and `b`:
    two queries."""
    pledges = (
        Pledge.objects.visible_to(viewer)
        .filter(_between(a, b))
        .select_related("appeal", "organization")
        .order_by("-created_at", "-pk")[:limit]
    )
    answers = (
        Response.objects.visible_to(viewer)
        .filter(_between(a, b))
        .exclude(kind=Response.Kind.PLEDGED)
        .select_related("appeal", "organization")
        .order_by("-created_at", "-pk")[:limit]
    )
    found = [
        Exchange(
            when=p.created_at,
            title=p.appeal.title,
            url=p.appeal.get_absolute_url(),
            what=_("%(organization)s pledged support: %(status)s")
            % {"organization": p.organization.name, "status": p.get_status_display().lower()},
        )
        for p in pledges
    ] + [
        Exchange(
            when=r.created_at,
            title=r.appeal.title,
            url=r.appeal.get_absolute_url(),
            what=_("%(organization)s answered: %(answer)s")
            % {"organization": r.organization.name, "answer": r.get_kind_display().lower()},
        )
        for r in answers
    ]
    return sorted(found, key=lambda e: e.when, reverse=True)[:limit]
