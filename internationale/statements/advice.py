"""Advice between organizations: one organization sends another a piece of advice or an opinion,
and the receiver records what it makes of it (under consideration, accepted, accepted in part,
rejected), with a reason if it wishes. Private between the two: read by those who speak for
either (selectors_advice.py), nobody else, operators included.

Hence no notice: an organization's inbox, its e-mails and its webhooks reach all its members and
whatever systems it plugged in, and even a notice without its content would tell them that advice
came. The speakers find what came in on the organization's advice page (linked from its page with
the number still under consideration). The audit entries are unlisted for anyone who does not
speak for the organization (audit_kinds.ADVICE).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.services import require
from internationale.organizations.models import Organization

from .models import Advice

MAX_SUBJECT = 200
MAX_TEXT = 20_000
MAX_REASON = 5_000


def _required(value: str, field: str, limit: int, empty: str, long: str) -> str:
    cleaned = (value or "").strip() if isinstance(value, str) else None
    if cleaned is None:
        raise ValidationError({field: ValidationError(_("Give a text."), code="invalid")})
    if not cleaned:
        raise ValidationError({field: ValidationError(empty, code="required")})
    if len(cleaned) > limit:
        raise ValidationError({field: ValidationError(long % {"n": limit}, code="too_long")})
    return cleaned


def advice_give(
    *,
    actor: ActorLike,
    sender: Organization,
    receiver: Organization | None,
    subject: str,
    text: str,
    submission_key: str | None = None,
) -> Advice:
    """Advice from `sender` (a verified organization the actor speaks for) to `receiver`, another
    verified organization: an unverified one may be anybody's, and advice is confidential."""
    content = {
        "sender": sender.pk,
        "receiver": getattr(receiver, "pk", None),
        **submitted({"subject": subject, "text": text}),
    }
    require(
        actor,
        "statements.give_advice",
        sender,
        _("Only an admin or secretary of a verified organization can give advice in its name."),
    )
    errors: dict[str, ValidationError] = {}
    if receiver is None:
        errors["receiver"] = ValidationError(
            _("Choose the organization the advice goes to."), code="unknown_receiver"
        )
    elif receiver.pk == sender.pk:
        errors["receiver"] = ValidationError(
            _("Advice goes to another organization, not to the one that gives it."),
            code="same_organization",
        )
    elif receiver.verified_at is None:
        errors["receiver"] = ValidationError(
            _("Advice goes only to a verified organization."), code="receiver_unverified"
        )
    try:
        subject = _required(
            subject,
            "subject",
            MAX_SUBJECT,
            _("Give the advice a subject."),
            _("A subject has at most %(n)s characters."),
        )
    except ValidationError as error:
        errors |= error.error_dict  # type: ignore[arg-type]
    try:
        text = _required(
            text,
            "text",
            MAX_TEXT,
            _("Write the advice."),
            _("Advice has at most %(n)s characters."),
        )
    except ValidationError as error:
        errors |= error.error_dict  # type: ignore[arg-type]
    if errors:
        raise ValidationError(errors)
    assert receiver is not None

    @transaction.atomic
    def create() -> Advice:
        advice = Advice.objects.create(
            sender=sender, receiver=receiver, sent_by=person(actor), subject=subject, text=text
        )
        audit(
            actor=actor,
            action="advice.give",
            target=advice,
            organization=sender,
            sender=sender.name,
            receiver=receiver.name,
            subject=subject,
        )
        return advice

    advice, _new = once(
        user=person(actor),
        scope="statements.advice_give",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: Advice.objects.select_related("sender", "receiver").get(pk=pk),
    )
    return advice


def advice_answer(*, actor: ActorLike, advice: Advice, answer: str, reason: str = "") -> Advice:
    """The receiver's answer: under consideration, accepted, accepted in part or rejected, with
    a reason if it wishes. It can be changed; the sender reads the latest."""
    require(
        actor,
        "statements.answer_advice",
        advice,
        _("Only an admin or secretary of the organization that received the advice can answer it."),
    )
    if answer not in Advice.Answer.values:
        raise ValidationError(
            {
                "answer": ValidationError(
                    _(
                        "Answer with one of: under consideration, accepted, accepted in part, "
                        "rejected."
                    ),
                    code="invalid_answer",
                )
            }
        )
    if not isinstance(reason, str):
        raise ValidationError({"reason": ValidationError(_("Give a text."), code="invalid")})
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("A reason has at most %(n)s characters.") % {"n": MAX_REASON},
                    code="too_long",
                )
            }
        )
    with transaction.atomic():
        locked = Advice.objects.select_for_update().select_related("sender", "receiver")
        advice = locked.get(pk=advice.pk)
        if advice.answer == answer and advice.answer_reason == reason:
            return advice  # the same answer again (a form sent twice): nothing changes
        advice.answer = answer
        advice.answer_reason = reason
        advice.answered_at = timezone.now()
        advice.answered_by = person(actor)
        advice.save(
            update_fields=["answer", "answer_reason", "answered_at", "answered_by", "updated_at"]
        )
        audit(
            actor=actor,
            action="advice.answer",
            target=advice,
            organization=advice.receiver,
            sender=advice.sender.name,
            receiver=advice.receiver.name,
            subject=advice.subject,
            answer=answer,
        )
    return advice
