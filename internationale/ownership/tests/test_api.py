"""The API of exports: the same as the pages, for an organization's admins; the download takes
the password again in its body; refused input answers 400 by field and changes nothing."""

import io
import zipfile

import pytest

from internationale.accounts.tests.factories import PASSWORD
from internationale.ownership.models import Export

pytestmark = pytest.mark.django_db

EXPORTS = "/api/v1/organizations/metal-sp/exports"


def post(client, path, body):  # type: ignore[no-untyped-def]
    return client.post(path, body, content_type="application/json")


def test_an_admin_starts_follows_and_downloads_an_export(
    client_for, owner_org, ana, work_off, django_capture_on_commit_callbacks
):
    client = client_for(ana)
    with django_capture_on_commit_callbacks(execute=True):
        started = post(client, EXPORTS, {})
    assert started.status_code == 201 and started.json()["status"] == "queued"
    pk = started.json()["id"]
    work_off()
    detail = client.get(f"{EXPORTS}/{pk}").json()
    assert (detail["status"], detail["progress"], detail["include_emails"]) == ("ready", 100, False)
    assert client.get(EXPORTS).json()["items"][0]["id"] == pk

    wrong = post(client, f"{EXPORTS}/{pk}/download", {"password": "not it"})
    assert wrong.status_code == 400 and "password" in wrong.json()["errors"]
    assert Export.objects.get().downloaded_at is None

    response = post(client, f"{EXPORTS}/{pk}/download", {"password": PASSWORD})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "manifest.json" in archive.namelist()
    again = post(client, f"{EXPORTS}/{pk}/download", {"password": PASSWORD})
    assert again.status_code == 400 and "downloaded already" in again.json()["detail"]


def test_email_addresses_need_their_confirmation(client_for, owner_org, ana):
    response = post(client_for(ana), EXPORTS, {"include_emails": True})
    assert response.status_code == 400 and "confirm_emails" in response.json()["errors"]
    assert not Export.objects.exists()
    ok = post(client_for(ana), EXPORTS, {"include_emails": True, "confirm_emails": True})
    assert ok.status_code == 201 and ok.json()["include_emails"] is True


def test_a_second_export_while_one_is_written_is_refused(client_for, owner_org, ana):
    post(client_for(ana), EXPORTS, {})
    response = post(client_for(ana), EXPORTS, {})
    assert response.status_code == 400 and "being written already" in str(response.json())
    assert Export.objects.count() == 1


@pytest.mark.parametrize("who", ["sam", "mo", "olu", "kai", "oscar"])
def test_anyone_but_its_admins_gets_404(request, client_for, owner_org, ana, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(EXPORTS).status_code == 404
    assert post(client, EXPORTS, {}).status_code == 404
    assert not Export.objects.exists()
