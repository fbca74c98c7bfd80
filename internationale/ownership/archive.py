"""The archive of an organization: written from the declarations of what it owns (core/owned.py),
read back and checked before anything is imported. The format is described in
docs/export-format.md and its JSON Schema in docs/export-format.schema.json.

    manifest.json                 format, version, organization, when, counts, SHA-256 of members
    data/<archive key>.json       {"key", "rows": [...], "totals": {...}} per declaration
    data/organizations.known.json the other organizations its rows name (slug, name, country,
                                  and from version 2 their actor: their address there)
    files/<stored name>           the files its rows name (logos, evidence, documents)

A row is `{"id": <its id on the old server>, "<field>": <value>, ...}`. A reference to an owned
row is that row's id; to an organization, its slug; to a person, the id of a row of
`accounts.person` (or null: people who are not members are not exported); to a content type,
"app_label.model"; to a shared name (an employer, a tag), its slug.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse
from django.utils import timezone

from internationale.core.links import absolute_url
from internationale.core.owned import Owned, Personal, owned

FORMAT = "internationale-organization-archive"
# The version written. 2: the other organizations named (KNOWN) have their `actor`, by which the
# import finds a relation's partner (importing.py, pending.py). This server still reads
# version 1, whose partners are found by slug, name and country.
VERSION = 2
READS = (1, 2)
MANIFEST = "manifest.json"
KNOWN = "data/organizations.known.json"
ORGANIZATION = "organizations.Organization"
PERSON = "accounts.User"
# Shared names: models no organization owns that rows point to, named by a field of theirs.
NATURAL_KEYS = {"organizations.Employer": "slug", "library.Tag": "slug"}
# An archive over this size, or a member over it, is refused before it is read.
MAX_MEMBER_BYTES = 2 * 1024**3


def ordered() -> list[Owned]:
    """The declarations in the order they are written and imported: rows that hang off any
    content (generic) last, once the content has its ids."""
    declarations = owned()
    return [d for d in declarations if not d.generic] + [d for d in declarations if d.generic]


def data_name(key: str) -> str:
    return f"data/{key}.json"


def file_name(stored: str) -> str:
    return f"files/{stored}"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class _Writing:
    organization: Any
    include_emails: bool
    exported: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    known: dict[int, dict[str, str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def write_archive(
    out: IO[bytes],
    *,
    organization: Any,
    include_emails: bool,
    progress: Callable[[int, str], None] = lambda percent, step: None,
) -> dict[str, int]:
    """Write the organization's archive to `out` (a stream zipfile may write to). Returns the
    number of rows per archive key."""
    state = _Writing(organization=organization, include_emails=include_emails)
    checksums: dict[str, str] = {}
    counts: dict[str, int] = {}
    declarations = ordered()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, data: bytes) -> None:
            archive.writestr(name, data)
            checksums[name] = _sha256(data)

        for done, declaration in enumerate(declarations):
            progress(int(80 * done / len(declarations)), declaration.key)
            rows, totals = _rows(declaration, state)
            counts[declaration.key] = len(rows)
            body = {"key": declaration.key, "rows": rows, "totals": totals}
            put(data_name(declaration.key), _json(body))
        put(KNOWN, _json({"organizations": list(state.known.values())}))
        for n, stored in enumerate(state.files):
            progress(80 + int(19 * n / max(len(state.files), 1)), "files")
            try:
                with default_storage.open(stored, "rb") as f:
                    data = f.read()
            except (FileNotFoundError, OSError):
                continue  # a file missing from storage: its row says so by naming it
            put(file_name(stored), data)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "organization": organization.slug,
            "created_at": timezone.now().isoformat(),
            "include_emails": include_emails,
            "counts": counts,
            "members": checksums,
        }
        archive.writestr(MANIFEST, _json(manifest))
    progress(100, "")
    return counts


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1).encode()


def _queryset(declaration: Owned, state: _Writing) -> Iterable[models.Model]:
    model = declaration.model_class
    if declaration.generic:
        type_field, id_field = declaration.generic
        rows: list[models.Model] = []
        for label, ids in state.exported.items():
            content_type = ContentType.objects.get_for_model(_model(label))
            rows.extend(
                model._base_manager.filter(
                    **{type_field: content_type, f"{id_field}__in": sorted(ids)}
                ).order_by("pk")
            )
        return rows
    # Its own rows, and those whose people consented to it (the signers of another
    # organization's campaign who agreed to be contacted by it).
    org_id = state.organization.pk
    mine = model._base_manager.filter(
        declaration.owned_by(org_id) | declaration.consented_to(org_id)
    ).values("pk")
    return model._base_manager.filter(pk__in=mine).order_by("pk")


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def _rows(
    declaration: Owned, state: _Writing
) -> tuple[list[dict[str, Any]], dict[str, dict[str, str]]]:
    fields = declaration.exported_fields()
    label = declaration.model_class._meta.label
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    consented: set[Any] = set()
    if declaration.consent is not None:
        consented = set(
            declaration.model_class._base_manager.filter(
                declaration.consented_to(state.organization.pk)
            ).values_list("pk", flat=True)
        )
    rows = []
    for obj in _queryset(declaration, state):
        hidden = _hidden(declaration, obj, state, totals, consented)
        row: dict[str, Any] = {"id": obj.pk}
        for f in fields:
            row[f.name] = _value(declaration, obj, f, state, hidden)
        rows.append(row)
        state.exported[label].add(obj.pk)
    return rows, {
        per: {currency: str(amount) for currency, amount in sums.items()}
        for per, sums in totals.items()
    }


def _hidden(
    declaration: Owned,
    obj: models.Model,
    state: _Writing,
    totals: dict[str, dict[str, Decimal]],
    consented: set[Any],
) -> set[str]:
    """The fields left out of this row: e-mail addresses without the admin's confirmation,
    signers' data unless they consented to the organization (`consented`: the rows whose people
    did), signers' addresses unless both, and others' private amounts (counted into the
    totals)."""
    hidden = set()
    for name, kind in declaration.personal.items():
        email = kind in (Personal.EMAIL, Personal.SIGNER_EMAIL)
        signer = kind in (Personal.SIGNER, Personal.SIGNER_EMAIL)
        if (email and not state.include_emails) or (signer and obj.pk not in consented):
            hidden.add(name)
    private = declaration.private
    if private is not None:
        author = getattr(obj, f"{private.of}_id")
        opened = bool(private.unless and getattr(obj, private.unless))
        if author != state.organization.pk and not opened:
            hidden.update(private.fields)
            amount = getattr(obj, private.amount)
            if amount is not None:
                per = str(getattr(obj, f"{private.per}_id"))
                totals[per][str(getattr(obj, private.currency))] += amount
    return hidden


def _value(declaration: Owned, obj: models.Model, f: Any, state: _Writing, hidden: set[str]) -> Any:
    if f.name in hidden:
        return None if f.null or f.is_relation else ""
    if f.many_to_many:
        # Shared names (tags): each with its fields, found or made again by its key on import.
        key = NATURAL_KEYS[f.related_model._meta.label]
        named = [
            {g.name: _plain(getattr(related, g.attname)) for g in _plain_fields(related)}
            for related in getattr(obj, f.name).all()
        ]
        return sorted(named, key=lambda n: str(n[key]))
    if f.is_relation:
        target_id = getattr(obj, f.attname)
        if target_id is None:
            return None
        target = f.related_model._meta.label
        if target == ORGANIZATION:
            return _organization_ref(target_id, state)
        if target == PERSON:
            return target_id if target_id in state.exported[PERSON] else None
        if target == "contenttypes.ContentType":
            content_type = ContentType.objects.get_for_id(target_id)
            return f"{content_type.app_label}.{content_type.model}"
        if target in NATURAL_KEYS:
            return getattr(getattr(obj, f.name), NATURAL_KEYS[target])
        return target_id  # an owned row: its id, which the import maps to the new one
    value = getattr(obj, f.attname)
    if isinstance(f, models.FileField):
        if value and f.name in declaration.files:
            state.files.append(str(value))
            return str(value)
        return ""
    return _plain(value)


def _plain_fields(obj: models.Model) -> list[Any]:
    return [f for f in obj._meta.concrete_fields if not f.primary_key and not f.is_relation]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)  # a country, a language: their code


def _organization_ref(pk: int, state: _Writing) -> str:
    from internationale.organizations.models import Organization

    if pk == state.organization.pk:
        return str(state.organization.slug)
    if pk not in state.known:
        other = Organization.objects.only(
            "slug", "name", "country", "kind", "remote_actor_url"
        ).get(pk=pk)
        state.known[pk] = {
            "slug": other.slug,
            "name": other.name,
            "country": str(other.country),
            "kind": other.kind,
            # Where it is found, whatever its slug: the import matches partners on it.
            "actor": other.remote_actor_url
            or absolute_url(reverse("federation_actor", args=[other.slug])),
        }
    return state.known[pk]["slug"]


# Reading ----------------------------------------------------------------------------------------


class ArchiveRefused(Exception):
    """The archive is refused as a whole; the message names what is wrong."""


@dataclass
class Archive:
    manifest: dict[str, Any]
    data: dict[str, dict[str, Any]]
    known: list[dict[str, str]]
    zip: zipfile.ZipFile

    def file(self, stored: str) -> bytes:
        return self.zip.read(file_name(stored))


def safe_member(name: str) -> bool:
    """A member's name stays inside the archive's folder: relative, no `..`, no backslash, no
    drive, nothing but printable characters."""
    path = PurePosixPath(name)
    return (
        bool(name)
        and not name.startswith("/")
        and "\\" not in name
        and ":" not in name
        and ".." not in path.parts
        and name.isprintable()
    )


def read_archive(stream: IO[bytes]) -> Archive:
    """Open and check an archive before anything is written: the manifest, the format version,
    every member's name and checksum, and that the file fields name files it holds. Raises
    ArchiveRefused, naming the first thing wrong."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveRefused(f"not an archive of this platform (not a zip file: {exc})") from None
    names = archive.namelist()
    for name in names:
        if not safe_member(name):
            raise ArchiveRefused(f"the path “{name}” escapes the archive's folder")
    manifest = _manifest(archive, names)
    _check_members(archive, names, manifest["members"])
    known = _load(archive, KNOWN) if KNOWN in names else {"organizations": []}
    result = Archive(
        manifest=manifest,
        data=_data(archive, names),
        known=list(known.get("organizations", [])) if isinstance(known, dict) else [],
        zip=archive,
    )
    _check_files(result)
    return result


def _manifest(archive: zipfile.ZipFile, names: list[str]) -> dict[str, Any]:
    if MANIFEST not in names:
        raise ArchiveRefused("not an archive of this platform: it has no manifest.json")
    manifest = _load(archive, MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveRefused("not an archive of this platform: its manifest names another format")
    version = manifest.get("version")
    if isinstance(version, bool) or version not in READS:
        raise ArchiveRefused(
            f"unknown format version {version!r} (this server reads versions "
            f"{', '.join(str(v) for v in READS)})"
        )
    if not isinstance(manifest.get("members"), dict):
        raise ArchiveRefused("the manifest lists no checksums")
    return manifest


def _check_members(archive: zipfile.ZipFile, names: list[str], members: dict[str, Any]) -> None:
    for name in names:
        if name != MANIFEST and name not in members:
            raise ArchiveRefused(f"“{name}” is in the archive but not in its manifest")
    for name, expected in members.items():
        if not safe_member(name):
            raise ArchiveRefused(f"the path “{name}” escapes the archive's folder")
        if name not in names:
            raise ArchiveRefused(f"“{name}” is in the manifest but missing from the archive")
        info = archive.getinfo(name)
        if info.file_size > MAX_MEMBER_BYTES:
            raise ArchiveRefused(f"“{name}” is too large")
        digest = hashlib.sha256()
        with archive.open(info) as f:
            for chunk in iter(lambda: f.read(1024 * 1024), b""):
                digest.update(chunk)
        if digest.hexdigest() != expected:
            raise ArchiveRefused(f"bad checksum for “{name}”: it was changed or damaged")


def _data(archive: zipfile.ZipFile, names: list[str]) -> dict[str, dict[str, Any]]:
    data = {}
    known_keys = {d.key for d in ordered()}
    for name in names:
        if name.startswith("data/") and name != KNOWN:
            key = name.removeprefix("data/").removesuffix(".json")
            if key not in known_keys:
                raise ArchiveRefused(f"“{name}” is a kind of data this server does not know")
            body = _load(archive, name)
            if not isinstance(body, dict) or not isinstance(body.get("rows"), list):
                raise ArchiveRefused(f"“{name}” is not in the archive's format")
            data[key] = body
    return data


def _check_files(archive: Archive) -> None:
    for declaration in ordered():
        for row in archive.data.get(declaration.key, {}).get("rows", []):
            for name in declaration.files:
                stored = row.get(name)
                if not stored:
                    continue
                if not isinstance(stored, str) or not safe_member(stored):
                    raise ArchiveRefused(f"the path “{stored}” escapes the archive's folder")


def _load(archive: zipfile.ZipFile, name: str) -> Any:
    try:
        return json.loads(archive.read(name))
    except (ValueError, UnicodeDecodeError):
        raise ArchiveRefused(f"“{name}” is not valid JSON") from None
