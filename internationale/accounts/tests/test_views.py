"""A person's settings, the language switcher, API tokens and the audit log, through real requests."""

import datetime
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from internationale.accounts.models import ApiToken, User
from internationale.accounts.services import token_authenticate, token_create
from internationale.accounts.tests.factories import PASSWORD
from internationale.core.models import AuditEntry
from internationale.core.tests.confirmations import assert_offered_second, confirmation

pytestmark = pytest.mark.django_db


def html_root(response) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"<html[^>]*>", response.content.decode())[0]


# Settings


def test_settings_page_shows_the_persons_choices_and_account_links(client_for, ana):
    ana.time_zone = "America/Sao_Paulo"
    ana.save()
    response = client_for(ana).get("/settings/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="' + ana.name + '"' in page
    assert '<optgroup label="Americas">' in page
    assert "<option selected>Sao Paulo<" in page
    for url in ("/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"):
        assert f'href="{url}"' in page
    assert 'action="/accounts/logout/"' in page


def test_saving_settings_changes_name_language_and_time_zone(client_for, ana):
    client = client_for(ana)
    response = client.post(
        "/settings/", {"name": "Ana Souza", "language": "es", "time_zone": "America/Sao_Paulo"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/settings/"
    ana.refresh_from_db()
    assert (ana.name, ana.language, ana.time_zone) == ("Ana Souza", "es", "America/Sao_Paulo")
    page = client.get("/settings/")
    assert '<html lang="es" dir="ltr">' in html_root(page)
    assert 'class="success"' in page.content.decode()


def test_an_unknown_time_zone_is_refused_and_nothing_is_saved(client_for, ana):
    response = client_for(ana).post(
        "/settings/", {"name": "Changed", "language": "fr", "time_zone": "Mars/Olympus_Mons"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_time_zone_error"' in page
    assert "“Mars/Olympus_Mons” is not a known time zone." in page
    assert re.search(r'<select[^>]*aria-invalid="true"[^>]*id="id_time_zone"', page) or re.search(
        r'<select[^>]*id="id_time_zone"[^>]*aria-invalid="true"', page
    )
    ana.refresh_from_db()
    assert (ana.name, ana.language, ana.time_zone) != ("Changed", "fr", "Mars/Olympus_Mons")
    assert ana.time_zone == ""


def test_the_settings_page_asks_an_anonymous_visitor_to_sign_in(client_for):
    response = client_for(None).get("/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/settings/")


def test_the_settings_form_ties_help_text_to_its_field(client_for, ana):
    page = client_for(ana).get("/settings/").content.decode()
    assert 'id="id_time_zone_helptext"' in page
    assert 'aria-describedby="id_time_zone_helptext"' in page
    assert '<label for="id_time_zone">' in page


class _BrowserForm(HTMLParser):
    """The time-zone list as a browser reads it: each option's region (its `<optgroup>`), what it
    shows, what it sends (its value attribute, else its text with spaces collapsed), selected."""

    def __init__(self) -> None:
        super().__init__()
        self.options: list[dict[str, Any]] = []
        self.region: str | None = None
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "select":
            self.inside = found.get("name") == "time_zone"
        elif self.inside and tag == "optgroup":
            self.region = found["label"]
        elif self.inside and tag == "option":
            self.options.append(
                {
                    "region": self.region,
                    "value": found.get("value"),
                    "text": "",
                    "selected": "selected" in found,
                }
            )

    def handle_endtag(self, tag: str) -> None:
        if tag == "optgroup":
            self.region = None
        elif tag == "select":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside and self.options:
            self.options[-1]["text"] += data

    def sent(self, shown: str, region: str | None) -> str:
        for option in self.options:
            if " ".join(option["text"].split()) == shown and option["region"] == region:
                value = option["value"]
                return " ".join(option["text"].split()) if value is None else value
        raise AssertionError(f"no option {shown!r} under {region!r}")


def _time_zones(page: str) -> _BrowserForm:
    form = _BrowserForm()
    form.feed(page)
    return form


@pytest.mark.parametrize(
    ("shown", "region", "zone"),
    [
        ("Lagos", "Africa", "Africa/Lagos"),
        ("Buenos Aires, Argentina", "Americas", "America/Argentina/Buenos_Aires"),
        ("Indianapolis, Indiana", "Americas", "America/Indiana/Indianapolis"),
        ("Istanbul", "Europe", "Europe/Istanbul"),
        ("Istanbul", "Asia", "Asia/Istanbul"),
        ("UTC", None, "UTC"),
    ],
)
def test_a_place_chosen_under_its_region_is_saved_as_its_time_zone(
    client_for, ana, shown, region, zone
):
    client = client_for(ana)
    sent = _time_zones(client.get("/settings/").content.decode()).sent(shown, region)
    response = client.post("/settings/", {"name": "Ana", "language": "", "time_zone": sent})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.time_zone == zone
    chosen = [
        o for o in _time_zones(client.get("/settings/").content.decode()).options if o["selected"]
    ]
    assert [(" ".join(o["text"].split()), o["region"]) for o in chosen] == [(shown, region)]


def test_the_time_zones_are_grouped_by_region_and_the_list_weighs_under_ten_kilobytes(
    client_for, ana
):
    page = client_for(ana).get("/settings/").content.decode()
    options = _time_zones(page).options
    regions = {o["region"] for o in options}
    assert {"Africa", "Americas", "Asia", "Europe", "Pacific Ocean"} <= regions
    assert len(options) > 400  # every geographic zone still offered
    # Named by their place alone: no region repeated in each option, no underscores.
    assert not [o for o in options if o["region"] and "/" in o["text"]]
    assert not [o for o in options if "_" in o["text"]]
    select = re.search(r'<select name="time_zone".*?</select>', page, re.S)
    assert select is not None
    assert len(select[0].encode()) < 10_000


def test_a_zone_sent_by_its_full_name_is_still_understood_and_a_place_of_no_zone_refused(
    client_for, ana
):
    client = client_for(ana)
    client.post("/settings/", {"name": "Ana", "language": "", "time_zone": "Asia/Kolkata"})
    ana.refresh_from_db()
    assert ana.time_zone == "Asia/Kolkata"
    page = client.get("/settings/").content.decode()
    chosen = [o for o in _time_zones(page).options if o["selected"]]
    assert [(o["text"], o["region"]) for o in chosen] == [("Kolkata", "Asia")]
    response = client.post("/settings/", {"name": "Ana", "language": "", "time_zone": "Atlantis"})
    assert response.status_code == 200
    assert "“Atlantis” is not a known time zone." in response.content.decode()
    ana.refresh_from_db()
    assert ana.time_zone == "Asia/Kolkata"


# The language switcher


def test_choosing_arabic_gives_a_right_to_left_page(client_for):
    client = client_for(None)
    response = client.post("/settings/language/", {"language": "ar", "next": "/organizations/"})
    assert response.status_code == 302
    assert response["Location"] == "/organizations/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert html_root(client.get("/")) == '<html lang="ar" dir="rtl">'


def test_an_anonymous_visitors_choice_is_remembered_by_a_cookie(client_for):
    client = client_for(None)
    client.post("/settings/language/", {"language": "fr", "next": "/"})
    assert html_root(client.get("/")) == '<html lang="fr" dir="ltr">'
    assert html_root(client_for(None).get("/")) == '<html lang="en" dir="ltr">'


def test_a_signed_in_persons_language_follows_them_to_a_new_session(client_for, ana):
    client_for(ana).post("/settings/language/", {"language": "ar", "next": "/dashboard/"})
    ana.refresh_from_db()
    assert ana.language == "ar"
    elsewhere = client_for(ana)  # another browser: no cookie
    assert html_root(elsewhere.get("/dashboard/")) == '<html lang="ar" dir="rtl">'


def test_the_language_switcher_never_sends_people_to_another_site(client_for):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client_for(None).post("/settings/language/", {"language": "es", "next": target})
        assert response["Location"] == "/"


def test_an_unknown_language_changes_nothing(client_for, ana):
    response = client_for(ana).post("/settings/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    ana.refresh_from_db()
    assert ana.language == ""


def test_the_language_switcher_only_accepts_post(client_for):
    assert client_for(None).get("/settings/language/").status_code == 405


# The audit log


@pytest.fixture
def audited(owner_org, other_org, ana):  # type: ignore[no-untyped-def]
    AuditEntry.objects.create(
        actor=ana, organization=owner_org, action="member.role", summary="Mo is now secretary"
    )
    AuditEntry.objects.create(
        actor=ana, organization=other_org, action="secret.thing", summary="Not for metal-sp"
    )
    return owner_org


def test_the_audit_log_is_visible_to_the_admin_and_to_operators(client_for, audited, ana, oscar):
    for person in (ana, oscar):
        response = client_for(person).get("/organizations/metal-sp/audit/")
        page = response.content.decode()
        assert response.status_code == 200
        assert "Mo is now secretary" in page
        assert "Not for metal-sp" not in page
        # Who acted: to those who may see the organization's people, not to operators.
        assert (ana.name in page) == (person == ana)


def test_the_audit_log_does_not_exist_for_members_or_other_organizations(
    client_for, audited, mo, sam, kim, nell
):
    for person in (mo, sam, kim, nell):
        assert client_for(person).get("/organizations/metal-sp/audit/").status_code == 404


def test_the_audit_log_is_newest_first_and_paginated(client_for, owner_org, ana, settings):
    settings.INTERNATIONALE_PAGE_SIZE = 3
    for n in range(5):
        entry = AuditEntry.objects.create(
            actor=ana, organization=owner_org, action="test", summary=f"event {n}"
        )
        AuditEntry.objects.filter(pk=entry.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=10 - n)
        )
    client = client_for(ana)
    first = client.get("/organizations/metal-sp/audit/").content.decode()
    assert first.index("event 4") < first.index("event 3") < first.index("event 2")
    assert "event 1" not in first
    assert 'href="?page=2"' in first
    second = client.get("/organizations/metal-sp/audit/?page=2").content.decode()
    assert "event 1" in second and "event 0" in second


def test_audit_times_are_shown_in_the_viewers_time_zone(client_for, owner_org, ana):
    ana.time_zone = "Asia/Tokyo"
    ana.save()
    entry = AuditEntry.objects.create(
        actor=ana, organization=owner_org, action="test", summary="tz"
    )
    AuditEntry.objects.filter(pk=entry.pk).update(
        created_at=datetime.datetime(2025, 5, 1, 12, 0, tzinfo=datetime.UTC)
    )
    page = client_for(ana).get("/organizations/metal-sp/audit/").content.decode()
    assert 'datetime="2025-05-01T21:00:00+09:00"' in page
    assert "Asia/Tokyo" in page


def _audit_at_noon_utc(ana, owner_org):  # type: ignore[no-untyped-def]
    entry = AuditEntry.objects.create(actor=ana, organization=owner_org, action="test")
    AuditEntry.objects.filter(pk=entry.pk).update(
        created_at=datetime.datetime(2025, 5, 1, 12, 0, tzinfo=datetime.UTC)
    )


def test_without_a_chosen_zone_times_follow_the_browser_then_the_organizations_country(
    client_for, ana, kai, owner_org, other_org
):
    _audit_at_noon_utc(ana, owner_org)
    assert ana.time_zone == ""  # not chosen
    client = client_for(ana)
    # No word from the browser yet: the country of Ana's organization (Brazil) has several zones,
    # so the server's zone stands.
    assert (
        'datetime="2025-05-01T12:00:00+00:00"'
        in client.get("/organizations/metal-sp/audit/").content.decode()
    )
    client.cookies["tz"] = "Asia/Tokyo"
    assert (
        'datetime="2025-05-01T21:00:00+09:00"'
        in client.get("/organizations/metal-sp/audit/").content.decode()
    )
    client.cookies["tz"] = "Mars/Olympus_Mons"  # not a zone: ignored
    assert (
        'datetime="2025-05-01T12:00:00+00:00"'
        in client.get("/organizations/metal-sp/audit/").content.decode()
    )
    # Korea has one zone: Kai, admin of the Korean dockworkers, reads Seoul time without a word.
    _audit_at_noon_utc(kai, other_org)
    page = client_for(kai).get("/organizations/docks-kr/audit/").content.decode()
    assert 'datetime="2025-05-01T21:00:00+09:00"' in page and "Asia/Seoul" in page


def test_a_chosen_zone_wins_over_the_browsers_and_automatic_can_be_chosen_again(client_for, ana):
    ana.time_zone = "Europe/Berlin"
    ana.save()
    client = client_for(ana)
    client.cookies["tz"] = "Asia/Tokyo"
    page = client.get("/settings/").content.decode()
    chosen = [o for o in _time_zones(page).options if o["selected"]]
    assert [(o["text"], o["region"]) for o in chosen] == [("Berlin", "Europe")]
    assert (
        '<option value="">Automatic: my browser&#x27;s, or my organization&#x27;s country&#x27;s'
        in page
    )
    response = client.post("/settings/", {"name": "Ana", "language": "", "time_zone": ""})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.time_zone == ""


def test_deadlines_name_their_time_zone(client_for, mo, owner_org):
    from internationale.appeals.tests.factories import AppealFactory

    mo.time_zone = "America/Sao_Paulo"
    mo.save()
    appeal = AppealFactory(
        organization=owner_org,
        deadline=datetime.datetime(2026, 12, 20, 15, 0, tzinfo=datetime.UTC),
    )
    page = client_for(mo).get(f"/appeals/{appeal.pk}/").content.decode()
    assert "Dec. 20, 2026, noon (America/Sao_Paulo)" in page


# API tokens


def test_a_new_token_is_shown_once_and_works_against_the_api(client_for, mo, owner_org):
    client = client_for(mo)
    response = client.post(
        "/organizations/metal-sp/tokens/", {"name": "my script", "password": PASSWORD}
    )
    assert response.status_code == 302
    page = client.get("/organizations/metal-sp/tokens/").content.decode()
    raw = re.search(r'id="new-token"[^>]*value="(int_[^"]+)"', page)[1]
    token = token_authenticate(raw)
    assert token is not None and token.user == mo and token.organization == owner_org
    again = client.get("/organizations/metal-sp/tokens/").content.decode()
    assert raw not in again
    assert token.key_prefix in again


def test_creating_a_token_is_audited(client_for, mo):
    client_for(mo).post("/organizations/metal-sp/tokens/", {"name": "x", "password": PASSWORD})
    assert AuditEntry.objects.filter(action="token.create", actor=mo).exists()


def test_a_revoked_token_no_longer_works(client_for, mo, owner_org):
    token, raw = token_create(actor=mo, user=mo, organization=owner_org, name="old")
    client = client_for(mo)
    url = f"/organizations/metal-sp/tokens/{token.pk}/revoke/"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert token.key_prefix in confirm.content.decode()
    assert token_authenticate(raw) is not None  # asking is not revoking
    response = client.post(url)
    assert response.status_code == 302
    assert token_authenticate(raw) is None
    page = client.get("/organizations/metal-sp/tokens/").content.decode()
    assert "revoked" in page


def test_members_see_their_own_tokens_and_the_admin_sees_everyones(
    client_for, ana, sam, mo, owner_org
):
    mine, _ = token_create(actor=mo, user=mo, organization=owner_org, name="mo's script")
    theirs, _ = token_create(actor=sam, user=sam, organization=owner_org, name="sam's script")
    mo_page = client_for(mo).get("/organizations/metal-sp/tokens/").content.decode()
    assert mine.key_prefix in mo_page and theirs.key_prefix not in mo_page
    ana_page = client_for(ana).get("/organizations/metal-sp/tokens/").content.decode()
    assert mine.key_prefix in ana_page and theirs.key_prefix in ana_page
    assert "mo@metal.example" in ana_page or mo.name in ana_page


def test_a_member_cannot_revoke_someone_elses_token_but_the_admin_can(
    client_for, ana, sam, mo, owner_org
):
    token, raw = token_create(actor=mo, user=mo, organization=owner_org)
    url = f"/organizations/metal-sp/tokens/{token.pk}/revoke/"
    assert client_for(sam).post(url).status_code == 404
    assert token_authenticate(raw) is not None
    assert client_for(ana).post(url).status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_tokens_are_not_found_outside_the_organization(client_for, kim, oscar, owner_org):
    for person in (kim, oscar):
        assert client_for(person).get("/organizations/metal-sp/tokens/").status_code == 404


def test_the_token_list_costs_a_fixed_number_of_queries(
    client_for, ana, owner_org, django_assert_max_num_queries
):
    for n in range(10):
        member = User.objects.create_user(f"m{n}@metal.example", "x")
        owner_org.memberships.create(user=member, role="member")
        token_create(actor=member, user=member, organization=owner_org)
    client = client_for(ana)
    with django_assert_max_num_queries(12):
        assert client.get("/organizations/metal-sp/tokens/").status_code == 200


def test_a_token_is_revoked_only_after_confirming_which(client_for, mo, owner_org):
    token, raw = token_create(actor=mo, user=mo, organization=owner_org, name="old")
    url = f"/organizations/metal-sp/tokens/{token.pk}/revoke/"
    client = client_for(mo)
    assert_offered_second(client.get("/organizations/metal-sp/tokens/").content.decode(), url)

    asked = confirmation(client, url)
    assert asked.button == f"Revoke the token {token.key_prefix}…"
    assert asked.cancel == "/organizations/metal-sp/tokens/"
    assert token_authenticate(raw) is not None

    client.post(url)
    assert token_authenticate(raw) is None
