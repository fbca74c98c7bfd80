"""Argos Translate packs that operators install from files (`internationale translation install
FILE`), kept in TRANSLATION_MODELS_DIR, one folder per pair, and run by the `argos` backend.

A pack (`.argosmodel`) is a zip archive holding one folder with `metadata.json` (from_code,
to_code, package_version...), a CTranslate2 model in `model/` and a SentencePiece tokenizer
`sentencepiece.model` (its Stanza sentence splitter, if any, is not used: the engine cuts
sentences). Before anything is unpacked the archive is read through: a valid zip, no entry
escaping its folder, no symbolic link, sizes under TRANSLATION_MODEL_MAX_MB, the metadata, the
model and the tokenizer present. It is unpacked into a hidden folder beside the others, a sentence
is translated with it, and only then is it put in place: a refused pack leaves nothing behind.
What was installed, and the licence the pack states, are kept in `internationale.json` beside it.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "internationale.json"
TOKENIZER = "sentencepiece.model"
MODEL = "model"
METADATA_MAX_BYTES = 1 << 20
LICENCE_MAX_CHARS = 20_000
MAX_ENTRIES = 10_000
_CODE = re.compile(r"^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})?$")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,39}$")
_LICENCE_FILES = ("license", "licence", "copying")
# A sentence the smoke test translates, in the pack's source language when we have one.
SMOKE = {
    "en": "Workers of the world, unite!",
    "pt": "Trabalhadores do mundo, uni-vos!",
    "es": "¡Trabajadores del mundo, uníos!",
    "fr": "Travailleurs du monde, unissez-vous !",
    "de": "Arbeiter aller Länder, vereinigt euch!",
    "it": "Lavoratori di tutto il mondo, unitevi!",
}


def primary(code: str) -> str:
    return re.split(r"[_-]", code)[0].lower()


@dataclass(frozen=True)
class Pack:
    """An installed pack, as its manifest records it."""

    source: str
    target: str
    version: str
    licence: str  # the licence text the pack states ("" when it states none)
    licence_from: str  # where it was found: "metadata.json", "LICENSE", ...
    installed_at: str
    file_name: str
    path: Path
    target_prefix: str = ""

    @property
    def pair(self) -> str:
        return f"{self.source}-{self.target}"

    @property
    def licence_summary(self) -> str:
        first = next((line.strip() for line in self.licence.splitlines() if line.strip()), "")
        return first[:200] or _("The pack states no licence.")


def models_dir() -> Path:
    return Path(settings.TRANSLATION_MODELS_DIR)


_scan_lock = threading.Lock()
_scanned: tuple[Path, float, list[Pack]] | None = None


def installed() -> list[Pack]:
    """The packs installed, by pair. Read again only when the models folder changed."""
    global _scanned
    folder = models_dir()
    try:
        changed = folder.stat().st_mtime
    except FileNotFoundError:
        return []
    with _scan_lock:
        if _scanned is None or _scanned[:2] != (folder, changed):
            _scanned = (folder, changed, _read_all(folder))
        return list(_scanned[2])


def _read_all(folder: Path) -> list[Pack]:
    packs = []
    for place in sorted(folder.iterdir()):
        if place.name.startswith(".") or not (place / MANIFEST).is_file():
            continue
        try:
            record = json.loads((place / MANIFEST).read_text(encoding="utf-8"))
            packs.append(Pack(path=place, **record))
        except (ValueError, TypeError, OSError):
            continue  # a damaged folder is not a pack; `translation list` does not show it
    return packs


def find(pair: str) -> Pack | None:
    """The installed pack of a pair written "es-en" or "es_en"."""
    wanted = pair.strip().lower().replace("_", "-")
    return next((p for p in installed() if p.pair.lower() == wanted), None)


# Checking a file ----------------------------------------------------------------------------------


@dataclass
class Checked:
    metadata: dict[str, Any]
    root: str  # the folder inside the archive ("" when the files are at its top)
    members: list[zipfile.ZipInfo]
    licence: str
    licence_from: str

    @property
    def source(self) -> str:
        return str(self.metadata["from_code"])

    @property
    def target(self) -> str:
        return str(self.metadata["to_code"])


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def check(path: Path) -> Checked:
    """Read the archive through without unpacking it; ValidationError, with a code, when it is
    not a pack this server can install."""
    if not path.is_file():
        raise _refuse(_("There is no file %(path)s.") % {"path": path}, "missing")
    if not zipfile.is_zipfile(path):
        raise _refuse(
            _("%(path)s is not a zip archive, so not an Argos Translate pack.") % {"path": path},
            "bad_zip",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_entries(members)
            root = _root(members)
            names = {m.filename.rstrip("/") for m in members}
            metadata = _metadata(archive, root)
            _check_model(names, root)
            licence, licence_from = _licence(archive, members, root, metadata)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise _refuse(
            _("%(path)s is a damaged zip archive (%(error)s).") % {"path": path, "error": exc},
            "bad_zip",
        ) from exc
    inside = [m for m in members if m.filename.startswith(root)]
    return Checked(metadata, root, inside, licence, licence_from)


def _check_entries(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ENTRIES:
        raise _refuse(
            _("The pack holds more than %(count)d files.") % {"count": MAX_ENTRIES}, "too_many"
        )
    seen = set()
    total = 0
    for member in members:
        name = member.filename
        parts = PurePosixPath(name).parts
        if (
            not name
            or name.startswith("/")
            or "\\" in name
            or ".." in parts
            or re.match(r"^[A-Za-z]:", name)
            or "\0" in name
        ):
            raise _refuse(
                _("The pack holds a path outside its folder (%(name)s): refused.") % {"name": name},
                "path_escape",
            )
        if stat.S_ISLNK(member.external_attr >> 16):
            raise _refuse(
                _("The pack holds a symbolic link (%(name)s): refused.") % {"name": name},
                "symlink",
            )
        if member.flag_bits & 0x1:
            raise _refuse(
                _("The pack holds an encrypted file (%(name)s).") % {"name": name}, "encrypted"
            )
        if name.rstrip("/") in seen:
            raise _refuse(
                _("The pack holds %(name)s twice.") % {"name": name.rstrip("/")}, "duplicate"
            )
        seen.add(name.rstrip("/"))
        total += member.file_size
    cap = settings.TRANSLATION_MODEL_MAX_MB
    if total > cap * 1024 * 1024:
        raise _refuse(
            _(
                "Unpacked, the pack would take %(size)d MB, more than the %(cap)d MB allowed "
                "(TRANSLATION_MODEL_MAX_MB)."
            )
            % {"size": -(-total // (1024 * 1024)), "cap": cap},
            "too_large",
        )


def _root(members: list[zipfile.ZipInfo]) -> str:
    places = [
        m.filename[: -len("metadata.json")]
        for m in members
        if PurePosixPath(m.filename).name == "metadata.json" and m.filename.count("/") <= 1
    ]
    if len(places) != 1:
        raise _refuse(
            _("The pack has no metadata.json in its folder.")
            if not places
            else _("The pack has more than one metadata.json."),
            "metadata",
        )
    root = places[0]
    outside = [m.filename for m in members if not m.filename.startswith(root)]
    if outside:
        raise _refuse(
            _("The pack holds files outside its folder (%(name)s).") % {"name": outside[0]},
            "path_escape",
        )
    return root


def _metadata(archive: zipfile.ZipFile, root: str) -> dict[str, Any]:
    info = archive.getinfo(f"{root}metadata.json")
    if info.file_size > METADATA_MAX_BYTES:
        raise _refuse(_("The pack's metadata.json is too large."), "metadata")
    try:
        metadata = json.loads(archive.read(info).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _refuse(_("The pack's metadata.json is not valid JSON."), "metadata") from exc
    if not isinstance(metadata, dict):
        raise _refuse(_("The pack's metadata.json is not a JSON object."), "metadata")
    problems = []
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not _CODE.match(value):
            problems.append(_("%(key)s is missing or not a language code") % {"key": key})
    version = metadata.get("package_version")
    if not isinstance(version, str) or not _VERSION.match(version):
        problems.append(_("package_version is missing or not a version"))
    if metadata.get("type", "translate") != "translate":
        problems.append(_("type is “%(type)s”, not “translate”") % {"type": metadata.get("type")})
    prefix = metadata.get("target_prefix", "")
    if not isinstance(prefix, str):
        problems.append(_("target_prefix is not a text"))
    if not problems and primary(metadata["from_code"]) == primary(metadata["to_code"]):
        problems.append(_("from_code and to_code are the same language"))
    if problems:
        raise _refuse(
            _("The pack's metadata.json is wrong: %(problems)s.")
            % {"problems": "; ".join(problems)},
            "metadata",
        )
    return metadata


def _check_model(names: set[str], root: str) -> None:
    if f"{root}{TOKENIZER}" not in names:
        raise _refuse(
            _(
                "The pack has no SentencePiece tokenizer (%(name)s); packs with another "
                "tokenizer are not supported."
            )
            % {"name": TOKENIZER},
            "tokenizer",
        )
    model = f"{root}{MODEL}/"
    vocabularies = {n.removeprefix(model).split(".")[0] for n in names if n.startswith(model)}
    has_vocabulary = (
        "shared_vocabulary" in vocabularies
        or {
            "source_vocabulary",
            "target_vocabulary",
        }
        <= vocabularies
    )
    if not ({f"{model}model.bin", f"{model}config.json"} <= names and has_vocabulary):
        raise _refuse(
            _(
                "The pack has no CTranslate2 model (model/model.bin, model/config.json and its "
                "vocabulary)."
            ),
            "model",
        )


def _licence(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], root: str, metadata: dict[str, Any]
) -> tuple[str, str]:
    """The licence the pack states: in its metadata, else a LICENSE (or COPYING) file, else the
    lines of its README that speak of a licence. ("", "") when it states none."""
    for key in ("license", "licence"):
        value = metadata.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:LICENCE_MAX_CHARS], "metadata.json"
    files = [m for m in members if not m.is_dir() and m.filename.count("/") == root.count("/")]
    for member in files:
        name = PurePosixPath(member.filename).name
        if name.lower().split(".")[0] in _LICENCE_FILES:
            return _text(archive, member), name
    for member in files:
        name = PurePosixPath(member.filename).name
        if name.lower().startswith("readme"):
            lines = [
                line.strip()
                for line in _text(archive, member).splitlines()
                if re.search(r"licen[cs]|CC[- ]BY|CC0|MIT|Apache|GPL", line, re.IGNORECASE)
            ]
            if lines:
                return "\n".join(lines)[:LICENCE_MAX_CHARS], name
    return "", ""


def _text(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> str:
    with archive.open(member) as handle:
        return (
            handle.read(LICENCE_MAX_CHARS * 4)
            .decode("utf-8", "replace")
            .strip()[:LICENCE_MAX_CHARS]
        )


# Installing and removing ------------------------------------------------------------------------


@dataclass
class Installed:
    pack: Pack
    sample: str  # the smoke test's sentence
    translated: str  # and its translation


def install(path: Path) -> Installed:
    """Check `path`, unpack it, translate a sentence with it, and put it in place. The caller
    audits (services.py). ValidationError, and nothing left behind, when any step fails."""
    checked = check(path)
    existing = find(f"{checked.source}-{checked.target}")
    if existing is not None:
        raise _refuse(
            _(
                "A pack for %(pair)s is installed already (version %(version)s): remove it first "
                "(internationale translation remove %(pair)s)."
            )
            % {"pair": existing.pair, "version": existing.version},
            "installed",
        )
    folder = models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    unpacked = Path(tempfile.mkdtemp(prefix=".installing-", dir=folder))
    try:
        _unpack(path, checked, unpacked)
        record = {
            "source": checked.source,
            "target": checked.target,
            "version": str(checked.metadata["package_version"]),
            "licence": checked.licence,
            "licence_from": checked.licence_from,
            "installed_at": timezone.now().isoformat(timespec="seconds"),
            "file_name": path.name[:200],
            "target_prefix": str(checked.metadata.get("target_prefix", "")),
        }
        pack = Pack(path=unpacked, **record)
        sample = SMOKE.get(primary(pack.source), SMOKE["en"])
        translated = _smoke_test(pack, sample)
        (unpacked / MANIFEST).write_text(json.dumps(record, indent=2), encoding="utf-8")
        final = folder / f"{checked.source}_{checked.target}"
        if final.exists():
            raise _refuse(
                _("%(folder)s is in the way: move it elsewhere first.") % {"folder": final},
                "installed",
            )
        unpacked.rename(final)
        return Installed(Pack(path=final, **record), sample, translated)
    finally:
        if unpacked.exists():
            shutil.rmtree(unpacked, ignore_errors=True)


def _unpack(path: Path, checked: Checked, into: Path) -> None:
    base = into.resolve()
    with zipfile.ZipFile(path) as archive:
        for member in checked.members:
            relative = member.filename[len(checked.root) :]
            if not relative:
                continue
            target = (into / relative).resolve()
            if base not in target.parents:
                raise _refuse(_("The pack holds a path outside its folder."), "path_escape")
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)


def _smoke_test(pack: Pack, sample: str) -> str:
    from .backends import ArgosModel

    try:
        translated = ArgosModel(pack).translate([sample])[0]
    except Exception as exc:  # noqa: BLE001 - whatever the model's libraries raise
        raise _refuse(
            _("The pack's model could not translate a sentence: %(error)s") % {"error": exc},
            "smoke_test",
        ) from exc
    if not translated.strip():
        raise _refuse(_("The pack's model translated a sentence into nothing."), "smoke_test")
    return translated


def remove(pair: str) -> Pack:
    """Remove an installed pack ("es-en"). The caller audits (services.py)."""
    pack = find(pair)
    if pack is None:
        raise _refuse(
            _("No pack is installed for %(pair)s (see internationale translation list).")
            % {"pair": pair},
            "not_installed",
        )
    hidden = pack.path.with_name(f".removing-{pack.path.name}")
    pack.path.rename(hidden)
    shutil.rmtree(hidden, ignore_errors=True)
    return pack
