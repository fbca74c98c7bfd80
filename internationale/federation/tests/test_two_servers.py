"""Two servers of this platform on loopback, in one test: server A is this test's live server, on
the test database; server B is the same code run as another process (`manage.py runserver`) on a
database of its own, driven by `manage.py shell` as its people and its worker would. Each accepts
the other's organization; an appeal of A addressed to B's organization is received on B as an
appeal of A's organization, in the addressee's inbox; the pledge B's secretary makes there arrives
on A as a pledge of B's organization, signed by it and checked by A; the aid B declares sent,
confirmed on A, is confirmed on B and fulfils the pledge there; A's resolution of the appeal
reaches B's copy."""

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from internationale.addressing.routing import Criteria
from internationale.aid.models import Contribution
from internationale.aid.services import contribution_confirm
from internationale.appeals.models import Pledge
from internationale.appeals.services import appeal_resolve, appeal_send
from internationale.appeals.tests.factories import AppealFactory
from internationale.federation.models import Follower
from internationale.federation.moving import move_to
from internationale.federation.remote_orgs import remote_accept, remote_request
from internationale.organizations.models import Membership
from internationale.organizations.tests.factories import (
    EmployerFactory,
    MembershipFactory,
    OrganizationFactory,
)
from internationale.statements.consensus import consensus_of, position_state, positions_call
from internationale.statements.models import Position
from internationale.statements.services import statement_create
from internationale.statements.tests.matrix_world import PARAGRAPHS, deadlines

from .conftest import drain
from .remote_server import RemoteServer, key_pair


@pytest.fixture
def server_c() -> Iterator[RemoteServer]:
    """A third server, on another loopback port: the textile workers of Dhaka, a Group that
    follows the Metalworkers of A, at no employer A's appeal names."""
    server = RemoteServer().start()
    try:
        actor, _key_id = server.add_actor("textile", key_pair()[0])
        server.documents["/users/textile"].update(
            type="Group", name="Textile Workers of Dhaka", country="BD", verified=True
        )
        host = server.url.removeprefix("http://")
        query = urlencode({"resource": f"acct:textile@{host}"})
        server.documents[f"/.well-known/webfinger?{query}"] = {
            "subject": f"acct:textile@{host}",
            "links": [{"rel": "self", "type": "application/activity+json", "href": actor}],
        }
        yield server
    finally:
        server.stop()


def test_an_appeal_routed_by_employer_is_pledged_from_the_other_server_and_never_reaches_a_third(
    server_a, server_b, server_c
):
    host_a = server_a.url.removeprefix("http://")
    metal = OrganizationFactory(slug="metal-sp", name="Metalworkers of São Paulo", country="BR")
    sam = MembershipFactory(organization=metal, role=Membership.Role.SECRETARY).user
    operator_a = MembershipFactory(organization=metal, role=Membership.Role.MEMBER).user
    operator_a.is_staff = True
    operator_a.save()
    # Server B: the Busan dockworkers, their secretary, an operator who accepts the
    # Metalworkers of server A.
    server_b.run(
        "from internationale.organizations.tests.factories import "
        "MembershipFactory, OrganizationFactory\n"
        "from internationale.accounts.tests.factories import UserFactory\n"
        "from internationale.organizations.models import Employer, Presence\n"
        "org = OrganizationFactory(slug='dockers', name='Dockworkers of Busan', country='KR')\n"
        "maersk = Employer.objects.create(name='Maersk', slug='maersk', headquarters='DK')\n"
        "Presence.objects.create(organization=org, employer=maersk, visibility='public')\n"
        "MembershipFactory(organization=org, role='secretary', "
        "user=UserFactory(email='sec@busan.example'))\n"
        "UserFactory(email='op@busan.example', is_staff=True)\n"
    )
    accepted = server_b.run(
        "import json\n"
        "from internationale.accounts.models import User\n"
        "from internationale.federation.remote_orgs import remote_accept, remote_request\n"
        "op = User.objects.get(email='op@busan.example')\n"
        f"entry = remote_request(actor=op, handle='metal-sp@{host_a}')\n"
        "print(json.dumps(remote_accept(actor=op, entry=entry).remote_actor_url))\n"
    )
    assert accepted == f"{server_a.url}/federation/actors/metal-sp"
    # Server A accepts the dockworkers of server B (at Maersk, as their actor says) and the
    # textile workers of server C, who follow the Metalworkers; its appeal about Maersk is
    # routed by the employer criterion.
    maersk = EmployerFactory(name="Maersk", slug="maersk")
    entry = remote_request(actor=operator_a, handle=f"dockers@{server_b.host}")
    dockers_on_a = remote_accept(actor=operator_a, entry=entry)
    host_c = server_c.url.removeprefix("http://")
    textile_on_a = remote_accept(
        actor=operator_a, entry=remote_request(actor=operator_a, handle=f"textile@{host_c}")
    )
    Follower.objects.create(
        organization=metal,
        actor=textile_on_a.remote_actor_url,
        inbox=f"{textile_on_a.remote_actor_url}/inbox",
        shared_inbox=f"{server_c.url}/inbox",
        follow_id=f"{textile_on_a.remote_actor_url}/follows/1",
    )
    appeal = AppealFactory(
        organization=metal,
        created_by=sam,
        visibility="addressed",
        title="Lockout at Corvina",
        employer=maersk,
    )
    appeal_send(actor=sam, appeal=appeal, criteria=Criteria(employer=True))
    drain()  # the Create delivered to B's inbox, signed by the Metalworkers, checked by B
    [addressee] = appeal.addressees.all()
    assert addressee.organization == dockers_on_a
    assert [reason[0] for reason in addressee.reasons] == ["employer"]
    # Nothing of it reached the third server: no delivery, to the inbox or the shared inbox.
    assert server_c.asked  # A fetched its actor: it is up, and known
    assert not server_c.posted
    server_b.work_off()
    on_b = server_b.run(
        "import json\n"
        "from internationale.federation.models import ReceivedObject\n"
        "from internationale.notifications.models import InboxEntry\n"
        "appeal = ReceivedObject.objects.get(update=None).appeal\n"
        "print(json.dumps({'title': appeal.title, 'status': appeal.status,\n"
        "  'issuer': appeal.organization.remote_actor_url, 'visibility': appeal.visibility,\n"
        "  'addressees': [a.organization.slug for a in appeal.addressees.all()],\n"
        "  'inbox': list(InboxEntry.objects.about(appeal).values_list("
        "'organization__slug', flat=True)),\n"
        "  'forms': appeal.asked_forms}))\n"
    )
    assert on_b == {
        "title": "Lockout at Corvina",
        "status": "open",
        "issuer": f"{server_a.url}/federation/actors/metal-sp",
        "visibility": "addressed",
        "addressees": ["dockers"],
        "inbox": ["dockers"],
        "forms": appeal.asked_forms,
    }
    # On B, the dockworkers' secretary pledges; B's worker delivers the Offer to A.
    server_b.run(
        "from decimal import Decimal\n"
        "from internationale.accounts.models import User\n"
        "from internationale.appeals.services import pledge_create\n"
        "from internationale.federation.models import ReceivedObject\n"
        "from internationale.organizations.models import Organization\n"
        "pledge_create(actor=User.objects.get(email='sec@busan.example'),\n"
        "  appeal=ReceivedObject.objects.get(update=None).appeal,\n"
        "  organization=Organization.objects.get(slug='dockers'),\n"
        "  forms=['material_aid'], description='Our strike fund.',\n"
        "  amount=Decimal('300'), currency='EUR')\n"
    )
    server_b.work_off()
    # On A: a pledge of the dockworkers of B, to the Metalworkers' appeal.
    pledge = Pledge.objects.get(appeal=appeal)
    assert (pledge.organization, pledge.amount, pledge.currency) == (dockers_on_a, 300, "EUR")
    assert pledge.forms == ["material_aid"] and pledge.description == "Our strike fund."
    # On B, the dockworkers declare the 300 euros sent; A's secretary confirms receipt, which
    # fulfils the pledge on A, and B's copy of the aid and of the pledge follows.
    server_b.run(
        "from decimal import Decimal\n"
        "from internationale.accounts.models import User\n"
        "from internationale.aid.services import contribution_declare\n"
        "from internationale.appeals.models import Pledge\n"
        "contribution_declare(actor=User.objects.get(email='sec@busan.example'),\n"
        "  pledge=Pledge.objects.get(), amount=Decimal('300'), currency='EUR',\n"
        "  reference='Transfer 9')\n"
    )
    server_b.work_off()
    aid = Contribution.objects.get(pledge=pledge)
    assert (aid.amount, aid.reference, aid.confirmed_at) == (300, "Transfer 9", None)
    contribution_confirm(actor=sam, contribution=aid)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.FULFILLED
    drain()
    confirmed = server_b.run(
        "import json\n"
        "from internationale.aid.models import Contribution\n"
        "aid = Contribution.objects.get()\n"
        "print(json.dumps([aid.confirmed_at is not None, aid.fulfilled_pledge,\n"
        "  aid.pledge.status]))\n"
    )
    assert confirmed == [True, True, "fulfilled"]
    # A resolves its appeal: B's copy follows.
    appeal.refresh_from_db()
    appeal_resolve(actor=sam, appeal=appeal, outcome="won", report="All rehired.")
    drain()
    resolved = server_b.run(
        "import json\n"
        "from internationale.federation.models import ReceivedObject\n"
        "appeal = ReceivedObject.objects.get(update=None).appeal\n"
        "print(json.dumps([appeal.status, appeal.outcome, appeal.outcome_report]))\n"
    )
    assert resolved == ["resolved", "won", "All rehired."]
    # From first to last (the pledge, the aid, the resolution), the third server got nothing.
    assert not server_c.posted


def test_a_statement_of_one_server_is_agreed_from_the_other_and_adopted_by_consensus(
    server_a, server_b
):
    host_a = server_a.url.removeprefix("http://")
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
        "op = UserFactory(email='op@busan.example', is_staff=True)\n"
        "from internationale.federation.remote_orgs import remote_accept, remote_request\n"
        f"remote_accept(actor=op, entry=remote_request(actor=op, handle='metal-sp@{host_a}'))\n"
    )
    entry = remote_request(actor=operator_a, handle=f"dockers@{server_b.host}")
    dockers_on_a = remote_accept(actor=operator_a, entry=entry)
    # Server A: the Metalworkers start a statement with the dockworkers of server B.
    statement = statement_create(
        actor=sam,
        organization=metal,
        title="For the right to strike",
        language="en",
        paragraphs=PARAGRAPHS,
        criteria=Criteria(add=[dockers_on_a.pk]),
        min_agree=2,
        **deadlines(),
    )
    drain()
    server_b.work_off()
    copy = (
        "from internationale.federation.models import ReceivedStatement\n"
        "statement = ReceivedStatement.objects.get().statement\n"
    )
    on_b = server_b.run(
        "import json\n" + copy + "print(json.dumps([statement.title, statement.status,\n"
        "  statement.organization.remote_actor_url, statement.current_version.paragraphs,\n"
        "  list(statement.participants.values_list('organization__slug', flat=True))]))\n"
    )
    assert on_b == [
        "For the right to strike",
        "drafting",
        f"{server_a.url}/federation/actors/metal-sp",
        PARAGRAPHS,
        ["dockers"],
    ]
    # A calls positions; B's copy follows, and B's secretary agrees there.
    positions_call(actor=sam, statement=statement)
    drain()
    server_b.work_off()
    server_b.run(
        "from internationale.accounts.models import User\n"
        "from internationale.organizations.models import Organization\n"
        "from internationale.statements.consensus import position_state\n" + copy + ""
        "position_state(actor=User.objects.get(email='sec@busan.example'), statement=statement,\n"
        "  organization=Organization.objects.get(slug='dockers'), stance='agree')\n"
    )
    server_b.work_off()
    # On A: the dockworkers' position, counted; the Metalworkers' agreement adopts it.
    position = Position.objects.get(statement=statement)
    assert (position.organization, position.stance, position.version.number) == (
        dockers_on_a,
        "agree",
        1,
    )
    statement.refresh_from_db()
    assert consensus_of(statement).agreements == 1
    position_state(actor=sam, statement=statement, organization=metal, stance="agree")
    statement.refresh_from_db()
    assert statement.status == "adopted"
    drain()
    server_b.work_off()
    adopted = server_b.run(
        "import json\n" + copy + "print(json.dumps([statement.status,\n"
        "  sorted(statement.signatures.values_list('organization__slug', flat=True))]))\n"
    )
    assert adopted[0] == "adopted"
    assert "dockers" in adopted[1]


def test_when_an_organization_moves_the_servers_that_relate_to_it_follow_it_to_its_new_address(
    server_a, server_b, server_c
):
    """The Metalworkers of A move to a third server. Server B, which relates to them (its
    directory's accepted entry: servers of this platform do not follow each other), gets the
    `Move` as their followers do, checks the new actor, and its directory names the new address
    from then on; the followers' server gets it too."""
    host_a = server_a.url.removeprefix("http://")
    metal = OrganizationFactory(slug="metal-sp", name="Metalworkers of São Paulo", country="BR")
    operator_a = MembershipFactory(organization=metal, role=Membership.Role.MEMBER).user
    operator_a.is_staff = True
    operator_a.save()
    old_actor = f"{server_a.url}/federation/actors/metal-sp"
    server_b.run(
        "from internationale.accounts.tests.factories import UserFactory\n"
        "UserFactory(email='op@busan.example', is_staff=True)\n"
    )
    accepted = server_b.run(
        "import json\n"
        "from internationale.accounts.models import User\n"
        "from internationale.federation.remote_orgs import remote_accept, remote_request\n"
        "op = User.objects.get(email='op@busan.example')\n"
        f"entry = remote_request(actor=op, handle='metal-sp@{host_a}')\n"
        "print(json.dumps(remote_accept(actor=op, entry=entry).remote_actor_url))\n"
    )
    assert accepted == old_actor
    # A follower of the Metalworkers, on the third server.
    Follower.objects.create(
        organization=metal,
        actor=f"{server_c.url}/users/textile",
        inbox=f"{server_c.url}/users/textile/inbox",
        shared_inbox=f"{server_c.url}/inbox",
        follow_id=f"{server_c.url}/users/textile/follows/1",
    )
    # Their new actor, on the third server, names the old one.
    new_actor, _key_id = server_c.add_actor("metalworkers", key_pair()[0])
    server_c.documents["/users/metalworkers"].update(
        type="Group", name="Metalworkers of São Paulo", country="BR", alsoKnownAs=[old_actor]
    )
    # A move goes to the moving organization's own partners: on A, the Metalworkers asked to
    # relate to B's dockworkers (an operator asks for them, for the Metalworkers), accepted.
    server_b.run(
        "from internationale.organizations.tests.factories import OrganizationFactory\n"
        "OrganizationFactory(slug='dockers', name='Dockworkers of Busan', country='KR')\n"
    )
    remote_accept(
        actor=operator_a,
        entry=remote_request(
            actor=operator_a, handle=f"dockers@{server_b.host}", organization=metal
        ),
    )

    move_to(actor=operator_a, organization=metal, target=new_actor)
    drain()

    moves = [json.loads(body) for _path, _headers, body in server_c.posted]
    assert [(m["type"], m["object"], m["target"]) for m in moves] == [
        ("Move", old_actor, new_actor)
    ]
    on_b = server_b.run(
        "import json\n"
        "from internationale.federation.models import ReceivedActivity, RemoteOrganization\n"
        "entry = RemoteOrganization.objects.get()\n"
        "print(json.dumps([entry.actor, entry.organization.remote_actor_url,\n"
        "  ReceivedActivity.objects.get(activity_type='Move').outcome]))\n"
    )
    assert on_b == [new_actor, new_actor, "moved"]
