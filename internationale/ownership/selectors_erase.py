"""Reads of the emergency erase, filtered by the viewer."""

from django.http import Http404

from internationale.core.actors import ViewerLike
from internationale.core.services import allowed
from internationale.organizations.models import Organization

from .models import EraseRequest


def erase_organization(*, viewer: ViewerLike, slug: str) -> Organization:
    """The organization whose erase the viewer may ask for or confirm (its admins, operators);
    for anyone else, 404, as if it did not exist."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None or not allowed(viewer, "ownership.erase_content", organization):
        raise Http404
    return organization


def erase_history(*, organization: Organization, limit: int = 10) -> list[EraseRequest]:
    """The latest requests, the one waiting first: what the erase page lists."""
    return list(
        EraseRequest.objects.filter(organization=organization)
        .select_related("requested_by", "confirmed_by")
        .order_by("-requested_at", "-id")[:limit]
    )
