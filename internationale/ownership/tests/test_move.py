"""Moving an organization: exported from one server (this test's database), imported into a fresh
one (another data directory and database, through the installed command line), where pages and
the API show the same. Refused archives change nothing and say why."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from internationale.appeals.models import Pledge, Response
from internationale.core.tests.test_cli import _console_script, _environment
from internationale.organizations.models import Relation
from internationale.ownership.models import Export
from internationale.ownership.services import export_download, export_start, export_write

from .content import LEAFLET, LOGO, build
from .moving import summary

pytestmark = pytest.mark.django_db


def exported_archive(organization, admin) -> bytes:  # type: ignore[no-untyped-def]
    export = export_start(actor=admin, organization=organization, include_emails=True)
    export_write(export.pk)
    return b"".join(export_download(actor=admin, export=Export.objects.get(pk=export.pk)))


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [*_console_script(), *args],
        env=_environment(data_dir),
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_an_organization_moves_to_a_fresh_server_and_shows_the_same(
    tmp_path, client_for, owner_org, other_org, ana, sam, mo, kim
):
    build(owner_org, other_org, ana, kim)
    archive = tmp_path / "metal-sp.zip"
    archive.write_bytes(exported_archive(owner_org, ana))
    # The new server does not know the Dockworkers nor the federation: what the Metalworkers'
    # pages show of them (their pledges and answers, the relations) cannot move with it. What
    # the new server must show is what the old one shows without them.
    Pledge.objects.exclude(organization=owner_org).delete()
    Response.objects.exclude(organization=owner_org).delete()
    Relation.objects.all().delete()
    before = summary(client_for(ana))

    target = tmp_path / "new-server"
    target.mkdir()
    assert cli(target, "manage", "migrate", "-v", "0").returncode == 0
    moved = cli(target, "org", "import-archive", str(archive), "--verified")
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.startswith("metal-sp imported: ")
    assert "rows left out: they belong with organizations this server does not know" in (
        moved.stdout
    )
    assert "2 relations wait for their partners to arrive" in moved.stdout

    shown = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "internationale.ownership.tests.moving", ana.email],
        env=_environment(target),
        cwd=target,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert shown.returncode == 0, shown.stderr
    after = json.loads(shown.stdout)
    differ = {
        part: (seen, after["summary"].get(part))
        for part, seen in before.items()
        if after["summary"].get(part) != seen
    }
    assert differ == {}, _differences(differ)
    assert after["files"] == sorted(hashlib.sha256(f).hexdigest() for f in (LOGO, LEAFLET))
    # The relations with organizations absent from the new server wait as proposals.
    assert "Korean Dockworkers" in after["ownership page"]
    assert "Global Metal Federation" in after["ownership page"]


def _differences(differ: dict) -> str:  # type: ignore[type-arg]
    """Where the two servers differ, key by key, for the failure's message."""
    lines = []

    def walk(path: str, a: object, b: object) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                walk(f"{path}.{key}", a.get(key), b.get(key))
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for n, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(f"{path}[{n}]", x, y)
        elif a != b:
            lines.append(f"{path}: {a!r} != {b!r}"[:3000])

    for part, (seen, shown) in differ.items():
        walk(part, seen, shown)
    return "\n".join(lines)
