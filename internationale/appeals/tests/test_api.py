"""The API on appeals, through real requests: sessions, tokens, errors, idempotency."""

import json
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from internationale.accounts.services import token_create
from internationale.appeals.forms import EVIDENCE_MAX_BYTES
from internationale.appeals.models import Appeal, Pledge, Response
from internationale.appeals.services import pledge_create
from internationale.core.actors import System
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .factories import AppealFactory, PledgeFactory


def post(client, url, data, **headers):  # type: ignore[no-untyped-def]
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def with_token(user, organization):  # type: ignore[no-untyped-def]
    _token, raw = token_create(
        actor=System(reason="test"), user=user, organization=organization, name="test"
    )
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_issue_preview_and_send_an_appeal_through_the_api(
    client_for, sam, owner_org, other_org, run_tasks
):
    client = client_for(sam)
    created = post(
        client,
        f"/api/v1/organizations/{owner_org.slug}/appeals",
        {
            "title": "Lockout",
            "text": "Locked out.",
            "language": "pt-br",
            "situation": "lockout",
            "country": "BR",
            "asks_material_aid": True,
            "aid_goal_amount": "5000.00",
            "aid_goal_currency": "brl",
        },
        HTTP_IDEMPOTENCY_KEY="one",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["aid_goal_amount"], body["aid_goal_currency"]) == (
        "draft",
        "5000.00",
        "BRL",
    )
    pk = body["id"]
    preview = post(client, f"/api/v1/appeals/{pk}/addressees/preview", {"add": ["docks-kr"]})
    assert preview.json() == {
        "items": [
            {
                "organization": {"slug": "docks-kr", "name": "Korean Dockworkers"},
                "country": "KR",
                "reasons": ["added by hand"],
                "codes": ["manual"],
            }
        ],
        "count": 1,
    }
    sent = post(client, f"/api/v1/appeals/{pk}/send", {"add": ["docks-kr"]})
    assert sent.json()["status"] == "sending"  # answered at once; the worker records the rest
    run_tasks()
    assert client.get(f"/api/v1/appeals/{pk}").json()["status"] == "open"


def test_the_same_idempotency_key_creates_one_appeal_and_one_pledge(
    client_for, sam, kim, owner_org, sent
):
    fields = {
        "title": "Lockout",
        "text": "x",
        "language": "en",
        "situation": "strike",
        "country": "BR",
        "asks_propaganda": True,
    }
    url = f"/api/v1/organizations/{owner_org.slug}/appeals"
    first = post(client_for(sam), url, fields, HTTP_IDEMPOTENCY_KEY="k").json()
    again = post(client_for(sam), url, fields, HTTP_IDEMPOTENCY_KEY="k").json()
    assert first["id"] == again["id"]
    assert Appeal.objects.filter(title="Lockout").count() == 1

    pledge = {"forms": ["sympathy"], "description": "Letters."}
    url = f"/api/v1/appeals/{sent.pk}/pledges"
    assert post(client_for(kim), url, pledge, HTTP_IDEMPOTENCY_KEY="p").status_code == 201
    assert post(client_for(kim), url, pledge, HTTP_IDEMPOTENCY_KEY="p").status_code == 201
    assert Pledge.objects.count() == 1


def test_bad_input_answers_400_by_field_and_changes_nothing(client_for, sam, kim, sent, owner_org):
    draft = AppealFactory(organization=owner_org)
    url = f"/api/v1/appeals/{sent.pk}/pledges"
    for data, field in [
        (
            {"forms": ["material_aid"], "description": "x", "amount": "-1", "currency": "USD"},
            "amount",
        ),
        (
            {"forms": ["material_aid"], "description": "x", "amount": "0", "currency": "USD"},
            "amount",
        ),
        (
            {"forms": ["material_aid"], "description": "x", "amount": "5", "currency": "ABC"},
            "currency",
        ),
        ({"forms": ["sympathy"], "description": "x", "due_date": "2001-01-01"}, "due_date"),
    ]:
        response = post(client_for(kim), url, data)
        assert response.status_code == 400, data
        assert field in response.json()["errors"], response.json()
    assert not Pledge.objects.exists()

    response = post(client_for(sam), f"/api/v1/appeals/{draft.pk}/send", {"add": ["nobody"]})
    assert response.status_code == 400
    assert response.json()["errors"]["add"] == ["There is no verified organization at: nobody."]
    response = client_for(sam).patch(
        f"/api/v1/appeals/{draft.pk}",
        data=json.dumps({"deadline": "2001-01-01T00:00:00Z"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "deadline" in response.json()["errors"]
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.deadline is not None


def test_members_cannot_pledge_and_a_closed_appeal_takes_no_pledge(client_for, kit, kim, sam, sent):
    url = f"/api/v1/appeals/{sent.pk}/pledges"
    pledge = {"forms": ["sympathy"], "description": "Letters."}
    assert post(client_for(kit), url, pledge).status_code == 403
    post(client_for(sam), f"/api/v1/appeals/{sent.pk}/close", {})
    response = post(client_for(kim), url, pledge)
    assert response.status_code == 400
    assert "can no longer be answered" in response.json()["detail"]
    assert not Pledge.objects.exists()


def test_a_token_answers_for_its_own_organization_only(kim, sam, owner_org, other_org, send, draft):
    # Kim also speaks for a third organization the appeal was sent to; her token is for the
    # dockworkers, so the dockworkers answer.
    third = OrganizationFactory(slug="third")
    MembershipFactory(organization=third, user=kim, role=Membership.Role.SECRETARY)
    send(draft, sam, add=[other_org.pk, third.pk])
    client = with_token(kim, other_org)
    response = post(client, f"/api/v1/appeals/{draft.pk}/responses", {"kind": "acknowledged"})
    assert response.status_code == 201
    assert response.json()["organization"]["slug"] == "docks-kr"
    response = post(
        client,
        f"/api/v1/appeals/{draft.pk}/responses",
        {"kind": "acknowledged", "organization": "third"},
    )
    assert response.status_code == 400
    assert Response.objects.filter(organization=third).count() == 0
    # Issuing for another organization than the token's: 404.
    fields = {"title": "x", "text": "x", "language": "en", "situation": "strike", "country": "BR"}
    url = f"/api/v1/organizations/{owner_org.slug}/appeals"
    assert post(client, url, fields).status_code == 404


def test_amounts_of_pledges_that_are_not_public_are_hidden_from_other_readers(
    client_for, kim, mo, sent, other_org, oscar
):
    pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["material_aid"],
        description="Fund",
        amount=Decimal("250"),
        currency="EUR",
        public=False,
    )
    issuer_view = client_for(mo).get(f"/api/v1/appeals/{sent.pk}/pledges").json()
    assert issuer_view["items"][0]["amount"] == "250.00"
    assert client_for(oscar).get(f"/api/v1/appeals/{sent.pk}/pledges").json()["count"] == 0


def test_aid_is_declared_then_confirmed_and_the_appeal_resolved(
    client_for, kim, sam, sent, other_org
):
    pledge = pledge_create(
        actor=kim,
        appeal=sent,
        organization=other_org,
        forms=["material_aid"],
        description="Fund",
        amount=Decimal("250"),
        currency="EUR",
    )
    declared = post(
        client_for(kim),
        f"/api/v1/pledges/{pledge.pk}/contributions",
        {"amount": "250", "currency": "EUR", "reference": "TX"},
    )
    assert declared.status_code == 201
    pk = declared.json()["id"]
    confirmed = post(client_for(sam), f"/api/v1/contributions/{pk}/confirm", {})
    assert confirmed.json()["confirmed_at"] is not None
    assert post(client_for(sam), f"/api/v1/contributions/{pk}/confirm", {}).status_code == 400
    resolved = post(
        client_for(sam),
        f"/api/v1/appeals/{sent.pk}/resolve",
        {"outcome": "won", "outcome_report": "Rehired."},
    )
    assert resolved.json()["status"] == "resolved"


# Money ------------------------------------------------------------------------------------------


def test_money_is_text_with_at_most_two_decimals_in_and_out(client_for, kim, sent):
    url = f"/api/v1/appeals/{sent.pk}/pledges"
    pledge = {"forms": ["material_aid"], "description": "Strike fund.", "currency": "USD"}
    schema = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name, field in [
        ("PledgeIn", "amount"),
        ("PledgeOut", "amount"),
        ("AppealOut", "aid_goal_amount"),
    ]:
        [money, _null] = schema[name]["properties"][field]["anyOf"]
        assert (money["type"], money["pattern"]) == ("string", r"^\d{1,12}(\.\d{1,2})?$")

    for amount in [500.5, "500.555", "5e2", "1,000", " 500"]:
        refused = post(client_for(kim), url, {**pledge, "amount": amount})
        assert refused.status_code == 400, amount
        assert refused.json()["errors"]["amount"] == [
            'Enter an amount as text, with at most two decimals: "1250.50".'
        ]
    assert not Pledge.objects.exists()

    created = post(client_for(kim), url, {**pledge, "amount": "1250.5"})

    assert created.status_code == 201, created.json()
    assert created.json()["amount"] == "1250.50"
    assert Pledge.objects.get().amount == Decimal("1250.50")


# Evidence files -----------------------------------------------------------------------------


def _fulfil(client, pledge, **data):  # type: ignore[no-untyped-def]
    """A multipart request, as a browser or `curl -F` sends it."""
    return client.post(f"/api/v1/pledges/{pledge.pk}/fulfil", data)


def test_a_pledge_is_fulfilled_through_the_api_with_a_file_served_only_by_the_evidence_view(
    client_for, kim, sam, nell, sent, other_org, settings
):
    settings.SITE_URL = "https://solidarity.example.org"
    pledge = PledgeFactory(appeal=sent, organization=other_org)
    upload = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt\n%%EOF\n", "application/pdf")

    response = _fulfil(client_for(kim), pledge, evidence_text="Sent.", evidence_file=upload)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["evidence_text"]) == ("fulfilled", "Sent.")
    assert body["evidence_url"] == f"{settings.SITE_URL}/appeals/pledges/{pledge.pk}/evidence/"
    stored = Pledge.objects.get(pk=pledge.pk).evidence_file.name
    assert stored not in response.content.decode()  # no path to the stored file
    served = client_for(sam).get(body["evidence_url"])
    assert b"".join(served.streaming_content) == b"%PDF-1.4 receipt\n%%EOF\n"
    assert client_for(nell).get(body["evidence_url"]).status_code == 404
    assert client_for(sam).get(f"/media/{stored}").status_code == 404
    listed = client_for(sam).get(f"/api/v1/appeals/{sent.pk}/pledges").json()["items"]
    assert listed[0]["evidence_url"] == body["evidence_url"]


def test_an_oversized_or_wrong_type_file_is_refused_by_the_api_and_changes_nothing(
    client_for, kim, sent, other_org, settings
):
    # Let the request through the size limit of every request, to reach the file's own limit.
    settings.INTERNATIONALE_MAX_REQUEST_BYTES = 8 * 1024 * 1024
    pledge = PledgeFactory(appeal=sent, organization=other_org)
    big = SimpleUploadedFile("receipt.pdf", b"%" * (EVIDENCE_MAX_BYTES + 1), "application/pdf")
    script = SimpleUploadedFile("receipt.html", b"<script>alert(1)</script>", "text/html")

    for upload, message in [
        (big, "The file is too large: at most 5.0\xa0MB."),
        (script, "This type of file is not accepted. Accepted types: PDF, JPEG, PNG, GIF, WebP,"),
    ]:
        response = _fulfil(client_for(kim), pledge, evidence_text="Sent.", evidence_file=upload)
        assert response.status_code == 400, upload.name
        [error] = response.json()["errors"]["evidence_file"]
        assert error.startswith(message), error

    pledge.refresh_from_db()
    assert (pledge.status, pledge.evidence_text, pledge.evidence_file.name) == ("pledged", "", "")
    assert not (settings.MEDIA_ROOT / "pledge-evidence").exists()


def test_the_page_refuses_a_wrong_type_file_as_the_api_does(client_for, kim, sent, other_org):
    pledge = PledgeFactory(appeal=sent, organization=other_org)
    response = client_for(kim).post(
        f"/appeals/pledges/{pledge.pk}/fulfil/",
        {"evidence_file": SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")},
    )
    assert response.status_code == 200
    assert "This type of file is not accepted. Accepted types: PDF," in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == "pledged"


def test_fulfilling_with_json_still_works_and_bad_json_fields_answer_400(
    client_for, kim, sent, other_org
):
    pledge = PledgeFactory(appeal=sent, organization=other_org)
    url = f"/api/v1/pledges/{pledge.pk}/fulfil"
    response = post(client_for(kim), url, {"evidence_text": ["not", "text"]})
    assert response.status_code == 400
    assert "evidence_text" in response.json()["errors"]
    assert post(client_for(kim), url, {}).status_code == 400  # no evidence at all
    response = post(client_for(kim), url, {"evidence_link": "example.org/letter"})
    assert response.status_code == 200
    assert response.json()["evidence_link"] == "https://example.org/letter"
    assert response.json()["evidence_url"] is None


def test_links_in_answers_are_on_the_site_address_whatever_host_the_request_named(
    client_for, sam, sent, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://solidarity.example.org"
    client = client_for(sam)
    body = client.get(f"/api/v1/appeals/{sent.pk}", HTTP_HOST="attacker.example").json()
    assert body["url"] == f"https://solidarity.example.org/appeals/{sent.pk}/"
    listed = client.get("/api/v1/appeals", HTTP_HOST="attacker.example").json()
    assert listed["items"][0]["url"] == body["url"]
