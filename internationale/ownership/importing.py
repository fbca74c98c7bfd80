"""Recreate an organization from its archive on another server of this platform: all of it, or
nothing.

The archive is checked first (archive.read_archive: format version, every path and checksum);
then, in one transaction, each declaration's rows are created in dependency order, their
references mapped to the rows created before them. Any error rolls the whole transaction back,
removes the files already stored, and is reported naming the archive's part and row.

- The organization arrives unverified (verification is each server's), unless the operator says
  otherwise.
- People: a member whose e-mail address is in the archive and has an account here keeps that
  account (refused when two people of the archive have one address, or two accounts here have it
  in different cases); others get a new account without a password (they choose one through "forgotten
  password"). Without addresses, a member arrives as a named account that cannot sign in
  (`moved-…@<slug>.invalid`) until an admin gives it an address.
- Signatures whose signers did not consent to the organization came without their data: they
  are left out (their campaign's count comes along); those who consented come with their data
  and a new token (no old link works here); the signers who consented to it on another
  organization's campaign stay behind with that campaign.
- The archive is not signed: whoever handed it over could have edited it and made its checksums
  again. So it is trusted for what the organization did, not for what others did (core/owned.py):
  a row in which another organization of this server agreed to something (`agreed`) is
  recreated as asked again (a co-sponsorship, a co-calling or an invitation accepted becomes
  invited; support of a draft or an answer to advice, unanswered), or left out where nothing
  can be asked again (approvals, signatures, parties to an agreement, agreeing positions); every
  file goes through its field's upload check (`checks`), and one that fails refuses the archive;
  content that only a verified organization may have (`verified_only`: a launched campaign, an
  issued appeal…) refuses the archive unless the operator verifies the organization
  (`--verified`). The operator can check the archive's SHA-256 against the one the old server's
  operator gives over a trusted channel (`sha256`).
- Other organizations are found by their address on the old server (their actor in the archive,
  pending.partner_at), never by their slug alone, which anyone may register here; by their slug
  in an archive of version 1, written before addresses were recorded (refused when the archive
  says that organization is of another country than the one here). A row that cannot be without one
  absent here (another organization's pledge) is left out; a reference that can be empty is
  emptied. Live relations become proposals to the partner (which accepts them again), found by
  its address on the old server (its actor, pending.partner_at; an archive of version 1, without
  it: a verified organization with its slug, name and country), or `PendingRelation`s, kept
  until it arrives: with an organization absent from this server, or one here with its slug and
  country at another address (shown to the admins to check, never proposed to).
"""

from __future__ import annotations

import hashlib
import posixpath
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from internationale.core.audit import audit
from internationale.core.owned import Owned, Personal

from .archive import (
    NATURAL_KEYS,
    ORGANIZATION,
    PERSON,
    Archive,
    ArchiveRefused,
    ordered,
    read_archive,
)
from .models import PendingRelation
from .pending import partner_at

RELATION = "organizations.Relation"
LIVE_RELATION = ("proposed", "accepted")


@dataclass
class Imported:
    organization: Any
    created: dict[str, int]
    left_out: dict[str, int]
    pending_relations: int
    asked_again: dict[str, int] = field(default_factory=dict)
    not_agreed: dict[str, int] = field(default_factory=dict)


@dataclass
class _State:
    archive: Archive
    slug: str
    organization: Any = None
    ids: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    others: dict[str, int | None] = field(default_factory=dict)
    known: dict[str, dict[str, str]] = field(default_factory=dict)
    deferred: list[tuple[type[models.Model], int, str, str, int]] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    left_out: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    asked_again: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    not_agreed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Per declaration: each created row's number in the archive, to name it in an error.
    numbers: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    pending: int = 0
    # The people's e-mail addresses met so far (lower case), by their row number.
    emails: dict[str, int] = field(default_factory=dict)


class _LeaveOut(Exception):
    """This row cannot be without something absent from this server."""


class _NotAgreed(Exception):
    """This row says that another organization agreed, and nothing can ask it again."""


def import_archive(
    stream: IO[bytes], *, actor: Any, verified: bool = False, sha256: str | None = None
) -> Imported:
    """Check the archive (against `sha256`, the hexadecimal digest of the whole file, when
    given), then recreate its organization with everything it holds, or refuse it whole
    (ArchiveRefused), with nothing written."""
    from internationale.organizations.models import ErasedSlug, Organization

    if sha256 is not None:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()  # type: ignore[arg-type]
        if digest != sha256.strip().lower():
            raise ArchiveRefused(
                f"its SHA-256 is {digest}, not the {sha256} given: this is not the archive the "
                "old server's operator described"
            )
        stream.seek(0)
    archive = read_archive(stream)
    slug = archive.manifest.get("organization")
    rows = archive.data.get("organizations.organization", {}).get("rows", [])
    if not isinstance(slug, str) or len(rows) != 1 or rows[0].get("slug") != slug:
        raise ArchiveRefused("the archive does not hold exactly one organization, its own")
    if Organization.objects.filter(slug=slug).exists():
        raise ArchiveRefused(
            f"an organization with the slug “{slug}” exists on this server: nothing was imported"
        )
    if ErasedSlug.objects.filter(slug=slug).exists():
        raise ArchiveRefused(
            f"the slug “{slug}” belonged to an organization erased on this server and stays "
            "reserved: nothing was imported"
        )
    state = _State(archive=archive, slug=slug)
    state.known = {o["slug"]: o for o in archive.known if isinstance(o, dict) and "slug" in o}
    try:
        with transaction.atomic():
            for declaration in ordered():
                _import_rows(declaration, state)
            _finish_deferred(state)
            if verified:
                state.organization.verified_at = timezone.now()
                Organization.objects.filter(pk=state.organization.pk).update(
                    verified_at=state.organization.verified_at
                )
            else:
                _check_unverified(state)
            audit(
                actor=actor,
                action="organization.import_archive",
                target=state.organization,
                organization=state.organization,
                name=state.organization.name,
                rows=sum(state.created.values()),
            )
    except BaseException:
        for name in state.stored:
            default_storage.delete(name)
        raise
    return Imported(
        organization=state.organization,
        created=dict(state.created),
        left_out=dict(state.left_out),
        pending_relations=state.pending,
        asked_again=dict(state.asked_again),
        not_agreed=dict(state.not_agreed),
    )


def _import_rows(declaration: Owned, state: _State) -> None:
    model = declaration.model_class
    label = model._meta.label
    for n, row in enumerate(state.archive.data.get(declaration.key, {}).get("rows", [])):
        where = f"{declaration.key}, row {n + 1}"
        if not isinstance(row, dict) or not isinstance(row.get("id"), int):
            raise ArchiveRefused(f"{where}: a row without its id")
        try:
            obj: models.Model | None
            if label == PERSON:
                obj = _person(row, state, n + 1)
            elif label == RELATION:
                obj = _relation(row, state)
            else:
                obj = _create(declaration, row, state)
            if obj is None:
                continue
        except _LeaveOut:
            state.left_out[declaration.key] += 1
            continue
        except _NotAgreed:
            state.not_agreed[declaration.key] += 1
            continue
        except (ValidationError, ValueError, TypeError, KeyError, DatabaseError) as exc:
            raise ArchiveRefused(f"{where}: {_said(exc)}") from None
        state.ids[label][row["id"]] = obj.pk
        state.numbers[declaration.key][obj.pk] = n + 1
        state.created[declaration.key] += 1
        if label == ORGANIZATION:
            state.organization = obj
            state.others[state.slug] = obj.pk


def _said(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        return "; ".join(exc.messages)
    return str(exc) or exc.__class__.__name__


def _person(row: dict[str, Any], state: _State, number: int) -> models.Model:
    """The account of a member: the one of this server with their e-mail address (whatever its
    case), else a new one. An address that two people of the archive have, or that two accounts
    here have in different cases, is refused: whose account is whose cannot be told."""
    from internationale.accounts.models import User

    email = (row.get("email") or "").strip().lower()
    if email:
        if email in state.emails:
            raise ValueError(
                f"it has the e-mail address “{email}” of row {state.emails[email]}: two people "
                "of the archive cannot share one account"
            )
        state.emails[email] = number
        existing = list(User.objects.filter(email__iexact=email)[:2])
        if len(existing) > 1:
            raise ValueError(
                f"its e-mail address “{email}” is that of {len(existing)} accounts on this server "
                f"({', '.join(u.email for u in existing)}): which one is this member's cannot be "
                "told; an operator merges or changes them first"
            )
        if existing:
            return existing[0]
    else:
        email = f"moved-{secrets.token_hex(6)}@{state.slug}.invalid"
    user = User(
        email=email,
        name=str(row.get("name") or "")[:150],
        language=str(row.get("language") or ""),
        time_zone=str(row.get("time_zone") or ""),
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if row.get("date_joined"):
        joined = User._meta.get_field("date_joined").to_python(row["date_joined"])
        User.objects.filter(pk=user.pk).update(date_joined=joined)
    return user


def _organization_id(slug: Any, state: _State) -> int | None:
    """Another organization the archive names, on this server: the one at its address on the
    old server (its actor in the archive, pending.partner_at), as a relation's partner is
    found; not one that merely has its slug here, which anyone may register. An archive of
    version 1, written before actors were recorded: the organization with its slug. None when
    absent: a row that cannot be without it is left out (a pledge, an addressee, an
    invitation...), a reference that can be empty is emptied."""
    from internationale.organizations.models import Organization

    if not isinstance(slug, str):
        raise ValueError("an organization is named by its slug")
    if slug not in state.others:
        about = state.known.get(slug, {})
        actor = about.get("actor")
        if state.archive.manifest.get("version") == 1 and not actor:
            here = Organization.objects.filter(slug=slug)
        elif isinstance(actor, str) and actor:
            partner = partner_at(actor=actor[:500], slug=slug, name="", country="")
            here = (
                Organization.objects.filter(pk=partner.pk)
                if partner is not None
                else Organization.objects.none()
            )
        else:
            # An archive that records addresses but not this one's: no address, no match.
            here = Organization.objects.none()
        found = here.values_list("pk", "name", "country").first()
        if found is not None and about.get("country") and about["country"] != str(found[2]):
            # The same address for an organization of another country: not the same one.
            raise ValueError(
                f"the organization “{slug}” is {about.get('name', slug)} ({about['country']}) in "
                f"the archive, but {found[1]} ({found[2]}) on this server: it cannot be told "
                "whether they are the same"
            )
        state.others[slug] = found[0] if found is not None else None
    return state.others[slug]


def _relation(row: dict[str, Any], state: _State) -> models.Model | None:
    """A live relation becomes a proposal to the partner, found by its address on the old server
    (its actor, pending.partner_at) as a pending relation's is; or a pending relation when the
    partner is not on this server, or when an organization here only has its slug and country
    (shown to the admins to check, pending.lookalikes: never proposed to). An ended or declined
    one stays behind."""
    from internationale.organizations.models import Relation

    if row.get("status") not in LIVE_RELATION:
        return None
    other = row["partner"] if row.get("proposer") == state.slug else row["proposer"]
    if not isinstance(other, str):
        raise ValueError("an organization is named by its slug")
    about = state.known.get(other, {})
    name = str(about.get("name", other))[:200]
    country = str(about.get("country", ""))[:2]
    actor = str(about.get("actor", ""))[:500]
    partner = partner_at(actor=actor, slug=other, name=name, country=country)
    since = Relation._meta.get_field("since").to_python(row.get("since"))
    if partner is None:
        PendingRelation.objects.get_or_create(
            organization=state.organization,
            partner_slug=other[:120],
            defaults={
                "partner_name": name,
                "partner_country": country,
                "partner_actor": actor,
                "kind": str(row.get("kind", ""))[:20],
                "since": since,
                "note": str(row.get("note") or ""),
            },
        )
        state.pending += 1
        return None
    relation = Relation(
        proposer=state.organization,
        partner=partner,
        kind=row["kind"],
        since=since,
        visibility=row["visibility"],
        status=Relation.Status.PROPOSED,
        note=str(row.get("note") or ""),
        proposed_by_id=_person_id(row.get("proposed_by"), state),
    )
    relation.full_clean(exclude=["proposed_by"])  # its proposer may not have come along
    relation.save()
    return relation


def _person_id(value: Any, state: _State) -> int | None:
    return None if value is None else state.ids[PERSON].get(value)


def _create(declaration: Owned, row: dict[str, Any], state: _State) -> models.Model:
    model = declaration.model_class
    if _without_their_people(declaration, row):
        raise _LeaveOut
    values: dict[str, Any] = {}
    m2m: dict[str, list[Any]] = {}
    deferred: list[tuple[str, str, int]] = []
    for f in declaration.exported_fields():
        raw = row.get(f.name)
        if f.many_to_many:
            m2m[f.name] = list(raw or [])
        elif f.is_relation:
            values[f.attname] = _reference(f, raw, state, deferred)
        elif isinstance(f, models.FileField):
            values[f.attname] = _file(raw, declaration, f, state)
        elif raw is None:
            values[f.attname] = None
        else:
            values[f.attname] = f.to_python(raw)
    _generic(model, declaration, values, state)
    _agreed_again(declaration, row, values, state)
    for name, make in declaration.fresh.items():
        values[model._meta.get_field(name).attname] = make()  # type: ignore[union-attr]
    if model._meta.label == ORGANIZATION:
        values["verified_at"] = None
    obj = model(**values)
    obj.save(force_insert=True)
    _keep_timestamps(model, obj, row)
    _set_named(obj, m2m)
    for attname, target_label, old in deferred:
        state.deferred.append((model, obj.pk, attname, target_label, old))
    return obj


def _set_named(obj: models.Model, m2m: dict[str, list[Any]]) -> None:
    """Shared names (tags), found or made again by their key."""
    for name, named in m2m.items():
        related = obj._meta.get_field(name).related_model
        key = NATURAL_KEYS[related._meta.label]  # type: ignore[union-attr]
        targets = []
        for fields in named:
            if not isinstance(fields, dict) or not fields.get(key):
                raise ValueError(f"{name}: each is named by its {key}")
            target, _created = related._default_manager.get_or_create(  # type: ignore[union-attr]
                **{key: fields[key]}, defaults={k: v for k, v in fields.items() if k != key}
            )
            targets.append(target)
        getattr(obj, name).set(targets)


def _without_their_people(declaration: Owned, row: dict[str, Any]) -> bool:
    """A row about people who did not consent to the organization: their data was left out of
    the archive (a signature without its signer), and the row cannot be without it; nor without
    their address, left out of an archive its admin made without e-mail addresses (a signature
    is its address's: one per campaign, where its news and links go)."""
    kinds = declaration.personal
    signer = [
        name for name, kind in kinds.items() if kind in (Personal.SIGNER, Personal.SIGNER_EMAIL)
    ]
    addresses = [name for name, kind in kinds.items() if kind == Personal.SIGNER_EMAIL]
    return bool(signer) and (
        not any(row.get(name) for name in signer) or not all(row.get(name) for name in addresses)
    )


def _reference(f: Any, raw: Any, state: _State, deferred: list[tuple[str, str, int]]) -> Any:
    if raw is None:
        return None
    target = f.related_model._meta.label
    if target == ORGANIZATION:
        found = _organization_id(raw, state)
    elif target == PERSON:
        found = _person_id(raw, state)
    elif target == "contenttypes.ContentType":
        app_label, _dot, name = str(raw).partition(".")
        found = (
            ContentType.objects.filter(app_label=app_label, model=name)
            .values_list("pk", flat=True)
            .first()
        )
    elif target in NATURAL_KEYS:
        found = (
            f.related_model._default_manager.filter(**{NATURAL_KEYS[target]: raw})
            .values_list("pk", flat=True)
            .first()
        )
    else:
        if not isinstance(raw, int):
            raise ValueError(f"{f.name}: a reference is a row's id")
        found = state.ids[target].get(raw)
        if found is None and f.null and raw not in state.ids[target]:
            # A row of a later part (a statement's current version): set once it exists.
            deferred.append((f.attname, target, raw))
            return None
    if found is None and not f.null:
        raise _LeaveOut
    return found


def _generic(
    model: type[models.Model], declaration: Owned, values: dict[str, Any], state: _State
) -> None:
    """Content named by type and id: the new id of a row of the archive; otherwise a row that
    hangs off it (a language version) is left out, and a mere mention (an inbox entry's source)
    emptied."""
    from django.contrib.contenttypes.fields import GenericForeignKey

    for generic in model._meta.private_fields:
        if not isinstance(generic, GenericForeignKey):
            continue
        type_attname = model._meta.get_field(generic.ct_field).attname  # type: ignore[union-attr]
        type_id, old = values.get(type_attname), values.get(generic.fk_field)
        new = None
        if type_id is not None and old is not None:
            content_model = ContentType.objects.get_for_id(type_id).model_class()
            if content_model is not None:
                new = state.ids[content_model._meta.label].get(int(old))
        if new is None:
            if declaration.generic:
                raise _LeaveOut
            values[type_attname] = None
            values[generic.fk_field] = None
            if "url" in values:
                values["url"] = ""
        elif type_id is not None:
            values[generic.fk_field] = new
            if "url" in values:
                source = ContentType.objects.get_for_id(type_id).get_object_for_this_type(pk=new)
                url = getattr(source, "get_absolute_url", None)
                values["url"] = url() if url is not None else ""


def _agreed_again(
    declaration: Owned, row: dict[str, Any], values: dict[str, Any], state: _State
) -> None:
    """A row in which another organization of this server agreed: as asked and not answered, or
    left out (core/owned.py's `agreed`)."""
    agreed = declaration.agreed
    if agreed is None:
        return
    model = declaration.model_class
    by = values.get(model._meta.get_field(agreed.by).attname)  # type: ignore[union-attr]
    if by is None or by == state.organization.pk or not agreed.says_agreed(row):
        return
    if not agreed.asked:
        raise _NotAgreed
    for name, value in agreed.asked.items():
        values[model._meta.get_field(name).attname] = value  # type: ignore[union-attr]
    state.asked_again[declaration.key] += 1


def _check_unverified(state: _State) -> None:
    """Content that only a verified organization may have refuses the archive of an organization
    this server has not verified (core/owned.py's `verified_only`), naming its first row."""
    for declaration in ordered():
        if declaration.verified_only is None:
            continue
        numbers = state.numbers.get(declaration.key, {})
        found = (
            declaration.model_class._base_manager.filter(pk__in=list(numbers))
            .filter(declaration.verified_only)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if found is not None:
            raise ArchiveRefused(
                f"{declaration.key}, row {numbers[found]}: only a verified organization may have "
                f"it, and this server has not verified “{state.slug}”: once you have checked "
                "who the organization is, import the archive with --verified"
            )


def _file(raw: Any, declaration: Owned, f: models.FileField, state: _State) -> str:
    """The file, through the check its uploads go through, stored under its field's folder;
    ValidationError naming the field when the check refuses it."""
    if not raw or f.name not in declaration.files:
        return ""
    try:
        data = state.archive.file(str(raw))
    except KeyError:
        return ""  # missing on the old server already
    upload = SimpleUploadedFile(posixpath.basename(str(raw)), data)
    try:
        checked = declaration.checks[f.name](upload)
    except ValidationError as error:
        raise ValidationError({f.name: error.messages}) from None
    checked.seek(0)
    # Every file field's `upload_to` is a folder: no instance is needed to name the file.
    name = f.generate_filename(None, posixpath.basename(checked.name or "file"))  # type: ignore[arg-type]
    stored = default_storage.save(name, ContentFile(checked.read()))
    state.stored.append(stored)
    return stored


def _keep_timestamps(model: type[models.Model], obj: models.Model, row: dict[str, Any]) -> None:
    """auto_now fields take the time of saving; the archive's times are put back."""
    kept = {}
    for f in model._meta.concrete_fields:
        stamped = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        if stamped and row.get(f.name):
            kept[f.attname] = f.to_python(row[f.name])
    if kept:
        model._base_manager.filter(pk=obj.pk).update(**kept)


def _finish_deferred(state: _State) -> None:
    for model, pk, attname, target_label, old in state.deferred:
        new = state.ids[target_label].get(old)
        if new is not None:
            model._base_manager.filter(pk=pk).update(**{attname: new})
