"""Publication, through real HTTP requests: the public page of an adopted statement read without
signing in, the list of adopted statements, the Atom feed (public statements only), the printable
page, and the versions in other languages that Sam (secretary of the initiating Metalworkers of São
Paulo) enters by hand. The statements are adopted directly (publication_world.adopt), as adoption
leaves them."""

import datetime
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses only the platform's own output

import pytest
from django.conf import settings
from django.test import Client

from internationale.core.models import AuditEntry
from internationale.organizations.tests.factories import OrganizationFactory
from internationale.statements.models import Signature
from internationale.statements.services import statement_create
from internationale.translation.models import LanguageVersion

from .matrix_world import PARAGRAPHS, deadlines
from .publication_world import adopted

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FRENCH = [
    "Le droit de grève est un droit fondamental de chaque travailleur.",
    "Nous condamnons les arrestations de syndicalistes au port de Santos.",
    "Nous appelons chaque organisation à envoyer des messages de solidarité.",
]
ARABIC = [
    "الحق في الإضراب حق أساسي لكل عامل.",
    "ندين اعتقال النقابيين في ميناء سانتوس.",
    "ندعو كل منظمة إلى إرسال رسائل التضامن.",
]


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


def translation_form(title: str, paragraphs: list[str], language: str | None = None) -> dict:
    data = {"title": title, "text": "\n\n".join(paragraphs)}
    if language is not None:
        data["language"] = language
    return data


@pytest.fixture
def public(sam, owner_org, other_org):
    return adopted(sam, owner_org, other_org)


@pytest.fixture
def among_participants(sam, owner_org, other_org):
    return adopted(sam, owner_org, other_org, visibility="addressed", title="Among ourselves")


@pytest.fixture
def for_the_network(sam, owner_org, other_org):
    return adopted(sam, owner_org, other_org, visibility="network", title="For the network")


def test_anyone_reads_a_public_statement_its_numbered_text_and_where_to_print_it(public):
    page = Client().get(f"/statements/{public.pk}/")
    assert page.status_code == 200
    html = text(page)
    for paragraph in PARAGRAPHS:
        assert paragraph in html
    assert '<ol class="paragraphs" lang="en" dir="auto">' in html
    assert "Initiated by Metalworkers of São Paulo" in html
    assert "The original, in English, is authoritative." in html
    assert f'href="/statements/{public.pk}/print/"' in html
    assert "No version in another language yet." in html
    # Nothing of the drafting, and no way to enter a version, for a visitor.
    assert "Add a version in another language" not in html


def test_a_statement_for_its_participants_or_the_network_is_missing_for_the_public(
    among_participants, for_the_network, kim
):
    visitor = Client()
    for statement in (among_participants, for_the_network):
        assert visitor.get(f"/statements/{statement.pk}/").status_code == 404
        assert visitor.get(f"/statements/{statement.pk}/print/").status_code == 404
    # The participants read theirs.
    signed_in = Client()
    signed_in.force_login(kim)
    assert signed_in.get(f"/statements/{among_participants.pk}/").status_code == 200


def test_the_list_of_adopted_statements_shows_each_reader_what_it_may_read(
    public, among_participants, for_the_network, sam, owner_org, client_for, oscar
):
    statement_create(
        actor=sam,
        organization=owner_org,
        title="Still a draft",
        language="en",
        paragraphs=PARAGRAPHS,
        **deadlines(),
    )
    anonymous = text(Client().get("/statements/published/"))
    assert "For the right to strike" in anonymous
    assert "Among ourselves" not in anonymous and "For the network" not in anonymous
    assert 'href="/statements/feed/"' in anonymous
    # The participants see theirs too, the network's people the network's.
    participant = text(client_for(sam).get("/statements/published/"))
    assert "Among ourselves" in participant and "For the network" in participant
    assert anonymous.count("inbox-entry") == 1
    assert "Still a draft" not in participant
    # An operator is of the network, and took part in nothing.
    network = text(client_for(oscar).get("/statements/published/"))
    assert "For the network" in network and "Among ourselves" not in network


def test_the_list_is_empty_until_a_statement_is_adopted(db):
    html = text(Client().get("/statements/published/"))
    assert "No statement has been adopted and published yet." in html
    assert 'href="/statements/published/">Adopted statements</a>' in html


def test_the_feed_holds_the_public_statements_and_never_the_others(
    public, among_participants, for_the_network
):
    response = Client().get("/statements/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - the platform's own output
    assert feed.findtext(f"{ATOM}id") == settings.SITE_URL + "/statements/feed/"
    entries = list(feed.iter(f"{ATOM}entry"))
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["For the right to strike"]
    entry = entries[0]
    assert entry.findtext(f"{ATOM}id") == settings.SITE_URL + f"/statements/{public.pk}/"
    assert entry.get(XML_LANG) == "en"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Metalworkers of São Paulo"
    assert "port of Santos" in (entry.findtext(f"{ATOM}summary") or "")
    assert b"Among ourselves" not in response.content
    assert b"For the network" not in response.content


def test_sam_attaches_a_french_version_which_readers_choose(public, sam, client_for):
    response = client_for(sam).post(
        f"/statements/{public.pk}/translations/new/",
        translation_form("Pour le droit de grève", FRENCH, "fr"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/statements/{public.pk}/?lang=fr"
    assert AuditEntry.objects.filter(action="statement.translation_add").count() == 1
    html = text(Client().get(f"/statements/{public.pk}/?lang=fr"))
    assert '<article aria-labelledby="reading-heading" lang="fr" dir="ltr"' in html
    assert "Pour le droit de grève" in html and FRENCH[1] in html
    assert "Version in French. The original, in English, is authoritative." in html
    assert f'href="/statements/{public.pk}/print/?lang=fr"' in html
    # A French reader reads it in French at once, marked as a person's translation, and finds
    # French first among the versions.
    french_reader = text(Client().get(f"/statements/{public.pk}/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert '<article aria-labelledby="reading-heading" lang="fr" dir="ltr"' in french_reader
    assert 'href="?original=1" hreflang="en"' in french_reader
    listed = french_reader.split('<ul class="languages">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'hreflang="([^"]+)"', listed) == ["fr", "en"]


def test_an_arabic_version_reads_right_to_left_on_the_page_and_on_paper(
    public, sam, owner_org, other_org, client_for
):
    Signature.objects.filter(statement=public, organization=other_org).update(
        reservations="We would have named the port authority."
    )
    client_for(sam).post(
        f"/statements/{public.pk}/translations/new/",
        translation_form("من أجل الحق في الإضراب", ARABIC, "ar"),
    )
    html = text(Client().get(f"/statements/{public.pk}/?lang=ar"))
    assert 'lang="ar" dir="rtl"' in html
    printed = text(Client().get(f"/statements/{public.pk}/print/?lang=ar"))
    assert '<article class="printable" lang="ar" dir="rtl">' in printed
    assert ARABIC[0] in printed
    assert "<h3>Brazil</h3>" in printed and "<h3>South Korea</h3>" in printed
    assert "We would have named the port authority." in printed
    # Unknown languages fall back to the original.
    original = text(Client().get(f"/statements/{public.pk}/print/?lang=xx-nonsense"))
    assert '<article class="printable" lang="en" dir="ltr">' in original
    assert "This is the original text, which is authoritative." in original


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (translation_form("Titre", FRENCH[:2], "fr"), "The adopted text has 3 paragraphs"),
        (translation_form("Title", PARAGRAPHS, "en"), "This is the original&#x27;s language"),
        (translation_form("Titre", FRENCH, "not a tag!"), "Give the language as a language tag"),
        (translation_form("", FRENCH, "fr"), "This field is required."),
    ],
)
def test_a_version_in_another_language_is_refused_with_its_reason(
    public, sam, client_for, form, message
):
    response = client_for(sam).post(f"/statements/{public.pk}/translations/new/", form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LanguageVersion.objects.exists()
    assert not AuditEntry.objects.filter(action="statement.translation_add").exists()


def test_one_version_per_language(public, sam, client_for):
    client = client_for(sam)
    client.post(
        f"/statements/{public.pk}/translations/new/", translation_form("Titre", FRENCH, "fr")
    )
    again = client.post(
        f"/statements/{public.pk}/translations/new/", translation_form("Autre", FRENCH, "FR")
    )
    assert again.status_code == 200
    assert "already has a version in this language" in again.content.decode()
    assert LanguageVersion.objects.get().texts["title"] == "Titre"


def test_only_the_initiators_speakers_enter_versions(public, mo, kim, nell, client_for):
    url = f"/statements/{public.pk}/translations/new/"
    form = translation_form("Titre", FRENCH, "fr")
    assert client_for(mo).post(url, form).status_code == 403
    assert client_for(kim).post(url, form).status_code == 403
    assert client_for(nell).post(url, form).status_code == 403
    assert Client().post(url, form).status_code == 302  # to sign in
    assert not LanguageVersion.objects.exists()


def test_a_draft_has_no_versions_in_other_languages(sam, owner_org, other_org, client_for):
    statement = adopted(sam, owner_org, other_org)
    statement.status = "drafting"
    statement.save(update_fields=["status"])
    response = client_for(sam).post(
        f"/statements/{statement.pk}/translations/new/", translation_form("Titre", FRENCH, "fr")
    )
    assert "Only an adopted statement has versions in other languages." in response.content.decode()
    assert not LanguageVersion.objects.exists()


def test_sam_changes_then_removes_a_version_after_confirming(public, sam, client_for):
    client = client_for(sam)
    client.post(
        f"/statements/{public.pk}/translations/new/", translation_form("Titre", FRENCH, "fr")
    )
    edit = f"/statements/{public.pk}/translations/fr/edit/"
    assert "Le droit de grève" in client.get(edit).content.decode()
    changed = client.post(edit, translation_form("Pour la grève", FRENCH))
    assert changed.status_code == 302
    assert LanguageVersion.objects.get().texts["title"] == "Pour la grève"
    assert LanguageVersion.objects.get().language == "fr"
    remove = f"/statements/{public.pk}/translations/fr/remove/"
    confirm = client.get(remove)
    assert "Remove the version in fr?" in confirm.content.decode()
    assert LanguageVersion.objects.exists()
    assert client.post(remove).status_code == 302
    assert not LanguageVersion.objects.exists()
    assert client.get(edit).status_code == 404
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"statement.translation_change", "statement.translation_remove"} <= actions


def test_a_signature_declined_is_not_printed(public, other_org):
    Signature.objects.filter(organization=other_org).update(status="declined")
    printed = text(Client().get(f"/statements/{public.pk}/print/"))
    assert "Korean Dockworkers" not in printed
    assert "Metalworkers of São Paulo" in printed


def test_a_signature_added_later_is_printed_under_its_country(public):
    dutch = OrganizationFactory(name="Dutch Port Union", country="NL")
    Signature.objects.create(statement=public, organization=dutch, source="added", country="NL")
    printed = text(Client().get(f"/statements/{public.pk}/print/"))
    assert "<h3>Netherlands</h3>" in printed and "Dutch Port Union" in printed


def test_the_adoption_date_is_shown_in_the_readers_time_zone(public):
    public.adopted_at = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    public.save(update_fields=["adopted_at"])
    reader = Client()
    reader.cookies["tz"] = "Asia/Seoul"
    html = text(reader.get(f"/statements/{public.pk}/"))
    assert '<time datetime="2026-12-01T08:30:00+09:00">' in html
    assert "(Asia/Seoul)" in html
