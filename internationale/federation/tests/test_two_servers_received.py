"""Two servers of this platform on loopback (test_two_servers.py's): a meeting of server A's
organization, to which it invites an organization of server B, is received on B, accepted there,
and the acceptance is counted on A; advice A's organization gives B's is received on B, answered
there, and the answer is shown on A."""

import datetime

from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.cooperation.models import Invitation
from internationale.cooperation.services import meeting_create, meeting_invite
from internationale.federation.remote_orgs import remote_accept, remote_request
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import MembershipFactory, OrganizationFactory
from internationale.statements.advice import advice_give
from internationale.statements.models import Advice

from .conftest import drain

DOCKERS_ACCEPT_METAL = (
    "import json\n"
    "from internationale.accounts.models import User\n"
    "from internationale.federation.remote_orgs import remote_accept, remote_request\n"
    "op = User.objects.get(email='op@busan.example')\n"
    "entry = remote_request(actor=op, handle='metal-sp@{host}')\n"
    "print(json.dumps(remote_accept(actor=op, entry=entry).remote_actor_url))\n"
)


def test_a_meeting_and_advice_of_one_server_are_answered_from_the_other(
    server_a,
    server_b,
    client,
):
    metal = OrganizationFactory(slug="metal-sp", name="Metalworkers of São Paulo", country="BR")
    sam = MembershipFactory(organization=metal, role=Membership.Role.SECRETARY).user
    operator_a = MembershipFactory(organization=metal, role=Membership.Role.MEMBER).user
    operator_a.is_staff = True
    operator_a.save()
    server_b.run(
        "from internationale.organizations.tests.factories import "
        "MembershipFactory, OrganizationFactory\n"
        "from internationale.accounts.tests.factories import UserFactory\n"
        "org = OrganizationFactory(slug='dockers', name='Dockworkers of Busan', country='KR')\n"
        "MembershipFactory(organization=org, role='secretary', "
        "user=UserFactory(email='sec@busan.example'))\n"
        "UserFactory(email='op@busan.example', is_staff=True)\n"
    )
    server_b.run(DOCKERS_ACCEPT_METAL.format(host=server_a.url.removeprefix("http://")))
    entry = remote_request(actor=operator_a, handle=f"dockers@{server_b.host}")
    dockers_on_a = remote_accept(actor=operator_a, entry=entry)

    # A's Metalworkers invite B's dockworkers to a meeting; B's secretary accepts there.
    day = (timezone.now() + datetime.timedelta(days=30)).date()
    meeting = meeting_create(
        actor=sam,
        organization=metal,
        kind="bilateral",
        title="Maersk in Santos and Busan",
        start=datetime.datetime.combine(day, datetime.time(10)),
        end=datetime.datetime.combine(day, datetime.time(12)),
        time_zone="America/Sao_Paulo",
        online_link="https://meet.example.org/maersk",
    )
    meeting_invite(actor=sam, meeting=meeting, criteria=Criteria(add=[dockers_on_a.pk]))
    drain()
    server_b.work_off()
    on_b = server_b.run(
        "import json\n"
        "from internationale.accounts.models import User\n"
        "from internationale.cooperation.models import Meeting\n"
        "from internationale.cooperation.services import invitation_accept\n"
        "from internationale.organizations.models import Membership, Organization\n"
        "meeting = Meeting.objects.get(received_as__isnull=False)\n"
        "dockers = Organization.objects.get(slug='dockers')\n"
        "sec = User.objects.get(email='sec@busan.example')\n"
        "invitation_accept(actor=sec, meeting=meeting, organization=dockers,\n"
        "  delegates=[Membership.objects.get(user=sec).pk], note='We will be two.')\n"
        "print(json.dumps([meeting.title, meeting.organization.remote_actor_url,\n"
        "  meeting.online_link, meeting.start_at.isoformat()]))\n"
    )
    assert on_b == [
        "Maersk in Santos and Busan",
        f"{server_a.url}/federation/actors/metal-sp",
        "https://meet.example.org/maersk",
        meeting.start_at.astimezone(datetime.UTC).isoformat(),
    ]
    server_b.work_off()
    invitation = Invitation.objects.get(meeting=meeting, organization=dockers_on_a)
    assert (invitation.status, invitation.note) == ("accepted", "We will be two.")
    assert Invitation.objects.filter(meeting=meeting, status="accepted").count() == 1

    # A's Metalworkers advise B's dockworkers; B's secretary rejects it, with a reason.
    advice = advice_give(
        actor=sam,
        sender=metal,
        receiver=dockers_on_a,
        subject="Strike on the same day",
        text="Santos and Busan stop work on the **same day**.",
    )
    drain()
    server_b.work_off()
    received = server_b.run(
        "import json\n"
        "from internationale.accounts.models import User\n"
        "from internationale.statements.advice import advice_answer\n"
        "from internationale.statements.models import Advice\n"
        "advice = Advice.objects.get()\n"
        "advice_answer(actor=User.objects.get(email='sec@busan.example'), advice=advice,\n"
        "  answer='rejected', reason='Our contract forbids it until March.')\n"
        "print(json.dumps([advice.subject, advice.text, advice.sender.remote_actor_url]))\n"
    )
    assert received == [
        "Strike on the same day",
        "Santos and Busan stop work on the **same day**.",
        f"{server_a.url}/federation/actors/metal-sp",
    ]
    server_b.work_off()
    advice = Advice.objects.get(pk=advice.pk)
    assert (advice.answer, advice.answer_reason) == (
        "rejected",
        "Our contract forbids it until March.",
    )
    client.force_login(sam)
    page = client.get(f"/statements/advice/{advice.pk}/").content.decode()
    assert "Our contract forbids it until March." in page
