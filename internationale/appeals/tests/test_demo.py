"""The demo network holds appeals in every state, in several languages, with answers; a demo loaded
by an earlier version, before there were appeals, gets them on the next load, once."""

import io
import socket

import pytest
from django.core import mail
from django.db.models import Q
from django_tasks_db.models import DBTaskResult

from internationale import cli
from internationale.accounts.models import User
from internationale.aid.models import Contribution
from internationale.appeals.models import Appeal, Pledge, Response
from internationale.appeals.services import appeal_create
from internationale.core.models import AuditEntry
from internationale.notifications.models import EmailNotification, InboxEntry
from internationale.organizations.models import (
    Employer,
    Membership,
    Organization,
    Presence,
    Relation,
)
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory
from internationale.web.demo import APPEAL_TITLES, DEMO_PASSWORD, demo_email, load_demo

TIRUPPUR = APPEAL_TITLES["tiruppur"]
RUSTENBURG = APPEAL_TITLES["rustenburg"]
NOT_ADDED = "the demo appeals were not added"
# Every state an appeal stays in: "sending" lasts the seconds a send's task takes.
SETTLED = set(Appeal.Status.values) - {Appeal.Status.SENDING}


@pytest.fixture
def load(django_capture_on_commit_callbacks, run_tasks):
    """Load the demo as `internationale demo` does, then let the background worker run."""

    def load() -> tuple[bool, str]:
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            changed = load_demo(stdout=out)
        run_tasks()
        return changed, out.getvalue()

    return load


@pytest.fixture
def old_demo(load):
    """A demo database from a version before appeals: the demo, without its appeals and all that
    hangs off them."""
    load()
    Contribution.objects.all().delete()
    Appeal.objects.all().delete()  # its addressees, pledges, responses and updates with it
    InboxEntry.objects.filter(Q(kind__startswith="appeal.") | Q(kind__startswith="aid.")).delete()
    AuditEntry.objects.filter(
        Q(action__startswith="appeal.") | Q(action__startswith="aid.")
    ).delete()
    EmailNotification.objects.all().delete()  # only the appeals e-mailed anyone
    DBTaskResult.objects.all().delete()
    mail.outbox.clear()


def _snapshot() -> dict[str, int]:
    return {
        "appeals": Appeal.objects.count(),
        "pledges": Pledge.objects.count(),
        "responses": Response.objects.count(),
        "aid": Contribution.objects.count(),
        "inbox entries": InboxEntry.objects.count(),
        "e-mail rows": EmailNotification.objects.count(),
        "e-mails sent": len(mail.outbox),
        "tasks": DBTaskResult.objects.count(),
        "audit entries": AuditEntry.objects.count(),
    }


def test_the_demo_has_appeals_in_every_state_and_loading_twice_changes_nothing(load):
    changed, out = load()
    assert changed is True and "Demo network loaded" in out
    assert set(Appeal.objects.values_list("status", flat=True)) == SETTLED
    assert len(set(Appeal.objects.values_list("language", flat=True))) >= 4
    assert Pledge.objects.exists() and Response.objects.filter(kind="declined").exists()
    before = _snapshot()
    changed, out = load()
    assert changed is False and "nothing to add" in out
    assert _snapshot() == before


def test_a_demo_loaded_before_appeals_gets_them_on_the_next_load_once(old_demo, load, client):
    network = (Organization.objects.count(), User.objects.count(), Relation.objects.count())
    notices = set(InboxEntry.objects.values_list("pk", flat=True))

    changed, out = load()

    assert changed is True
    assert "already loaded; added the demo appeals: 5, in every state" in out
    assert set(Appeal.objects.values_list("status", flat=True)) == SETTLED
    assert (
        Pledge.objects.exists() and Contribution.objects.filter(confirmed_at__isnull=False).exists()
    )
    # The rest is left as it was: no one and nothing added, the inbox notices kept.
    assert (Organization.objects.count(), User.objects.count(), Relation.objects.count()) == (
        network
    )
    assert notices <= set(InboxEntry.objects.values_list("pk", flat=True))
    # Rahim, secretary of BGWS, finds the Tiruppur strike in his inbox, with BGWS's pledge.
    client.force_login(User.objects.get(email=demo_email("rahim")))
    assert TIRUPPUR in client.get("/inbox/bgws/").content.decode()
    tiruppur = Appeal.objects.get(title=TIRUPPUR)
    assert "Letters from our 40 factory committees." in client.get(tiruppur.url).content.decode()

    after = _snapshot()
    for _again in range(2):
        changed, out = load()
        assert changed is False
        assert "already loaded, with its appeals: nothing to add" in out
        assert _snapshot() == after


def test_appeals_written_since_do_not_pass_for_the_demo_appeals(old_demo, load):
    priya = User.objects.get(email=demo_email("priya"))
    tngwf = Organization.objects.get(slug="tngwf")
    appeal_create(
        actor=priya,
        organization=tngwf,
        title="Heat in the knitting halls of Tiruppur",
        text="Forty degrees at the machines in May.",
        language="en",
        situation="other",
        country="IN",
        asks_propaganda=True,
    )

    changed, out = load()
    assert changed is True and "added the demo appeals: 5" in out
    assert set(Appeal.objects.filter(organization=tngwf).values_list("title", flat=True)) == {
        "Heat in the knitting halls of Tiruppur",
        TIRUPPUR,
    }
    changed, out = load()
    assert changed is False and "nothing to add" in out
    assert Appeal.objects.count() == 6


def test_the_demo_appeals_come_from_the_demo_organization_when_its_slug_was_taken(load):
    # Not verified: a verified organization of its own would keep the appeals from being added.
    theirs = OrganizationFactory(
        slug="tngwf", name="Tiruppur Garment Workers' Forum", verified_at=None
    )
    load()
    Contribution.objects.all().delete()
    Appeal.objects.all().delete()

    changed, _out = load()
    assert changed is True
    issuer = Appeal.objects.get(title=TIRUPPUR).organization
    assert issuer.name == "Tamil Nadu Garment Workers' Federation" and issuer != theirs
    assert not Appeal.objects.filter(organization=theirs).exists()
    assert load()[0] is False


def test_the_demo_appeals_are_not_added_when_demo_organizations_are_gone(old_demo, load):
    Organization.objects.get(slug="tngwf").delete()
    changed, out = load()
    assert changed is False and "the demo appeals were not added" in out
    assert not Appeal.objects.exists()


def test_internationale_demo_says_it_added_the_appeals_then_that_there_is_nothing_to_add(
    old_demo, capsys
):
    assert cli.main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "added the demo appeals" in out and "solidarity-demo" in out
    count = Appeal.objects.count()
    assert cli.main(["demo"]) == 0
    assert "nothing to add" in capsys.readouterr().out
    assert Appeal.objects.count() == count == 5


# An older demo that has changed since it was loaded: the appeals need their people, with their
# roles, verified organizations and employers. Then nothing is added, the reason is said, and
# `serve --demo` goes on.
def _demote_sipho() -> None:
    Membership.objects.filter(user__email=demo_email("sipho"), organization__slug="mawusa").update(
        role="member"
    )


def _delete_austral_minerals() -> None:
    Employer.objects.get(slug="austral-minerals").delete()


def _unverify_ftth() -> None:
    Organization.objects.filter(slug="ftth").update(verified_at=None)


def _delete_sipho() -> None:
    User.objects.get(email=demo_email("sipho")).delete()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_demote_sipho, "Sipho Dlamini no longer speaks for MAWUSA"),
        (_delete_austral_minerals, "Austral Minerals is gone"),
        (_unverify_ftth, "FTTH is no longer verified"),
        (_delete_sipho, "the account of Sipho Dlamini is gone or disabled"),
    ],
)
def test_the_demo_appeals_are_not_added_when_what_they_need_has_changed(
    old_demo, load, change, reason
):
    change()
    before = {**_snapshot(), "people": User.objects.count()}

    changed, out = load()

    assert changed is False
    assert f"already loaded, but it has changed since ({reason}); {NOT_ADDED}" in out
    assert {**_snapshot(), "people": User.objects.count()} == before
    assert not Appeal.objects.exists()


def test_a_failure_while_adding_the_demo_appeals_undoes_them_all_and_is_said(old_demo, load):
    # BGWS no longer organizes at Corvina Apparel: the Tiruppur strike, already created and sent,
    # no longer reaches it, so BGWS cannot acknowledge it. Nothing of it is left.
    Presence.objects.filter(organization__slug="bgws").delete()
    before = _snapshot()

    changed, out = load()

    assert changed is False
    assert "it has changed since (creating the appeals failed: " in out and NOT_ADDED in out
    assert _snapshot() == before
    assert not Appeal.objects.filter(title=TIRUPPUR).exists()


def test_the_demo_appeals_reach_no_real_organization_that_joined_since(old_demo, load, client):
    # A real union of South African miners: the Rustenburg arrests, widened to the region, would
    # land in its inbox.
    theirs = OrganizationFactory(country="ZA", name="National Union of Rock Drillers")
    secretary = MembershipFactory(organization=theirs, role="secretary").user
    before = _snapshot()

    changed, out = load()

    assert changed is False
    assert "this server has organizations of its own now; " + NOT_ADDED in out
    assert "so that invented appeals reach no real inbox" in out
    assert _snapshot() == before
    assert not InboxEntry.objects.filter(organization=theirs).exists()
    client.force_login(secretary)
    assert RUSTENBURG not in client.get(f"/inbox/{theirs.slug}/").content.decode()


def test_completing_the_demo_does_not_bring_back_a_deleted_operator(old_demo, load, client):
    # The demo operator signs in with the published password; a server's operator deleted it. The
    # appeals do not need it, so they are added, without it.
    User.objects.get(email=demo_email("oscar")).delete()
    User.objects.get(email=demo_email("lena")).delete()
    people = User.objects.count()

    changed, out = load()

    assert changed is True and "added the demo appeals: 5" in out
    assert not User.objects.filter(email=demo_email("oscar")).exists()
    assert not User.objects.filter(email=demo_email("lena")).exists()
    assert User.objects.count() == people
    assert not User.objects.filter(is_superuser=True).exists()
    assert not client.login(email=demo_email("oscar"), password=DEMO_PASSWORD)


@pytest.fixture
def serve(monkeypatch):
    """`internationale serve --demo` up to serving: the database is up to date already, and the
    server and its worker stop at once."""

    class WebServer:
        def __init__(self, *args: object) -> None:
            pass

        def start(self) -> None:
            pass

        def wait(self) -> int:
            raise KeyboardInterrupt  # Ctrl+C at once

        def stop(self) -> None:
            pass

    class Supervisor:
        def __init__(self, *args: object) -> None:
            pass

        def start(self) -> None:
            pass

        def stop(self) -> None:
            pass

    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    monkeypatch.setattr(cli, "_listen", lambda host, port: socket.socket())
    monkeypatch.setattr(cli, "WebServer", WebServer)
    monkeypatch.setattr(cli, "WorkerSupervisor", Supervisor)
    return lambda: cli.main(["serve", "--demo", "--port", "8765"])


@pytest.mark.parametrize("change", [_demote_sipho, _delete_austral_minerals, "their own"])
def test_serve_demo_still_starts_when_the_demo_appeals_cannot_be_added(
    old_demo, serve, capsys, change
):
    if change == "their own":
        OrganizationFactory(country="ZA")
    else:
        change()

    assert serve() == 0

    out = capsys.readouterr().out
    assert NOT_ADDED in out
    assert "Internationale is running at http://127.0.0.1:8765/" in out
    assert "solidarity-demo" in out and "Stopped." in out
    assert not Appeal.objects.exists()
