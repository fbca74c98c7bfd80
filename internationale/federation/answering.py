"""Answers sent back: what this server's organizations do about an appeal received from a remote
organization (receiving.py) goes to that organization's own inbox, in the vocabulary its server
acts on (acting.py on a server of this platform):

| here | activity sent | object, target |
| --- | --- | --- |
| acknowledged | `Accept` | the appeal's article (its URL on the issuer's server) |
| declined | `Reject` | the article; `content`: why |
| passed on | `Announce` | the article; `target`: the actor of the organization it was passed to |
| pledged | `Offer` | a `Pledge` (`forms`, `content`, `amount`, `currency`, `goods`, `public`, `endTime`); `target`: the article |
| pledge withdrawn | `Undo` | the `Offer`'s id |
| aid declared sent | `Add` | a `Contribution` (`amount`, `currency`, `goods`, `reference`); `target`: the `Offer`'s id |
| pledge fulfilled | `Update` | the `Pledge` (its id in the `Offer`), `status` `fulfilled`, `evidence`, `evidenceLink` |

And the other way: the issuer of an appeal of this server confirming receipt of aid a remote
organization declared (its `Add`) sends that organization an `Accept` of the `Add` (its id),
with `fulfilsPledge` (true when the confirmation fulfilled the pledge).

Appeals are not edited for it: federation connects to the rows the appeals and aid services
write (`Response`, `Pledge`, `Contribution`, `post_save`), as publishing.py does to an appeal's
timeline, and records the activity in the same transaction as the change, so that it exists if
and only if the change does; delivery.py delivers it, signed with the answering organization's
key, once it commits. Each id is made from the row's, so an answer is recorded once. Nothing goes
to anyone but the issuer's inbox (never a shared inbox, never followers): the amounts of a private
pledge reach the issuer's server alone, as they reach the issuer alone here."""

from typing import Any

from django.utils.translation import gettext as _

from internationale.aid.models import Contribution
from internationale.appeals.models import Appeal, Pledge, Response, support_forms_in_order
from internationale.organizations.models import Organization

from . import documents, publishing
from .models import ReceivedActivity, ReceivedObject, RemoteOrganization

# What this server's organizations answer to a received appeal, declared (publishing.Direct):
# ids under SITE_URL/appeals/responses/<pk>, /appeals/pledges/<pk>#<step>, /appeals/aid/<pk>#<step>.
RESPONSES = publishing.declare_direct(publishing.Direct("appeals/responses"))
PLEDGES = publishing.declare_direct(publishing.Direct("appeals/pledges"))
AID = publishing.declare_direct(publishing.Direct("appeals/aid"))


def offer_id(pledge: Pledge) -> str:
    return PLEDGES.activity_id(pledge.pk, "offer")


def add_id(contribution: Contribution) -> str:
    return AID.activity_id(contribution.pk, "add")


def _issuer(appeal: Appeal, responder: Organization) -> tuple[str, RemoteOrganization] | None:
    """The received appeal's article URL and its accepted issuer, when `responder` is one of
    this server's organizations answering it; None for any other answer (to an appeal of this
    server, by a remote organization)."""
    if responder.remote_actor_url:
        return None
    article = (
        ReceivedObject.objects.filter(appeal_id=appeal.pk, update__isnull=True)
        .values_list("url", flat=True)
        .first()
    )
    if article is None:
        return None
    entry = RemoteOrganization.objects.filter(
        organization_id=appeal.organization_id, status=RemoteOrganization.Status.ACCEPTED
    ).first()
    return (article, entry) if entry is not None else None


def _actor_of(organization: Organization) -> str:
    return organization.remote_actor_url or documents.actor_url(organization)


def pledge_object(pledge: Pledge, activity_id: str, actor: str) -> dict[str, Any]:
    forms = support_forms_in_order(pledge.supports.values_list("form", flat=True))
    obj: dict[str, Any] = {
        "id": f"{activity_id}#pledge",
        "type": "Pledge",
        "attributedTo": actor,
        "forms": forms,
        "content": pledge.description,
        "public": pledge.public,
    }
    if pledge.amount is not None:
        obj["amount"] = str(pledge.amount)
    if pledge.currency:
        obj["currency"] = pledge.currency
    if pledge.goods:
        obj["goods"] = pledge.goods
    if pledge.due_date:
        obj["endTime"] = pledge.due_date.isoformat()
    return obj


def response_saved(sender: type, instance: Response, created: bool, **kwargs: Any) -> None:
    """An answer of one of this server's organizations to a received appeal: sent back."""
    if not created or kwargs.get("raw"):
        return
    response, responder = instance, instance.organization
    found = _issuer(response.appeal, responder)
    if found is None:
        return
    article, entry = found
    if response.kind == Response.Kind.PLEDGED and response.pledge is not None:
        activity_id = offer_id(response.pledge)
        obj = pledge_object(response.pledge, activity_id, documents.actor_url(responder))
        fields = {"object": obj, "target": article}
        PLEDGES.send(responder, entry, response.pledge.pk, "offer", "Offer", fields)
        return
    if response.kind == Response.Kind.ACKNOWLEDGED:
        RESPONSES.send(responder, entry, response.pk, "", "Accept", {"object": article})
    elif response.kind == Response.Kind.DECLINED:
        fields = {"object": article, "content": response.reason}
        RESPONSES.send(responder, entry, response.pk, "", "Reject", fields)
    elif response.kind == Response.Kind.PASSED and response.passed_to is not None:
        fields = {"object": article, "target": _actor_of(response.passed_to)}
        RESPONSES.send(responder, entry, response.pk, "", "Announce", fields)


def pledge_saved(sender: type, instance: Pledge, created: bool, **kwargs: Any) -> None:
    """A pledge to a received appeal withdrawn: the `Undo` of its `Offer`; marked fulfilled:
    the `Update` of its `Pledge`, `status` fulfilled, with the evidence given. A save that
    leaves its status alone (an emergency erase blanking its amounts and evidence) sends
    nothing."""
    if created or kwargs.get("raw"):
        return
    saved = kwargs.get("update_fields")
    if saved is not None and "status" not in saved:
        return
    if instance.status == Pledge.Status.FULFILLED:
        _pledge_fulfilled(instance)
        return
    if instance.status != Pledge.Status.WITHDRAWN:
        return
    found = _issuer(instance.appeal, instance.organization)
    if found is not None:
        fields = {"object": offer_id(instance)}
        PLEDGES.send(instance.organization, found[1], instance.pk, "undo", "Undo", fields)


def contribution_saved(sender: type, instance: Contribution, created: bool, **kwargs: Any) -> None:
    """Aid declared sent against a pledge to a received appeal: the `Add` of a `Contribution` to
    the pledge's `Offer`, for the issuer to confirm on its server."""
    if not created or kwargs.get("raw"):
        return
    pledge = instance.pledge
    found = _issuer(pledge.appeal, pledge.organization)
    if found is None:
        return
    activity_id = add_id(instance)
    obj: dict[str, Any] = {
        "id": f"{activity_id}#contribution",
        "type": "Contribution",
        "attributedTo": documents.actor_url(pledge.organization),
        "reference": instance.reference,
    }
    if instance.amount is not None:
        obj["amount"] = str(instance.amount)
    if instance.currency:
        obj["currency"] = instance.currency
    if instance.goods:
        obj["goods"] = instance.goods
    fields = {"object": obj, "target": offer_id(pledge)}
    AID.send(pledge.organization, found[1], instance.pk, "add", "Add", fields)
    # Kept on the contribution: the issuer's `Accept` names it (acting.py finds it by it).
    Contribution.objects.filter(pk=instance.pk).update(remote_activity_id=activity_id)


def _pledge_fulfilled(pledge: Pledge) -> None:
    found = _issuer(pledge.appeal, pledge.organization)
    if found is None:
        return
    offer = offer_id(pledge)
    evidence = pledge.evidence_text
    if not evidence and not pledge.evidence_link:
        # Shown by a file alone: the file stays here, and the issuer's server, which takes a
        # fulfilment with evidence (as this one), is told so.
        evidence = _("Shown by a file, kept on the pledging organization's server.")
    obj: dict[str, Any] = {
        "id": f"{offer}#pledge",
        "type": "Pledge",
        "attributedTo": documents.actor_url(pledge.organization),
        "status": Pledge.Status.FULFILLED.value,
        "evidence": evidence,
    }
    if pledge.evidence_link:
        obj["evidenceLink"] = pledge.evidence_link
    fields = {"object": obj, "target": offer}
    PLEDGES.send(pledge.organization, found[1], pledge.pk, "fulfilled", "Update", fields)


def contribution_confirmed(sender: type, contribution: Contribution, **kwargs: Any) -> None:
    """The issuer of an appeal of this server confirmed receipt of aid that a remote organization
    declared (its `Add`): the `Accept` of that `Add`, to that organization's inbox alone. A
    confirmation received from a remote issuer (acting.py) declared nothing here: nothing goes."""
    declared = ReceivedActivity.objects.filter(
        outcome="aid_declared", result_id=contribution.pk, activity_type="Add"
    ).first()
    if declared is None:
        return
    entry = RemoteOrganization.objects.filter(
        actor=declared.actor,
        organization_id=contribution.organization_id,
        status=RemoteOrganization.Status.ACCEPTED,
    ).first()
    issuer = contribution.appeal.organization
    if entry is None or issuer.remote_actor_url:
        return
    fields = {"object": declared.activity_id, "fulfilsPledge": contribution.fulfilled_pledge}
    AID.send(issuer, entry, contribution.pk, "accept", "Accept", fields)
