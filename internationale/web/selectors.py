"""Reads of an organization's audit log, filtered by the viewer."""

from django.db.models import QuerySet
from django.http import Http404

from internationale.core.actors import ViewerLike, as_actor
from internationale.core.models import AuditEntry
from internationale.organizations.models import Organization


def audit_list(*, viewer: ViewerLike, organization: Organization) -> QuerySet[AuditEntry]:
    """Newest first; for the organization's admins and operators, 404 for anyone else."""
    if not as_actor(viewer).has_perm("organizations.view_audit", organization):
        raise Http404
    return AuditEntry.objects.filter(organization=organization).select_related(
        "actor", "acting_for"
    )
