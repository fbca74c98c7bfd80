"""`internationale backup` and `internationale restore`, run for real: servers in their own data
directories (and PostgreSQL databases), a writer committing rows while the backup is taken, the
backup restored into a fresh server."""

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
from django.db import connection

from internationale.core.tests.environment import ROOT, clean_environment
from internationale.ownership.backup import BackupError, backup_check

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import django

    django.setup()
    from internationale.organizations.models import Organization

    acknowledged, stop = Path(sys.argv[1]), Path(sys.argv[2])
    number = 0
    with acknowledged.open("a") as out:
        while not stop.exists():
            number += 1
            # Autocommit: when create() returns, the row is committed.
            Organization.objects.create(
                name=f"Writer {number}", slug=f"writer-{number}", country="KR", kind="union"
            )
            out.write(f"{number}\\n")
            out.flush()
    """
)


def _cli(env: dict[str, str], *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "internationale.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _server(data_dir: Path, database_url: str = "") -> dict[str, str]:
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="internationale.settings.dev",
        INTERNATIONALE_DATA_DIR=str(data_dir),
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _acknowledged(path: Path) -> list[int]:
    text = path.read_text() if path.exists() else ""
    return [int(line) for line in text.splitlines() if line.strip()]


def _backup_while_writing(env: dict[str, str], tmp_path: Path, destination: Path) -> list[int]:
    """Start a writer, take the backup once it has committed rows, and return the rows it had
    acknowledged before the backup began."""
    acknowledged, stop = tmp_path / "acknowledged", tmp_path / "stop"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    writer = subprocess.Popen(  # noqa: S603
        [sys.executable, str(script), str(acknowledged), str(stop)], env=env, cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 60
        while len(_acknowledged(acknowledged)) < 20:
            assert writer.poll() is None, "the writer stopped"
            assert time.monotonic() < deadline, "the writer wrote nothing"
            time.sleep(0.1)
        before = _acknowledged(acknowledged)
        backup = _cli(env, "backup", str(destination))
        during = _acknowledged(acknowledged)
    finally:
        stop.touch()
        writer.wait(30)
    assert backup.returncode == 0, backup.stderr
    assert "Backup written to" in backup.stdout
    assert writer.returncode == 0
    assert len(during) > len(before), "the writer went on writing while the backup was taken"
    return before


def _writer_rows(rows: list[tuple[str]]) -> list[int]:
    return sorted(int(slug.removeprefix("writer-")) for (slug,) in rows)


def _migrate(env: dict[str, str]) -> None:
    migrate = _cli(env, "manage", "migrate", "-v", "0", timeout=300)
    assert migrate.returncode == 0, migrate.stderr


@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A server on SQLite with a logo, backed up while a writer commits organizations."""
    tmp_path = tmp_path_factory.mktemp("sqlite-backup")
    source = tmp_path / "source"
    env = _server(source)
    _migrate(env)
    (source / "media" / "logos").mkdir(parents=True)
    (source / "media" / "logos" / "dockers.png").write_bytes(b"\x89PNG logo of the dockers")
    destination = tmp_path / "backup"
    before = _backup_while_writing(env, tmp_path, destination)
    yield {"path": destination, "acknowledged": before, "tmp": tmp_path, "source": source}


def test_a_backup_taken_during_writes_restores_every_acknowledged_row(sqlite_backup):
    target = sqlite_backup["tmp"] / "restored"
    restored = _cli(_server(target), "restore", str(sqlite_backup["path"]))
    assert restored.returncode == 0, restored.stderr
    assert "Restored the backup" in restored.stdout
    with sqlite3.connect(target / "internationale.sqlite3") as database:
        rows = database.execute(
            "SELECT slug FROM organizations_organization WHERE slug LIKE 'writer-%'"
        ).fetchall()
    found = _writer_rows(rows)
    # Every row acknowledged before the backup began, and a consistent snapshot: the writer
    # commits one row after another, so the backup holds rows 1 to n with none missing.
    assert set(sqlite_backup["acknowledged"]) <= set(found)
    assert found == list(range(1, len(found) + 1))
    assert (target / "media" / "logos" / "dockers.png").read_bytes() == (
        b"\x89PNG logo of the dockers"
    )
    assert (target / "secret_key").read_text() == (
        sqlite_backup["source"] / "secret_key"
    ).read_text()
    # The restored server works: a command reads and writes its database.
    added = _cli(
        _server(target),
        "org",
        "add",
        "--name",
        "Dockers of Busan",
        "--country",
        "KR",
        "--kind",
        "union",
    )
    assert (added.returncode, added.stdout) == (0, "dockers-of-busan\n"), added.stderr


def test_the_manifest_lists_every_file_with_its_checksum_and_the_migrations(sqlite_backup):
    manifest = json.loads((sqlite_backup["path"] / "manifest.json").read_text())
    assert (manifest["format"], manifest["version"]) == ("internationale-backup", 1)
    assert manifest["database"] == {"kind": "sqlite", "file": "database.sqlite3"}
    assert set(manifest["files"]) == {"database.sqlite3", "media/logos/dockers.png", "secret_key"}
    assert len(manifest["files"]["media/logos/dockers.png"]["sha256"]) == 64
    assert "0001_initial" in manifest["migrations"]["organizations"]
    assert manifest["created_at"].startswith("20")
    assert backup_check(sqlite_backup["path"]) == manifest


def test_restore_refuses_a_target_that_is_not_empty_and_changes_nothing(sqlite_backup):
    # The source server itself: its database has tables and rows.
    env = _server(sqlite_backup["source"])
    with sqlite3.connect(sqlite_backup["source"] / "internationale.sqlite3") as database:
        count = database.execute("SELECT count(*) FROM organizations_organization").fetchone()
    refused = _cli(env, "restore", str(sqlite_backup["path"]))
    assert refused.returncode == 1
    assert "the database is not empty" in refused.stderr
    assert "nothing was changed" in refused.stderr
    assert "Traceback" not in refused.stderr
    with sqlite3.connect(sqlite_backup["source"] / "internationale.sqlite3") as database:
        assert (
            database.execute("SELECT count(*) FROM organizations_organization").fetchone() == count
        )


def test_restore_refuses_a_media_directory_with_files(sqlite_backup):
    target = sqlite_backup["tmp"] / "media-not-empty"
    (target / "media").mkdir(parents=True)
    (target / "media" / "left-over.txt").write_text("someone's file")
    refused = _cli(_server(target), "restore", str(sqlite_backup["path"]))
    assert refused.returncode == 1
    assert "holds files" in refused.stderr
    assert not (target / "internationale.sqlite3").exists() or _tables(target) == 0
    assert [p.name for p in (target / "media").iterdir()] == ["left-over.txt"]


def _tables(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "internationale.sqlite3") as database:
        return database.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]


def _copy(backup: Path, to: Path) -> Path:
    import shutil

    shutil.copytree(backup, to)
    return to


def test_a_damaged_backup_is_refused_before_anything_is_written(sqlite_backup):
    damaged = _copy(sqlite_backup["path"], sqlite_backup["tmp"] / "damaged")
    with (damaged / "database.sqlite3").open("r+b") as database:
        database.seek(5000)
        database.write(b"\0\1\2\3")
    target = sqlite_backup["tmp"] / "damaged-target"
    refused = _cli(_server(target), "restore", str(damaged))
    assert refused.returncode == 1
    assert "database.sqlite3 is damaged: its checksum is not the one in manifest.json" in (
        refused.stderr
    )
    assert not (target / "internationale.sqlite3").exists() or _tables(target) == 0
    assert not (target / "media").exists()


def _rewrite(backup: Path, change: Any) -> None:
    manifest = json.loads((backup / "manifest.json").read_text())
    change(manifest)
    (backup / "manifest.json").write_text(json.dumps(manifest))


def _set(key: str, value: Any) -> Any:
    return lambda manifest: manifest.__setitem__(key, value)


def _add_file(name: str) -> Any:
    return lambda manifest: manifest["files"].__setitem__(name, {"size": 1, "sha256": "0" * 64})


def _add_migration(manifest: dict[str, Any]) -> None:
    manifest["migrations"]["organizations"].append("9999_from_the_future")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _set("version", 2),
            "the backup's format version is 2; this version of Internationale reads version 1",
        ),
        (_set("format", "something-else"), "is not the manifest of an Internationale backup"),
        (_add_file("../../etc/passwd"), "names a path outside the backup: ../../etc/passwd"),
        (_add_file("/etc/passwd"), "names a path outside the backup: /etc/passwd"),
        (
            _add_file("media/logos/missing.png"),
            "media/logos/missing.png is missing from the backup",
        ),
        (_add_migration, "taken by a newer version of Internationale"),
        (
            lambda manifest: manifest["database"].__setitem__("kind", "postgresql"),
            "this is a backup of a PostgreSQL database and this server uses SQLite",
        ),
    ],
)
def test_a_backup_with_a_bad_manifest_is_refused_with_a_clear_error(
    sqlite_backup, tmp_path, change, message
):
    backup = _copy(sqlite_backup["path"], tmp_path / "backup")
    _rewrite(backup, change)
    with pytest.raises(BackupError) as refused:
        backup_check(backup, kind="sqlite")
    assert message in str(refused.value)


def test_a_file_not_in_the_manifest_or_no_manifest_is_refused(sqlite_backup, tmp_path):
    backup = _copy(sqlite_backup["path"], tmp_path / "backup")
    (backup / "media" / "logos" / "slipped-in.png").write_bytes(b"?")
    with pytest.raises(
        BackupError, match="media/logos/slipped-in.png is in the backup but not in manifest.json"
    ):
        backup_check(backup)
    (backup / "manifest.json").unlink()
    with pytest.raises(BackupError, match="holds no manifest.json"):
        backup_check(backup)
    (backup / "manifest.json").write_text("{not json")
    with pytest.raises(BackupError, match="manifest.json is damaged: it is not JSON"):
        backup_check(backup)


def test_backup_refuses_a_destination_that_is_not_empty(sqlite_backup):
    refused = _cli(_server(sqlite_backup["source"]), "backup", str(sqlite_backup["path"]))
    assert refused.returncode == 1
    assert "exists and is not an empty directory" in refused.stderr
    assert backup_check(sqlite_backup["path"])  # untouched


# PostgreSQL --------------------------------------------------------------------------------------


def _postgresql() -> dict[str, Any]:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL: run with DATABASE_URL=postgres://…")
    return connection.settings_dict


def _admin(settings: dict[str, Any], statement: str) -> None:
    import psycopg

    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(statement)  # type: ignore[arg-type]


def _url(settings: dict[str, Any], name: str) -> str:
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{name}"
    )


def test_postgresql_a_backup_taken_during_writes_restores_every_acknowledged_row(db, tmp_path):
    settings = _postgresql()
    # Beside the test database, named after it, so that runs side by side do not collide.
    source_name, restore_name = f"{settings['NAME']}_source", f"{settings['NAME']}_restore"
    for name in (source_name, restore_name):
        _admin(settings, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin(settings, f'CREATE DATABASE "{name}"')
    try:
        env = _server(tmp_path / "source", _url(settings, source_name))
        _migrate(env)
        (tmp_path / "source" / "media" / "library").mkdir(parents=True)
        (tmp_path / "source" / "media" / "library" / "report.pdf").write_bytes(b"%PDF report")
        destination = tmp_path / "backup"
        before = _backup_while_writing(env, tmp_path, destination)
        manifest = json.loads((destination / "manifest.json").read_text())
        assert manifest["database"] == {"kind": "postgresql", "file": "database.pgdump"}

        target = _server(tmp_path / "restored", _url(settings, restore_name))
        restored = _cli(target, "restore", str(destination))
        assert restored.returncode == 0, restored.stderr
        import psycopg

        parsed = dj_database_url.parse(_url(settings, restore_name))
        with psycopg.connect(
            host=parsed["HOST"], port=parsed["PORT"], user=parsed["USER"], dbname=restore_name
        ) as restored_db:
            rows = restored_db.execute(
                "SELECT slug FROM organizations_organization WHERE slug LIKE 'writer-%'"
            ).fetchall()
        found = _writer_rows(rows)
        assert set(before) <= set(found)
        assert found == list(range(1, len(found) + 1))
        assert (
            tmp_path / "restored" / "media" / "library" / "report.pdf"
        ).read_bytes() == b"%PDF report"

        again = _cli(target, "restore", str(destination))
        assert again.returncode == 1
        assert "the database is not empty" in again.stderr
    finally:
        for name in (source_name, restore_name):
            _admin(settings, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_folder_that_leads_outside_the_backup_is_refused(sqlite_backup, tmp_path):
    backup = _copy(sqlite_backup["path"], tmp_path / "backup")
    outside = tmp_path / "outside"
    (backup / "media").rename(outside)
    (backup / "media").symlink_to(outside)
    with pytest.raises(
        BackupError, match="names a path outside the backup: media/logos/dockers.png"
    ):
        backup_check(backup)


def test_the_commands_explain_themselves_without_a_database(capsys):
    from internationale import cli

    for command in ("backup", "restore"):
        assert cli.main([command, "--help"]) == 0
        out = capsys.readouterr().out
        assert "manifest" in out and "empty" in out
    assert cli.main(["restore"]) == 2  # SRC is missing


@pytest.mark.parametrize("kind", ["directory", "file"])
def test_a_symbolic_link_slipped_into_a_backup_is_refused_and_nothing_is_restored(
    sqlite_backup, tmp_path, kind
):
    """Whoever can write to the backups' storage must not make a restore copy a file of the
    machine into the public media (a logo anyone may download)."""
    backup = _copy(sqlite_backup["path"], tmp_path / "backup")
    secret = tmp_path / "secrets"
    secret.mkdir()
    (secret / "server.key").write_text("the other server's key")
    if kind == "directory":
        (backup / "media" / "loot").symlink_to(secret, target_is_directory=True)
        named = "media/loot"
    else:
        (backup / "media" / "logos" / "stolen.png").symlink_to(secret / "server.key")
        named = "media/logos/stolen.png"
    target = tmp_path / "fresh"
    refused = _cli(_server(target), "restore", str(backup))
    assert refused.returncode == 1, refused.stdout
    assert f"{named} is a symbolic link" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (target / "media").exists() or not any((target / "media").rglob("*"))
    assert not (target / "internationale.sqlite3").exists() or _tables(target) == 0
