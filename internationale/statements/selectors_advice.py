"""Reads of advice: only those who speak for the sending or the receiving organization read it
(rules "statements.view_advice", "statements.view_advice_history"); for everyone else, operators
included, it does not exist (404)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from internationale.core.actors import ViewerLike, as_actor
from internationale.core.predicates import SPEAKING_ROLES, organizations_of
from internationale.organizations import selectors as org_selectors
from internationale.organizations.models import Organization

from .models import Advice

DIRECTIONS = ("given", "received")


def advice_visible_to(viewer: ViewerLike) -> QuerySet[Advice]:
    """The advice given or received by the organizations the viewer speaks for."""
    speaking = organizations_of(viewer, SPEAKING_ROLES)
    if not speaking:
        return Advice.objects.none()
    return Advice.objects.filter(Q(sender__in=speaking) | Q(receiver__in=speaking))


def advice_get(*, viewer: ViewerLike, pk: int) -> Advice:
    found = advice_visible_to(viewer).select_related("sender", "receiver").filter(pk=pk).first()
    if found is None or not as_actor(viewer).has_perm("statements.view_advice", found):
        raise Http404
    return found


def advice_organization(*, viewer: ViewerLike, slug: str) -> Organization:
    """An organization whose advice history the viewer may read; 404 otherwise."""
    return org_selectors.organization_for_member(
        viewer=viewer, slug=slug, perm="statements.view_advice_history"
    )


def advice_history(
    *, viewer: ViewerLike, organization: Organization, direction: str = "", answer: str = ""
) -> QuerySet[Advice]:
    """The advice `organization` gave and received (or only one `direction`), optionally with
    one answer, the latest first."""
    if not as_actor(viewer).has_perm("statements.view_advice_history", organization):
        raise Http404
    if direction == "given":
        qs = Advice.objects.filter(sender=organization)
    elif direction == "received":
        qs = Advice.objects.filter(receiver=organization)
    else:
        qs = Advice.objects.filter(Q(sender=organization) | Q(receiver=organization))
    if answer in Advice.Answer.values:
        qs = qs.filter(answer=answer)
    return qs.select_related("sender", "receiver").order_by("-created_at", "-pk")


def advice_waiting(*, viewer: ViewerLike, organization: Organization) -> int:
    """How much advice to `organization` is still under consideration (0 for a viewer who may
    not know)."""
    if not as_actor(viewer).has_perm("statements.view_advice_history", organization):
        return 0
    return Advice.objects.filter(receiver=organization, answer=Advice.Answer.CONSIDERING).count()


def receivers_named(text: str) -> list[Organization]:
    """The organizations `text` names: by its address (slug), which names one, else by its name
    or short name, without regard to case (at most six). Whether advice may go to the one found
    is for the service to say."""
    text = (text or "").strip()
    if not text:
        return []
    by_slug = list(Organization.objects.filter(slug=text.lower()))
    if by_slug:
        return by_slug
    named = Q(name__iexact=text) | Q(short_name__iexact=text)
    return list(Organization.objects.filter(named).order_by("slug")[:6])
