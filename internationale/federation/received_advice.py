"""Advice of other servers received here: advice an accepted remote organization gives one of
this server's organizations (the `Create` of a `Note` with a `name`, its subject, in reply to
nothing, naming the organization's actor: as this platform's advice.py sends it) becomes advice
of that organization here (its `Organization` row the sender), made through advice_give, so that
the receiver's speakers find it on their advice page and answer it as any other. Called by
acting.py, in the transaction in which the inbox records the activity: a refusal records nothing
and changes nothing.

A `Note` without a `name` (a message, a reply) is not advice: receiving.py's. A `Note` naming two
organizations here is advice to each (advice has one receiver); those that do not relate to the
sender are dropped, silently, as for an appeal (receiving.py).

Its answer goes back: advice_answer changes the row; federation connects to it (`post_save`, in
apps.py) and records, in the same transaction, the receiver's activity to the sender's inbox
alone, the answer of this platform's advice.answer takes:

| answered here | sent | `answer` |
| --- | --- | --- |
| accepted | `Accept` of the `Note` (its URL on the sender's server) | `accepted` |
| accepted in part | `TentativeAccept` | `partly` |
| rejected | `Reject` | `rejected` |
| under consideration again | `TentativeAccept` | `considering` |

with the reason as `content`. Each answer's id is made from the advice's and the time it was
answered: recorded once."""

from typing import Any

from django.utils.translation import gettext as _

from internationale.core.actors import Remote
from internationale.organizations.models import Organization
from internationale.statements.advice import MAX_SUBJECT, advice_give
from internationale.statements.models import Advice

from . import publishing, receiving
from .models import ReceivedContent, RemoteOrganization

SYSTEM = receiving.SYSTEM

# What an answer here is sent as (advice.ANSWERS the other way).
SENT_AS: dict[str, str] = {
    Advice.Answer.ACCEPTED: "Accept",
    Advice.Answer.PARTLY: "TentativeAccept",
    Advice.Answer.REJECTED: "Reject",
    Advice.Answer.CONSIDERING: "TentativeAccept",
}


def is_advice(obj: Any) -> bool:
    """A `Note` with a subject, in reply to nothing."""
    return (
        isinstance(obj, dict)
        and obj.get("type") == "Note"
        and isinstance(obj.get("name"), str)
        and bool(obj["name"].strip())
        and not obj.get("inReplyTo")
    )


def receive(
    remote: Remote, sender: Organization, activity: dict[str, Any]
) -> tuple[str, Any] | None:
    """Act on the `Create` of advice of the accepted remote organization `sender`: (outcome,
    the advice), ("", None) when it is only recorded; None when the activity is about anything
    else. Refusal, or advice_give's ValidationError (a subject or text too long)."""
    raw = activity.get("object")
    if activity["type"] != "Create" or not is_advice(raw):
        return None
    obj = receiving.own_object(remote, raw)
    if receiving.tombstoned(remote.actor_url, obj["id"]):
        return receiving.DELETED_BEFORE, None  # its Delete came first: it gives no advice
    named = receiving.audience_of(activity, obj)
    addressees, _dropped, named_here = receiving.addressees_of(remote, sender, named, None)
    if not addressees and named_here:
        return "", None  # none of those it names here relates to its sender: recorded only
    if not addressees:
        raise receiving.Refusal(
            422, "no_addressee", _("The advice is not addressed to an organization of this server.")
        )
    known = set(
        ReceivedContent.objects.filter(
            actor=remote.actor_url, url=obj["id"], advice__isnull=False
        ).values_list("advice__receiver_id", flat=True)
    )
    subject = obj["name"].strip()[:MAX_SUBJECT]
    text = receiving.text_of(obj, receiving.language_of(obj, []))  # too long: advice_give refuses
    given = None
    for receiver in addressees:
        if receiver.pk in known:
            continue  # the same again: nothing changes
        given = advice_give(
            actor=SYSTEM, sender=sender, receiver=receiver, subject=subject, text=text
        )
        ReceivedContent.objects.create(url=obj["id"], actor=remote.actor_url, advice=given)
    return ("advice_received", given) if given is not None else ("", None)


# Answers to advice received, declared (publishing.Direct): ids under
# SITE_URL/statements/advice/<pk>#answer-<when>, beside its own `Create` (advice.py).
ANSWERS = publishing.declare_direct(publishing.Direct("statements/advice"))


def _answer_step(advice: Advice) -> str:
    stamp = advice.answered_at.timestamp() if advice.answered_at else 0
    return f"answer-{stamp}"


def answer_id(advice: Advice) -> str:
    return ANSWERS.activity_id(advice.pk, _answer_step(advice))


def advice_answered(sender: type, instance: Advice, created: bool, **kwargs: Any) -> None:
    """Advice of a remote organization answered here: the answer, to its inbox alone, in the
    transaction that records it."""
    fields = kwargs.get("update_fields")
    if created or kwargs.get("raw") or not fields or "answer" not in fields:
        return
    received = ReceivedContent.objects.filter(advice=instance).first()
    if received is None or instance.receiver.remote_actor_url:
        return
    entry = RemoteOrganization.objects.filter(
        organization_id=instance.sender_id,
        actor=received.actor,
        status=RemoteOrganization.Status.ACCEPTED,
    ).first()
    if entry is None:
        return  # no longer accepted here: nothing goes to it
    fields_sent: dict[str, Any] = {"object": received.url, "answer": instance.answer}
    if instance.answer_reason:
        fields_sent["content"] = instance.answer_reason
    kind = SENT_AS[instance.answer]
    ANSWERS.send(instance.receiver, entry, instance.pk, _answer_step(instance), kind, fields_sent)
