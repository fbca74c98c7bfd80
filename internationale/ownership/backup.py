"""Backups of a whole server, taken while it runs, and their restore into an empty server.

A backup is a directory:

    manifest.json        what it holds: format and version, the kind of database, the migrations
                         applied, the time, and the size and SHA-256 of every other file
    database.sqlite3     SQLite: a copy made by SQLite's online backup (one consistent snapshot)
    database.pgdump      PostgreSQL: `pg_dump --format=custom` (one consistent snapshot)
    media/...            the uploaded files (logos, evidence, documents)
    secret_key           the key of the data directory, when the server uses one

The database is copied first, then the files: a file a copied row names was there before the copy
began. The backup is written beside its destination under a temporary name and renamed into place
once whole, so a directory named like the destination is always a finished backup.

A restore checks everything before it writes anything: the manifest, its format version, the
kind of database, that this version of the platform knows every migration applied, every file's
size and checksum, no path outside the backup, and that the target (database and media directory)
is empty. Then the database (SQLite: the file, checked, moved into place; PostgreSQL: pg_restore
in one transaction), the files and the key.
"""

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

FORMAT = "internationale-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRESQL_FILE = "database.pgdump"
MEDIA = "media"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - the name of a file, not a key
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused, in one sentence that says what to do; nothing was changed."""


@dataclass(frozen=True)
class Target:
    """Where a backup is taken from or restored to: the server's database and files."""

    alias: str
    media_root: Path
    data_dir: Path

    @classmethod
    def of_server(cls, alias: str = DEFAULT_DB_ALIAS) -> "Target":
        return cls(alias=alias, media_root=Path(settings.MEDIA_ROOT), data_dir=settings.DATA_DIR)

    @property
    def database(self) -> dict[str, Any]:
        return connections[self.alias].settings_dict

    @property
    def kind(self) -> str:
        vendor = connections[self.alias].vendor
        if vendor not in ("sqlite", "postgresql"):
            raise BackupError(f"backups cover SQLite and PostgreSQL, not {vendor}")
        return vendor


Progress = Callable[[str], None]


def _silent(_message: str) -> None:
    pass


# Taking a backup ---------------------------------------------------------------------------------


def backup_write(
    destination: Path, *, target: Target | None = None, progress: Progress = _silent
) -> dict[str, Any]:
    """Write a backup of the running server to `destination` (absent, or an empty directory)."""
    target = target or Target.of_server()
    destination = destination.absolute()
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(f"{destination} exists and is not an empty directory: choose a new one")
    if not destination.parent.is_dir():
        raise BackupError(f"{destination.parent} is not a directory")
    kind = target.kind
    work = destination.parent / f".{destination.name}.incomplete-{secrets.token_hex(4)}"
    work.mkdir(mode=0o700)
    try:
        files: dict[str, dict[str, Any]] = {}
        if kind == "sqlite":
            progress("Copying the database (SQLite online backup)…")
            migrations = _sqlite_copy(Path(target.database["NAME"]), work / SQLITE_FILE)
            files[SQLITE_FILE] = _describe(work / SQLITE_FILE)
        else:
            progress("Copying the database (pg_dump)…")
            migrations = _postgresql_dump(target, work / POSTGRESQL_FILE)
            files[POSTGRESQL_FILE] = _describe(work / POSTGRESQL_FILE)
        progress("Copying the media files…")
        files.update(_copy_media(target.media_root, work / MEDIA))
        key = target.data_dir / SECRET_KEY_FILE
        if key.is_file():
            shutil.copyfile(key, work / SECRET_KEY_FILE)
            (work / SECRET_KEY_FILE).chmod(0o600)
            files[SECRET_KEY_FILE] = _describe(work / SECRET_KEY_FILE)
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database": {
                "kind": kind,
                "file": SQLITE_FILE if kind == "sqlite" else POSTGRESQL_FILE,
            },
            "migrations": migrations,
            "files": dict(sorted(files.items())),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        if destination.exists():
            destination.rmdir()  # empty, checked above
        work.rename(destination)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _sqlite_copy(source: Path, copy: Path) -> dict[str, list[str]]:
    """SQLite's online backup, in one step: one read transaction, so one consistent snapshot,
    while writers go on (WAL). A copy in several steps would start again at every write."""
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    out = sqlite3.connect(copy)
    try:
        origin.backup(out)
    finally:
        out.close()
        origin.close()
    database = sqlite3.connect(copy)
    try:
        database.execute("PRAGMA journal_mode=DELETE")  # one file, with nothing beside it
        rows = database.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.OperationalError:
        raise BackupError("the database has no tables yet: there is nothing to back up") from None
    finally:
        database.close()
    return _migrations(rows)


def _postgresql_dump(target: Target, dump: Path) -> dict[str, list[str]]:
    command = shutil.which("pg_dump")
    if command is None:
        raise BackupError(
            "pg_dump was not found: install the PostgreSQL client programs (of the server's "
            "major version or newer)"
        )
    with connections[target.alias].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        rows = cursor.fetchall()
    _run([command, "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump)], target)
    return _migrations(rows)


def _run(command: list[str], target: Target) -> None:
    """A PostgreSQL client program against the target's database; the password travels in the
    environment, never on the command line."""
    database = target.database
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    if sslmode := (database.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode != 0:
        message = " ".join(finished.stderr.split())[:500] or f"exit status {finished.returncode}"
        raise BackupError(f"{Path(command[0]).name} failed: {message}")


def _migrations(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(rows):
        applied.setdefault(app, []).append(name)
    return applied


def _copy_media(root: Path, copy: Path) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    if not root.is_dir():
        return files
    for path in _files_under(root):
        relative = path.relative_to(root).as_posix()
        out = copy / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            files[f"{MEDIA}/{relative}"] = _copy_file(path, out)
        except FileNotFoundError:  # deleted since listed: no row of the copy names it
            continue
    return files


def _files_under(root: Path) -> Iterator[Path]:
    """Regular files only: a symbolic link could lead anywhere on the machine."""
    for directory, _dirs, names in os.walk(root):
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _copy_file(source: Path, out: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reading, out.open("wb") as writing:
        while chunk := reading.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            writing.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def _describe(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as reading:
        while chunk := reading.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


# Checking a backup -------------------------------------------------------------------------------


def backup_check(source: Path, *, kind: str | None = None) -> dict[str, Any]:
    """The backup's manifest, once everything in it is checked; else BackupError naming what is
    wrong. `kind`: the database the backup must be for."""
    source = source.absolute()
    manifest = _read_manifest(source)
    database = manifest["database"]
    if kind is not None and database["kind"] != kind:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"this is a backup of a {names[database['kind']]} database and this server uses "
            f"{names[kind]}: restore it into a server of the same kind (DATABASE_URL)"
        )
    _check_migrations_known(manifest["migrations"])
    _check_files(source, manifest["files"])
    return manifest


def _read_manifest(source: Path) -> dict[str, Any]:
    if not source.is_dir():
        raise BackupError(f"{source} is not a directory: give the directory 'backup' wrote")
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            f"{source} holds no {MANIFEST}: it is not a backup, or not a whole one"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(f"{MANIFEST} is damaged: it is not JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} is not the manifest of an Internationale backup")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"the backup's format version is {manifest.get('version')!r}; this version of "
            f"Internationale reads version {FORMAT_VERSION}"
        )
    database = manifest.get("database")
    files = manifest.get("files")
    if (
        not isinstance(database, dict)
        or database.get("kind") not in ("sqlite", "postgresql")
        or not isinstance(files, dict)
        or not isinstance(manifest.get("migrations"), dict)
        or database.get("file") not in files
    ):
        raise BackupError(f"{MANIFEST} is damaged: its database, files or migrations are missing")
    return manifest


def _check_links(source: Path) -> None:
    """A backup holds no symbolic link, to a file or a directory: copying the backup back would
    follow it and bring in whatever it leads to (a file of the machine, served as a logo)."""
    for directory, dirs, names in os.walk(source):
        for name in sorted([*dirs, *names]):
            path = Path(directory) / name
            if path.is_symlink():
                raise BackupError(
                    f"{path.relative_to(source).as_posix()} is a symbolic link: a backup holds "
                    "none, so this one was changed after it was written"
                )


def _check_files(source: Path, files: dict[str, Any]) -> None:
    listed = set()
    for name, description in files.items():
        path = _inside(source, name)
        listed.add(path)
        if not isinstance(description, dict) or not path.is_file() or path.is_symlink():
            raise BackupError(f"{name} is missing from the backup")
        expected = {"size": description.get("size"), "sha256": description.get("sha256")}
        if _describe(path) != expected:
            raise BackupError(f"{name} is damaged: its checksum is not the one in {MANIFEST}")
    _check_links(source)
    for path in _files_under(source):
        if path not in listed and path != source / MANIFEST:
            raise BackupError(
                f"{path.relative_to(source).as_posix()} is in the backup but not in {MANIFEST}"
            )


def _inside(root: Path, name: Any) -> Path:
    """The file a manifest names, refusing any name that would lead outside the backup."""
    if not isinstance(name, str) or not name or "\\" in name or "\0" in name:
        raise BackupError(f"{MANIFEST} names a file with an unusable name: {name!r}")
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or name != pure.as_posix():
        raise BackupError(f"{MANIFEST} names a path outside the backup: {name}")
    if pure.parts[0] not in (MEDIA, SQLITE_FILE, POSTGRESQL_FILE, SECRET_KEY_FILE):
        raise BackupError(f"{MANIFEST} names a file a backup does not hold: {name}")
    path = root.joinpath(*pure.parts)
    if root.resolve() not in path.resolve().parents:  # through a symbolic link
        raise BackupError(f"{MANIFEST} names a path outside the backup: {name}")
    return path


def _check_migrations_known(migrations: dict[str, Any]) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in migrations.items()
        for name in (names if isinstance(names, list) else [names])
        if (app, name) not in known
    )
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise BackupError(
            f"the backup was taken by a newer version of Internationale (migrations this version "
            f"does not have: {shown}): restore it with that version or a later one"
        )


# Restoring ---------------------------------------------------------------------------------------


def restore(
    source: Path, *, target: Target | None = None, progress: Progress = _silent
) -> dict[str, Any]:
    """Restore the backup at `source` into an empty database and media directory."""
    target = target or Target.of_server()
    kind = target.kind
    progress("Checking the backup…")
    manifest = backup_check(source, kind=kind)
    source = source.absolute()
    _require_empty(target, kind)
    progress("Restoring the database…")
    if kind == "sqlite":
        _sqlite_restore(source / SQLITE_FILE, Path(target.database["NAME"]), target)
    else:
        _run(
            [
                _pg_restore(),
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                target.database["NAME"],
                str(source / POSTGRESQL_FILE),
            ],
            target,
        )
    progress("Restoring the media files…")
    _media_restore(source / MEDIA, target.media_root)
    if (source / SECRET_KEY_FILE).is_file():
        _secret_key_restore(source / SECRET_KEY_FILE, target.data_dir / SECRET_KEY_FILE)
    return manifest


def _pg_restore() -> str:
    command = shutil.which("pg_restore")
    if command is None:
        raise BackupError(
            "pg_restore was not found: install the PostgreSQL client programs (of the server's "
            "major version or newer)"
        )
    return command


def _require_empty(target: Target, kind: str) -> None:
    if kind == "sqlite":
        path = Path(target.database["NAME"])
        tables = _sqlite_tables(path) if path.exists() else 0
    else:
        with connections[target.alias].cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_catalog.pg_class c "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "AND n.nspname NOT LIKE 'pg_toast%%' AND n.nspname NOT LIKE 'pg_temp%%'"
            )
            tables = cursor.fetchone()[0]
        connections[target.alias].close()
    if tables:
        raise BackupError(
            f"the database is not empty ({tables} tables): a backup is restored only into an "
            "empty database; nothing was changed"
        )
    if target.media_root.is_dir() and next(_files_under(target.media_root), None) is not None:
        raise BackupError(
            f"the media directory {target.media_root} holds files: a backup is restored only "
            "into an empty data directory; nothing was changed"
        )


def _sqlite_tables(path: Path) -> int:
    try:
        database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return int(database.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
        finally:
            database.close()
    except sqlite3.DatabaseError:
        return 1  # not a database at all: not an empty target either


def _sqlite_restore(copy: Path, path: Path, target: Target) -> None:
    connections[target.alias].close()
    path.parent.mkdir(parents=True, exist_ok=True)
    work = path.with_name(f".{path.name}.restoring-{secrets.token_hex(4)}")
    shutil.copyfile(copy, work)
    try:
        checked = sqlite3.connect(work)
        try:
            result = checked.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            checked.close()
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    if result != "ok":
        work.unlink()
        raise BackupError(f"the backup's database is damaged ({result}); nothing was changed")
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)  # of the empty database: they must not apply to this one
    os.replace(work, path)


def _media_restore(copy: Path, root: Path) -> None:
    if not copy.is_dir():
        return
    root.parent.mkdir(parents=True, exist_ok=True)
    work = root.with_name(f".{root.name}.restoring-{secrets.token_hex(4)}")
    shutil.copytree(copy, work, symlinks=True)  # none (checked); never followed
    if root.exists():
        shutil.rmtree(root)  # holds no file (checked): empty directories at most
    work.rename(root)


def _secret_key_restore(copy: Path, path: Path) -> None:
    work = path.with_name(f".{path.name}.restoring-{secrets.token_hex(4)}")
    fd = os.open(work, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(copy.read_bytes())
    os.replace(work, path)
