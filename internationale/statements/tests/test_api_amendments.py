"""The API on amendments and versions, through real requests: Kim speaks for the invited Korean
Dockworkers, Sam for the initiating Metalworkers of São Paulo, Kit is a member, Nell an outsider."""

import pytest

from internationale.statements.models import Amendment

from .test_amendments import statement  # noqa: F401 (the fixture)

PROPOSAL = {
    "organization": "docks-kr",
    "version": 1,
    "paragraph": 2,
    "kind": "replace",
    "text": "Hindi: सभी मज़दूर एकजुट हों",
    "reason": "Solidarity in Hindi.",
}


def post(client, url, data, **headers):  # type: ignore[no-untyped-def]
    return client.post(url, data, content_type="application/json", headers=headers)


def test_propose_decide_and_compare_through_the_api(client_for, statement, kim, sam):  # noqa: F811
    base = f"/api/v1/statements/{statement.pk}"
    response = post(client_for(kim), f"{base}/amendments", PROPOSAL, **{"Idempotency-Key": "a1"})
    assert response.status_code == 201, response.content
    amendment = response.json()
    assert amendment["status"] == "open" and amendment["version"] == 1
    again = post(client_for(kim), f"{base}/amendments", PROPOSAL, **{"Idempotency-Key": "a1"})
    assert again.json()["id"] == amendment["id"]
    assert Amendment.objects.count() == 1
    listed = client_for(sam).get(f"{base}/amendments").json()
    assert [a["id"] for a in listed["items"]] == [amendment["id"]]

    response = post(
        client_for(sam), f"/api/v1/amendments/{amendment['id']}/decision", {"decision": "accept"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["result_version"] == 2

    compared = client_for(kim).get(f"{base}/compare?from=1&to=2").json()
    changed = compared["paragraphs"][1]
    assert changed["op"] == "change"
    assert [p for p in changed["pieces"] if p["op"] != "equal"][0]["op"] == "delete"
    assert {"op": "insert", "text": "Hindi: सभी मज़दूर एकजुट हों"} in changed["pieces"]
    assert compared["paragraphs"][0]["op"] == "equal"
    versions = client_for(kim).get(f"{base}/versions").json()["items"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["amendment"] == amendment["id"]
    assert client_for(kim).get(f"{base}/versions/2").json()["paragraphs"][1].startswith("Hindi")


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"paragraph": 9}, 400, "has no paragraph 9"),
        ({"version": 2}, 400, "version 1 is current"),
        ({"kind": "rewrite"}, 400, ""),
        ({"reason": ""}, 400, ""),
        ({"organization": "nowhere"}, 400, "No organization has this address."),
        ({"organization": "metal-sp"}, 403, ""),
        ({"paragraph": "two"}, 400, ""),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_written(
    client_for,
    statement,  # noqa: F811
    kim,
    changes,
    status,
    message,
):
    response = post(
        client_for(kim), f"/api/v1/statements/{statement.pk}/amendments", {**PROPOSAL, **changes}
    )
    assert response.status_code == status, response.content
    assert message in response.content.decode()
    assert not Amendment.objects.exists()


def test_decisions_rebase_withdraw_and_revise_refuse_what_they_must(
    client_for,
    statement,  # noqa: F811
    kim,
    kit,
    sam,
    nell,
):
    created = post(client_for(kim), f"/api/v1/statements/{statement.pk}/amendments", PROPOSAL)
    pk = created.json()["id"]
    url = f"/api/v1/amendments/{pk}"
    assert client_for(nell).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 401
    assert post(client_for(kim), f"{url}/decision", {"decision": "accept"}).status_code == 403
    response = post(client_for(sam), f"{url}/decision", {"decision": "reject"})
    assert response.status_code == 400 and "Give a reason." in response.content.decode()
    assert post(client_for(kit), f"{url}/withdraw", {}).status_code == 403
    response = post(client_for(kim), f"{url}/rebase", {"paragraph": 1, "text": "x"})
    assert response.status_code == 400 and "needs rebasing" in response.content.decode()
    assert post(client_for(kim), f"{url}/withdraw", {}).json()["status"] == "withdrawn"
    revise = f"/api/v1/statements/{statement.pk}/revise"
    assert post(client_for(kim), revise, {"paragraphs": ["A."], "note": "n"}).status_code == 403
    response = post(client_for(sam), revise, {"paragraphs": ["A.", " "], "note": "n"})
    assert response.status_code == 400
    response = post(client_for(sam), revise, {"paragraphs": ["A."], "note": "After a block."})
    assert response.status_code == 201 and response.json()["number"] == 2
    compare = f"/api/v1/statements/{statement.pk}/compare"
    assert client_for(kim).get(f"{compare}?from=1&to=5").status_code == 404
    assert client_for(kim).get(f"{compare}?from=1&to=x").status_code in (400, 422)
