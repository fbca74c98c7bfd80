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
    return [
        ("/", None),
        ("/organizations/", None),
        ("/organizations/gtl/", None),
        ("/employers/meridian-freight/", None),
        ("/appeals/", None),
        (f"/appeals/{public.pk}/", None),
        ("/accounts/login/", None),
        ("/appeals/999999/", None),  # the 404 page
        ("/dashboard/", "priya"),
        ("/inbox/tngwf/", "priya"),
        (f"/appeals/{issued.pk}/", "priya"),
        (f"/appeals/{issued.pk}/summary/", "priya"),
        ("/appeals/new/", "priya"),
        ("/settings/", "priya"),
        ("/organizations/tngwf/members/", "lakshmi"),
        ("/organizations/tngwf/relations/", "lakshmi"),
        ("/organizations/tngwf/edit/", "lakshmi"),
        ("/organizations/tngwf/audit/", "lakshmi"),
        ("/meetings/", "ana"),
        (f"/meetings/{coming.pk}/", "ana"),
        (f"/meetings/{coming.pk}/readiness/", "ana"),
        (f"/meetings/{held.pk}/minutes/", "ana"),
        (f"/meetings/agreements/{agreement.pk}/", "ana"),
        (f"/meetings/tasks/{task.pk}/", "ana"),
        ("/meetings/commitments/sintlog/", "ana"),
        ("/meetings/new/", "ana"),
        ("/meetings/calendar/", "ana"),
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
        assert response.status_code in (200, 404), path
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
