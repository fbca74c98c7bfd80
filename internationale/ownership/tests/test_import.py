"""Importing an archive: checked whole before anything is written (format version, every checksum
and path, a slug already taken), refused whole with nothing written on any error, naming it; an
archive imported where its organization is gone brings it back with its people and content."""

import hashlib
import io
import json
import zipfile
from collections.abc import Callable

import pytest
from django.core.files.storage import default_storage

from internationale import cli
from internationale.appeals.models import Addressee, Appeal, AppealUpdate, Pledge
from internationale.core.models import AuditEntry
from internationale.library.models import Document
from internationale.organizations.models import ErasedSlug, Membership, Organization, Relation
from internationale.organizations.tests.factories import OrganizationFactory
from internationale.ownership.archive import ArchiveRefused
from internationale.ownership.importing import import_archive
from internationale.ownership.models import PendingRelation

from .content import LOGO, build
from .test_move import exported_archive

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"  # SITE_URL of the tests

Members = dict[str, bytes]


@pytest.fixture
def archive(owner_org, other_org, ana, sam, kim) -> bytes:  # type: ignore[no-untyped-def]
    build(owner_org, other_org, ana, kim)
    return exported_archive(owner_org, ana)


def members_of(data: bytes) -> Members:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def rewrite(data: bytes, change: Callable[[Members], None], *, checksums: bool = True) -> bytes:
    """The archive with `change` made to its members; the manifest's checksums made again
    unless `checksums` is false."""
    members = members_of(data)
    change(members)
    if checksums:
        manifest = json.loads(members["manifest.json"])
        manifest["members"] = {
            name: hashlib.sha256(body).hexdigest()
            for name, body in members.items()
            if name != "manifest.json"
        }
        members["manifest.json"] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


def edit_json(name: str, edit: Callable[[dict], None]) -> Callable[[Members], None]:  # type: ignore[type-arg]
    def change(members: Members) -> None:
        body = json.loads(members[name])
        edit(body)
        members[name] = json.dumps(body).encode()

    return change


def renamed(slug: str) -> Callable[[Members], None]:
    """The archive of another organization, as if the Metalworkers were not here yet."""

    def change(members: Members) -> None:
        edit_json("manifest.json", lambda m: m.update(organization=slug))(members)
        edit_json("data/organizations.organization.json", lambda b: b["rows"][0].update(slug=slug))(
            members
        )
        for name in [n for n in members if n.startswith("data/")]:
            members[name] = members[name].replace(b'"metal-sp"', f'"{slug}"'.encode())

    return change


def state() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "memberships": Membership.objects.count(),
        "appeals": Appeal.objects.count(),
        "documents": Document.objects.count(),
        "pending": PendingRelation.objects.count(),
        "audit": AuditEntry.objects.count(),
        "files": len(default_storage.listdir("logos")[1]),
    }


def refused(data: bytes) -> str:
    before = state()
    with pytest.raises(ArchiveRefused) as caught:
        import_archive(io.BytesIO(data), actor=cli._system())
    assert state() == before, "a refused archive changed something"
    return str(caught.value)


def test_a_changed_member_is_a_bad_checksum(archive):
    change = edit_json("data/appeals.appeal.json", lambda b: b["rows"][0].update(title="Forged"))
    data = rewrite(archive, renamed("metal-new"))
    data = rewrite(data, change, checksums=False)
    assert refused(data) == (
        "bad checksum for “data/appeals.appeal.json”: it was changed or damaged"
    )


def test_an_unknown_format_version_is_refused(archive):
    data = rewrite(archive, edit_json("manifest.json", lambda m: m.update(version=3)))
    assert refused(data) == "unknown format version 3 (this server reads versions 1, 2)"


def test_an_archive_is_written_in_version_2_with_the_address_of_each_organization_it_names(
    archive,
):
    members = members_of(archive)
    assert json.loads(members["manifest.json"])["version"] == 2
    known = json.loads(members["data/organizations.known.json"])["organizations"]
    assert {o["slug"]: o["actor"] for o in known} == {
        "docks-kr": f"{SITE}/federation/actors/docks-kr",
        "metal-global": f"{SITE}/federation/actors/metal-global",
    }


def without_actors(members: Members) -> None:
    """As a server of version 1 wrote it: no address of the organizations it names."""
    edit_json("manifest.json", lambda m: m.update(version=1))(members)
    edit_json(
        "data/organizations.known.json",
        lambda b: [o.pop("actor") for o in b["organizations"]],
    )(members)


def test_an_archive_of_version_1_is_still_imported_its_partners_found_by_slug_name_and_country(
    archive, other_org
):
    Organization.objects.filter(slug="metal-sp").delete()
    Organization.objects.filter(slug="metal-global").delete()
    imported = import_archive(
        io.BytesIO(rewrite(archive, without_actors)), actor=cli._system(), verified=True
    )
    organization = imported.organization
    assert Appeal.objects.filter(organization=organization).exists()
    relation = Relation.objects.get(proposer=organization)
    assert (relation.partner, relation.status) == (other_org, "proposed")
    pending = PendingRelation.objects.get(organization=organization)
    assert (pending.partner_slug, pending.partner_actor) == ("metal-global", "")


OLD_SERVER = "https://old.example/federation/actors"


def moved_from_old_server(members: Members) -> None:
    """The archive as the old server (another one) wrote it: its organizations' addresses there."""

    def there(body: dict) -> None:  # type: ignore[type-arg]
        for other in body["organizations"]:
            other["actor"] = f"{OLD_SERVER}/{other['slug']}"

    edit_json("data/organizations.known.json", there)(members)


def test_a_relations_partner_is_found_by_its_address_on_the_old_server_whatever_its_slug_here(
    archive, other_org
):
    """The Korean Dockworkers of the old server are listed here, from it, under another slug: the
    relation is proposed to them, not to the organization here that has their slug."""
    Organization.objects.filter(slug="metal-sp").delete()
    listed = OrganizationFactory(
        name="Korean Dockworkers",
        slug="docks-kr-old-example",
        country="KR",
        remote_actor_url=f"{OLD_SERVER}/docks-kr",
    )
    data = rewrite(archive, moved_from_old_server)
    organization = import_archive(io.BytesIO(data), actor=cli._system(), verified=True).organization
    relation = Relation.objects.get(proposer=organization)
    assert (relation.partner, relation.status) == (listed, "proposed")
    assert not Relation.objects.filter(proposer=organization, partner=other_org).exists()


def test_an_organization_here_with_the_partners_slug_and_country_is_shown_to_check_not_proposed_to(
    archive, other_org, ana, client_for
):
    """The Korean Dockworkers here have the slug and country of the partner on the old server, but
    not its address there: perhaps they are, perhaps another took the slug. Nothing is proposed
    to them; the relation waits, and the admins see them beside it."""
    Organization.objects.filter(slug="metal-sp").delete()
    data = rewrite(archive, moved_from_old_server)
    imported = import_archive(io.BytesIO(data), actor=cli._system(), verified=True)
    organization = imported.organization
    assert not Relation.objects.filter(proposer=organization).exists()
    assert imported.pending_relations == 2
    waiting = PendingRelation.objects.get(organization=organization, partner_slug="docks-kr")
    assert waiting.partner_actor == f"{OLD_SERVER}/docks-kr"
    page = client_for(ana).get(f"/ownership/{organization.slug}/").content.decode()
    assert "slug and country, but not its address on its old server" in page
    assert f'href="{other_org.get_absolute_url()}">Korean Dockworkers</a>' in page
    # Proposing it still finds no partner at its address.
    response = client_for(ana).post(
        f"/ownership/{organization.slug}/pending/{waiting.pk}/propose/", follow=True
    )
    assert "is not on this server yet" in response.content.decode()
    assert not Relation.objects.filter(proposer=organization).exists()


@pytest.mark.parametrize("path", ["../escaped.txt", "/etc/cron.d/job", "files/..\\..\\x"])
def test_a_member_escaping_the_folder_is_refused(archive, path):
    data = rewrite(archive, lambda members: members.update({path: b"x"}))
    assert refused(data) == f"the path “{path}” escapes the archive's folder"


def test_a_file_field_escaping_the_folder_is_refused(archive):
    escape = edit_json(
        "data/organizations.organization.json",
        lambda b: b["rows"][0].update(logo="../../settings.py"),
    )
    data = rewrite(rewrite(archive, renamed("metal-new")), escape)
    assert refused(data) == "the path “../../settings.py” escapes the archive's folder"


def test_an_organization_whose_slug_exists_here_is_refused(archive):
    assert refused(archive) == (
        "an organization with the slug “metal-sp” exists on this server: nothing was imported"
    )


def test_an_organization_whose_slug_an_erase_left_here_is_refused(archive):
    """Other servers may still know the erased organization's addresses under that slug."""
    ErasedSlug.objects.create(slug="metal-new")
    assert refused(rewrite(archive, renamed("metal-new"))) == (
        "the slug “metal-new” belonged to an organization erased on this server and stays "
        "reserved: nothing was imported"
    )
    assert not Organization.objects.filter(slug="metal-new").exists()


def test_an_error_half_way_leaves_nothing_behind(archive):
    """The organization, its people and logo are written before its documents: a document that
    cannot be saved takes them all back with it."""
    broken = edit_json(
        "data/library.document.json", lambda b: b["rows"][0].update(created_at="yesterday")
    )
    data = rewrite(rewrite(archive, renamed("metal-new")), broken)
    message = refused(data)
    assert message.startswith("library.document, row 1: ")
    assert not Organization.objects.filter(slug="metal-new").exists()


def test_the_command_line_names_what_is_wrong_and_writes_nothing(archive, tmp_path, capsys):
    path = tmp_path / "archive.zip"
    path.write_bytes(rewrite(archive, edit_json("manifest.json", lambda m: m.update(version=9))))
    status = cli.main(["org", "import-archive", str(path)])
    _out, err = capsys.readouterr()
    assert status == 1
    assert "the archive is refused, nothing was imported: unknown format version 9" in err
    assert cli.main(["org", "import-archive", str(tmp_path / "missing.zip")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_an_organization_comes_back_with_its_people_and_content(archive, ana, sam, other_org):
    """Where the Dockworkers are known (by their slug), their relation becomes a proposal to them
    again; the federation, unknown here, waits as a pending relation. (With an issued appeal, it
    needs the operator's verification: test_import_trust.py.)"""
    Organization.objects.filter(slug="metal-sp").delete()
    Organization.objects.filter(slug="metal-global").delete()
    imported = import_archive(io.BytesIO(archive), actor=cli._system(), verified=True)
    organization = imported.organization
    assert organization.slug == "metal-sp" and organization.verified_at is not None
    assert organization.logo.read() == LOGO
    roles = dict(Membership.objects.filter(organization=organization).values_list("user", "role"))
    assert roles == {ana.pk: "admin", sam.pk: "secretary"}  # the same accounts, by address
    appeal = Appeal.objects.get(organization=organization)
    assert appeal.created_by == ana
    assert AppealUpdate.objects.get(appeal=appeal).text == "The lockout goes on."
    # The Dockworkers' pledges come back, their private amount left out as it was exported.
    amounts = dict(Pledge.objects.filter(appeal=appeal).values_list("description", "amount"))
    assert amounts == {"Strike fund": None, "Solidarity collection": 120}
    relation = Relation.objects.get(proposer=organization)
    assert (relation.partner, relation.status) == (other_org, "proposed")
    pending = PendingRelation.objects.get(organization=organization)
    assert (pending.partner_slug, pending.partner_name) == (
        "metal-global",
        "Global Metal Federation",
    )
    # Its partner is found later by its actor on the old server, not by its slug alone.
    assert pending.partner_actor.endswith("/federation/actors/metal-global")
    entry = AuditEntry.objects.get(action="organization.import_archive")
    assert entry.organization == organization and entry.system == "cli"


def test_two_people_of_the_archive_with_one_address_are_refused(archive, ana):
    def same_address(body: dict) -> None:  # type: ignore[type-arg]
        body["rows"][1]["email"] = body["rows"][0]["email"].upper()

    data = rewrite(
        rewrite(archive, renamed("metal-new")), edit_json("data/accounts.person.json", same_address)
    )
    first = json.loads(members_of(data)["data/accounts.person.json"])["rows"][0]["email"]
    assert refused(data) == (
        f"accounts.person, row 2: it has the e-mail address “{first}” of row 1: two people of "
        "the archive cannot share one account"
    )


def test_an_address_of_two_accounts_here_in_different_cases_is_refused(archive, ana):
    from internationale.accounts.models import User

    # An account written before addresses were kept in lower case.
    User.objects.create(email="Ana@Metal.example", name="Another Ana")
    message = refused(rewrite(archive, renamed("metal-new")))
    assert message.startswith("accounts.person, row ")
    assert "“ana@metal.example” is that of 2 accounts on this server" in message
    assert "Ana@Metal.example" in message


def test_a_slug_naming_an_organization_of_another_country_here_is_refused(archive, other_org):
    Organization.objects.filter(pk=other_org.pk).update(country="CL")
    message = refused(rewrite(archive, renamed("metal-new")))
    assert "the organization “docks-kr” is Korean Dockworkers (KR) in the archive, but " in message
    assert (
        "Korean Dockworkers (CL) on this server: it cannot be told whether they are the same"
        in (message)
    )


def test_an_organization_here_that_took_a_partners_slug_is_neither_addressed_nor_credited(
    archive, other_org
):
    """The Korean Dockworkers here have the slug of the partner on the old server, not its
    address there: the imported confidential appeal is not addressed to them, and the partner's
    pledge is not put in their name."""
    Organization.objects.filter(slug="metal-sp").delete()
    data = rewrite(archive, moved_from_old_server)
    imported = import_archive(io.BytesIO(data), actor=cli._system(), verified=True)
    appeal = Appeal.objects.get(
        organization=imported.organization, title="Lockout at the Volta plant"
    )
    assert appeal.visibility == "network"
    assert not Addressee.objects.filter(appeal=appeal, organization=other_org).exists()
    assert not Pledge.objects.filter(
        organization=other_org, appeal__organization=appeal.organization
    )
    assert imported.left_out.get("appeals.pledge")


def test_the_partner_listed_here_under_another_slug_keeps_its_pledges_and_its_place(
    archive, other_org
):
    """The partner at its old server's address, listed here under another slug, is the one the
    imported appeal is addressed to and whose pledge it keeps."""
    Organization.objects.filter(slug="metal-sp").delete()
    listed = OrganizationFactory(
        name="Korean Dockworkers",
        slug="docks-kr-old-example",
        country="KR",
        remote_actor_url=f"{OLD_SERVER}/docks-kr",
    )
    data = rewrite(archive, moved_from_old_server)
    organization = import_archive(io.BytesIO(data), actor=cli._system(), verified=True).organization
    appeal = Appeal.objects.get(organization=organization, title="Lockout at the Volta plant")
    assert Addressee.objects.filter(appeal=appeal, organization=listed).exists()
    assert Pledge.objects.filter(appeal=appeal, organization=listed).exists()
    assert not Addressee.objects.filter(appeal=appeal, organization=other_org).exists()


def test_an_organization_an_archive_of_version_2_names_without_its_address_is_not_matched(
    archive, other_org
):
    """A version 2 archive records every organization's address: one without it is not found by
    its slug."""
    Organization.objects.filter(slug="metal-sp").delete()
    data = rewrite(
        archive,
        edit_json(
            "data/organizations.known.json",
            lambda b: [o.pop("actor") for o in b["organizations"]],
        ),
    )
    organization = import_archive(io.BytesIO(data), actor=cli._system(), verified=True).organization
    appeal = Appeal.objects.get(organization=organization, title="Lockout at the Volta plant")
    assert not Addressee.objects.filter(appeal=appeal, organization=other_org).exists()
    assert not Pledge.objects.filter(appeal=appeal, organization=other_org).exists()


def test_an_archive_of_version_1_still_finds_the_organizations_it_names_by_their_slug(
    archive, other_org
):
    Organization.objects.filter(slug="metal-sp").delete()
    data = rewrite(archive, without_actors)
    organization = import_archive(io.BytesIO(data), actor=cli._system(), verified=True).organization
    appeal = Appeal.objects.get(organization=organization, title="Lockout at the Volta plant")
    assert Addressee.objects.filter(appeal=appeal, organization=other_org).exists()
    assert Pledge.objects.filter(appeal=appeal, organization=other_org).exists()
