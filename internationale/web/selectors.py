"""Reads of an organization's audit log, filtered by the viewer."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from internationale.core.actors import ViewerLike, as_actor
from internationale.core.audit import for_reader, unlisted_for
from internationale.core.models import AuditEntry
from internationale.organizations.models import Organization


def audit_list(*, viewer: ViewerLike, organization: Organization) -> QuerySet[AuditEntry]:
    """Newest first; for the organization's admins and operators, 404 for anyone else. The kinds
    the viewer may not know of (core.audit.unlisted_for: advice, for an operator) are left out."""
    actor = as_actor(viewer)
    if not actor.has_perm("organizations.view_audit", organization):
        raise Http404
    return (
        AuditEntry.objects.filter(organization=organization)
        .exclude(action__in=unlisted_for(actor, organization))
        .select_related("actor", "acting_for", "organization", "target_type")
    )


def audit_page(*, viewer: ViewerLike, organization: Organization, number: Any, size: int) -> Page:
    """One page of the audit log, each entry worded for the viewer: what concerns content the
    viewer may not see elsewhere, and the e-mail addresses of people the viewer may not list,
    are left out (core.audit.for_reader)."""
    entries = audit_list(viewer=viewer, organization=organization)
    page = Paginator(entries, size).get_page(number)
    page.object_list = for_reader(page.object_list, as_actor(viewer))
    return page
