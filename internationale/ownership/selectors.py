"""Reads of ownership: an organization's exports, for its admins only (404 for anyone else)."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from internationale.core.actors import ViewerLike, as_actor

from .models import Export, PendingRelation


def export_list(*, viewer: ViewerLike, organization: Any) -> QuerySet[Export]:
    if not as_actor(viewer).has_perm("ownership.export_organization", organization):
        raise Http404
    return Export.objects.filter(organization=organization).select_related(
        "requested_by", "downloaded_by", "organization"
    )


def export_get(*, viewer: ViewerLike, organization: Any, pk: int) -> Export:
    export = export_list(viewer=viewer, organization=organization).filter(pk=pk).first()
    if export is None:
        raise Http404
    return export


def pending_relations(*, viewer: ViewerLike, organization: Any) -> QuerySet[PendingRelation]:
    if not as_actor(viewer).has_perm("ownership.export_organization", organization):
        raise Http404
    return PendingRelation.objects.filter(organization=organization)
