"""Writes on library documents: adding one, changing it, deleting it, addressing it (as appeals are
addressed: addressing/), its files and its tags, and a person's weekly digest. Each checks its rule
(rules.py), validates, writes in a transaction with its audit entry and, for addressing, tells the
organizations addressed (core/notices.py).

The language of a document is declared by its author and checked against the language detected
in its text (translation/detection.py): when they differ, the author is asked to confirm, and
nothing is written until they do.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from internationale.addressing.routing import SEND_FIELDS, Criteria, route
from internationale.addressing.services import addressees_record
from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import idempotent
from internationale.core.notices import notice_send
from internationale.core.services import require
from internationale.core.uploads import checked_document
from internationale.organizations.models import Organization, OrganizationLanguage
from internationale.organizations.reference import normalize_language
from internationale.translation.content import primary, versions_of
from internationale.translation.detection import check_language
from internationale.translation.services import machine_versions_request

from . import audience
from .extract import EXTRACTABLE, extension_of, extract_text
from .models import DigestChoice, Document, DocumentAddressee, DocumentFile, Tag

# What the author may change; the rest (author, who added it) stays.
FIELDS = ("kind", "title", "summary", "body", "language", "visibility")
TAGS_MAX = 20
TAG_MAX_LENGTH = 60
FILES_MAX = 20


def _check_language(document: Document, confirmed: bool) -> None:
    """Refuse a declared language that detection contradicts, unless the author confirmed it
    (translation/detection.py: a text long enough to be told, detection sure of another)."""
    try:
        document.language = normalize_language(document.language)
    except ValueError:
        raise ValidationError(
            {
                "language": ValidationError(
                    _("“%(tag)s” is not a valid BCP 47 language tag, such as pt or en.")
                    % {"tag": document.language},
                    code="invalid_language",
                )
            }
        ) from None
    check_language(
        (document.title, document.summary, document.body), document.language, confirmed=confirmed
    )


def _tag_names(names: Iterable[str]) -> list[str]:
    cleaned = list(dict.fromkeys(" ".join(n.split()) for n in names if n and n.strip()))
    if len(cleaned) > TAGS_MAX:
        raise ValidationError(
            {"tags": _("At most %(count)s tags.") % {"count": TAGS_MAX}}, code="too_many_tags"
        )
    for name in cleaned:
        if len(name) > TAG_MAX_LENGTH or not slugify(name, allow_unicode=True):
            raise ValidationError(
                {
                    "tags": _("“%(name)s” is not a tag: a few words, at most %(max)s characters.")
                    % {"name": name[:TAG_MAX_LENGTH], "max": TAG_MAX_LENGTH}
                },
                code="invalid_tag",
            )
    return cleaned


def _tags(names: list[str]) -> list[Tag]:
    """The tags of these names, made when new. Inside a transaction."""
    tags = []
    for name in names:
        tag, _created = Tag.objects.get_or_create(
            slug=slugify(name, allow_unicode=True)[:80], defaults={"name": name}
        )
        tags.append(tag)
    return tags


def _fetch(pk: str) -> Document:
    return Document.objects.select_related("organization").get(pk=pk)


@idempotent("library.document_create", fetch=_fetch)
def document_create(
    *,
    actor: ActorLike,
    organization: Organization,
    kind: str,
    title: str,
    language: str,
    summary: str = "",
    body: str = "",
    visibility: str = "network",
    tags: Sequence[str] = (),
    language_confirmed: bool = False,
    submission_key: str | None = None,
) -> Document:
    """A document of `organization`, written in `language` (checked against the language
    detected in it), shared at `visibility`. An addressed document is then addressed
    (`document_address`)."""
    require(
        actor,
        "library.add_document",
        organization,
        _("Only an admin or secretary of a verified organization can add a document."),
    )
    document = Document(
        organization=organization,
        created_by=person(actor),
        kind=kind,
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        body=body or "",
        language=(language or "").strip(),
        visibility=visibility,
    )
    names = _tag_names(tags)
    _check_language(document, language_confirmed)
    document.full_clean(exclude=["search_text"])
    with transaction.atomic():
        document.save()
        document.tags.set(_tags(names))
        audit(
            actor=actor,
            action="document.create",
            target=document,
            organization=organization,
            title=document.title,
            kind=document.kind,
            visibility=document.visibility,
        )
    return document


def document_update(
    *,
    actor: ActorLike,
    document: Document,
    tags: Sequence[str] | None = None,
    language_confirmed: bool = False,
    **changes: Any,
) -> Document:
    """Change the document's fields (`FIELDS`) and, when given, its tags; fields left out keep
    their value. For those who speak for its author."""
    require(
        actor,
        "library.change_document",
        document,
        _("Only an admin or secretary of its organization can change the document."),
    )
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"not a field of a document: {sorted(unknown)}")
    names = _tag_names(tags) if tags is not None else None
    with transaction.atomic():
        current = (
            Document.objects.select_for_update().select_related("organization").get(pk=document.pk)
        )
        for name in ("title", "summary", "language"):
            if name in changes:
                changes[name] = (changes[name] or "").strip()
        changed = [
            name for name in FIELDS if name in changes and changes[name] != getattr(current, name)
        ]
        for name in changed:
            setattr(current, name, changes[name])
        if {"title", "summary", "body", "language"} & set(changed):
            _check_language(current, language_confirmed)
        current.full_clean(exclude=["search_text"])
        old_tags = sorted(current.tags.values_list("name", flat=True))
        tags_changed = names is not None and sorted(names) != old_tags
        if not changed and not tags_changed:
            return current
        if changed:
            current.save(update_fields=[*changed, "updated_at"])
        if {"title", "summary", "body"} & set(changed):
            # Its machine versions now translate an older text: made again in the background,
            # once however often it changes before the task runs.
            machine_versions_request(
                current, [v.language for v in versions_of(current) if v.by_machine]
            )
        if tags_changed and names is not None:
            current.tags.set(_tags(names))
            changed.append("tags")
        audit(
            actor=actor,
            action="document.change",
            target=current,
            organization=current.organization,
            title=current.title,
            fields=changed,
        )
    return current


def document_delete(*, actor: ActorLike, document: Document) -> None:
    """Delete the document, its files and its addressees, its language versions and the requests
    for them (translation's generic relations). For those who speak for its author."""
    require(
        actor,
        "library.change_document",
        document,
        _("Only an admin or secretary of its organization can delete the document."),
    )
    with transaction.atomic():
        stored = [
            str(f.file.name) for f in DocumentFile.objects.filter(document=document) if f.file
        ]
        audit(
            actor=actor,
            action="document.delete",
            target=document,
            organization=document.organization,
            title=document.title,
            document=document.pk,
        )
        document.delete()
        if stored:
            storage = DocumentFile._meta.get_field("file").storage  # type: ignore[attr-defined]

            def remove() -> None:
                for name in stored:
                    storage.delete(name)

            transaction.on_commit(remove)


def document_address(*, actor: ActorLike, document: Document, criteria: Criteria) -> list[int]:
    """Address the document to the organizations the criteria choose (as appeals are addressed:
    addressing/), each with its reasons, and tell them. Those addressed already stay so; returns
    the ids of the organizations newly addressed, or ValidationError when the criteria choose
    none. Only a document shared with the organizations it is addressed to is addressed. Machine
    versions are asked for in the languages of the organizations newly addressed."""
    require(
        actor,
        "library.change_document",
        document,
        _("Only an admin or secretary of its organization can address the document."),
    )
    if document.visibility != "addressed":
        raise ValidationError(
            _(
                "Only a document shared with the organizations it is addressed to is addressed: "
                "choose that visibility first."
            ),
            code="not_addressed",
        )
    candidates = route(document.routing_origin(), criteria.clean(), fields=SEND_FIELDS)
    with transaction.atomic():
        already = set(
            DocumentAddressee.objects.filter(
                document=document, organization_id__in=[c.organization_id for c in candidates]
            ).values_list("organization_id", flat=True)
        )
        new = [c for c in candidates if c.organization_id not in already]
        if not new:
            raise ValidationError(
                _("These criteria choose no organization the document is not addressed to."),
                code="no_addressees",
            )
        addressees_record(
            model=DocumentAddressee, target=document, candidates=new, ring=0, on_conflict="ignore"
        )
        audience.changed()  # inserted in bulk, without signals: the copies in memory follow
        ids = [c.organization_id for c in new]
        # Machine versions in the languages of the organizations newly addressed, made in the
        # background after this commits, for the pairs a backend translates.
        machine_versions_request(
            document,
            OrganizationLanguage.objects.filter(organization_id__in=ids)
            .order_by()
            .values_list("tag", flat=True)
            .distinct(),
        )
        audit(
            actor=actor,
            action="document.address",
            target=document,
            organization=document.organization,
            title=document.title,
            addressed=len(ids),
        )
        notice_send(
            kind="document.addressed",
            source=document,
            organizations=ids,
            params={"organization": document.organization.name, "title": document.title},
            sender=document.organization,
        )
    return ids


def checked_file(upload: UploadedFile) -> UploadedFile:
    """A document's file as it is stored: of a type whose text is read (PDF, ODT, DOCX, text),
    passing the upload checks of evidence (with the archive checks); else ValidationError. For
    uploads and the files of an imported archive alike."""
    if extension_of(upload.name or "") not in EXTRACTABLE:
        raise ValidationError(
            _("This type of file is not accepted here. Accepted types: %(types)s.")
            % {"types": "PDF, ODT, DOCX, " + _("plain text (UTF-8)")},
            code="file_type",
        )
    return checked_document(upload)  # an ODT or DOCX's members pass core/archives.py first


def document_file_add(
    *, actor: ActorLike, document: Document, upload: UploadedFile
) -> DocumentFile:
    """Attach a file to the document: a PDF, ODT, DOCX or text file of at most 5 MB that passes
    the upload checks of evidence (core/uploads.py: an ODT or DOCX's every member passes the
    archive checks of core/archives.py), and holds text that can be read (extract.py),
    kept for search. Anything else is refused and nothing is added."""
    require(
        actor,
        "library.change_document",
        document,
        _("Only an admin or secretary of its organization can add files to the document."),
    )
    try:
        checked = checked_file(upload)
        text = extract_text(checked, checked.name or "")
    except ValidationError as error:
        raise ValidationError({"file": error}) from None
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if DocumentFile.objects.filter(document=locked).count() >= FILES_MAX:
            raise ValidationError(
                {"file": _("A document holds at most %(count)s files.") % {"count": FILES_MAX}},
                code="too_many_files",
            )
        name = (checked.name or "document").rsplit("/", 1)[-1][:200]
        added = DocumentFile(
            document=locked, name=name, size=checked.size or 0, text=text, added_by=person(actor)
        )
        added.file.save(name, checked, save=False)
        stored = str(added.file.name)
        try:
            added.save()
            audit(
                actor=actor,
                action="document.file_add",
                target=locked,
                organization=document.organization,
                title=locked.title,
                name=name,
            )
            Document.objects.filter(pk=locked.pk).update(updated_at=added.added_at)
        except Exception:
            added.file.storage.delete(stored)
            raise
    return added


def document_file_remove(*, actor: ActorLike, file: DocumentFile) -> None:
    """Remove a file of the document, and its stored content once that is committed."""
    document = file.document
    require(
        actor,
        "library.change_document",
        document,
        _("Only an admin or secretary of its organization can remove files of the document."),
    )
    with transaction.atomic():
        stored = str(file.file.name or "")
        storage = file.file.storage
        audit(
            actor=actor,
            action="document.file_remove",
            target=document,
            organization=document.organization,
            title=document.title,
            name=file.name,
        )
        file.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


def _clean_choices(values: Iterable[str], allowed: Iterable[str], field: str) -> list[str]:
    allowed = set(allowed)
    values = list(dict.fromkeys(v for v in values if v))
    wrong = [v for v in values if v not in allowed]
    if wrong:
        raise ValidationError(
            {field: _("Not a choice: %(values)s.") % {"values": ", ".join(wrong)}},
            code="invalid_choice",
        )
    return values


def digest_choose(
    *, actor: ActorLike, weekly: bool, kinds: Sequence[str] = (), languages: Sequence[str] = ()
) -> DigestChoice:
    """The person's choice of a weekly e-mail of the documents added that they may read: of
    these kinds and languages (none: all)."""
    require(actor, "library.choose_digest", None, _("Sign in to choose your digest."))
    who = person(actor)
    assert who is not None  # the rule holds for people only
    kinds = _clean_choices(kinds, Document.Kind.values, "kinds")
    tags: list[str] = []
    for tag in languages:
        try:
            tags.append(primary(normalize_language(tag)))
        except ValueError:
            raise ValidationError(
                {"languages": _("“%(tag)s” is not a valid BCP 47 language tag.") % {"tag": tag}},
                code="invalid_language",
            ) from None
    with transaction.atomic():
        choice, _created = DigestChoice.objects.select_for_update().get_or_create(person=who)
        before = (choice.weekly, choice.kinds, choice.languages)
        choice.weekly = bool(weekly)
        choice.kinds = kinds
        choice.languages = list(dict.fromkeys(tags))
        if (choice.weekly, choice.kinds, choice.languages) != before or _created:
            choice.save()
            audit(actor=actor, action="library.digest_choose", target=choice, weekly=choice.weekly)
    return choice
