"""Reads of people's tokens and of organizations' audit logs, filtered by the viewer."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from internationale.core.models import AuditEntry
from internationale.organizations.models import Organization

from .models import ApiToken


def audit_list(*, viewer: Any, organization: Organization) -> QuerySet[AuditEntry]:
    """Newest first; for the organization's admins and operators, 404 for anyone else."""
    if not viewer.has_perm("organizations.view_audit", organization):
        raise Http404
    return AuditEntry.objects.filter(organization=organization).select_related("actor")


def token_list(*, viewer: Any, organization: Organization) -> QuerySet[ApiToken]:
    """A person sees their own tokens for the organization; its admins see everyone's."""
    if not viewer.has_perm("organizations.create_token", organization):
        raise Http404
    tokens = ApiToken.objects.filter(organization=organization).select_related("user")
    if viewer.has_perm("organizations.manage_tokens", organization):
        return tokens
    return tokens.filter(user=viewer)
