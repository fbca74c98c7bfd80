"""Writes on appeals. Each checks its rule, validates, writes in a transaction, audits the sensitive
ones (send, resolve, escalate) and queues background work once the transaction commits.

Pledges live here, beside the responses they are one kind of; the material aid actually handed
over against a pledge, confirmed by both sides, lives in the aid app.
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.addressing.models import Ring
from internationale.addressing.routing import (
    SEND_FIELDS,
    Candidate,
    Criteria,
    Reason,
    route,
    route_chooses_any,
)
from internationale.addressing.services import (
    addressees_record,
    addressees_record_routed,
    fanout_now,
    fanout_on_commit,
)
from internationale.core.actors import ActorLike, System, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.models import AuditEntry, Urgency
from internationale.core.money import normalize_currency
from internationale.core.notices import notice_send
from internationale.core.services import require
from internationale.core.visibility import forget_addressed
from internationale.organizations.models import Employer, Organization
from internationale.organizations.reference import normalize_language

from . import extensions, public_page, translations
from .models import (
    Addressee,
    Appeal,
    AppealUpdate,
    Pledge,
    PledgeSupport,
    Response,
    SupportForm,
    support_forms_in_order,
)

# One delivery task per this many addressees: big enough to be few, small enough to retry cheaply.
BATCH = 500
# Addressees routed and recorded per transaction by a send's task: what the task holds in memory,
# and how long (on SQLite) a web request writing meanwhile may wait.
RECORD_BATCH = 500

# Fields that may change while the appeal is a draft; once sent, the issuer posts updates instead.
DRAFT_FIELDS = (
    "title",
    "text",
    "language",
    "situation",
    "urgency",
    "country",
    "place",
    "employer",
    "asks_propaganda",
    "propaganda_details",
    "asks_sympathy",
    "sympathy_target",
    "sympathy_address",
    "asks_material_aid",
    "aid_goal_amount",
    "aid_goal_currency",
    "aid_goods",
    "deadline",
    "visibility",
    "escalation_threshold",
    "escalate_at",
)


def _clean_language(tag: str) -> str:
    try:
        return normalize_language(tag)
    except ValueError:
        raise ValidationError(
            {
                "language": ValidationError(
                    _("“%(tag)s” is not a valid BCP 47 language tag.") % {"tag": tag},
                    code="invalid_language",
                )
            }
        ) from None


# A deadline further ahead than this is a typing error, not a deadline (and a year near 9999
# would not survive the conversion to UTC).
HORIZON = datetime.timedelta(days=10 * 366)


def _require_future(appeal: Appeal, now: datetime.datetime) -> None:
    """The deadline and the escalation time, when given, lie ahead, within ten years."""
    for name, when, in_past in (
        ("deadline", appeal.deadline, _("The deadline must be in the future.")),
        ("escalate_at", appeal.escalate_at, _("The escalation time must be in the future.")),
    ):
        if when is None:
            continue
        if timezone.is_naive(when):
            raise ValidationError(
                {name: ValidationError(_("Give the time with its time zone."), code="naive_time")}
            )
        if when <= now:
            code = "deadline_in_past" if name == "deadline" else "escalation_in_past"
            raise ValidationError({name: ValidationError(in_past, code=code)})
        if when - now > HORIZON:
            raise ValidationError(
                {name: ValidationError(_("Choose a time within ten years."), code="too_far")}
            )


def _require_sent(appeal: Appeal) -> None:
    """Its addressees are all recorded: a send still under way is waited for."""
    if appeal.status == Appeal.Status.SENDING:
        raise ValidationError(
            _("This appeal is still being sent: try again once it has reached everyone."),
            code="appeal_sending",
        )


def _require_live(appeal: Appeal) -> None:
    _require_sent(appeal)
    if not appeal.is_live:
        raise ValidationError(
            _("This appeal is %(status)s: it can no longer be answered.")
            % {"status": appeal.get_status_display().lower()},
            code="appeal_not_open",
        )


def _queue_delivery(appeal_id: int, organization_ids: Sequence[int]) -> None:
    """After commit: one delivery task per batch of addressees."""
    from .tasks import deliver_appeal

    fanout_on_commit(
        task=deliver_appeal, target_id=appeal_id, organization_ids=organization_ids, batch=BATCH
    )


def _queue_update(update: AppealUpdate) -> None:
    from .tasks import deliver_update

    transaction.on_commit(lambda: deliver_update.enqueue(update.pk))


def _queue_response_notice(response: Response) -> None:
    """Tell the issuing organization that an addressee answered: queued in the answer's own
    transaction (the task backend is the database, so the task exists if and only if the answer
    does). One write transaction for the answer, not a second for its task after the commit: on
    SQLite, behind a fan-out, each is a wait for the lock."""
    from .tasks import deliver_response

    deliver_response.enqueue(response.pk)


# Issuing ----------------------------------------------------------------------------------------


def appeal_create(
    *,
    actor: ActorLike,
    organization: Organization,
    title: str,
    text: str,
    situation: str,
    language: str = "",
    country: str,
    urgency: int = Urgency.ROUTINE,
    place: str = "",
    employer: Employer | None = None,
    asks_propaganda: bool = False,
    propaganda_details: str = "",
    asks_sympathy: bool = False,
    sympathy_target: str = "",
    sympathy_address: str = "",
    asks_material_aid: bool = False,
    aid_goal_amount: Decimal | None = None,
    aid_goal_currency: str = "",
    aid_goods: str = "",
    deadline: datetime.datetime | None = None,
    visibility: str = "network",
    escalation_threshold: int = 0,
    escalate_at: datetime.datetime | None = None,
    submission_key: str | None = None,
) -> Appeal:
    """A draft appeal. Nobody but the issuer sees it until it is sent."""
    content = submitted(locals())
    require(
        actor,
        "appeals.issue_appeal",
        organization,
        _("Only an admin or secretary of a verified organization can issue an appeal."),
    )
    appeal = Appeal(
        organization=organization,
        created_by=person(actor),
        title=title.strip(),
        text=text,
        # None given: the language detected in what was written.
        language=_clean_language(
            language or translations.language_of([title, text], "", confirmed=True)
        ),
        situation=situation,
        urgency=urgency,
        country=(country or "").upper(),
        place=place,
        employer=employer,
        asks_propaganda=asks_propaganda,
        propaganda_details=propaganda_details,
        asks_sympathy=asks_sympathy,
        sympathy_target=sympathy_target,
        sympathy_address=sympathy_address,
        asks_material_aid=asks_material_aid,
        aid_goal_amount=aid_goal_amount,
        aid_goal_currency=normalize_currency(aid_goal_currency),
        aid_goods=aid_goods,
        deadline=deadline,
        visibility=visibility,
        escalation_threshold=escalation_threshold,
        escalate_at=escalate_at,
    )
    _require_future(appeal, timezone.now())
    appeal.full_clean()

    def create() -> Appeal:
        appeal.save()
        return appeal

    created, _new = once(
        user=person(actor),
        scope="appeals.appeal_create",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: Appeal.objects.get(pk=pk),
    )
    return created


def appeal_edit(*, actor: ActorLike, appeal: Appeal, **fields: Any) -> Appeal:
    """Change a draft. A sent appeal is not edited: its issuer posts updates."""
    require(actor, "appeals.update_appeal", appeal)
    if appeal.status != Appeal.Status.DRAFT:
        raise ValidationError(
            _("A sent appeal cannot be edited; post an update instead."), code="not_draft"
        )
    for name, value in fields.items():
        if name not in DRAFT_FIELDS:
            raise ValidationError(
                {name: ValidationError(_("This field cannot be changed here."), code="read_only")}
            )
        if name == "language":
            value = _clean_language(value)
        elif name == "aid_goal_currency":
            value = normalize_currency(value)
        elif name == "country":
            value = (value or "").upper()
        setattr(appeal, name, value)
    now = timezone.now()
    _require_future(appeal, now)
    appeal.full_clean()
    # A conditional update of the fields given, not a save of the row as it was read: an edit
    # read before a send and saved after it would turn the appeal back into a draft, and change
    # what its addressees were sent. A draft is public to nobody: no page of it is kept.
    changes = {name: getattr(appeal, name) for name in fields}
    with transaction.atomic():
        saved = Appeal.objects.filter(pk=appeal.pk, status=Appeal.Status.DRAFT).update(
            **changes, updated_at=now
        )
    if not saved:
        raise ValidationError(
            _("A sent appeal cannot be edited; post an update instead."), code="not_draft"
        )
    appeal.updated_at = now
    return appeal


def appeal_send(*, actor: ActorLike, appeal: Appeal, criteria: Criteria) -> Appeal:
    """Send a draft to the organizations its criteria choose. Answers at once, whatever their
    number: the appeal turns "sending", and one background task (`appeal_send_finish`) records
    its addressees, turns it open and fans it out to their inboxes, in batches."""
    require(actor, "appeals.send_appeal", appeal)
    if appeal.status != Appeal.Status.DRAFT:
        raise ValidationError(_("This appeal was already sent."), code="already_sent")
    now = timezone.now()
    _require_future(appeal, now)
    criteria = criteria.clean()
    criteria.ring = Ring.CHOSEN
    # One row at most per criterion: not the tens of thousands the send may reach.
    if not route_chooses_any(appeal.routing_origin(), criteria):
        raise ValidationError(
            _("These criteria choose no organization. Widen them or add some by hand."),
            code="no_addressees",
        )
    from .tasks import send_appeal

    with transaction.atomic():
        # The draft is claimed by a conditional update: of two sends at once, one sends.
        claimed = Appeal.objects.filter(pk=appeal.pk, status=Appeal.Status.DRAFT).update(
            status=Appeal.Status.SENDING,
            sent_at=now,
            criteria=criteria.as_json(),
            ring=Ring.CHOSEN,
            updated_at=now,
        )
        if not claimed:
            raise ValidationError(_("This appeal was already sent."), code="already_sent")
        appeal.status, appeal.sent_at, appeal.ring = Appeal.Status.SENDING, now, Ring.CHOSEN
        appeal.criteria = criteria.as_json()
        public_page.changed(appeal.pk)  # its page shows it sending, and when it was sent
        audit(
            actor=actor,
            organization=appeal.organization,
            target=appeal,
            action="appeal.send",
            title=appeal.title,
        )
        # Queued in the claim's own transaction (the task backend is the database): a send
        # committed always has its task, never an appeal left "sending" for nobody to finish.
        sender = person(actor)
        send_appeal.enqueue(appeal.pk, sender.pk if sender is not None else None)
    return appeal


# A send still under way this long after it was sent has lost its task: see `sends_stalled`.
SEND_STALLED_AFTER = datetime.timedelta(minutes=10)


def sends_stalled(now: datetime.datetime) -> Any:
    """Appeals still "sending" long after they were sent (seconds suffice for the whole network):
    their task failed or was lost, and `tasks.finish_stalled_sends` finishes them."""
    return Appeal.objects.filter(
        status=Appeal.Status.SENDING, sent_at__lte=now - SEND_STALLED_AFTER
    ).order_by("sent_at")


def appeal_send_finish(*, appeal_id: int, sent_by: int | None = None) -> int:
    """The background half of a send: record the addressees its criteria choose, in batches, each
    committed on its own (short transactions: a web request writing meanwhile waits little), then,
    in one transaction, turn the appeal open, post "sent" with the count, and queue the delivery
    to their inboxes. A system action, run by the task `send_appeal`.

    Safe to run again, after a worker died half-way: the rows recorded stay (unique per appeal and
    organization), the rest are added, and only the run that turns the appeal open posts and
    queues anything. Returns how many addressees the appeal has (0 if it was not sending).
    """
    appeal = Appeal.objects.filter(pk=appeal_id, status=Appeal.Status.SENDING).first()
    if appeal is None:
        return 0
    criteria = Criteria.from_json(appeal.criteria)
    sending = Appeal.objects.filter(pk=appeal.pk, status=Appeal.Status.SENDING)

    def still_sending() -> bool:
        # The appeal's row locked until the batch commits (on PostgreSQL; SQLite has one writer
        # at a time): a run opening it meanwhile waits, then queues this batch's delivery too.
        # Once another run has opened it, this one adds nothing: its rows would not be delivered.
        return sending.select_for_update().exists()

    addressees_record_routed(
        model=Addressee,
        target=appeal,
        origin=appeal.routing_origin(),
        criteria=criteria,
        ring=Ring.CHOSEN,
        now=appeal.sent_at,
        batch=RECORD_BATCH,
        still=still_sending,
    )
    delivered = Addressee.objects.filter(appeal=appeal)
    with transaction.atomic():
        opened = Appeal.objects.filter(pk=appeal.pk, status=Appeal.Status.SENDING).update(
            status=Appeal.Status.OPEN, updated_at=timezone.now()
        )
        if not opened:  # another run finished it
            return delivered.count()
        public_page.changed(appeal.pk)  # its page shows it open
        count = delivered.count()
        if sent_by is None:  # finished by the schedule: the person who sent it, as audited
            sent_by = _sender(appeal)
        AppealUpdate.objects.create(
            appeal=appeal,
            language=appeal.language,
            kind=AppealUpdate.Kind.SENT,
            created_by_id=sent_by,
            data={"addressees": count},
        )
        from .tasks import deliver_appeal

        # In this same transaction: the appeal is open if and only if its delivery is queued.
        fanout_now(
            task=deliver_appeal,
            target_id=appeal.pk,
            organization_ids=delivered.order_by("organization_id").values_list(
                "organization_id", flat=True
            ),
            batch=BATCH,
        )
        translations.versions_request(appeal)  # in its addressees' languages
    return count


def _sender(appeal: Appeal) -> int | None:
    """Who sent `appeal`: the person of its latest "appeal.send" audit entry."""
    return (
        AuditEntry.objects.for_target(appeal)
        .filter(action="appeal.send")
        .order_by("-pk")
        .values_list("actor_id", flat=True)
        .first()
    )


def appeal_add_addressees(
    *, actor: ActorLike, appeal: Appeal, organizations: Iterable[Organization | int]
) -> list[int]:
    """Send a sent appeal to more organizations. Only the new ones receive it; returns their ids."""
    require(actor, "appeals.send_appeal", appeal)
    _require_live(appeal)
    wanted = list(dict.fromkeys(o if isinstance(o, int) else o.pk for o in organizations))
    known = set(
        Organization.objects.filter(pk__in=wanted, verified_at__isnull=False)
        .exclude(pk=appeal.organization_id)
        .values_list("pk", flat=True)
    )
    unknown = [pk for pk in wanted if pk not in known]
    if unknown:
        raise ValidationError(
            {
                "organizations": ValidationError(
                    _("There is no verified organization to address with the id %(ids)s.")
                    % {"ids": ", ".join(map(str, unknown))},
                    code="unknown_addressee",
                )
            }
        )
    existing = set(
        Addressee.objects.filter(appeal=appeal, organization_id__in=wanted).values_list(
            "organization_id", flat=True
        )
    )
    new = [pk for pk in wanted if pk not in existing]
    if not new:
        return []
    manual = [Reason.of("manual")]
    with transaction.atomic():
        addressees_record(
            model=Addressee,
            target=appeal,
            candidates=[Candidate.of(pk, manual) for pk in new],
            ring=appeal.ring,
            on_conflict="ignore",
        )
        audit(
            actor=actor,
            organization=appeal.organization,
            target=appeal,
            action="appeal.send_more",
            title=appeal.title,
            addressees=len(new),
        )
        _queue_delivery(appeal.pk, new)
        translations.versions_request(appeal)  # in the new addressees' languages too
    return new


# Answering --------------------------------------------------------------------------------------


def _addressee_for(*, actor: ActorLike, appeal: Appeal, organization: Organization) -> Addressee:
    """The organization's place among the addressees, if the actor may answer for it."""
    require(
        actor,
        "organizations.speak_for",
        organization,
        _("Only an admin or secretary can answer an appeal for the organization."),
    )
    addressee = Addressee.objects.filter(appeal=appeal, organization=organization).first()
    if addressee is None:
        raise ValidationError(
            _("This appeal was not sent to %(organization)s.")
            % {"organization": organization.name},
            code="not_addressee",
        )
    _require_live(appeal)
    return addressee


def appeal_acknowledge(*, actor: ActorLike, appeal: Appeal, organization: Organization) -> Response:
    """Say the appeal was received. Saying it twice records it once."""
    _addressee_for(actor=actor, appeal=appeal, organization=organization)
    kind = Response.Kind.ACKNOWLEDGED
    existing = Response.objects.filter(appeal=appeal, organization=organization, kind=kind).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            response = Response.objects.create(
                appeal=appeal, organization=organization, kind=kind, created_by=person(actor)
            )
            _queue_response_notice(response)
            return response
    except IntegrityError:
        return Response.objects.get(appeal=appeal, organization=organization, kind=kind)


def appeal_decline(
    *, actor: ActorLike, appeal: Appeal, organization: Organization, reason: str
) -> Response:
    _addressee_for(actor=actor, appeal=appeal, organization=organization)
    if Pledge.objects.filter(
        appeal=appeal, organization=organization, status=Pledge.Status.PLEDGED
    ).exists():
        raise ValidationError(
            _(
                "%(organization)s has pledged support to this appeal: withdraw the pledge before "
                "declining."
            )
            % {"organization": organization.name},
            code="already_pledged",
        )
    if not reason.strip():
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why the organization declines."), code="reason_required"
                )
            }
        )
    try:
        with transaction.atomic():
            response = Response.objects.create(
                appeal=appeal,
                organization=organization,
                kind=Response.Kind.DECLINED,
                reason=reason.strip(),
                created_by=person(actor),
            )
            _queue_response_notice(response)
            return response
    except IntegrityError:
        raise ValidationError(
            _("%(organization)s has already declined this appeal.")
            % {"organization": organization.name},
            code="already_declined",
        ) from None


def appeal_pass(
    *, actor: ActorLike, appeal: Appeal, organization: Organization, to: Organization | int
) -> Response:
    """Pass the appeal on to another organization, which receives it as an addressee. The issuer
    sees who passed it to whom. Returns the answer recorded.

    Passing it to an organization that already has it answers the same, so that passing cannot
    be used to learn who else received the appeal: the pass is recorded (once per organization
    passed to), and nothing else is created or sent. Only the issuer and the passer itself, whom
    the passer knows to have it, are refused."""
    _addressee_for(actor=actor, appeal=appeal, organization=organization)
    target = (
        Organization.objects.filter(pk=to if isinstance(to, int) else to.pk)
        .filter(verified_at__isnull=False)
        .first()
    )
    if target is None:
        raise ValidationError(
            {
                "to": ValidationError(
                    _("There is no such verified organization to pass the appeal to."),
                    code="unknown_addressee",
                )
            }
        )
    if target.pk in (appeal.organization_id, organization.pk):
        raise ValidationError(
            {
                "to": ValidationError(
                    _("%(organization)s has already received this appeal.")
                    % {"organization": target.name},
                    code="already_addressed",
                )
            }
        )
    kind = Response.Kind.PASSED
    with transaction.atomic():
        # Held while it is decided: of two passes to the same organization at once, one records.
        Appeal.objects.select_for_update().filter(pk=appeal.pk).only("pk").first()
        earlier = Response.objects.filter(
            appeal=appeal, organization=organization, kind=kind, passed_to=target
        ).first()
        if earlier is not None:
            return earlier
        added = not Addressee.objects.filter(appeal=appeal, organization=target).exists()
        if added:
            Addressee.objects.create(
                appeal=appeal,
                organization=target,
                passed_by=organization,
                ring=appeal.ring,
                reasons=[Reason.of("passed", organization=organization.name).as_json()],
            )
            forget_addressed(appeal)
        passed = Response.objects.create(
            appeal=appeal,
            organization=organization,
            kind=kind,
            passed_to=target,
            created_by=person(actor),
        )
        if added:
            _queue_delivery(appeal.pk, [target.pk])
        _queue_response_notice(passed)
    return passed


# Pledges ----------------------------------------------------------------------------------------


def _check_pledge_campaign(appeal: Appeal, forms: Sequence[str], campaign: int | None) -> None:
    if campaign is None:
        return
    if SupportForm.SYMPATHY not in forms:
        message = _("Only a pledge of sympathy may point to a campaign.")
        raise ValidationError({"campaign": ValidationError(message, code="campaign_not_sympathy")})
    if campaign not in {pk for pk, _title in extensions.pledge_campaigns(appeal)}:
        message = _("Choose one of the campaigns launched for this appeal.")
        raise ValidationError({"campaign": ValidationError(message, code="campaign_unknown")})


def pledge_create(
    *,
    actor: ActorLike,
    appeal: Appeal,
    organization: Organization,
    forms: Sequence[str],
    description: str,
    due_date: datetime.date | None = None,
    amount: Decimal | None = None,
    currency: str = "",
    goods: str = "",
    public: bool = False,
    campaign: int | None = None,
    submission_key: str | None = None,
) -> Pledge:
    """Pledge support in one or more forms, each one the appeal asks for; a sympathy pledge may
    point to a `campaign` launched for the appeal (extensions.pledge_campaigns). The same
    submission sent twice (same key) records one pledge."""
    content = submitted(locals())
    _addressee_for(actor=actor, appeal=appeal, organization=organization)
    forms = _pledged_forms(appeal, forms)
    _check_pledge_campaign(appeal, forms, campaign)
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError(
            {
                "due_date": ValidationError(
                    _("The date by which it will be done cannot be in the past."),
                    code="due_in_past",
                )
            }
        )
    pledge = Pledge(
        appeal=appeal,
        organization=organization,
        created_by=person(actor),
        description=description.strip(),
        due_date=due_date,
        amount=amount,
        currency=normalize_currency(currency),
        goods=goods,
        campaign_ref=campaign,
        public=public,
    )
    pledge.forms = forms
    pledge.full_clean()

    def create() -> Pledge:
        pledge.save()
        PledgeSupport.objects.bulk_create(PledgeSupport(pledge=pledge, form=f) for f in forms)
        response = Response.objects.create(
            appeal=appeal,
            organization=organization,
            kind=Response.Kind.PLEDGED,
            pledge=pledge,
            created_by=person(actor),
        )
        _queue_response_notice(response)
        return pledge

    created, _new = once(
        user=person(actor),
        scope="appeals.pledge_create",
        key=submission_key,
        submitted=content,
        create=lambda: transaction.atomic()(create)(),
        fetch=lambda pk: Pledge.objects.get(pk=pk),
    )
    return created


def _pledged_forms(appeal: Appeal, forms: Sequence[str]) -> list[str]:
    """The forms of a new pledge, in the order of SupportForm: at least one, each once, each
    known and asked for by the appeal."""
    forms = list(forms)
    if not forms:
        error = ValidationError(_("Choose at least one form of support."), code="forms_required")
    elif unknown := [f for f in forms if f not in SupportForm.values]:
        error = ValidationError(
            _("There is no such form of support: %(forms)s.") % {"forms": ", ".join(unknown)},
            code="invalid_form",
        )
    elif len(set(forms)) < len(forms):
        error = ValidationError(_("Choose each form of support once."), code="duplicate_form")
    elif unasked := [f for f in forms if f not in appeal.asked_forms]:
        error = ValidationError(
            _("The appeal does not ask for: %(forms)s.")
            % {"forms": "; ".join(str(SupportForm(f).label) for f in unasked)},
            code="form_not_asked",
        )
    else:
        return support_forms_in_order(forms)
    raise ValidationError({"forms": error})


def _require_pledged(pledge: Pledge) -> None:
    if pledge.status != Pledge.Status.PLEDGED:
        raise ValidationError(
            _("This pledge is already %(status)s.")
            % {"status": pledge.get_status_display().lower()},
            code="pledge_not_open",
        )


def _lock_pledged(pledge: Pledge) -> None:
    """Lock the pledge's row and check, again, that it is still pledged: a confirmation of aid
    that fulfilled it a moment ago (aid.services) is not overwritten by a withdrawal."""
    current = Pledge.objects.select_for_update().filter(pk=pledge.pk).only("status").first()
    if current is None or current.status != Pledge.Status.PLEDGED:
        _require_pledged(current or pledge)


def pledge_fulfil(
    *,
    actor: ActorLike,
    pledge: Pledge,
    evidence_text: str = "",
    evidence_link: str = "",
    evidence_file: File | None = None,
) -> Pledge:
    require(actor, "appeals.change_pledge", pledge)
    _require_pledged(pledge)
    if not (evidence_text.strip() or evidence_link or evidence_file):
        raise ValidationError(
            _("Show what was done: a text, a link or a file."), code="evidence_required"
        )
    pledge.evidence_text = evidence_text.strip()
    pledge.evidence_link = evidence_link
    if evidence_file is not None:
        pledge.evidence_file = evidence_file
    pledge.status = Pledge.Status.FULFILLED
    pledge.fulfilled_at = timezone.now()
    pledge.full_clean()
    with transaction.atomic():
        _lock_pledged(pledge)
        pledge.save()
    return pledge


def pledge_withdraw(*, actor: ActorLike, pledge: Pledge) -> Pledge:
    require(actor, "appeals.change_pledge", pledge)
    _require_pledged(pledge)
    with transaction.atomic():
        _lock_pledged(pledge)
        pledge.status = Pledge.Status.WITHDRAWN
        pledge.withdrawn_at = timezone.now()
        pledge.save(update_fields=["status", "withdrawn_at", "updated_at"])
    return pledge


# The issuer's timeline and lifecycle -------------------------------------------------------------


def appeal_post_update(
    *,
    actor: ActorLike,
    appeal: Appeal,
    text: str,
    language: str = "",
    submission_key: str | None = None,
) -> AppealUpdate:
    """Post to the appeal's timeline; every organization that responded gets it in its inbox.
    Written in `language`, the appeal's when none is given; machine versions are made in the
    languages of the appeal's addressees."""
    content = submitted(locals())
    require(actor, "appeals.update_appeal", appeal)
    _require_sent(appeal)
    if appeal.status in (Appeal.Status.DRAFT, Appeal.Status.CLOSED):
        raise ValidationError(
            _("Updates are posted to a sent appeal that is not closed."), code="appeal_not_open"
        )
    if not text.strip():
        raise ValidationError(
            {"text": ValidationError(_("Write the update."), code="text_required")}
        )
    language = _clean_language(language or appeal.language)

    def create() -> AppealUpdate:
        update = AppealUpdate.objects.create(
            appeal=appeal,
            kind=AppealUpdate.Kind.UPDATE,
            text=text.strip(),
            language=language,
            created_by=person(actor),
        )
        _queue_update(update)
        translations.versions_request(appeal, updates=[update])
        return update

    update, _new = once(
        user=person(actor),
        scope="appeals.update_post",
        key=submission_key,
        submitted=content,
        create=lambda: transaction.atomic()(create)(),
        fetch=lambda pk: AppealUpdate.objects.get(pk=pk),
    )
    return update


def appeal_resolve(*, actor: ActorLike, appeal: Appeal, outcome: str, report: str) -> Appeal:
    require(actor, "appeals.resolve_appeal", appeal)
    _require_live(appeal)
    if outcome not in Appeal.Outcome.values:
        raise ValidationError(
            {"outcome": ValidationError(_("Choose an outcome."), code="invalid_outcome")}
        )
    if not report.strip():
        raise ValidationError(
            {
                "outcome_report": ValidationError(
                    _("Report on the outcome for those who helped."), code="report_required"
                )
            }
        )
    with transaction.atomic():
        appeal.status = Appeal.Status.RESOLVED
        appeal.outcome = outcome
        appeal.outcome_report = report.strip()
        appeal.resolved_at = timezone.now()
        appeal.escalate_at = None
        appeal.save(
            update_fields=[
                "status",
                "outcome",
                "outcome_report",
                "resolved_at",
                "escalate_at",
                "updated_at",
            ]
        )
        update = AppealUpdate.objects.create(
            appeal=appeal,
            kind=AppealUpdate.Kind.RESOLVED,
            language=appeal.language,
            text=appeal.outcome_report,
            data={"outcome": outcome},
            created_by=person(actor),
        )
        audit(
            actor=actor,
            organization=appeal.organization,
            target=appeal,
            action="appeal.resolve",
            title=appeal.title,
            outcome=outcome,
        )
        _queue_update(update)
        # The appeal's versions now lack the report: made again, with the report's own.
        translations.versions_request(appeal, updates=[update])
    return appeal


def appeal_close(*, actor: ActorLike, appeal: Appeal) -> Appeal:
    """Close an appeal: it stays readable, and nobody answers it any more."""
    require(actor, "appeals.resolve_appeal", appeal)
    _require_sent(appeal)
    if appeal.status == Appeal.Status.CLOSED:
        raise ValidationError(_("This appeal is already closed."), code="already_closed")
    with transaction.atomic():
        appeal.status = Appeal.Status.CLOSED
        appeal.closed_at = timezone.now()
        appeal.escalate_at = None
        appeal.save(update_fields=["status", "closed_at", "escalate_at", "updated_at"])
        AppealUpdate.objects.create(
            appeal=appeal,
            kind=AppealUpdate.Kind.CLOSED,
            language=appeal.language,
            created_by=person(actor),
        )
        audit(
            actor=actor,
            organization=appeal.organization,
            target=appeal,
            action="appeal.close",
            title=appeal.title,
        )
    return appeal


# Escalation -------------------------------------------------------------------------------------


def supporters_count(appeal: Appeal) -> int:
    """Organizations that acknowledged, pledged or passed the appeal on."""
    return (
        Response.objects.filter(appeal=appeal, kind__in=Response.SUPPORTIVE)
        .order_by()
        .values("organization_id")
        .distinct()
        .count()
    )


def escalation_due(now: datetime.datetime) -> Any:
    return Appeal.objects.filter(
        status__in=Appeal.LIVE,
        urgency__gte=Urgency.URGENT,
        escalation_threshold__gt=0,
        escalate_at__lte=now,
        ring__lt=Ring.NETWORK,
    )


def appeal_escalate(*, appeal_id: int, now: datetime.datetime | None = None) -> bool:
    """Widen an urgent appeal that too few have answered by its escalation time by one ring (the
    chosen criteria, then the region, then the whole network). A system action: no actor.

    Safe to run twice: the appeal's row is held while it is decided, and escalating moves (or
    clears) its escalation time, so a second run finds nothing due. Returns whether it escalated.
    """
    now = now or timezone.now()
    with transaction.atomic():
        appeal = (
            escalation_due(now)
            .select_for_update()
            .select_related("organization")
            .filter(pk=appeal_id)
            .first()
        )
        if appeal is None:
            return False
        if supporters_count(appeal) >= appeal.escalation_threshold:
            appeal.escalate_at = None
            appeal.save(update_fields=["escalate_at", "updated_at"])
            return False
        _widen(appeal, now, actor=System(reason="escalation"))
    return True


def appeal_escalate_now(*, actor: ActorLike, appeal: Appeal) -> Appeal:
    """The issuer widens its appeal by one ring now, without waiting for the escalation time."""
    require(actor, "appeals.send_appeal", appeal)
    _require_live(appeal)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Appeal.objects.select_for_update()
            .select_related("organization")
            .filter(pk=appeal.pk, status__in=Appeal.LIVE)
            .first()
        )
        if locked is None:
            _require_live(Appeal.objects.get(pk=appeal.pk))
        if locked.ring >= Ring.NETWORK:  # type: ignore[union-attr]
            raise ValidationError(
                _("This appeal already reaches the whole network."), code="already_network"
            )
        _widen(locked, now, actor=actor)  # type: ignore[arg-type]
    return locked  # type: ignore[return-value]


def _widen(appeal: Appeal, now: datetime.datetime, *, actor: ActorLike) -> None:
    """Widen the appeal by one ring: the region, then the whole network. Inside a transaction
    that holds the appeal's row."""
    ring = appeal.ring + 1
    criteria = Criteria.from_json(appeal.criteria)
    criteria.ring = ring
    existing = set(
        Addressee.objects.filter(appeal=appeal).values_list("organization_id", flat=True)
    )
    candidates = [
        c
        for c in route(appeal.routing_origin(), criteria, fields=SEND_FIELDS)
        if c.organization_id not in existing
    ]
    addressees_record(
        model=Addressee,
        target=appeal,
        candidates=candidates,
        ring=ring,
        now=now,
        on_conflict="ignore",
    )
    # The next ring, if any, after as long again as the issuer gave the first.
    step = (
        appeal.escalate_at - (appeal.sent_at or appeal.escalate_at)
        if appeal.escalate_at is not None
        else None
    )
    appeal.ring = ring
    appeal.status = Appeal.Status.ESCALATED
    appeal.escalated_at = now
    appeal.escalate_at = now + step if ring < Ring.NETWORK and step else None
    appeal.criteria = criteria.as_json()
    appeal.save(
        update_fields=[
            "ring",
            "status",
            "escalated_at",
            "escalate_at",
            "criteria",
            "updated_at",
        ]
    )
    escalation = AppealUpdate.objects.create(
        appeal=appeal,
        kind=AppealUpdate.Kind.ESCALATED,
        language=appeal.language,
        data={"ring": ring, "added": len(candidates)},
        created_by=person(actor),
    )
    audit(
        actor=actor,
        target=appeal,
        organization=appeal.organization,
        action="appeal.escalate",
        title=appeal.title,
        ring=ring,
        added=len(candidates),
    )
    notice_send(
        kind="appeal.escalated",
        source=escalation,
        organizations=[appeal.organization_id],
        params={"count": len(candidates), "title": appeal.title},
        urgency=appeal.urgency,
        deadline=appeal.deadline,
    )
    _queue_delivery(appeal.pk, [c.organization_id for c in candidates])
    translations.versions_request(appeal)  # in the languages of those it now reaches too
