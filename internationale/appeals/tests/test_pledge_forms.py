"""One pledge, several forms of support: the Korean dockworkers (Kim, their secretary) pledge
protest letters and money to the Metalworkers' appeal (Sam, their secretary), in one pledge with
one description and one due date, tracked and fulfilled together."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from internationale.appeals.models import Pledge, PledgeSupport
from internationale.appeals.services import pledge_create, pledge_fulfil

API = "/api/v1"
SYMPATHY = "Sympathy: protest letters, messages, actions"
MATERIAL_AID = "Material aid: money, goods"
PROPAGANDA = "Propaganda: statements, publicity"


@pytest.fixture
def letters_only(sent):
    """The appeal, asking for protest letters only."""
    sent.asks_propaganda = sent.asks_material_aid = False
    sent.aid_goods = ""
    sent.save()
    return sent


def pledge(kim, appeal, other_org, forms, **fields):  # type: ignore[no-untyped-def]
    return pledge_create(
        actor=kim,
        appeal=appeal,
        organization=other_org,
        forms=forms,
        description=fields.pop("description", "Letters from every branch, and our strike fund."),
        **fields,
    )


# The HTML form -----------------------------------------------------------------------------------


def test_the_pledge_form_offers_the_forms_asked_for_as_checkboxes_under_a_legend(
    client_for, kim, letters_only
):
    page = client_for(kim).get(f"/appeals/{letters_only.pk}/pledge/").content.decode()
    assert "<legend>Forms of support:</legend>" in page
    assert 'type="checkbox" name="forms" value="sympathy"' in page
    assert 'value="material_aid"' not in page
    assert 'value="propaganda"' not in page


def test_an_addressee_pledges_two_forms_in_one_pledge_and_every_page_shows_both(
    client_for, kim, sam, sent, other_org
):
    response = client_for(kim).post(
        f"/appeals/{sent.pk}/pledge/",
        {
            "organization": other_org.slug,
            "forms": ["material_aid", "sympathy"],
            "description": "Letters from every branch, and our strike fund.",
            "amount": "500",
            "currency": "EUR",
            "due_date": "2099-01-31",
        },
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.forms == ["sympathy", "material_aid"]
    assert (pledge.amount, pledge.currency) == (Decimal("500"), "EUR")

    both = f"{SYMPATHY}; {MATERIAL_AID}"
    for who, url in [
        (sam, f"/appeals/{sent.pk}/"),
        (kim, f"/appeals/{sent.pk}/"),
        (kim, f"/appeals/owed/{other_org.slug}/"),
        (kim, "/dashboard/"),
        (kim, f"/appeals/pledges/{pledge.pk}/fulfil/"),
    ]:
        assert both in client_for(who).get(url).content.decode(), url


def test_a_pledge_without_a_form_or_with_one_not_asked_for_is_refused_and_nothing_saved(
    client_for, kim, letters_only, other_org
):
    url = f"/appeals/{letters_only.pk}/pledge/"
    base = {"organization": other_org.slug, "description": "Letters and money."}
    for forms, message in [
        ([], "Choose at least one form of support."),
        (["sympathy", "material_aid"], "Choose among the forms the appeal asks for."),
    ]:
        response = client_for(kim).post(url, {**base, "forms": forms})
        assert response.status_code == 200, forms
        page = response.content.decode()
        assert message in page, forms
        assert 'class="field invalid"' in page, forms
    assert not Pledge.objects.exists()
    assert not PledgeSupport.objects.exists()


# The rules, whatever the front end ----------------------------------------------------------------


def test_an_amount_or_goods_need_material_aid_among_the_forms(kim, sent, other_org):
    with pytest.raises(ValidationError) as refused:
        pledge(
            kim, sent, other_org, ["propaganda", "sympathy"], amount=Decimal("5"), currency="EUR"
        )
    assert refused.value.error_dict["amount"][0].code == "amount_not_material_aid"
    with pytest.raises(ValidationError) as refused:
        pledge(kim, sent, other_org, ["sympathy", "material_aid"])
    assert refused.value.error_dict["amount"][0].code == "aid_required"
    with pytest.raises(ValidationError) as refused:
        pledge(kim, sent, other_org, ["sympathy", "material_aid"], amount=Decimal("5"))
    assert refused.value.error_dict["currency"][0].code == "amount_incomplete"
    assert not Pledge.objects.exists()

    given = pledge(kim, sent, other_org, ["sympathy", "material_aid"], goods="Two tonnes of rice")
    assert Pledge.objects.get(pk=given.pk).forms == ["sympathy", "material_aid"]


@pytest.mark.parametrize(
    ("forms", "code"),
    [
        ([], "forms_required"),
        (["sympathy", "sympathy"], "duplicate_form"),
        (["sympathy", "delegation"], "invalid_form"),
        (["sympathy", "material_aid"], "form_not_asked"),
    ],
)
def test_bad_forms_are_refused_by_the_service_and_nothing_saved(
    kim, letters_only, other_org, forms, code
):
    with pytest.raises(ValidationError) as refused:
        pledge(kim, letters_only, other_org, forms, goods="Rice")
    assert refused.value.error_dict["forms"][0].code == code
    assert not Pledge.objects.exists()


def test_a_pledge_of_several_forms_is_fulfilled_once_for_all_of_them(kim, sent, other_org):
    given = pledge(kim, sent, other_org, ["propaganda", "sympathy"])
    pledge_fulfil(actor=kim, pledge=given, evidence_text="Statement read, letters sent.")
    assert Pledge.objects.get(pk=given.pk).status == Pledge.Status.FULFILLED


# The issuer's summary ------------------------------------------------------------------------------


def test_the_summary_counts_a_pledge_of_two_forms_under_each(client_for, sam, kim, sent, other_org):
    pledge(kim, sent, other_org, ["sympathy", "material_aid"], goods="Rice")
    pledge(kim, sent, other_org, ["sympathy"])
    page = client_for(sam).get(f"/appeals/{sent.pk}/summary/").content.decode()
    # Pledged, fulfilled, withdrawn.
    assert f'<th scope="row">{SYMPATHY}</th><td>2</td><td>0</td><td>0</td>' in page
    assert f'<th scope="row">{MATERIAL_AID}</th><td>1</td><td>0</td><td>0</td>' in page
    assert f'<th scope="row">{PROPAGANDA}</th><td>0</td><td>0</td><td>0</td>' in page


# The API -----------------------------------------------------------------------------------------


def post(client, appeal, body):  # type: ignore[no-untyped-def]
    return client.post(
        f"{API}/appeals/{appeal.pk}/pledges", data=json.dumps(body), content_type="application/json"
    )


def test_the_api_takes_and_gives_every_form_of_a_pledge(client_for, kim, sam, sent):
    body = {
        "forms": ["material_aid", "propaganda"],
        "description": "A statement by our congress, and a collection there.",
        "amount": "1250.50",
        "currency": "KRW",
    }
    response = post(client_for(kim), sent, body)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["forms"] == ["propaganda", "material_aid"]
    assert created["form"] == "propaganda"  # the first, for clients of one form

    [listed] = client_for(sam).get(f"{API}/appeals/{sent.pk}/pledges").json()["items"]
    assert (listed["forms"], listed["amount"]) == (["propaganda", "material_aid"], "1250.50")


@pytest.mark.parametrize(
    ("forms", "field"),
    [
        ([], "forms"),
        (["sympathy", "sympathy"], "forms"),
        (["sympathy", "delegation"], "forms.1"),
        (["sympathy", "material_aid"], "forms"),
        ("sympathy", "forms"),
        (None, "forms"),
    ],
)
def test_the_api_refuses_bad_forms_as_json_and_saves_nothing(
    client_for, kim, letters_only, forms, field
):
    body = {"description": "Letters.", "goods": "Rice"}
    if forms is not None:
        body["forms"] = forms
    response = post(client_for(kim), letters_only, body)
    assert response.status_code == 400
    answer = response.json()
    assert answer["detail"]
    assert answer["errors"][field], answer
    assert not Pledge.objects.exists()


def test_the_api_schema_lists_the_forms_a_pledge_may_carry(client):
    schema = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    forms = schema["PledgeIn"]["properties"]["forms"]
    assert forms["type"] == "array"
    assert forms["items"]["enum"] == ["propaganda", "sympathy", "material_aid"]
    assert "forms" in schema["PledgeIn"]["required"]
    assert schema["PledgeOut"]["properties"]["forms"]["items"]["enum"] == [
        "propaganda",
        "sympathy",
        "material_aid",
    ]
