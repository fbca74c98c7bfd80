"""Exports: started by an organization's admin, written in the background with its progress,
kept encrypted, downloaded once after the password again, audited and announced; the archive
holds what the organization owns and nothing of other organizations' private amounts."""

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from internationale.accounts.tests.factories import PASSWORD, UserFactory
from internationale.core.audit import AuditEntry
from internationale.core.history import prune_history
from internationale.notifications.models import InboxEntry
from internationale.organizations.tests.factories import MembershipFactory
from internationale.ownership.models import Export
from internationale.ownership.services import exports_dir

from .content import LEAFLET, LOGO, build

pytestmark = pytest.mark.django_db

WRITE = "internationale.ownership.tasks.write_export"


@pytest.fixture
def start(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Post the export form, as the page does; the task is queued once the request commits."""

    def post(client, slug="metal-sp", **data):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/ownership/{slug}/", data)

    return post


def reauthenticated(client):  # type: ignore[no-untyped-def]
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    return client


def archive_of(response) -> zipfile.ZipFile:  # type: ignore[no-untyped-def]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def rows(archive: zipfile.ZipFile, key: str) -> list[dict]:
    return json.loads(archive.read(f"data/{key}.json"))["rows"]


@pytest.fixture
def exported(client_for, owner_org, other_org, ana, sam, kai, kim, work_off, start):  # type: ignore[no-untyped-def]
    content = build(owner_org, other_org, ana, kim)
    client = reauthenticated(client_for(ana))
    response = start(client)
    export = Export.objects.get()
    assert response["Location"] == f"/ownership/metal-sp/exports/{export.pk}/"
    assert export.status == Export.Status.QUEUED
    work_off()
    export.refresh_from_db()
    return client, export, content


def test_an_admin_exports_everything_and_downloads_it_once(exported, owner_org):
    client, export, content = exported
    assert export.status == Export.Status.READY and export.progress == 100
    page = client.get(f"/ownership/metal-sp/exports/{export.pk}/").content.decode()
    assert "Download the archive" in page and export.sha256 in page

    response = client.post(f"/ownership/metal-sp/exports/{export.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="metal-sp-')
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == export.sha256 and len(body) == export.size
    archive = zipfile.ZipFile(io.BytesIO(body))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["version"] == 2 and manifest["organization"] == "metal-sp"
    for name, digest in manifest["members"].items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest

    assert rows(archive, "organizations.organization")[0]["name"] == owner_org.name
    titles = {r["title"] for r in rows(archive, "appeals.appeal")}
    assert titles == {"Lockout at the Volta plant"}  # not the Dockworkers' appeal
    assert archive.read(f"files/{owner_org.logo.name}") == LOGO
    assert archive.read(f"files/{content['leaflet'].file.name}") == LEAFLET
    assert rows(archive, "library.document")[0]["tags"] == [{"name": "Strikes", "slug": "strikes"}]
    assert {r["language"] for r in rows(archive, "translation.language_version")} == {"en"}

    # Downloaded once: the encrypted file is gone, and a second download is refused.
    assert not (exports_dir() / export.file_name).exists()
    again = client.post(f"/ownership/metal-sp/exports/{export.pk}/download/")
    assert again.status_code == 302
    assert "cannot be downloaded" in client.get(again["Location"]).content.decode()


def test_others_private_amounts_are_only_totals_and_their_people_are_not_named(exported):
    client, export, content = exported
    archive = archive_of(client.post(f"/ownership/metal-sp/exports/{export.pk}/download/"))
    pledges = {r["description"]: r for r in rows(archive, "appeals.pledge")}
    assert pledges["Strike fund"]["amount"] is None  # the Dockworkers' private pledge
    assert pledges["Solidarity collection"]["amount"] == "120.00"  # public
    assert pledges["Our collection"]["amount"] == "300.00"  # our own
    assert pledges["Strike fund"]["created_by"] is None  # Kim is not ours to export
    totals = json.loads(archive.read("data/appeals.pledge.json"))["totals"]
    assert totals == {str(content["appeal"].pk): {"EUR": "500.00"}}
    assert all(r["amount"] != "500.00" for r in rows(archive, "aid.contribution"))


def test_email_addresses_only_with_confirmation(client_for, owner_org, ana, sam, work_off, start):
    client = reauthenticated(client_for(ana))
    refused = start(client, include_emails="on")
    assert refused.status_code == 200
    assert "Confirm that the e-mail addresses go into the archive" in refused.content.decode()
    assert not Export.objects.exists()

    start(client)
    work_off()
    export = Export.objects.get()
    archive = archive_of(client.post(f"/ownership/metal-sp/exports/{export.pk}/download/"))
    people = rows(archive, "accounts.person")
    assert {p["email"] for p in people} == {""}
    assert {p["name"] for p in people} == {ana.name, sam.name}
    assert b"sam@metal.example" not in b"".join(archive.read(n) for n in archive.namelist())

    start(client, include_emails="on", confirm_emails="on")
    work_off()
    export = Export.objects.latest("pk")
    archive = archive_of(client.post(f"/ownership/metal-sp/exports/{export.pk}/download/"))
    assert {p["email"] for p in rows(archive, "accounts.person")} == {
        "ana@metal.example",
        "sam@metal.example",
    }


def test_the_archive_is_encrypted_at_rest(exported):
    _client, export, _content = exported
    stored = (exports_dir() / export.file_name).read_bytes()
    assert b"Lockout at the Volta plant" not in stored and b"PK\x03\x04" not in stored
    assert b"logo of the metalworkers" not in stored


def test_the_download_asks_for_the_password_again(client_for, exported, ana):
    _client, export, _content = exported
    fresh = client_for(ana)  # signed in, but not just now
    response = fresh.post(f"/ownership/metal-sp/exports/{export.pk}/download/")
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]
    assert Export.objects.get().downloaded_at is None


def test_the_export_is_audited_and_announced_to_the_other_admins(exported, ana):
    client, export, _content = exported
    client.post(f"/ownership/metal-sp/exports/{export.pk}/download/")
    actions = list(
        AuditEntry.objects.filter(target_id=str(export.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "organization.export_download",
        "organization.export_ready",
        "organization.export_start",
    ]
    entry = InboxEntry.objects.get(kind="ownership.export_ready")
    assert entry.organization.slug == "metal-sp" and ana.name in entry.title
    assert entry.confidential and entry.url == f"/ownership/metal-sp/exports/{export.pk}/"


def test_expired_exports_are_deleted_by_the_daily_prune(exported):
    _client, export, _content = exported
    path = exports_dir() / export.file_name
    Export.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert prune_history.call()["exports"] == 1
    assert not Export.objects.exists() and not path.exists()


def test_one_export_at_a_time(client_for, owner_org, ana, start):
    client = client_for(ana)
    start(client)
    response = start(client)
    assert "being written already" in response.content.decode()
    assert Export.objects.count() == 1


def test_progress_is_shown_while_it_is_written(client_for, owner_org, ana, start):
    client = client_for(ana)
    start(client)
    export = Export.objects.get()
    Export.objects.filter(pk=export.pk).update(status="running", progress=40)
    page = client.get(f"/ownership/metal-sp/exports/{export.pk}/").content.decode()
    assert 'value="40"' in page and 'http-equiv="refresh"' in page


@pytest.mark.parametrize("who", ["sam", "mo", "olu", "kai", "oscar"])
def test_only_admins_export(request, client_for, owner_org, ana, who, start):
    person = request.getfixturevalue(who)
    client = client_for(person)
    assert client.get("/ownership/metal-sp/").status_code == 404
    assert start(client).status_code == 404
    assert not Export.objects.exists()


def test_the_documented_schema_names_what_the_archive_holds(exported):
    """docs/export-format.schema.json stays in step with the archive: the manifest's fields, a
    data file's, and every data file's key."""
    from pathlib import Path

    client, export, _content = exported
    archive = archive_of(client.post(f"/ownership/metal-sp/exports/{export.pk}/download/"))
    schema = json.loads(
        (Path(__file__).parents[3] / "docs" / "export-format.schema.json").read_text()
    )
    manifest = json.loads(archive.read("manifest.json"))
    assert sorted(manifest) == sorted(schema["$defs"]["manifest"]["required"])
    assert manifest["format"] == schema["$defs"]["manifest"]["properties"]["format"]["const"]
    assert manifest["version"] == schema["$defs"]["manifest"]["properties"]["version"]["const"]
    for name in archive.namelist():
        if name.startswith("data/") and name != "data/organizations.known.json":
            body = json.loads(archive.read(name))
            assert sorted(body) == sorted(schema["$defs"]["data"]["required"]), name
            assert name == f"data/{body['key']}.json"
            assert all("id" in row for row in body["rows"])


def test_the_other_admins_get_the_e_mail_that_an_export_was_made_and_plain_members_do_not(
    client_for, owner_org, ana, mo, olu, work_off, start, mailoutbox
):
    ada = MembershipFactory(
        organization=owner_org, role="admin", user=UserFactory(email="ada@metal.example")
    ).user
    start(reauthenticated(client_for(ana)))
    work_off()
    assert Export.objects.get().status == Export.Status.READY

    told = {address for message in mailoutbox for address in message.to}
    assert ada.email in told
    assert mo.email not in told and olu.email not in told
    (message,) = [m for m in mailoutbox if ada.email in m.to]
    assert "An export of your organization's data was made" in message.body


def _expire(export: Export) -> None:
    """Its 24 hours pass: the task queued for its expiry is due."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    Export.objects.filter(pk=export.pk).update(expires_at=past)
    DBTaskResult.objects.filter(task_path__endswith="expire_export").update(run_after=past)


def test_an_export_not_downloaded_loses_its_file_when_it_expires_and_its_page_says_so(
    exported, work_off
):
    client, export, _content = exported
    path = exports_dir() / export.file_name
    assert path.exists()
    # Its expiry is a task queued for the moment the export expires, not before.
    (task,) = DBTaskResult.objects.filter(task_path__endswith="expire_export")
    assert task.run_after == export.expires_at

    _expire(export)
    work_off()

    assert not path.exists()
    page = client.get(f"/ownership/metal-sp/exports/{export.pk}/").content.decode()
    assert "This export has expired" in page and "Download the archive" not in page
    listing = client.get("/ownership/metal-sp/").content.decode()
    assert "Expired" in listing


def test_a_download_begun_before_the_export_expires_is_sent_whole(exported, work_off):
    """The archive is read as it is sent: its expiry, due meanwhile, leaves it alone."""
    client, export, _content = exported
    response = client.post(f"/ownership/metal-sp/exports/{export.pk}/download/")
    assert response.status_code == 200

    _expire(export)
    work_off()

    archive = archive_of(response)
    assert archive.testzip() is None
    assert {r["title"] for r in rows(archive, "appeals.appeal")} == {"Lockout at the Volta plant"}
    assert not (exports_dir() / export.file_name).exists()  # sent, then deleted


def test_a_download_under_way_is_sent_whole_though_the_daily_prune_deletes_its_file(exported):
    client, export, _content = exported
    path = exports_dir() / export.file_name
    response = client.post(f"/ownership/metal-sp/exports/{export.pk}/download/")

    Export.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=2)
    )
    prune_history.call()
    assert not path.exists() and not Export.objects.filter(pk=export.pk).exists()

    archive = archive_of(response)
    assert archive.testzip() is None
    assert {r["title"] for r in rows(archive, "appeals.appeal")} == {"Lockout at the Volta plant"}


def test_an_expired_export_asked_for_loses_its_file_at_once(
    exported, django_capture_on_commit_callbacks
):
    client, export, _content = exported
    path = exports_dir() / export.file_name
    Export.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ownership/metal-sp/exports/{export.pk}/download/", follow=True)

    assert "This export has expired" in response.content.decode()
    assert not path.exists()
    assert Export.objects.get(pk=export.pk).file_name == ""
