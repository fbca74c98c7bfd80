"""The key pages are valid HTML, as the Nu HTML Checker (the W3C's) judges them.

The checker is Java (vnu.jar, from the npm package vnu-jar); `.ci/run` installs both when missing.
Without them these tests are skipped, saying why. Set VNU_JAR to the jar's path, or leave it at
.ci/vnu/node_modules/vnu-jar/build/dist/vnu.jar, where `.ci/run` puts it.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from internationale.accounts.demo import demo_email
from internationale.appeals.models import Appeal
from internationale.cooperation.demo import MEETING_TITLES
from internationale.cooperation.models import Meeting
from internationale.statements.demo import STATEMENT_TITLES
from internationale.statements.models import Advice, Statement
from internationale.web.demo import load_demo

ROOT = Path(settings.BASE_DIR).parent
VNU = Path(os.environ.get("VNU_JAR", ROOT / ".ci/vnu/node_modules/vnu-jar/build/dist/vnu.jar"))
JAVA = shutil.which("java")

pytestmark = [
    pytest.mark.html_check,
    pytest.mark.skipif(
        JAVA is None or not VNU.exists(),
        reason="the Nu HTML Checker needs Java and vnu.jar: run .ci/run, or set VNU_JAR",
    ),
]


MISSING = "/appeals/999999/"


def pages() -> list[tuple[str, str | None]]:
    """(path, who reads it): the pages people use most, as a visitor, a secretary, an admin."""
    public = Appeal.objects.filter(visibility="public").exclude(status="draft").first()
    issued = Appeal.objects.filter(organization__slug="tngwf").exclude(status="draft").first()
    assert public is not None and issued is not None
    held = Meeting.objects.get(title=MEETING_TITLES["world_last"])
    coming = Meeting.objects.get(title=MEETING_TITLES["world_next"])
    agreement = held.agreements.get()
    task = agreement.tasks.order_by("pk").first()
    assert task is not None
    statement = {k: Statement.objects.get(title=t).pk for k, t in STATEMENT_TITLES.items()}
    adopted, drafting = statement["adopted"], statement["drafting"]
    amendment = Statement.objects.get(pk=drafting).amendments.get(status="needs_rebase")
    advice = Advice.objects.get(answer="rejected")
    return [
        ("/", None),
        ("/organizations/", None),
        ("/organizations/gtl/", None),
        ("/employers/meridian-freight/", None),
        ("/appeals/", None),
        (f"/appeals/{public.pk}/", None),
        ("/accounts/login/", None),
        (MISSING, None),  # the 404 page
        ("/dashboard/", "priya"),
        ("/inbox/tngwf/", "priya"),
        (f"/appeals/{issued.pk}/", "priya"),
        (f"/appeals/{issued.pk}/summary/", "priya"),
        ("/appeals/new/", "priya"),
        ("/settings/", "priya"),
        ("/settings/emails/kinds/appeals/", "priya"),
        ("/settings/emails/organizations/", "priya"),
        ("/organizations/tngwf/members/", "lakshmi"),
        ("/organizations/tngwf/relations/", "lakshmi"),
        ("/organizations/tngwf/edit/", "lakshmi"),
        ("/organizations/tngwf/audit/", "lakshmi"),
        ("/organizations/tngwf/federation/", "lakshmi"),
        ("/organizations/tngwf/federation/key/", "lakshmi"),
        ("/meetings/", "ana"),
        (f"/meetings/{coming.pk}/", "ana"),
        (f"/meetings/{coming.pk}/readiness/", "ana"),
        (f"/meetings/{held.pk}/minutes/", "ana"),
        (f"/meetings/agreements/{agreement.pk}/", "ana"),
        (f"/meetings/tasks/{task.pk}/", "ana"),
        ("/meetings/commitments/sintlog/", "ana"),
        ("/meetings/new/", "ana"),
        ("/meetings/calendar/", "ana"),
        # Statements: the adopted one as anybody reads it (in Arabic too), as the initiator's
        # secretary (Amara, NDPWU) and the forms that enter its other languages; the draft as its
        # initiator's secretary (Thiago, SINTLOG) with its amendments and versions; positions.
        ("/statements/published/", None),
        (f"/statements/{adopted}/", None),
        (f"/statements/{adopted}/?lang=ar", None),
        (f"/statements/{adopted}/print/?lang=ar", None),
        (f"/statements/{adopted}/", "amara"),
        (f"/statements/{adopted}/translations/new/", "amara"),
        (f"/statements/{adopted}/translations/ar/edit/", "amara"),
        (f"/statements/{adopted}/translations/ar/remove/", "amara"),
        (f"/statements/{adopted}/signatures/add/", "sunita"),
        ("/statements/", "thiago"),
        (f"/statements/{drafting}/", "thiago"),
        (f"/statements/{drafting}/amendments/", "thiago"),
        (f"/statements/amendments/{amendment.pk}/", "thiago"),
        (f"/statements/amendments/{amendment.pk}/rebase/", "sabine"),
        (f"/statements/{drafting}/versions/", "thiago"),
        (f"/statements/{drafting}/compare/?from=1&to=2", "thiago"),
        (f"/statements/{drafting}/paragraphs/2/comments/", "thiago"),
        (f"/statements/{drafting}/amendments/propose/", "amara"),
        (f"/statements/{drafting}/", "amara"),
        (f"/statements/{statement['positions']}/", "amara"),
        (f"/statements/{statement['positions']}/positions/", "amara"),
        (f"/statements/{statement['revised']}/", "sabine"),
        (f"/statements/{statement['withdrawn']}/", "carmen"),
        ("/statements/new/", "thiago"),
        ("/statements/advice/of/sintlog/", "ana"),
        (f"/statements/advice/{advice.pk}/", "ana"),
        ("/statements/advice/new/", "ana"),
    ]


def test_the_key_pages_are_valid_html(db, client, tmp_path):
    from internationale.accounts.models import User

    load_demo()
    files = []
    for n, (path, who) in enumerate(pages()):
        client.logout()
        if who:
            client.force_login(User.objects.get(email=demo_email(who)))
        response = client.get(path)
        assert response.status_code == (404 if path == MISSING else 200), path
        file = tmp_path / f"{n:02d}.html"
        file.write_bytes(response.content)
        files.append((file, path))
    checked = subprocess.run(  # noqa: S603
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *[str(f) for f, _p in files]],
        capture_output=True,
        text=True,
        timeout=300,
    )
    paths = {str(f): p for f, p in files}
    errors = [
        f"{paths.get(m['url'].removeprefix('file:'), m['url'])}:{m.get('lastLine')}: {m['message']}"
        for m in json.loads(checked.stderr or '{"messages": []}')["messages"]
        if m["type"] == "error"
    ]
    assert errors == [], "\n".join(errors)
