"""Advice across servers: advice one of this server's organizations gives an accepted remote
organization (statements/advice.py) goes to that organization's own inbox, and to nobody else,
as the `Create` of a `Note`; its answer comes back as an `Accept`, `TentativeAccept` or `Reject`
of that `Note` and becomes the same service call as a local answer (advice_answer), acting as the
remote organization (acting.py).

A `Note`, not a `Question`: ActivityStreams' `Question` is a poll (`oneOf`, `anyOf`), which
Mastodon and others show with buttons to vote and count the votes; advice is a text that one
organization writes to another, which any ActivityPub software shows as a message addressed to
that organization alone (`to` its actor, no `cc`: a direct message). Its answers are those an
invitation takes (ActivityStreams' answers to an offer), with the platform's `answer` when the
sender wants to say exactly which:

| activity | `answer` (the platform's context) | recorded here |
| --- | --- | --- |
| `Accept` | `accepted` unless it says otherwise | accepted |
| `TentativeAccept` | `partly` unless it says otherwise | accepted in part |
| `Reject` | `rejected` unless it says otherwise | rejected |

`answer` may also be `considering` (back to under consideration); `content` is the reason.

Advice is not edited for it: federation connects to the row advice_give writes (`post_save`, in
apps.py) and records the activity in the same transaction, so that it exists if and only if the
advice does; its id is made from the advice's, so it is recorded once."""

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from internationale.core.actors import Remote
from internationale.core.links import absolute_url
from internationale.core.text import render_markdown
from internationale.organizations.models import Organization
from internationale.statements.advice import advice_answer
from internationale.statements.models import Advice
from internationale.statements.selectors_advice import advice_get

from . import documents, publishing, receiving

ANSWERS = {
    "Accept": Advice.Answer.ACCEPTED,
    "TentativeAccept": Advice.Answer.PARTLY,
    "Reject": Advice.Answer.REJECTED,
}


def context() -> list[Any]:
    return [
        documents.AS_CONTEXT,
        {"int": documents.context_url() + "#", "answer": {"@id": "int:answer"}},
    ]


# Advice given, declared (publishing.Direct): its `Create` under SITE_URL/statements/advice/<pk>#create.
ADVICE = publishing.declare_direct(publishing.Direct("statements/advice", context=context))


def create_id(advice: Advice) -> str:
    return ADVICE.activity_id(advice.pk, "create")


def note(advice: Advice) -> dict[str, Any]:
    """The advice as a `Note`: its subject as the `name`, its text as HTML and as Markdown."""
    url = absolute_url(reverse("advice_detail", args=[advice.pk]))
    return {
        "id": url,
        "type": "Note",
        "attributedTo": documents.actor_url(advice.sender),
        "name": advice.subject,
        "summary": advice.subject,
        "content": str(render_markdown(advice.text)),
        "mediaType": "text/html",
        "source": {"content": advice.text, "mediaType": "text/markdown"},
        "url": url,
        "published": advice.created_at.isoformat(),
    }


def advice_saved(sender: type, instance: Advice, created: bool, **kwargs: Any) -> None:
    """Advice given to an accepted remote organization: its `Create`, to that organization
    alone, in the transaction that gives it."""
    if not created or kwargs.get("raw"):
        return
    given = instance.sender
    if given.verified_at is None or given.remote_actor_url:
        return  # of no actor of this server
    remotes = publishing.accepted_remotes([instance.receiver_id])
    if not remotes:
        return  # given to an organization of this server
    obj = note(instance)
    ADVICE.send_each(
        given,
        remotes,
        instance.pk,
        "create",
        "Create",
        lambda remote: {"object": {**obj, "to": [remote.actor]}},
        published=obj["published"],
    )


def answer(
    remote: Remote, organization: Organization, activity: dict[str, Any], pk: int
) -> tuple[str, Any]:
    """The remote organization's answer to advice of this server given to it: advice_answer,
    with `content` (or `summary`) as the reason."""
    kind = activity["type"]
    if kind not in ANSWERS:
        return "", None
    try:
        advice = advice_get(viewer=remote, pk=pk)
    except Http404:
        raise receiving.Refusal(
            404, "unknown_advice", _("There is no such advice for this organization.")
        ) from None
    given = activity.get("answer")
    chosen = given if isinstance(given, str) and given else ANSWERS[kind]
    reason = activity.get("content") or activity.get("summary") or ""
    reason = reason if isinstance(reason, str) else ""  # too long: refused by the service
    answered = advice_answer(actor=remote, advice=advice, answer=chosen, reason=reason)
    return f"advice_{answered.answer}", answered
