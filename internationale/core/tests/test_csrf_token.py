"""The CSRF token of a page's forms: accepted back, new at each answer, cheap to draw."""

import random
import re

import pytest
from django.test import Client

from internationale.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    return found[1]


def test_a_pages_token_is_accepted_back_new_at_each_answer_and_drawn_in_one_read(ana, monkeypatch):
    client = Client(enforce_csrf_checks=True)
    assert client.login(email=ana.email, password=PASSWORD)
    client.get("/settings/")  # the secret's cookie set
    reads: list[int] = []
    urandom = random._urandom  # what the system random source reads through

    def counted(size: int) -> bytes:
        reads.append(size)
        return urandom(size)

    monkeypatch.setattr(random, "_urandom", counted)
    first = _token(client.get("/settings/").content.decode())
    monkeypatch.undo()
    assert len(reads) <= 2  # Django's own drawing reads once per character: 32
    second = _token(client.get("/settings/").content.decode())
    assert first != second
    refused = Client(enforce_csrf_checks=True)
    refused.cookies = client.cookies
    assert refused.post("/settings/", {"name": "Ana", "time_zone": ""}).status_code == 403
    answer = client.post(
        "/settings/", {"name": "Ana", "time_zone": "", "csrfmiddlewaretoken": first}
    )
    assert answer.status_code == 302
