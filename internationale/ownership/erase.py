"""The emergency erase: two people (two admins of an organization, or an admin and an operator)
erase its confidential content at once. The first asks (`erase_request`: its other admins are
told), the second confirms within the hour (`erase_confirm`), or the request lapses.

What goes is derived from what each app declares it owns (core/owned.py, `confidential`):

- every confidential row the organization alone owns (no other organization owns it through
  another path), but those its declaration keeps (`keep_if`: public ones); and every confidential
  row hanging off one that goes (the answers, pledges and aid others gave to a non-public appeal
  of its own go with the appeal): its non-public appeals and their answers, its inbox, its
  members' list (but for the admins who asked and confirmed, who stay its admins: see
  `erase_content`), its non-public documents and meetings and statements, …;
- in what stays that it made (its pledges to others' appeals, its pledges to public appeals),
  the declared confidential fields (`confidential_fields`: amounts, goods, evidence);
- the consents people gave it (signers who agreed to be contacted by it as a campaign's
  sponsor), not what they were given on (the organizer's signatures);
- what rows of other organizations hold of it: inbox entries about what goes, with their
  e-mails and webhook deliveries, the notices not yet dispatched, language versions, audit
  entries about it;
- its files (after the commit), its API tokens, pending invitations, e-mail preferences,
  calendar address, webhook deliveries and exports; its audit log, but for one entry: that an
  erase happened, when, and by whom;
- and, if they choose, its public profile (it then stays as "Erased organization", unverified).

Apps above this one connect to `erasing` (signals.py), sent once what goes is known and before
anything is deleted: federation asks the remote organizations an erased appeal was sent to to
delete it, and removes the activities that carry what goes (federation/erasing.py).

Advice exchanged with another organization goes too (`erased_by_either`): it says what the
organization was advised or advised, and the other side is told where it is on another server.
What other organizations own stays theirs: a relation, their statements and meetings
(and what it said in them), their appeals (and its answers to them, without amounts).
Everything is written in one transaction, and the pages, the API, feeds and searches read the
database: nothing erased shows once it commits. Kept pages follow their rows' deletion
(core/versions.py).
"""

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.models import AuditEntry, Notice, Urgency
from internationale.core.notices import notice_send
from internationale.core.owned import Owned, owned
from internationale.core.predicates import ADMIN, forget_roles, role_in
from internationale.core.services import require
from internationale.notifications.withdraw import notices_withdraw
from internationale.organizations.models import Organization

from .models import EraseRequest
from .signals import erasing

CONFIRM_WITHIN = datetime.timedelta(hours=1)
MEMBERSHIP = "organizations.Membership"
ERASED_NAME = "Erased organization"
ERASE_REQUESTED = "ownership.erase_requested"


# Asking, withdrawing, confirming -----------------------------------------------------------------


def erase_pending(organization: Organization) -> EraseRequest | None:
    """The request waiting for its second confirmation, if any (a lapsed one is none)."""
    request = (
        EraseRequest.objects.select_related("requested_by")
        .filter(organization=organization, status=EraseRequest.Status.PENDING)
        .first()
    )
    return None if request is None or request.lapsed() else request


def erase_request(
    *, actor: ActorLike, organization: Organization, keep_profile: bool
) -> EraseRequest:
    """Ask for an erase of the organization's confidential content: it waits an hour for a
    second person's confirmation."""
    require(actor, "ownership.erase_content", organization)
    now = timezone.now()
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        for lapsed in EraseRequest.objects.filter(
            organization=organization, status=EraseRequest.Status.PENDING, expires_at__lte=now
        ).values_list("pk", flat=True):
            erase_lapse(lapsed)
        if EraseRequest.objects.filter(
            organization=organization, status=EraseRequest.Status.PENDING
        ).exists():
            raise ValidationError(
                _("An erase is already waiting for confirmation: confirm it, or withdraw it."),
                code="pending",
            )
        try:
            with transaction.atomic():
                request = EraseRequest.objects.create(
                    organization=organization,
                    requested_by=person(actor),
                    requested_as_admin=role_in(actor, organization) == ADMIN,
                    requested_at=now,
                    expires_at=now + CONFIRM_WITHIN,
                    keep_profile=keep_profile,
                )
        except IntegrityError:  # another request at the same moment
            raise ValidationError(
                _("An erase is already waiting for confirmation: confirm it, or withdraw it."),
                code="pending",
            ) from None
        audit(
            actor=actor,
            action="ownership.erase_request",
            target=request,
            organization=organization,
            keep_profile=keep_profile,
        )
        _tell_other_admins(request, organization)
        # Its notices go when it lapses, though nobody comes back to it (tasks.py).
        transaction.on_commit(lambda: _lapse_later(request))
    return request


def _lapse_later(request: EraseRequest) -> None:
    from .tasks import lapse_erase_request  # the tasks import this module

    lapse_erase_request.using(run_after=request.expires_at).enqueue(request.pk)


def erase_lapse(request_id: int, now: datetime.datetime | None = None) -> bool:
    """A request not confirmed within the hour lapses: marked so, and the notices that asked its
    admins to confirm or withdraw it are taken back. False if it is no longer waiting, or has
    time left."""
    with transaction.atomic():
        request = EraseRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or not request.lapsed(now):
            return False
        request.status = EraseRequest.Status.LAPSED
        request.finished_at = timezone.now()
        request.save(update_fields=["status", "finished_at"])
        _withdraw_notices([request.pk])
    return True


def _withdraw_notices(request_ids: list[int]) -> None:
    """The notices that asked the admins to confirm or withdraw these requests: no longer asked."""
    notices_withdraw(EraseRequest, request_ids, [ERASE_REQUESTED])


def _tell_other_admins(request: EraseRequest, organization: Organization) -> None:
    """Its other admins are told at once, each in their own inbox and by e-mail as they chose:
    they may be the second person, and an erase they did not expect must be withdrawn in time.
    Not its members, observers or webhooks (its inbox is theirs too); the e-mail carries only
    what the kind is (an erase request is confidential), not who asked nor the organization."""
    admins = (
        apps.get_model(MEMBERSHIP)
        ._default_manager.filter(organization=organization, role=ADMIN)
        .exclude(user_id=request.requested_by_id)
        .values_list("user_id", flat=True)
    )
    notice_send(
        kind=ERASE_REQUESTED,
        source=request,
        people=list(admins),
        params={"person": _who(request.requested_by), "organization": organization.name},
        sender=organization,
        urgency=Urgency.EMERGENCY,
        deadline=request.expires_at,
    )


def _pending_locked(organization: Organization, request_id: int) -> EraseRequest:
    request = (
        EraseRequest.objects.select_for_update()
        .filter(pk=request_id, organization=organization)
        .first()
    )
    if request is None or request.status != EraseRequest.Status.PENDING:
        raise ValidationError(
            _("This erase request is no longer waiting: it was confirmed, withdrawn or lapsed."),
            code="not_pending",
        )
    if request.lapsed():
        request.status = EraseRequest.Status.LAPSED
        request.finished_at = timezone.now()
        request.save(update_fields=["status", "finished_at"])
        raise ValidationError(
            _(
                "This erase request lapsed: it was not confirmed within an hour. Nothing was "
                "erased; ask again."
            ),
            code="lapsed",
        )
    return request


def erase_cancel(*, actor: ActorLike, organization: Organization, request_id: int) -> None:
    """Withdraw a request before it is confirmed: its author, another admin or an operator."""
    require(actor, "ownership.erase_content", organization)
    with transaction.atomic():
        request = _pending_locked(organization, request_id)
        request.status = EraseRequest.Status.CANCELLED
        request.finished_at = timezone.now()
        request.save(update_fields=["status", "finished_at"])
        _withdraw_notices([request.pk])
        audit(
            actor=actor, action="ownership.erase_cancel", target=request, organization=organization
        )


def erase_confirm(
    *, actor: ActorLike, organization: Organization, request_id: int
) -> dict[str, int]:
    """The second confirmation: erase now. Returns how many rows of each kind went."""
    require(actor, "ownership.erase_content", organization)
    confirmer = person(actor)
    with transaction.atomic():
        # The request is confirmed once: of two confirmations at once, the second waits for the
        # first's lock and then finds it done.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        request = _pending_locked(organization, request_id)
        if confirmer is None or request.requested_by_id == confirmer.pk:
            raise ValidationError(
                _("The erase must be confirmed by a second person, not by the one who asked."),
                code="same_person",
            )
        if not request.requested_as_admin and role_in(actor, organization) != ADMIN:
            raise ValidationError(
                _(
                    "An operator asked for this erase: one of the organization's admins confirms it."
                ),
                code="needs_admin",
            )
        requester = request.requested_by
        erased = erase_content(
            organization,
            keep_profile=request.keep_profile,
            keep_admins=[p.pk for p in (requester, confirmer) if p is not None],
        )
        request.status = EraseRequest.Status.DONE
        request.confirmed_by = confirmer
        request.finished_at = timezone.now()
        request.save(update_fields=["status", "confirmed_by", "finished_at"])
        audit(
            actor=actor,
            action="ownership.erase",
            target=request,
            organization=organization,
            requested_by=_who(requester),
            confirmed_by=_who(confirmer),
            kept_profile=request.keep_profile,
        )
    forget_roles(actor)  # the memberships went: this request's checks read them again
    return erased


def _who(user: Any) -> str:
    if user is None:
        return _("a former person")
    return str(user.name or user.email)


# The erase itself --------------------------------------------------------------------------------


def erase_content(
    organization: Organization, *, keep_profile: bool, keep_admins: Iterable[int] = ()
) -> dict[str, int]:
    """Erase what is confidential of the organization (see the module's text). Call inside a
    transaction: files are removed once it commits.

    `keep_admins`: the people who asked and confirmed. Those of them who are its admins stay
    its admins (their membership is all that stays of its members' list), so that the
    organization, whose profile may stay, still has someone to act for it: to invite its members
    again, answer its partners, export or move what is left. Their names stay in the audit entry
    of the erase anyway, so keeping them links no one more to it."""
    org_id = organization.pk
    declarations = [d for d in owned() if d.owners]
    files_before = _files(declarations, org_id)
    own_inbox = _inbox_ids(Q(organization_id=org_id))
    going = _going(declarations, org_id, spare={MEMBERSHIP: _admins(org_id, keep_admins)})
    # Read before the deletion, which may take the language versions with their originals.
    machine_texts = _machine_texts(going)
    # Other apps' copies and channels (federation tells the remote organizations an erased
    # appeal was sent to, and purges its activities), while what goes is still there to read.
    erasing.send(
        sender=Organization, organization=organization, going=going, keep_profile=keep_profile
    )
    erased = _delete(declarations, going)
    for label, count in _remove_consents(declarations, org_id).items():
        erased[label] = erased.get(label, 0) + count
    _blank_kept(declarations, org_id)
    if not keep_profile:
        _remove_profile(organization)
    _purge_copies(organization, going, own_inbox)
    _purge_machine_cache(machine_texts)
    _remove_files_after_commit(files_before, _files(declarations, org_id))
    return erased


def _delete(declarations: list[Owned], going: dict[str, set[Any]]) -> dict[str, int]:
    """Delete what goes, children first. A row a child protects (PROTECT, RESTRICT) and that
    comes first anyway (its key may be empty, so no order is declared) waits for its child."""
    erased: dict[str, int] = {}
    waiting = [d for d in reversed(declarations) if going.get(d.model_class._meta.label)]
    while waiting:
        postponed = []
        for declaration in waiting:
            label = declaration.model_class._meta.label
            try:
                with transaction.atomic():
                    rows = declaration.model_class._default_manager.filter(pk__in=going[label])
                    rows.delete()
            except (models.ProtectedError, models.RestrictedError):
                postponed.append(declaration)
            else:
                erased[label] = len(going[label])
        if len(postponed) == len(waiting):
            raise RuntimeError(f"cannot erase, each protects another: {postponed}")
        waiting = postponed
    return erased


def _remove_consents(declarations: list[Owned], org_id: int) -> dict[str, int]:
    """The consents people gave the organization (`consent` declarations: signers' consents to be
    contacted by a sponsor), withdrawn ones too: its list of whom it may contact. What they were
    given on stays with its owner (a signature is its campaign's organizer's), and so do the
    consents given to other organizations."""
    removed: dict[str, int] = {}
    for declaration in declarations:
        if declaration.consent is None:
            continue
        _total, per_model = declaration.consent_rows(org_id).delete()
        for label, count in per_model.items():
            if count:
                removed[label] = removed.get(label, 0) + count
    return removed


def _solely(declaration: Owned, org_id: int) -> Q:
    """Rows no other organization owns through another of the declaration's paths."""
    q = Q()
    for path in declaration.owners:
        if path:
            q &= Q(**{f"{path}__isnull": True}) | Q(**{path: org_id})
    return q


def _admins(org_id: int, people: Iterable[int]) -> set[Any]:
    """The memberships of those of these people who are the organization's admins."""
    memberships = apps.get_model(MEMBERSHIP)._default_manager
    return set(
        memberships.filter(
            organization_id=org_id, role=ADMIN, user_id__in=list(people)
        ).values_list("pk", flat=True)
    )


def _going(
    declarations: list[Owned], org_id: int, spare: dict[str, set[Any]] | None = None
) -> dict[str, set[Any]]:
    """The primary keys of the rows that go, by model label: in dependency order, so that a row
    hanging off one that goes (through a key that deletes it with it) goes too. `spare`: rows
    that stay whatever their declaration says (by model label), and so what hangs off them."""
    spare = spare or {}
    going: dict[str, set[Any]] = {}
    for declaration in declarations:
        if not declaration.confidential:
            continue
        model = declaration.model_class
        ours = model._default_manager.filter(declaration.owned_by(org_id))
        alone = ours if declaration.erased_by_either else ours.filter(_solely(declaration, org_id))
        if declaration.keep_if is not None:
            alone = alone.exclude(declaration.keep_if)
        pks = set(alone.values_list("pk", flat=True))
        for field in model._meta.concrete_fields:
            related = field.related_model
            if not field.is_relation or related is None or field.remote_field is None:
                continue
            # Only what the database deletes with its parent: a row that protects its parent
            # (PROTECT, RESTRICT) keeps it instead (_keep_what_others_hold).
            if field.remote_field.on_delete is not models.CASCADE:  # type: ignore[attr-defined]
                continue
            parents = going.get(related._meta.label)  # type: ignore[union-attr]
            if parents:
                pks |= set(
                    ours.filter(**{f"{field.name}__in": parents}).values_list("pk", flat=True)
                )
        going[model._meta.label] = pks - spare.get(model._meta.label, set())
    _keep_what_others_hold(going)
    return going


def _keep_what_others_hold(going: dict[str, set[Any]]) -> None:
    """A row that a row staying holds with PROTECT or RESTRICT stays (a series whose public
    editions stay)."""
    for label, pks in going.items():
        if not pks:
            continue
        model = apps.get_model(label)
        for relation in model._meta.related_objects:
            if relation.on_delete not in (models.PROTECT, models.RESTRICT):
                continue
            child = relation.related_model
            name = relation.field.name
            staying = child.objects.filter(**{f"{name}__in": pks}).exclude(  # type: ignore[union-attr]
                pk__in=going.get(child._meta.label, set())  # type: ignore[union-attr]
            )
            pks -= set(staying.values_list(name, flat=True))


def _blank_kept(declarations: list[Owned], org_id: int) -> None:
    """In the rows that stay and that the organization made, its confidential fields."""
    for declaration in declarations:
        if not declaration.confidential_fields:
            continue
        maker = declaration.private.of if declaration.private else declaration.owners[0]
        model = declaration.model_class
        fields = [model._meta.get_field(name) for name in declaration.confidential_fields]
        for row in model._default_manager.filter(**{maker: org_id}):
            for field in fields:
                setattr(row, field.attname, _blank(field))  # type: ignore[union-attr]
            row.save(update_fields=[f.name for f in fields])  # its pages follow the save


def _blank(field: Any) -> Any:
    if isinstance(field, models.FileField):
        return ""
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    return ""


def _remove_profile(organization: Organization) -> None:
    """The public profile goes: its name, address, words and logo; it is no longer verified,
    so the directory no longer shows it to the public."""
    apps.get_model("organizations", "OrganizationLanguage").objects.filter(
        organization=organization
    ).delete()
    apps.get_model("organizations", "OrganizationSector").objects.filter(
        organization=organization
    ).delete()
    organization.name = ERASED_NAME
    # Its old slug stays reserved for good: other servers may still know its addresses.
    apps.get_model("organizations", "ErasedSlug").objects.get_or_create(slug=organization.slug)
    organization.slug = f"erased-{secrets.token_hex(6)}"
    for name in ("short_name", "city", "website", "description", "public_contact"):
        setattr(organization, name, "")
    organization.founded_year = None
    organization.membership_size = None
    organization.logo = ""  # type: ignore[assignment]
    organization.verified_at = None
    organization.save()
    _pages_naming(organization)


def _pages_naming(organization: Organization) -> None:
    """The kept public pages that name the organization (appeals it issued or answered,
    statements it initiated, took part in or signed) show its new name at once, not after their
    seconds run out."""
    from internationale.appeals import public_page as appeal_pages
    from internationale.appeals.models import Appeal
    from internationale.statements import public_page as statement_pages
    from internationale.statements.models import Statement

    org_id = organization.pk
    appeals = Appeal.objects.filter(
        Q(organization_id=org_id)
        | Q(pledges__organization_id=org_id)
        | Q(responses__organization_id=org_id)
    )
    for pk in set(appeals.values_list("pk", flat=True)):
        appeal_pages.changed(pk)
    statements = Statement.objects.filter(
        Q(organization_id=org_id)
        | Q(participants__organization_id=org_id)
        | Q(signatures__organization_id=org_id)
    )
    for pk in set(statements.values_list("pk", flat=True)):
        statement_pages.pages.changed(pk)


def _inbox_ids(condition: Q) -> set[int]:
    inbox = apps.get_model("notifications", "InboxEntry")
    return set(inbox.objects.filter(condition).values_list("pk", flat=True))


def _about(going: dict[str, set[Any]], type_field: str, id_field: str, *, text: bool = False) -> Q:
    q = Q(pk__in=[])
    for label, pks in going.items():
        if pks:
            content_type = ContentType.objects.get_for_model(apps.get_model(label))
            ids = [str(pk) for pk in pks] if text else list(pks)
            q |= Q(**{f"{type_field}": content_type, f"{id_field}__in": ids})
    return q


def _purge_copies(
    organization: Organization, going: dict[str, set[Any]], own_inbox: set[int]
) -> None:
    """What other rows hold of what went: language versions, notices not dispatched, inbox
    entries (of any organization) with their e-mails and webhook deliveries, audit entries; and
    the organization's tokens, invitations, e-mail preferences, calendar address and log."""
    for declaration in owned():
        if declaration.generic and declaration.confidential:
            content_type, object_id = declaration.generic
            declaration.model_class._default_manager.filter(
                _about(going, content_type, object_id)
            ).delete()
    Notice.objects.filter(_about(going, "source_type", "source_id")).delete()
    # Volunteers' requests to translate what went (the work queue names its content).
    apps.get_model("translation", "TranslationRequest")._default_manager.filter(
        _about(going, "content_type", "object_id")
    ).delete()
    inbox = apps.get_model("notifications", "InboxEntry")
    about = _inbox_ids(_about(going, "source_type", "source_id"))
    inbox.objects.filter(pk__in=about).delete()
    keys = [f"inbox:{pk}" for pk in own_inbox | about]
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        apps.get_model("notifications", "EmailNotification").objects.filter(
            event_key__in=chunk
        ).delete()
        apps.get_model("notifications", "WebhookDelivery").objects.filter(
            event_key__in=chunk
        ).delete()
    apps.get_model("notifications", "WebhookDelivery").objects.filter(
        webhook__organization=organization
    ).delete()
    AuditEntry.objects.filter(
        Q(organization=organization) | _about(going, "target_type", "target_id", text=True)
    ).delete()
    _purge_erase_notices(organization)
    for label in (
        "accounts.ApiToken",
        "organizations.Invitation",
        "notifications.EmailPreference",
        "cooperation.CalendarFeed",
        # The organization's exports (the export part of this app): their archives hold all of
        # it, and their files go with their rows.
        "ownership.Export",
    ):
        try:
            model = apps.get_model(label)
        except LookupError:  # a part this server does not have
            continue
        model._default_manager.filter(organization=organization).delete()


def _purge_erase_notices(organization: Organization) -> None:
    """The notices that told its admins an erase was asked (they name it and who asked), with
    their entries in those people's inboxes and their e-mails, sent or not: what stays of an
    erase is its audit entry."""
    requests = EraseRequest.objects.filter(organization=organization).values_list("pk", flat=True)
    notices_withdraw(EraseRequest, requests, [ERASE_REQUESTED], sent_too=True)


def _machine_texts(going: dict[str, set[Any]]) -> dict[str, str]:
    """The texts of the machine versions of what goes, by language."""
    versions = apps.get_model("translation", "LanguageVersion")._default_manager.filter(
        _about(going, "content_type", "object_id"), status__in=["machine", "reviewed"]
    )
    by_language: dict[str, list[str]] = {}
    for language, texts in versions.values_list("language", "texts"):
        values = texts.values() if isinstance(texts, dict) else [texts]
        by_language.setdefault(language, []).extend(str(v) for v in values if v)
    return {language: "\n".join(texts) for language, texts in by_language.items()}


def _purge_machine_cache(machine_texts: dict[str, str]) -> None:
    """Machine translation's cache (translation.Segment) keeps each sentence it translated: those
    found in the machine versions that went, go with them (another text that needs one again has
    it translated again)."""
    segment = apps.get_model("translation", "Segment")
    for language, whole in machine_texts.items():
        doomed = [
            pk
            for pk, text in segment.objects.filter(target_language=language)
            .values_list("pk", "text")
            .iterator(chunk_size=2000)
            if text.strip() and text.strip() in whole
        ]
        for start in range(0, len(doomed), 500):
            segment.objects.filter(pk__in=doomed[start : start + 500]).delete()


def _files(declarations: Iterable[Owned], org_id: int) -> set[str]:
    """The names of the stored files the organization's rows point to."""
    names: set[str] = set()
    for declaration in declarations:
        if not declaration.files:
            continue
        rows = declaration.model_class._default_manager.filter(declaration.owned_by(org_id))
        for values in rows.values_list(*declaration.files):
            names.update(value for value in values if value)
    return names


def _remove_files_after_commit(before: set[str], after: set[str]) -> None:
    gone = sorted(before - after)

    def remove() -> None:
        for name in gone:
            default_storage.delete(name)

    transaction.on_commit(remove)
