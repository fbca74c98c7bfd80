"""The embedded default, a SQLite file, under writers that run at the same moment.

Each test starts a Python process with the real settings (`internationale.settings.dev`, no
DATABASE_URL) on a fresh data directory, so it checks the SQLite file a server would use, whatever
database this test run itself uses. The workload reads, then writes, in one transaction, from
eight threads: with SQLite's default deferred transactions, a reader that tries to become a writer
after another commits fails at once with "database is locked" (busy_timeout does not help);
immediate transactions take the write lock at BEGIN, so writers queue instead.
"""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .environment import ROOT, clean_environment

WRITERS = """
import json, sys, threading
import django
django.setup()
from django.db import connection, transaction

if len(sys.argv) > 1:  # the control: the same writers with another transaction mode
    connection.settings_dict["OPTIONS"]["transaction_mode"] = sys.argv[1]
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_timeout = cursor.fetchone()[0]
    cursor.execute("PRAGMA foreign_keys")
    foreign_keys = cursor.fetchone()[0]
    cursor.execute("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
    cursor.execute("INSERT OR IGNORE INTO counter VALUES (1, 0)")
connection.close()

errors = []

def write(times):
    try:
        for _ in range(times):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter WHERE id = 1")
                n = cursor.fetchone()[0]
                cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
    except Exception as exc:
        errors.append(str(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=write, args=(50,)) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter WHERE id = 1")
    count = cursor.fetchone()[0]
print(json.dumps({
    "file": str(connection.settings_dict["NAME"]),
    "journal_mode": journal_mode,
    "busy_timeout": busy_timeout,
    "foreign_keys": foreign_keys,
    "count": count,
    "errors": errors,
}))
"""


def start_writers(data_dir: Path, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 -- our own script, with our own arguments
        [sys.executable, "-c", WRITERS, *arguments],
        cwd=ROOT,
        env=clean_environment(
            DJANGO_SETTINGS_MODULE="internationale.settings.dev",
            INTERNATIONALE_DATA_DIR=str(data_dir),
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def outcome_of(process: subprocess.Popen[str]) -> dict:
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    return json.loads(stdout.strip().splitlines()[-1])


def run_writers(data_dir: Path, *arguments: str) -> dict:
    return outcome_of(start_writers(data_dir, *arguments))


@pytest.fixture(scope="module")
def immediate(tmp_path_factory):
    """The writers, run once with the real settings."""
    data_dir = tmp_path_factory.mktemp("data")
    return data_dir, run_writers(data_dir)


def test_eight_writers_at_once_all_succeed_and_no_write_is_lost(immediate):
    _data_dir, outcome = immediate
    assert outcome["errors"] == []
    assert outcome["count"] == 8 * 50


def test_writers_in_several_processes_at_once_all_succeed_and_no_write_is_lost(tmp_path):
    """As the web processes of `internationale serve` and its worker write to one file."""
    processes = [start_writers(tmp_path) for _ in range(3)]
    outcomes = [outcome_of(process) for process in processes]
    assert [outcome["errors"] for outcome in outcomes] == [[], [], []]
    with sqlite3.connect(tmp_path / "internationale.sqlite3") as db:
        assert db.execute("SELECT n FROM counter WHERE id = 1").fetchone()[0] == 3 * 8 * 50


def test_the_database_is_one_file_in_wal_mode_with_a_busy_timeout(immediate):
    data_dir, outcome = immediate
    assert outcome["file"] == str(data_dir / "internationale.sqlite3")
    assert outcome["journal_mode"] == "wal"
    assert outcome["busy_timeout"] == 30000
    assert outcome["foreign_keys"] == 1
    # WAL is a property of the file: any other program that opens it finds it so.
    with sqlite3.connect(data_dir / "internationale.sqlite3") as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
