"""Reads of people's tokens, filtered by the viewer."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from internationale.core.actors import ViewerLike, as_actor, person

from .models import ApiToken


def token_list(*, viewer: ViewerLike, organization: Any) -> QuerySet[ApiToken]:
    """A person sees their own tokens for the organization; its admins see everyone's."""
    if not as_actor(viewer).has_perm("organizations.create_token", organization):
        raise Http404
    tokens = ApiToken.objects.filter(organization=organization).select_related("user")
    if as_actor(viewer).has_perm("organizations.manage_tokens", organization):
        return tokens
    return tokens.filter(user=person(viewer))
