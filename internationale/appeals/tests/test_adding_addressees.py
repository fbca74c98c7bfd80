"""Sending a sent appeal to more organizations, through the page and the API: Sam (secretary of
the Metalworkers) adds, only the organizations new to the appeal receive it, once."""

import json

from django.core import mail
from django_tasks_db.models import DBTaskResult

from internationale.appeals.models import Addressee
from internationale.notifications.models import InboxEntry
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .factories import AppealFactory

DELIVER = "internationale.appeals.tasks.deliver_appeal"


def post_json(client, url, data):  # type: ignore[no-untyped-def]
    return client.post(url, data=json.dumps(data), content_type="application/json")


def inboxes(appeal):  # type: ignore[no-untyped-def]
    """Organization slug → how many entries for the appeal its inbox holds."""
    slugs = InboxEntry.objects.about(appeal).values_list("organization__slug", flat=True)
    return {slug: list(slugs).count(slug) for slug in slugs}


def last_delivery_batch() -> list[int]:
    task = DBTaskResult.objects.filter(task_path=DELIVER).order_by("enqueued_at", "id").last()
    return task.args_kwargs["args"][1]


def test_adding_new_and_existing_addressees_on_the_page_delivers_only_to_the_new_ones(
    client_for, sam, kim, sent, other_org, work_off, django_capture_on_commit_callbacks
):
    hafen = OrganizationFactory(name="Hamburg Port Union", slug="hafen")
    rail = OrganizationFactory(name="Rail Workers", slug="rail")
    MembershipFactory(organization=hafen, role=Membership.Role.SECRETARY)
    work_off()
    mails_before = len(mail.outbox)
    client = client_for(sam)

    page = client.get(f"/appeals/{sent.pk}/addressees/").content.decode()
    assert "Send the appeal to more organizations" in page
    assert "The appeal was sent to 1 organization so far." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/appeals/{sent.pk}/addressees/", {"organizations": "docks-kr, hafen rail hafen"}
        )

    assert response.status_code == 302
    assert response["Location"] == f"/appeals/{sent.pk}/"
    assert last_delivery_batch() == [hafen.pk, rail.pk]
    work_off()
    assert inboxes(sent) == {"docks-kr": 1, "hafen": 1, "rail": 1}
    new_mail = [a for m in mail.outbox[mails_before:] for a in m.to]
    assert "kim@docks.example" not in new_mail  # the dockworkers already had it
    assert len(new_mail) == 1  # the Hamburg secretary; the rail union has no one to e-mail
    page = client.get(response["Location"]).content.decode()
    assert "The appeal was sent to 2 new organizations." in page
    assert "The others had already received it." in page


def test_organizations_are_added_by_name_one_per_line_and_a_shared_name_asks_for_the_address(
    client_for, sam, sent
):
    OrganizationFactory(name="Hamburg Port Union", short_name="HPU", slug="hafen")
    OrganizationFactory(name="Rail Workers", slug="rail")
    OrganizationFactory(name="Port Union", slug="port-a")
    OrganizationFactory(name="port union", slug="port-b")
    client = client_for(sam)

    shared = client.post(f"/appeals/{sent.pk}/addressees/", {"organizations": "Port Union"})
    assert shared.status_code == 200
    assert (
        "Several organizations are called Port Union: write the address of one of them "
        "(port-a, port-b)."
    ) in shared.content.decode()
    response = client.post(
        f"/appeals/{sent.pk}/addressees/", {"organizations": "hpu\nRAIL WORKERS\nport-b"}
    )
    assert response.status_code == 302
    added = set(Addressee.objects.filter(appeal=sent).values_list("organization__slug", flat=True))
    assert {"hafen", "rail", "port-b"} <= added and "port-a" not in added


def test_unknown_unverified_or_own_slugs_are_refused_by_name_and_nothing_is_sent(
    client_for, sam, sent, unverified_org, django_capture_on_commit_callbacks
):
    OrganizationFactory(slug="hafen")
    tasks_before = DBTaskResult.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sam).post(
            f"/appeals/{sent.pk}/addressees/",
            {"organizations": "hafen, no-such-union, riders-new, metal-sp"},
        )
        own = client_for(sam).post(
            f"/appeals/{sent.pk}/addressees/", {"organizations": "hafen\nMetalworkers of São Paulo"}
        )

    assert response.status_code == 200
    # Unknown and unverified organizations are named as the person wrote them.
    assert (
        "No verified organization is called: no-such-union; riders-new."
    ) in response.content.decode()
    # The issuer itself is verified, but not an addressee.
    assert own.status_code == 200
    assert (
        "There is no verified organization to send the appeal to at: metal-sp."
    ) in own.content.decode()
    assert list(Addressee.objects.filter(appeal=sent).values_list("organization__slug", flat=True))
    assert not Addressee.objects.filter(appeal=sent, organization__slug="hafen").exists()
    assert DBTaskResult.objects.count() == tasks_before


def test_a_draft_or_closed_appeal_is_not_sent_to_more_organizations(
    client_for, sam, sent, owner_org
):
    draft = AppealFactory(organization=owner_org)
    client = client_for(sam)
    response = client.get(f"/appeals/{draft.pk}/addressees/")
    assert response["Location"] == f"/appeals/{draft.pk}/"
    client.post(f"/appeals/{sent.pk}/close/")
    OrganizationFactory(slug="hafen")
    response = client.post(f"/appeals/{sent.pk}/addressees/", {"organizations": "hafen"})
    assert response["Location"] == f"/appeals/{sent.pk}/"
    assert not Addressee.objects.filter(organization__slug="hafen").exists()


def test_the_api_adds_addressees_and_answers_only_the_new_ones(
    client_for, sam, sent, work_off, django_capture_on_commit_callbacks
):
    OrganizationFactory(name="Hamburg Port Union", slug="hafen")
    work_off()
    url = f"/api/v1/appeals/{sent.pk}/addressees"

    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client_for(sam), url, {"organizations": ["docks-kr", "hafen"]})

    assert response.status_code == 200, response.json()
    assert response.json() == [{"slug": "hafen", "name": "Hamburg Port Union"}]
    work_off()
    assert inboxes(sent) == {"docks-kr": 1, "hafen": 1}
    with django_capture_on_commit_callbacks(execute=True):
        again = post_json(client_for(sam), url, {"organizations": ["hafen"]})
    assert again.json() == []
    work_off()
    assert inboxes(sent) == {"docks-kr": 1, "hafen": 1}


def test_the_api_refuses_unknown_slugs_by_name_and_changes_nothing(client_for, sam, kit, sent):
    OrganizationFactory(slug="hafen")
    url = f"/api/v1/appeals/{sent.pk}/addressees"

    response = post_json(client_for(sam), url, {"organizations": ["hafen", "nobody"]})
    assert response.status_code == 400
    assert response.json()["errors"]["organizations"] == [
        "There is no verified organization to send the appeal to at: nobody."
    ]
    assert post_json(client_for(sam), url, {"organizations": []}).status_code == 400
    assert post_json(client_for(kit), url, {"organizations": ["hafen"]}).status_code == 403
    assert Addressee.objects.filter(appeal=sent).count() == 1
