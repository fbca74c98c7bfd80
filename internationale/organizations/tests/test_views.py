"""The organization directory, registration, profile and edit pages, through real requests."""

import io
import os
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from internationale.core.tests import files
from internationale.organizations.models import Membership, Organization, OrganizationSector
from internationale.organizations.services import organization_update
from internationale.organizations.tests.factories import (
    EmployerFactory,
    OrganizationFactory,
    PresenceFactory,
    RelationFactory,
)


def _png(size=(32, 32), noise=False) -> io.BytesIO:
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "logo.png"
    return buffer


def _profile_fields(**changes):  # type: ignore[no-untyped-def]
    data = {
        "name": "Metalworkers of São Paulo",
        "kind": "union",
        "country": "BR",
        "languages": "pt-BR",
        "description": "",
    }
    data.update(changes)
    return data


# Directory --------------------------------------------------------------------------------------


def test_the_directory_shows_each_organization_with_country_kind_languages_and_badge(
    client_for, owner_org, other_org
):
    page = client_for().get("/organizations/").content.decode()
    assert "Metalworkers of São Paulo" in page
    assert "Brazil" in page and "Trade union" in page
    assert "Portuguese (Brazil)" in page
    assert "Korean, English" in page
    assert "verified" in page
    assert "2 organizations" in page


def test_the_directory_hides_unverified_organizations_except_from_their_own_people(
    client_for, owner_org, uma, nell
):
    assert "New Riders Union" not in client_for().get("/organizations/").content.decode()
    assert "New Riders Union" not in client_for(nell).get("/organizations/").content.decode()
    page = client_for(uma).get("/organizations/").content.decode()
    assert "New Riders Union" in page and "not verified" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("country=KR", "Korean Dockworkers", "Metalworkers"),
        ("region=Americas", "Metalworkers", "Korean Dockworkers"),
        ("region=Asia", "Korean Dockworkers", "Metalworkers"),
        ("kind=federation", "Andean Federation", "Korean Dockworkers"),
        ("sector=H", "Korean Dockworkers", "Metalworkers"),
        ("language=pt", "Metalworkers", "Korean Dockworkers"),
        ("language=ko", "Korean Dockworkers", "Metalworkers"),
        ("q=dock", "Korean Dockworkers", "Metalworkers"),
        ("employer=global-ports", "Korean Dockworkers", "Metalworkers"),
    ],
)
def test_the_directory_filters_narrow_the_results(
    client_for, owner_org, other_org, query, shown, hidden
):
    OrganizationFactory(name="Andean Federation", kind="federation", country="PE")
    OrganizationSector.objects.create(organization=other_org, code="H")
    PresenceFactory(
        organization=other_org,
        employer=EmployerFactory(name="Global Ports", slug="global-ports"),
        visibility="public",
    )
    page = client_for().get(f"/organizations/?{query}").content.decode()
    assert shown in page
    assert hidden not in page


def test_the_verified_filter_shows_a_members_unverified_organization_alone(
    client_for, owner_org, uma
):
    page = client_for(uma).get("/organizations/?verified=no").content.decode()
    assert "New Riders Union" in page
    assert "Metalworkers" not in page


def test_the_directory_explains_when_nothing_matches(client_for, owner_org):
    page = client_for().get("/organizations/?q=nothing-like-this").content.decode()
    assert "0 organizations" in page
    assert 'class="empty"' in page and "No organization matches" in page


def test_an_invalid_filter_is_shown_as_an_error_not_ignored(client_for, owner_org):
    page = client_for().get("/organizations/?country=ZZ").content.decode()
    assert 'aria-invalid="true"' in page
    assert "Some filters are not valid" in page
    assert "Metalworkers" not in page.split('id="results"')[1]


def test_the_directory_is_paginated_and_pages_keep_the_filters(client_for, db):
    for n in range(30):
        OrganizationFactory(name=f"Union {n:02d}", country="BR")
    client = client_for()
    first = client.get("/organizations/?country=BR").content.decode()
    assert "30 organizations" in first
    assert "Page 1 of 2" in first
    assert "Union 24" in first and "Union 25" not in first
    assert "country=BR&amp;page=2" in first
    second = client.get("/organizations/?country=BR&page=2").content.decode()
    assert "Union 25" in second and "Union 29" in second and "Union 24" not in second


def test_a_page_number_out_of_range_shows_the_last_page(client_for, owner_org):
    response = client_for().get("/organizations/?page=99")
    assert response.status_code == 200
    assert "Metalworkers" in response.content.decode()


def _directory_queries(client, count: int) -> int:
    for n in range(count):
        OrganizationFactory(name=f"Query Union {n:02d}", languages=["en", "fr"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/organizations/")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [5, 30])
def test_the_directory_costs_a_few_queries_however_many_organizations(
    client_for, mo, count, django_assert_max_num_queries
):
    client = client_for(mo)
    for n in range(count):
        OrganizationFactory(name=f"Query Union {n:02d}", languages=["en", "fr"])
    with django_assert_max_num_queries(8):
        assert client.get("/organizations/").status_code == 200


def test_the_directory_query_count_is_the_same_for_5_and_30_organizations(client_for, db):
    few = _directory_queries(client_for(), 5)
    many = _directory_queries(client_for(), 25)  # 30 in all: more than a page
    assert few == many


def test_the_directory_answers_htmx_with_the_results_only(client_for, owner_org):
    response = client_for().get("/organizations/?country=BR", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page
    assert "Metalworkers" in page and "1 organization" in page
    assert "HX-Request" in response["Vary"]


def test_the_directory_form_works_without_javascript_and_with_htmx(client_for, owner_org):
    page = client_for().get("/organizations/").content.decode()
    assert 'method="get" action="/organizations/"' in page
    assert 'data-hx-get="/organizations/"' in page and 'data-hx-push-url="true"' in page
    assert '<label for="id_country">' in page


def test_a_form_posted_without_its_csrf_token_is_refused(nell):
    client = Client(enforce_csrf_checks=True)
    client.force_login(nell)
    response = client.post("/organizations/new/", {"name": "X", "kind": "union", "country": "GB"})
    assert response.status_code == 403
    assert not Organization.objects.filter(name="X").exists()


# Registration -----------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_asked_to_sign_in_to_register(client_for):
    response = client_for().get("/organizations/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/organizations/new/")


def test_the_registration_page_says_the_organization_starts_unverified(client_for, nell):
    page = client_for(nell).get("/organizations/new/").content.decode()
    assert "unverified" in page
    assert 'name="submission_key"' in page
    assert "csrfmiddlewaretoken" in page


def test_registering_makes_the_creator_admin_of_an_unverified_organization(client_for, nell):
    response = client_for(nell).post(
        "/organizations/new/",
        {
            "name": "Cleaners United",
            "kind": "union",
            "country": "GB",
            "languages": "en, pl  ro",
            "sectors": ["N", "Q"],
        },
        follow=True,
    )
    org = Organization.objects.get(name="Cleaners United")
    assert response.redirect_chain[-1][0] == f"/organizations/{org.slug}/"
    page = response.content.decode()
    assert "is registered. It is not verified yet" in page
    assert org.verified_at is None
    assert Membership.objects.get(organization=org).user == nell
    assert Membership.objects.get(organization=org).role == "admin"
    assert [language.tag for language in org.languages.all()] == ["en", "pl", "ro"]
    assert sorted(org.sectors.values_list("code", flat=True)) == ["N", "Q"]


def test_the_same_registration_sent_twice_creates_one_organization(client_for, nell):
    client = client_for(nell)
    data = {"name": "Twice Union", "kind": "union", "country": "GB", "submission_key": "k-1"}
    first = client.post("/organizations/new/", data)
    second = client.post("/organizations/new/", data)
    assert Organization.objects.filter(name="Twice Union").count() == 1
    assert first["Location"] == second["Location"]


def test_registering_with_an_invalid_language_shows_the_error_on_the_field(client_for, nell):
    response = client_for(nell).post(
        "/organizations/new/",
        {"name": "Bad Tags", "kind": "union", "country": "GB", "languages": "en, not a tag!"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not a valid BCP 47 language tag" in page
    assert 'id="id_languages_error"' in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="id_languages_helptext' in page
    assert not Organization.objects.filter(name="Bad Tags").exists()


def test_registering_with_an_unknown_sector_is_refused(client_for, nell):
    response = client_for(nell).post(
        "/organizations/new/",
        {"name": "Bad Sector", "kind": "union", "country": "GB", "sectors": ["Z"]},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Organization.objects.filter(name="Bad Sector").exists()


def test_registering_without_a_name_says_which_field_is_missing(client_for, nell):
    response = client_for(nell).post("/organizations/new/", {"kind": "union", "country": "GB"})
    page = response.content.decode()
    assert 'id="id_name_error"' in page and "This field is required" in page
    assert "Please correct the errors below" in page


# Profile ----------------------------------------------------------------------------------------


def test_the_profile_renders_the_description_as_safe_markdown(client_for, owner_org):
    owner_org.description = "We **organize** metalworkers.\n\n<script>alert(1)</script>"
    owner_org.save()
    page = client_for().get("/organizations/metal-sp/").content.decode()
    assert "<strong>organize</strong>" in page
    assert "<script>alert(1)</script>" not in page


def test_the_profile_shows_languages_sectors_presences_relations_and_vouches(
    client_for, owner_org, other_org, kim
):
    OrganizationSector.objects.create(organization=owner_org, code="C")
    PresenceFactory(
        organization=owner_org,
        employer=EmployerFactory(name="Acme Steel", slug="acme-steel"),
        visibility="public",
    )
    RelationFactory(proposer=owner_org, partner=other_org, visibility="public")
    unverified = OrganizationFactory(name="Young Union", slug="young", verified_at=None)
    PresenceFactory(organization=unverified, employer=EmployerFactory(), visibility="public")
    from internationale.organizations.models import Vouch

    Vouch.objects.create(organization=owner_org, voucher=other_org, vouched_by=kim)
    page = client_for(kim).get("/organizations/metal-sp/").content.decode()
    assert "Portuguese (Brazil)" in page
    assert "C · Manufacturing" in page
    assert "Acme Steel" in page
    assert "Korean Dockworkers" in page and "Fraternal relation" in page
    assert "Korean Dockworkers vouches for it" in page
    assert "Verified on" in page
    # Who vouched is a link between organizations: the public does not see it.
    public = client_for().get("/organizations/metal-sp/").content.decode()
    assert "Verified on" in public and "vouches for it" not in public


def test_an_unknown_organization_is_not_found(client_for, mo):
    assert client_for(mo).get("/organizations/no-such-org/").status_code == 404


def test_an_unverified_organization_is_not_found_by_outsiders(client_for, uma, nell, mo):
    assert client_for(nell).get("/organizations/riders-new/").status_code == 404
    assert client_for(None).get("/organizations/riders-new/").status_code == 404
    # Members of verified organizations see it, so that they can vouch for it.
    assert client_for(mo).get("/organizations/riders-new/").status_code == 200
    page = client_for(uma).get("/organizations/riders-new/").content.decode()
    assert "Not verified yet: 0 vouches of the 2 needed." in page
    assert "can vouch for it at this address" in page
    assert "/organizations/riders-new/vouch/" in page


def test_the_profile_links_to_management_pages_only_for_those_who_may_use_them(client_for, ana, mo):
    admin_page = client_for(ana).get("/organizations/metal-sp/").content.decode()
    assert "/organizations/metal-sp/edit/" in admin_page
    assert "/organizations/metal-sp/invite/" in admin_page
    assert "/organizations/metal-sp/members/" in admin_page
    member_page = client_for(mo).get("/organizations/metal-sp/").content.decode()
    assert "/organizations/metal-sp/members/" in member_page
    assert "/organizations/metal-sp/edit/" not in member_page
    public_page = client_for().get("/organizations/metal-sp/").content.decode()
    assert "/members/" not in public_page and "/vouch/" not in public_page


def test_the_profile_offers_vouching_to_speakers_of_another_verified_organization(
    client_for, owner_org, kim, sam
):
    assert (
        "/organizations/metal-sp/vouch/"
        in client_for(kim).get("/organizations/metal-sp/").content.decode()
    )
    assert (
        "/organizations/metal-sp/vouch/"
        not in client_for(sam).get("/organizations/metal-sp/").content.decode()
    )


def test_once_its_organization_vouches_the_profile_no_longer_offers_vouching(
    client_for, unverified_org, other_org, kim
):
    from internationale.organizations.services import vouch_add

    vouch_add(actor=kim, organization=unverified_org, voucher=other_org)
    profile = client_for(kim).get("/organizations/riders-new/vouch/").content.decode()
    assert "Every organization you speak for already vouches for it." in profile
    assert '<button type="submit" class="button">Vouch</button>' not in profile
    page = client_for(kim).get("/organizations/riders-new/")
    assert page.status_code == 200 and "Vouch for this organization" not in page.content.decode()


def test_the_profile_offers_verification_to_operators_of_an_unverified_organization(
    client_for, unverified_org, oscar
):
    page = client_for(oscar).get("/organizations/riders-new/").content.decode()
    assert "/organizations/riders-new/verify/" in page


# Edit -------------------------------------------------------------------------------------------


def test_the_edit_form_is_filled_with_the_current_profile(client_for, ana, owner_org):
    OrganizationSector.objects.create(organization=owner_org, code="C")
    page = client_for(ana).get("/organizations/metal-sp/edit/").content.decode()
    assert 'value="Metalworkers of São Paulo"' in page
    assert 'value="pt-BR"' in page
    assert re.search(r'<input type="checkbox" name="sectors" value="C"[^>]* checked>', page)
    assert not re.search(r'<input type="checkbox" name="sectors" value="H"[^>]* checked>', page)


def test_an_admin_edits_the_profile_languages_and_sectors(client_for, ana, owner_org):
    response = client_for(ana).post(
        "/organizations/metal-sp/edit/",
        _profile_fields(
            city="São Paulo", languages="pt-BR es", sectors=["C", "H"], description="*Hi*"
        ),
        follow=True,
    )
    assert "The profile is saved." in response.content.decode()
    owner_org.refresh_from_db()
    assert owner_org.city == "São Paulo"
    assert [language.tag for language in owner_org.languages.all()] == ["pt-BR", "es"]
    assert sorted(owner_org.sectors.values_list("code", flat=True)) == ["C", "H"]


def test_an_operator_may_edit_an_organization(client_for, oscar, owner_org):
    response = client_for(oscar).post(
        "/organizations/metal-sp/edit/", _profile_fields(city="Santos")
    )
    assert response.status_code == 302
    owner_org.refresh_from_db()
    assert owner_org.city == "Santos"


def test_a_member_may_not_edit_the_profile(client_for, mo, owner_org):
    response = client_for(mo).post("/organizations/metal-sp/edit/", _profile_fields(city="X"))
    assert response.status_code == 403
    owner_org.refresh_from_db()
    assert owner_org.city == ""


def test_languages_are_chosen_by_name_in_the_readers_language(client_for, ana, owner_org):
    ana.language = "es"
    ana.save()
    page = client_for(ana).get("/organizations/metal-sp/edit/").content.decode()
    assert re.search(
        r'<option value="pt-BR" selected>portugués \(Brasil\) — português \(Brasil\)</option>', page
    )
    assert '<option value="ar">árabe — العربية</option>' in page
    assert re.search(r'<select name="languages_1" aria-label="[^"]+ 2"', page)
    fields = _profile_fields(languages="")
    del fields["languages"]
    fields.update(languages_0="ar", languages_1="pt-BR", languages_2="", languages_3="ar")
    response = client_for(ana).post("/organizations/metal-sp/edit/", fields)
    assert response.status_code == 302
    assert [language.tag for language in owner_org.languages.order_by("id")] == ["ar", "pt-BR"]


def test_an_invalid_language_keeps_the_profile_unchanged(client_for, ana, owner_org):
    response = client_for(ana).post(
        "/organizations/metal-sp/edit/",
        _profile_fields(name="Renamed", languages="xx-!!"),
    )
    assert response.status_code == 200
    assert "is not a valid BCP 47 language tag" in response.content.decode()
    owner_org.refresh_from_db()
    assert owner_org.name == "Metalworkers of São Paulo"
    assert [language.tag for language in owner_org.languages.all()] == ["pt-BR"]


def test_an_out_of_range_founding_year_is_shown_on_its_field(client_for, ana, owner_org):
    response = client_for(ana).post(
        "/organizations/metal-sp/edit/", _profile_fields(founded_year="1200")
    )
    page = response.content.decode()
    assert 'id="id_founded_year_error"' in page


def test_an_admin_uploads_a_logo_that_the_profile_shows(client_for, ana, owner_org):
    response = client_for(ana).post(
        "/organizations/metal-sp/edit/", {**_profile_fields(), "logo": _png()}
    )
    assert response.status_code == 302
    owner_org.refresh_from_db()
    assert owner_org.logo.name.startswith("logos/")
    page = client_for().get("/organizations/metal-sp/").content.decode()
    assert owner_org.logo.url in page


def test_a_file_that_is_not_an_image_is_refused_as_logo(client_for, ana, owner_org):
    fake = io.BytesIO(b"<svg onload='alert(1)'></svg>")
    fake.name = "logo.png"
    response = client_for(ana).post(
        "/organizations/metal-sp/edit/", {**_profile_fields(), "logo": fake}
    )
    assert response.status_code == 200
    assert 'id="id_logo_error"' in response.content.decode()
    owner_org.refresh_from_db()
    assert not owner_org.logo


def test_a_logo_over_the_size_limit_is_refused(client_for, ana, owner_org):
    big = _png(size=(420, 420), noise=True)
    assert 512 * 1024 < len(big.getvalue()) < 1024 * 1024
    response = client_for(ana).post(
        "/organizations/metal-sp/edit/", {**_profile_fields(), "logo": big}
    )
    assert response.status_code == 200
    assert "The logo is too large" in response.content.decode()
    owner_org.refresh_from_db()
    assert not owner_org.logo


def _upload(content: bytes, name: str) -> io.BytesIO:
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


def test_a_logo_photo_is_stored_upright_without_its_gps_position_or_camera(
    client_for, ana, owner_org
):
    photo = files.phone_photo()
    response = client_for(ana).post(
        "/organizations/metal-sp/edit/", {**_profile_fields(), "logo": _upload(photo, "logo.jpg")}
    )
    assert response.status_code == 302
    owner_org.refresh_from_db()
    with owner_org.logo.open("rb") as stored_file:
        stored = stored_file.read()
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif()  # no GPS position, no camera, no time: anyone can read a logo
    assert not {"exif", "xmp", "comment"} & set(image.info)
    assert files.SERIAL.encode() not in stored and b"picket line" not in stored
    assert image.size == (20, 40)  # turned upright as the phone said, red on top
    assert image.convert("RGB").getpixel((10, 5))[0] > 150
    page = client_for().get("/organizations/metal-sp/").content.decode()
    assert owner_org.logo.url in page


def test_a_logo_photo_holding_several_pictures_is_stored_as_its_first_picture(
    client_for, ana, owner_org
):
    photo = files.phone_photo(format="MPO")
    response = client_for(ana).post(
        "/organizations/metal-sp/edit/", {**_profile_fields(), "logo": _upload(photo, "logo.jpg")}
    )
    assert response.status_code == 302
    owner_org.refresh_from_db()
    assert owner_org.logo.name.endswith(".jpg")
    with owner_org.logo.open("rb") as stored_file:
        image = Image.open(io.BytesIO(stored_file.read()))
    assert (image.format, getattr(image, "n_frames", 1)) == ("JPEG", 1)
    assert not image.getexif() and not {"exif", "xmp", "comment", "mp"} & set(image.info)
    assert image.size == (20, 40)


def _bilevel_png(size: tuple[int, int]) -> io.BytesIO:
    """Black and white pixels: a few kilobytes of PNG however many pixels it holds."""
    buffer = io.BytesIO()
    Image.new("1", size, 1).save(buffer, format="PNG")
    return _upload(buffer.getvalue(), "logo.png")


def test_a_logo_of_too_many_pixels_is_refused_however_small_the_file(client_for, ana, owner_org):
    logo = _bilevel_png((7000, 7000))  # 49 million pixels, accepted as evidence but not as logo
    assert len(logo.getvalue()) < 512 * 1024

    response = client_for(ana).post(
        "/organizations/metal-sp/edit/", {**_profile_fields(), "logo": logo}
    )

    assert response.status_code == 200
    assert "The image is too large: at most 16 million pixels." in response.content.decode()
    owner_org.refresh_from_db()
    assert not owner_org.logo


@pytest.mark.parametrize(
    ("size", "stored"), [((4000, 2000), (1024, 512)), ((900, 3600), (256, 1024))]
)
def test_a_large_logo_is_stored_scaled_down_to_1024_pixels_keeping_its_proportions(
    client_for, ana, owner_org, size, stored
):
    response = client_for(ana).post(
        "/organizations/metal-sp/edit/", {**_profile_fields(), "logo": _bilevel_png(size)}
    )

    assert response.status_code == 302
    owner_org.refresh_from_db()
    with owner_org.logo.open("rb") as stored_file:
        assert Image.open(stored_file).size == stored


def test_an_animated_logo_is_refused(client_for, ana, owner_org):
    response = client_for(ana).post(
        "/organizations/metal-sp/edit/",
        {**_profile_fields(), "logo": _upload(files.animated_gif(), "logo.gif")},
    )
    assert response.status_code == 200
    assert "Animated images are not accepted: upload a still image." in response.content.decode()
    owner_org.refresh_from_db()
    assert not owner_org.logo


def test_the_directory_shows_an_edited_organization_at_once(client_for, ana, owner_org):
    assert "Metalworkers of São Paulo" in client_for().get("/organizations/").content.decode()
    organization_update(actor=ana, organization=owner_org, name="Metalworkers Union of SP")

    page = client_for().get("/organizations/").content.decode()
    assert "Metalworkers Union of SP" in page and "Metalworkers of São Paulo" not in page


def test_the_directory_filters_keep_their_choice_and_their_labels(client_for, owner_org):
    page = client_for().get("/organizations/?country=BR&kind=union").content.decode()
    assert '<label for="id_country"' in page and 'id="id_country"' in page
    assert '<option value="BR" selected>' in page
    assert '<option value="union" selected>' in page
    spanish = client_for().get("/organizations/?country=BR", HTTP_ACCEPT_LANGUAGE="es")
    assert "Brasil" in spanish.content.decode()


def test_a_logo_an_operator_uploads_in_the_operator_pages_is_cleaned_too(owner_org):
    from django.contrib.admin import site
    from django.test import RequestFactory

    from internationale.accounts.tests.factories import UserFactory

    operator = UserFactory(email="root@operators.example", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    url = f"/operator/organizations/organization/{owner_org.pk}/change/"
    # What the change page's form holds now, as the browser would send it back, plus the photo.
    request = RequestFactory().get(url)
    request.user = operator
    form = site._registry[Organization].get_form(request, owner_org)(instance=owner_org)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or name == "logo":
            continue
        data[name] = value if isinstance(value, list) else field.widget.format_value(value) or value
    data["logo"] = _upload(files.phone_photo(), "logo.jpg")

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    owner_org.refresh_from_db()
    with owner_org.logo.open("rb") as stored_file:
        image = Image.open(io.BytesIO(stored_file.read()))
    assert not image.getexif()
    assert image.size == (20, 40)
