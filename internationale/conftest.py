"""Shared personas. Named people over two verified organizations and an unverified one:

- Ana, admin of the Brazilian metalworkers (the owning organization); Sam its secretary; Mo a member;
  Olu an observer.
- Kim, secretary of the Korean dockworkers (another organization); Kai its admin; Kit its member.
- Uma, member of an unverified organization; Nell, signed in but in no organization;
- Oscar, a server operator; and the anonymous visitor.
"""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import translation

from internationale.accounts.tests.factories import PASSWORD, UserFactory
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture
def owner_org(db):
    return OrganizationFactory(
        name="Metalworkers of São Paulo", slug="metal-sp", country="BR", languages=["pt-BR"]
    )


@pytest.fixture
def other_org(db):
    return OrganizationFactory(
        name="Korean Dockworkers", slug="docks-kr", country="KR", languages=["ko", "en"]
    )


@pytest.fixture
def unverified_org(db):
    return OrganizationFactory(
        name="New Riders Union", slug="riders-new", country="FR", verified_at=None
    )


def _member(org, role, email):  # type: ignore[no-untyped-def]
    return MembershipFactory(organization=org, role=role, user=UserFactory(email=email)).user


@pytest.fixture
def ana(owner_org):
    return _member(owner_org, Membership.Role.ADMIN, "ana@metal.example")


@pytest.fixture
def sam(owner_org):
    return _member(owner_org, Membership.Role.SECRETARY, "sam@metal.example")


@pytest.fixture
def mo(owner_org):
    return _member(owner_org, Membership.Role.MEMBER, "mo@metal.example")


@pytest.fixture
def olu(owner_org):
    return _member(owner_org, Membership.Role.OBSERVER, "olu@metal.example")


@pytest.fixture
def kim(other_org):
    return _member(other_org, Membership.Role.SECRETARY, "kim@docks.example")


@pytest.fixture
def kai(other_org):
    return _member(other_org, Membership.Role.ADMIN, "kai@docks.example")


@pytest.fixture
def kit(other_org):
    return _member(other_org, Membership.Role.MEMBER, "kit@docks.example")


@pytest.fixture
def uma(unverified_org):
    return _member(unverified_org, Membership.Role.ADMIN, "uma@riders.example")


@pytest.fixture
def nell(db):
    return UserFactory(email="nell@example.org")


@pytest.fixture
def oscar(db):
    return UserFactory(email="oscar@operators.example", is_staff=True)


@pytest.fixture
def client_for():
    """A real HTTP client signed in as the given person (or anonymous for None)."""

    def make(user=None):  # type: ignore[no-untyped-def]
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def run_tasks(db):
    """Run every queued background task through the real database worker, as production does."""
    from internationale.core.worker import run_pending_tasks

    return run_pending_tasks


@pytest.fixture
def work_off(run_tasks, django_capture_on_commit_callbacks):
    """Run queued tasks, and the tasks they queue on commit, until nothing is left. Fails if a
    task failed: the worker records failures instead of raising them."""
    from django_tasks_db.models import DBTaskResult

    def work_off() -> int:
        total = 0
        while True:
            with django_capture_on_commit_callbacks(execute=True):
                ran = run_tasks()
            total += ran
            if not ran:
                break
        failed = DBTaskResult.objects.filter(status="FAILED")
        assert not failed.exists(), [r.traceback for r in failed]
        return total

    return work_off


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _server_language():
    """Each test starts in the server's language: a request as a person who reads Spanish leaves
    Spanish active in the thread, as it would in a web server's thread until its next request."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


__all__ = ["PASSWORD"]


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """Say plainly, at the very end, which checks did not run for want of a tool, and how to get
    it."""
    skipped = terminalreporter.stats.get("skipped", [])
    browser = [r for r in skipped if "browser" in r.keywords]
    html = [r for r in skipped if "html_check" in r.keywords]
    if browser:
        terminalreporter.write_sep("=", "browser tests skipped", yellow=True, bold=True)
        terminalreporter.write_line(
            f"Browser tests skipped: {len(browser)}, because Chromium is not installed. "
            "Install it with `apt-get install chromium` (as root) and run `make test` again; "
            "`.ci/run` installs it when it is missing."
        )
    if html:
        terminalreporter.write_sep("=", "HTML checks skipped", yellow=True, bold=True)
        terminalreporter.write_line(
            f"HTML checks skipped: {len(html)}, because Java or the Nu HTML Checker is missing. "
            "`.ci/run` installs both (default-jre-headless from Debian, vnu-jar from npm into "
            ".ci/vnu); or set VNU_JAR to a vnu.jar."
        )


@pytest.fixture
def migrate():
    """For upgrade tests (with transaction=True): `migrate(("app", "0004_name"))` brings the
    database to that migration and answers that state's models; the database is brought back to
    the latest schema afterwards. `migrate()` with no target brings it to the latest schema at
    once: a test that goes on with today's code (services, selectors) after an upgrade needs every
    app's tables, including those of apps whose first migration depends on a later one."""

    def to(target=None):  # type: ignore[no-untyped-def]
        executor = MigrationExecutor(connection)
        targets = [target] if target else executor.loader.graph.leaf_nodes()
        executor.migrate(targets)
        return MigrationExecutor(connection).loader.project_state(targets).apps

    yield to
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
