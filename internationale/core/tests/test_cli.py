"""The `internationale` command, run for real: in this process against the test database, and as
the installed console script in a subprocess with its own data directory."""

import io
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from internationale import cli
from internationale.accounts.models import User
from internationale.accounts.services import token_authenticate
from internationale.accounts.tests.factories import UserFactory
from internationale.core.models import AuditEntry
from internationale.organizations.models import Invitation, Membership, Organization

HEADER = "name,short_name,country,kind,languages,sectors,city,website,verified\n"


def run(capsys, *args, stdin=None, monkeypatch=None):  # type: ignore[no-untyped-def]
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_parser_knows_the_kinds_and_roles_of_the_models():
    assert set(cli.KINDS) == set(Organization.Kind.values)
    assert set(cli.ROLES) == set(Membership.Role.values)


def test_help_describes_every_command(capsys):
    status, out, _err = run(capsys, "--help")
    assert status == 0
    for command in ("serve", "web", "worker", "demo", "org", "user", "token", "manage"):
        assert command in out
    status, out, _err = run(capsys, "org", "import", "--help")
    assert status == 0
    assert "name,short_name,country,kind,languages,sectors,city,website,verified" in out


# org add -----------------------------------------------------------------------------------------


def test_the_web_processes_and_threads_come_from_the_options_or_the_environment(
    monkeypatch, capsys
):
    monkeypatch.setenv("WEB_PROCESSES", "3")
    monkeypatch.setenv("WEB_THREADS", "4")
    args = cli.build_parser().parse_args(["serve"])
    assert (args.web_processes, args.threads) == (3, 4)
    args = cli.build_parser().parse_args(["web", "--processes", "5", "--threads", "2"])
    assert (args.processes, args.threads) == (5, 2)

    monkeypatch.setenv("WEB_PROCESSES", "many")
    assert cli.main(["serve"]) == 2
    assert "--web-processes: 'many' is not a positive whole number" in capsys.readouterr().err


def test_org_add_prints_only_the_new_slug(db, capsys):
    status, out, err = run(
        capsys,
        "org",
        "add",
        "--name",
        "Korean Dockworkers",
        "--short-name",
        "KDW",
        "--country",
        "kr",
        "--kind",
        "union",
        "--language",
        "ko",
        "en",
        "--sector",
        "H",
        "--verified",
    )
    assert (status, out, err) == (0, "kdw\n", "")
    org = Organization.objects.get(slug="kdw")
    assert org.country == "KR" and org.is_verified
    assert list(org.languages.values_list("tag", flat=True)) == ["ko", "en"]
    assert list(org.sectors.values_list("code", flat=True)) == ["H"]
    assert not org.memberships.exists()


@pytest.mark.parametrize(
    ("option", "value", "status", "message"),
    [
        ("--country", "XX", 1, "country: “XX” is not an ISO 3166-1 alpha-2 country code"),
        ("--kind", "club", 2, "invalid choice: 'club'"),
        ("--language", "!!", 1, "languages: “!!” is not a valid BCP 47 language tag"),
        ("--sector", "Z", 1, "sectors: “Z” is not an ISIC Rev.4 section"),
        ("--website", "not a url", 1, "website: Enter a valid URL"),
    ],
)
def test_org_add_rejects_bad_input_and_changes_nothing(db, capsys, option, value, status, message):
    options = {"--name": "Dockers", "--country": "BR", "--kind": "union", option: value}
    args = ["org", "add", *[part for pair in options.items() for part in pair]]
    got, out, err = run(capsys, *args)
    assert got == status
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    assert not Organization.objects.exists()


def test_usage_errors_exit_with_status_2(db, capsys):
    assert run(capsys)[0] == 2
    assert run(capsys, "org")[0] == 2
    assert run(capsys, "org", "add", "--name", "No country", "--kind", "union")[0] == 2
    status, _out, err = run(capsys, "user", "add", "--email", "a@example.org", "--org", "x")
    assert status == 2
    assert "--org and --role go together" in err


# org import --------------------------------------------------------------------------------------


def test_org_import_imports_every_row_in_one_go(db, capsys, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(
        HEADER + "Korean Logistics Workers' Union,KLWU,KR,union,ko en,H,Busan,"
        "https://klwu.example,yes\n"
        'Frente de Trabajadoras,,mx,movement,"es; en",C;H,Ciudad Juárez,,no\n'
        "\n"
        "Nordic Solidarity Fund,,SE,other,,,,,\n",
        encoding="utf-8",
    )
    status, out, err = run(capsys, "org", "import", str(path))
    assert (status, err) == (0, "")
    assert out == "Imported 3 organization(s).\n"
    klwu = Organization.objects.get(slug="klwu")
    assert klwu.is_verified and klwu.city == "Busan"
    frente = Organization.objects.get(name="Frente de Trabajadoras")
    assert frente.country == "MX" and not frente.is_verified
    assert sorted(frente.languages.values_list("tag", flat=True)) == ["en", "es"]
    assert sorted(frente.sectors.values_list("code", flat=True)) == ["C", "H"]


def test_org_import_rejects_the_whole_file_and_reports_every_problem(db, capsys, tmp_path):
    Organization.objects.create(name="Already Here", slug="already", country="NG", kind="union")
    path = tmp_path / "orgs.csv"
    path.write_text(
        "name,country,kind,languages,sectors,verified,website\n"
        "Good One,BR,union,pt-BR,C,yes,\n"  # row 2
        "Bad Country,XX,union,en,,,\n"  # row 3
        ",FR,club,??,Z,maybe,notaurl\n"  # row 4
        "Good One,BR,union,,,,\n"  # row 5: repeats row 2
        "Already Here,NG,union,,,,\n",  # row 6: registered before
        encoding="utf-8",
    )
    status, out, err = run(capsys, "org", "import", str(path))
    assert status == 1
    assert out == ""
    lines = err.splitlines()
    assert (
        "row 3, country: “XX” is not an ISO 3166-1 alpha-2 country code (such as BR, KR, NG)."
        in lines
    )
    for expected in [
        "row 4, kind: “club” is not a kind of organization",
        "row 4, languages: “??” is not a valid BCP 47 language tag",
        "row 4, sectors: “Z” is not an ISIC Rev.4 section",
        "row 4, verified: “maybe” is neither yes nor no",
        "row 4, name: This field cannot be blank",
        "row 4, website: Enter a valid URL",
        "row 5, name: the same organization is on row 2",
        "row 6, name: “Already Here” in NG is already registered",
    ]:
        assert any(line.startswith(expected) for line in lines), expected
    assert not any(line.startswith("row 2") for line in lines)
    assert lines[-1].startswith("4 of 5 row(s) rejected; nothing was imported")
    assert list(Organization.objects.values_list("slug", flat=True)) == ["already"]


def test_org_import_checks_the_columns_and_the_file(db, capsys, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("name,colour\nDockers,red\n", encoding="utf-8")
    status, _out, err = run(capsys, "org", "import", str(path))
    assert status == 1
    assert "missing column(s): country, kind; unknown column(s): colour" in err
    status, _out, err = run(capsys, "org", "import", str(tmp_path / "missing.csv"))
    assert status == 2
    assert "cannot read" in err and "No such file" in err
    assert not Organization.objects.exists()


def test_org_import_reads_stdin_and_shows_progress(db, capsys, monkeypatch):
    monkeypatch.setattr(cli, "PROGRESS_EVERY", 2)
    rows = "".join(f"Union {n},,BR,union,pt-BR,,,,\n" for n in range(5))
    status, out, err = run(
        capsys, "org", "import", "-", stdin=HEADER + rows, monkeypatch=monkeypatch
    )
    assert status == 0, err
    assert out == "Imported 5 organization(s).\n"
    assert "checked 2 of 5 rows…" in err and "imported 4 of 5…" in err
    assert Organization.objects.count() == 5


# user add and token create -----------------------------------------------------------------------


@pytest.fixture
def docks(db):
    return Organization.objects.create(name="Dockers", slug="docks", country="KR", kind="union")


# org unverify ------------------------------------------------------------------------------------


def test_org_unverify_withdraws_the_verification_and_audits_it(db, capsys):
    docks = Organization.objects.create(
        name="Dockers", slug="docks", country="KR", kind="union", verified_at=timezone.now()
    )
    status, out, err = run(capsys, "org", "unverify", "docks")
    assert (status, out, err) == (0, "docks is no longer verified.\n", "")
    docks.refresh_from_db()
    assert docks.verified_at is None
    entry = AuditEntry.objects.get(organization=docks)
    assert (entry.action, entry.actor) == ("organization.unverify", None)


def test_org_unverify_of_an_unverified_organization_changes_nothing(docks, capsys):
    status, out, _err = run(capsys, "org", "unverify", "docks")
    assert (status, out) == (0, "docks is not verified; nothing was changed.\n")
    assert not AuditEntry.objects.filter(organization=docks).exists()


def test_org_unverify_refuses_an_unknown_slug(db, capsys):
    status, out, err = run(capsys, "org", "unverify", "nowhere")
    assert (status, out) == (1, "")
    assert "no organization with the slug “nowhere”" in err


def test_user_add_reads_the_password_from_stdin_and_the_person_can_sign_in(
    docks, capsys, monkeypatch, client
):
    status, out, err = run(
        capsys,
        "user",
        "add",
        "--email",
        "Kim@Docks.example",
        "--org",
        "docks",
        "--role",
        "secretary",
        "--name",
        "Kim",
        stdin="harbour-lights-1987\n",
        monkeypatch=monkeypatch,
    )
    assert (status, err) == (0, "")
    assert "kim@docks.example is now secretary of docks" in out
    user = User.objects.get(email="kim@docks.example")
    assert user.name == "Kim" and not user.is_staff
    assert Membership.objects.get(user=user, organization=docks).role == "secretary"
    assert client.login(email="kim@docks.example", password="harbour-lights-1987")


def test_user_add_asks_twice_at_a_terminal(docks, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["harbour-lights-1987", "harbour-lights-1988"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(answers))
    status, _out, err = run(
        capsys, "user", "add", "--email", "kim@docks.example", "--org", "docks", "--role", "member"
    )
    assert status == 1
    assert "the two passwords differ" in err
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [("", "no password on standard input"), ("short", "This password is too short")],
)
def test_user_add_refuses_a_missing_or_weak_password(docks, capsys, monkeypatch, password, message):
    status, _out, err = run(
        capsys,
        *["user", "add", "--email", "kim@docks.example", "--org", "docks", "--role", "member"],
        stdin=password + "\n",
        monkeypatch=monkeypatch,
    )
    assert status == 1
    assert message in err
    assert not User.objects.exists()


def test_user_add_for_an_existing_person_only_adds_the_membership(docks, capsys):
    kim = UserFactory(email="kim@docks.example")
    password = kim.password
    status, out, err = run(
        capsys, "user", "add", "--email", "KIM@docks.example", "--org", "docks", "--role", "admin"
    )
    assert status == 0
    assert "already has an account" in err
    assert Membership.objects.get(user=kim, organization=docks).role == "admin"
    kim.refresh_from_db()
    assert kim.password == password
    status, _out, err = run(
        capsys, "user", "add", "--email", "kim@docks.example", "--org", "docks", "--role", "member"
    )
    assert status == 1
    assert "already a member" in err


def test_user_add_with_invite_sends_an_invitation_through_the_worker(
    docks, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        status, out, err = run(
            capsys,
            *["user", "add", "--email", "kim@docks.example", "--org", "docks", "--role", "member"],
            "--invite",
        )
    assert (status, err) == (0, "")
    invitation = Invitation.objects.get(email="kim@docks.example")
    assert (invitation.organization, invitation.role, invitation.invited_by) == (
        docks,
        "member",
        None,
    )
    link = re.search(r"https?://\S+/invitations/\S+/", out)
    assert link
    assert not User.objects.exists()

    status, out, _err = run(capsys, "worker", "--batch")
    assert (status, out) == (0, "Ran 1 task(s).\n")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kim@docks.example"]
    assert link.group(0) in mail.outbox[0].body


def test_user_add_makes_a_server_operator(db, capsys, monkeypatch):
    status, out, _err = run(
        capsys,
        *["user", "add", "--email", "oscar@example.org", "--operator"],
        stdin="keeps-the-server-up\n",
        monkeypatch=monkeypatch,
    )
    assert status == 0
    assert "server operator" in out
    oscar = User.objects.get(email="oscar@example.org")
    assert oscar.is_staff and oscar.is_superuser
    entry = AuditEntry.objects.for_target(oscar).get()
    assert (entry.action, entry.actor, entry.system) == ("user.operator", None, "cli")


def test_token_create_prints_a_token_that_authenticates(docks, capsys):
    kim = UserFactory(email="kim@docks.example")
    Membership.objects.create(user=kim, organization=docks, role="secretary")
    status, out, err = run(
        capsys, "token", "create", "--email", "kim@docks.example", "--org", "docks", "--name", "ci"
    )
    assert (status, err) == (0, "")
    token = token_authenticate(out.strip())
    assert token is not None
    assert (token.user, token.organization, token.name) == (kim, docks, "ci")


def test_token_create_refuses_someone_outside_the_organization(docks, capsys):
    UserFactory(email="nell@example.org")
    for email, org, message in [
        ("nell@example.org", "docks", "is not a member of Dockers"),
        ("nobody@example.org", "docks", "no person with the e-mail address"),
        ("nell@example.org", "nowhere", "no organization with the slug “nowhere”"),
    ]:
        status, out, err = run(capsys, "token", "create", "--email", email, "--org", org)
        assert (status, out) == (1, "")
        assert message in err


def test_demo_twice_says_the_second_time_changes_nothing(db, capsys):
    status, out, _err = run(capsys, "demo")
    assert status == 0
    assert "Demo network loaded" in out and "solidarity-demo" in out
    count = Organization.objects.count()
    status, out, _err = run(capsys, "demo")
    assert status == 0
    assert "already loaded, with its appeals: nothing to add" in out
    assert Organization.objects.count() == count


# The installed console script, in a subprocess with its own data directory --------------------


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("internationale")
    return [str(script)] if script.exists() else [sys.executable, "-m", "internationale.cli"]


def _environment(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SITE_URL", "SECRET_KEY"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="internationale.settings.dev",
        INTERNATIONALE_DATA_DIR=str(data_dir),
        PYTHONUNBUFFERED="1",
    )
    return env


def test_the_console_script_registers_an_organization(tmp_path):
    env = _environment(tmp_path)
    command = _console_script()
    too_early = subprocess.run(  # noqa: S603
        [*command, "org", "unverify", "nobody"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert too_early.returncode == 1
    assert "the database is not up to date: run 'internationale manage migrate'" in (
        too_early.stderr
    )
    assert "Traceback" not in too_early.stderr
    migrate = subprocess.run(  # noqa: S603
        [*command, "manage", "migrate", "-v", "0"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr
    added = subprocess.run(  # noqa: S603
        [
            *command,
            "org",
            "add",
            "--name",
            "Dockers of Busan",
            "--country",
            "KR",
            "--kind",
            "union",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (added.returncode, added.stdout, added.stderr) == (0, "dockers-of-busan\n", "")
    with sqlite3.connect(tmp_path / "internationale.sqlite3") as db:
        assert db.execute("select slug, country from organizations_organization").fetchall() == [
            ("dockers-of-busan", "KR")
        ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _heartbeats(path: Path) -> list[tuple[str, int]]:
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute("select worker_id, pid from core_workerheartbeat").fetchall()
    except sqlite3.OperationalError:  # not migrated yet
        return []


def _wait_for(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local test server
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def test_serve_runs_the_web_and_a_worker_and_stops_both(tmp_path):
    port = _free_port()
    log = tmp_path / "serve.log"
    database = tmp_path / "internationale.sqlite3"
    with open(log, "wb") as output:
        server = subprocess.Popen(  # noqa: S603
            [*_console_script(), "serve", "--demo", "--port", str(port)],
            env=_environment(tmp_path),
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        up = _wait_for(lambda: _answers(f"http://127.0.0.1:{port}/"), timeout=60)
        assert up, log.read_text()
        assert _wait_for(lambda: bool(_heartbeats(database)), timeout=30), log.read_text()
        text = log.read_text()
        assert f"http://127.0.0.1:{port}/" in text
        assert "solidarity-demo" in text  # the demo network was loaded on this first start
        assert "WARNING" not in text  # on loopback only: no warning about the demo accounts
        worker_pid = int(re.search(r"Background worker started \(pid (\d+)\)", text).group(1))
        assert _heartbeats(database)[0][1] == worker_pid

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    text = log.read_text()
    assert "Background worker stopped." in text and "Traceback" not in text
    assert _heartbeats(database) == []  # the worker stopped cleanly, its heartbeat gone
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)


def _state(pid: int) -> str:
    """The process's state letter (R, S, Z, ...), or "" once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat[stat.rindex(")") + 2]


def _alive(pid: int) -> bool:
    return _state(pid) not in ("", "Z", "X")  # a zombie has stopped; only its parent is late


def _children(pid: int) -> set[int]:
    children = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid and _alive(int(entry.name)):
                children.add(int(entry.name))
    return children


def _process_answering(port: int) -> int | None:
    """The id of the web process that answers one request on a new connection."""
    try:
        url = f"http://127.0.0.1:{port}/test/process/"
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local test server
            return int(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return None


def _serve_with_two_web_processes(tmp_path: Path, log: Path, port: int) -> subprocess.Popen:
    env = _environment(tmp_path) | {
        "DJANGO_SETTINGS_MODULE": "internationale.core.tests.serve_settings"
    }
    with open(log, "ab") as output:
        return subprocess.Popen(  # noqa: S603
            [*_console_script(), "serve", "--port", str(port), "--web-processes", "2"],
            env=env,
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def test_serve_answers_from_every_web_process_and_leaves_none_behind(tmp_path):
    log = tmp_path / "serve.log"
    port = _free_port()
    server = _serve_with_two_web_processes(tmp_path, log, port)
    try:
        assert _wait_for(lambda: _process_answering(port), timeout=90), log.read_text()
        text = log.read_text()
        assert "2 web process(es) of 8 threads each" in text
        web = int(re.search(r"Web server started \(pid (\d+)\)", text).group(1))
        worker = int(re.search(r"Background worker started \(pid (\d+)\)", text).group(1))
        assert _children(server.pid) == {web, worker}
        assert _wait_for(lambda: len(_children(web)) == 2, timeout=30)
        web_processes = _children(web)
        answered = set()
        for _ in range(400):  # each on a new connection, taken by whichever process is free
            answered.add(_process_answering(port))
            if answered == web_processes:
                break
        assert answered == web_processes

        server.send_signal(signal.SIGINT)  # Ctrl+C
        # Each process finishes what it has under way first: on a machine loaded by the rest of
        # the suite that took over a minute twice (a guard, not a measure of speed).
        assert server.wait(timeout=180) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    text = log.read_text()
    assert "Web server stopped." in text and "Background worker stopped." in text
    assert "Traceback" not in text
    assert not any(_alive(pid) for pid in {web, worker, *web_processes})
    assert _process_answering(port) is None

    # Killed outright, `serve` cannot stop them: they notice they are orphans and stop.
    server = _serve_with_two_web_processes(tmp_path, log, port)
    try:
        assert _wait_for(lambda: _process_answering(port), timeout=60), log.read_text()
        text = log.read_text()
        web = int(re.findall(r"Web server started \(pid (\d+)\)", text)[-1])
        worker = int(re.findall(r"Background worker started \(pid (\d+)\)", text)[-1])
        assert _wait_for(lambda: len(_children(web)) == 2, timeout=30)
        family = {web, worker, *_children(web)}
        server.kill()
        server.wait()
        assert _wait_for(lambda: not any(_alive(pid) for pid in family), timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_serve_started_with_ctrl_c_ignored_still_stops_on_it(tmp_path):
    """A script that starts `serve &` hands it SIGINT ignored; Ctrl+C (SIGINT) still stops it."""
    log = tmp_path / "serve.log"
    port = _free_port()
    env = _environment(tmp_path) | {
        "DJANGO_SETTINGS_MODULE": "internationale.core.tests.serve_settings"
    }
    with open(log, "ab") as output:
        server = subprocess.Popen(  # noqa: S603
            [*_console_script(), "serve", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # noqa: PLW1509
        )
    try:
        assert _wait_for(lambda: _process_answering(port), timeout=90), log.read_text()
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=60) == 0, log.read_text()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert "Stopped." in log.read_text()
