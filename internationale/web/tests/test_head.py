"""Pages that answer GET answer HEAD too, as monitors and link checkers ask."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/organizations/", "/appeals/", "/employers/"])
def test_public_pages_answer_head_like_get(client, path):
    head, get = client.head(path), client.get(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""


def test_a_signed_in_page_answers_head(client_for, mo):
    assert client_for(mo).head("/dashboard/").status_code == 200
