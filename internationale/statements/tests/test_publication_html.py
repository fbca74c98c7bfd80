"""The publication pages are valid HTML, as the Nu HTML Checker judges them (see
web/tests/test_html_validity.py, whose checker and skip conditions these share; the demo has no
statement yet, so the pages are built here): the public page in Arabic, the list, the printable
page, and the form that enters a version."""

import json
import subprocess

import pytest
from django.test import Client

from internationale.statements.translations import translation_add
from internationale.web.tests.test_html_validity import JAVA, VNU, pytestmark  # noqa: F401

from .publication_world import adopted

ARABIC = ["فقرة أولى.", "فقرة ثانية.", "فقرة ثالثة."]


@pytest.mark.django_db
def test_the_publication_pages_are_valid_html(sam, owner_org, other_org, client_for, tmp_path):
    statement = adopted(sam, owner_org, other_org)
    translation_add(actor=sam, statement=statement, language="ar", title="عنوان", paragraphs=ARABIC)
    pages = [
        (f"/statements/{statement.pk}/?lang=ar", Client()),
        ("/statements/published/", Client()),
        (f"/statements/{statement.pk}/print/?lang=ar", Client()),
        (f"/statements/{statement.pk}/", client_for(sam)),
        (f"/statements/{statement.pk}/translations/new/", client_for(sam)),
        (f"/statements/{statement.pk}/translations/ar/remove/", client_for(sam)),
    ]
    files = {}
    for n, (path, client) in enumerate(pages):
        response = client.get(path)
        assert response.status_code == 200, path
        file = tmp_path / f"{n:02d}.html"
        file.write_bytes(response.content)
        files[str(file)] = path
    checked = subprocess.run(  # noqa: S603
        [str(JAVA), "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = [
        f"{files.get(m['url'].removeprefix('file:'), m['url'])}:{m.get('lastLine')}: {m['message']}"
        for m in json.loads(checked.stderr or '{"messages": []}')["messages"]
        if m["type"] == "error"
    ]
    assert errors == [], "\n".join(errors)
