"""An archive is not signed: whoever hands it over can edit it and make its checksums again. The
import, through the command line as an operator runs it, trusts it for what the organization did
and not for what others did: another organization's agreement is asked of it again or left out;
every file goes through its upload check; content only a verified organization may have needs
--verified; and the operator can hold the file to the SHA-256 the old server's operator gave."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from internationale import cli
from internationale.campaigns.models import Campaign, Sponsor
from internationale.campaigns.tests.helpers import launched, make_campaign
from internationale.organizations.models import Organization
from internationale.organizations.tests.factories import OrganizationFactory
from internationale.statements.models import Advice, Participant, Signature, Statement
from internationale.statements.tests.publication_world import adopted

from .content import build
from .test_import import edit_json, rewrite, state
from .test_move import exported_archive

pytestmark = pytest.mark.django_db

NEW = "metal-new"


@pytest.fixture
def archive(owner_org, other_org, ana, sam, kim) -> bytes:  # type: ignore[no-untyped-def]
    """The Metalworkers' archive, as if they were not on this server yet (under another slug):
    a launched campaign the Dockworkers co-sponsor, a statement the Dockworkers supported and
    signed, advice the Dockworkers accepted."""
    build(owner_org, other_org, ana, kim)
    launched(sam, owner_org, sponsor=other_org, sponsor_speaker=kim, title="Free the Volta seven")
    statement = adopted(sam, owner_org, other_org)
    Participant.objects.filter(statement=statement).update(
        supported_at=timezone.now(), supported_by=kim
    )
    Advice.objects.create(
        sender=owner_org,
        receiver=other_org,
        sent_by=ana,
        subject="Picket rotas",
        text="Rotate the pickets every four hours.",
        answer=Advice.Answer.ACCEPTED,
        answered_at=timezone.now(),
        answered_by=kim,
    )
    data = exported_archive(owner_org, ana)

    def renamed(members: dict[str, bytes]) -> None:
        for name in [n for n in members if n.startswith("data/") or n == "manifest.json"]:
            members[name] = members[name].replace(b'"metal-sp"', f'"{NEW}"'.encode())

    return rewrite(data, renamed)


def run(tmp_path: Path, data: bytes, *options: str) -> int:
    """`internationale org import-archive FILE OPTIONS`, its exit status."""
    path = tmp_path / "archive.zip"
    path.write_bytes(data)
    return cli.main(["org", "import-archive", str(path), *options])


def test_what_other_organizations_agreed_to_is_asked_of_them_again(
    archive, tmp_path, capsys, other_org
):
    """A forged archive names an unrelated union as an accepted co-sponsor, with no address on
    the old server: no organization here is taken for it, so no sponsorship is made for it. The Dockworkers' support of the draft and their acceptance of the advice
    are asked again; their signature of the adopted statement is left out (they sign again)."""
    victim = OrganizationFactory(name="Victim Union", slug="victim-union", country="FR")

    def forge(body: dict) -> None:  # type: ignore[type-arg]
        for row in body["rows"]:
            row.update(organization="victim-union", status="accepted")

    data = rewrite(archive, edit_json("data/campaigns.sponsor.json", forge))
    status = run(tmp_path, data, "--verified")
    out, err = capsys.readouterr()
    assert status == 0, err
    moved = Organization.objects.get(slug=NEW)

    campaign = Campaign.objects.get(organization=moved)
    assert campaign.status == "open"  # verified by the operator: still launched
    assert not Sponsor.objects.filter(campaign=campaign).exists()
    assert not Sponsor.objects.filter(organization=victim).exists()

    statement = Statement.objects.get(organization=moved)
    signers = set(Signature.objects.filter(statement=statement).values_list("organization__slug"))
    assert signers == {(NEW,)}  # the Dockworkers' signature is not taken on the archive's word
    participant = Participant.objects.get(statement=statement, organization=other_org)
    assert participant.supported_at is None and participant.supported_by is None
    advice = Advice.objects.get(sender=moved)
    assert (advice.receiver, advice.answer, advice.answered_at) == (other_org, "considering", None)

    assert (
        "2 agreements of other organizations are asked of them again: the archive cannot show "
        "that they agreed (statements.advice: 1, statements.participant: 1)."
    ) in out
    assert "rows left out: they belong with organizations this server does not know" in out
    assert "1 approvals and signatures of other organizations are left out" in out
    assert "statements.signature: 1" in out


def test_an_unverified_organization_cannot_bring_launched_content(archive, tmp_path, capsys):
    """Without --verified, an archive holding what only a verified organization may have (an
    issued appeal, a launched campaign, a statement) is refused whole, naming a row."""
    before = state()
    status = run(tmp_path, archive)
    err = capsys.readouterr().err
    assert status == 1
    assert "the archive is refused, nothing was imported: appeals.appeal, row 1: only a " in err
    assert "this server has not verified “metal-new”" in err and "--verified" in err
    assert state() == before
    assert not Organization.objects.filter(slug=NEW).exists()


def test_a_logo_that_is_a_web_page_is_refused(archive, tmp_path, capsys):
    """The logo goes through the logo form's checks: an HTML page under logos/ is never stored,
    whatever the archive's manifest says."""
    html = b"<script>alert(document.cookie)</script>"

    def swap(members: dict[str, bytes]) -> None:
        edit_json(
            "data/organizations.organization.json",
            lambda b: b["rows"][0].update(logo="logos/x.html"),
        )(members)
        members["files/logos/x.html"] = html

    before = state()
    status = run(tmp_path, rewrite(archive, swap), "--verified")
    err = capsys.readouterr().err
    assert status == 1
    assert "organizations.organization, row 1: logo: Upload a PNG, JPEG, GIF or WebP image." in err
    assert state() == before
    assert not default_storage.exists("logos/x.html")


def test_a_document_file_that_is_not_what_it_says_is_refused(archive, tmp_path, capsys):
    """A library file goes through the upload checks: a web page named .pdf is refused, and the
    logo stored before it is removed again."""

    def swap(members: dict[str, bytes]) -> None:
        name = [n for n in members if n.startswith("files/library/")][0]
        members[name] = b"<html><script>alert(1)</script></html>"

    before = state()
    status = run(tmp_path, rewrite(archive, swap), "--verified")
    err = capsys.readouterr().err
    assert status == 1
    assert "library.file, row 1: file: This file is not a real .pdf file" in err
    assert state() == before


def test_the_operator_holds_the_archive_to_its_sha256(archive, tmp_path, capsys):
    digest = hashlib.sha256(archive).hexdigest()
    before = state()
    status = run(tmp_path, archive, "--verified", "--sha256", "0" * 64)
    err = capsys.readouterr().err
    assert status == 1
    assert f"its SHA-256 is {digest}, not the {'0' * 64} given" in err
    assert state() == before

    status = run(tmp_path, archive, "--verified", "--sha256", "not-a-digest")
    assert status == 2
    assert "a SHA-256 is written as 64 hexadecimal digits" in capsys.readouterr().err

    status = run(tmp_path, archive, "--verified", "--sha256", digest.upper())
    out, err = capsys.readouterr()
    assert status == 0, err
    assert out.startswith(f"{NEW} imported: ")


def test_an_organization_with_drafts_only_arrives_unverified(owner_org, ana, sam, tmp_path, capsys):
    """A campaign still in draft needs no verification: the organization arrives unverified,
    and its draft with it."""
    make_campaign(sam, owner_org, title="A draft for later")
    data = exported_archive(owner_org, ana)
    owner_org.delete()
    status = run(tmp_path, data)
    out, err = capsys.readouterr()
    assert status == 0, err
    assert out.startswith("metal-sp imported: ")
    moved = Organization.objects.get(slug="metal-sp")
    assert moved.verified_at is None
    assert Campaign.objects.get(organization=moved).status == "draft"
