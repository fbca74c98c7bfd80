"""The demo's appeals, in every state and several languages, with their answers; and what
completing a demo loaded by an earlier version (one without appeals) needs."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from internationale.accounts.demo import demo_email
from internationale.accounts.models import User
from internationale.addressing.routing import Criteria
from internationale.core.predicates import SPEAKING_ROLES
from internationale.notifications.demo import quietly
from internationale.organizations.demo import EMPLOYERS, PEOPLE, speaker, speaker_local
from internationale.organizations.models import Employer, Membership

from .models import Addressee, Appeal
from .services import (
    appeal_acknowledge,
    appeal_close,
    appeal_create,
    appeal_decline,
    appeal_escalate,
    appeal_post_update,
    appeal_resolve,
    appeal_send,
    appeal_send_finish,
    pledge_create,
)

# The demo appeals by their titles, which tell them from appeals people write themselves.
APPEAL_TITLES: dict[str, str] = {
    "tiruppur": "Strike at Corvina Apparel, Tiruppur: 3,000 workers out for a living wage",
    "rustenburg": "Seven shop stewards arrested at the Rustenburg platinum mine",
    "buenos_aires": "Huelga en el centro de corte de Buenos Aires",
    "roubaix": "Licenciements au centre de distribution de Roubaix",
    "santos": "Demissões no centro de distribuição de Santos",
}
# The organizations whose speakers act in the demo appeals (issue, answer, pledge, confirm) and the
# employers they name: completing an older demo needs them all still in place. (A person missing
# here fails the completion test: `_complete_appeals` passes only these speakers.)
APPEAL_ORGANIZATIONS = (
    "tngwf",
    "bgws",
    "ftth",
    "dtis",
    "ktgwu",
    "mawusa",
    "feminor",
    "sittba",
    "fatm",
    "sintlog",
)
APPEAL_EMPLOYERS = ("corvina-apparel", "austral-minerals", "meridian-freight")


def appeal_actors(orgs: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The demo people who act in the demo appeals, found, never created: an account deleted since
    (the demo operator's, say) stays deleted. Also what has changed since that the appeals need:
    an account gone or disabled, a speaking role lost, an organization no longer verified, an
    employer gone."""
    locals_ = {slug: speaker_local(slug) for slug in APPEAL_ORGANIZATIONS}
    users = {
        u.email: u for u in User.objects.filter(email__in=[demo_email(x) for x in locals_.values()])
    }
    roles = {
        (m.user_id, m.organization_id): m.role
        for m in Membership.objects.filter(
            user__in=users.values(), organization__in=[orgs[s] for s in APPEAL_ORGANIZATIONS]
        )
    }
    names = {local: name for local, name, _language, _slug, _role in PEOPLE}
    people: dict[str, Any] = {}
    changes = []
    for slug in APPEAL_ORGANIZATIONS:
        local, org = locals_[slug], orgs[slug]
        user = users.get(demo_email(local))
        if user is None or not user.is_active:
            changes.append(f"the account of {names[local]} is gone or disabled")
        elif roles.get((user.pk, org.pk)) not in SPEAKING_ROLES:
            changes.append(f"{names[local]} no longer speaks for {org.short_name or org.name}")
        else:
            people[local] = user
        if org.verified_at is None:
            changes.append(f"{org.short_name or org.name} is no longer verified")
    found = set(Employer.objects.filter(slug__in=APPEAL_EMPLOYERS).values_list("slug", flat=True))
    employers = {slug: name for name, slug, *_rest in EMPLOYERS}
    changes += [f"{employers[s]} is gone" for s in APPEAL_EMPLOYERS if s not in found]
    return people, list(dict.fromkeys(changes))


def demo_appeals(orgs: dict[str, Any]) -> Any:
    """The demo appeals: a demo organization's appeals with a demo title. Appeals people have
    written since, even as a demo organization, are not among them."""
    return Appeal.objects.filter(
        organization__in=list(orgs.values()), title__in=APPEAL_TITLES.values()
    )


# Appeals in every state, in several languages, with their answers. Sent by the services, as on
# the site; their inbox entries are put in place here without e-mailing anyone (the background
# delivery, when a worker runs, then finds nothing new to deliver or send).
def create_appeals(orgs: dict[str, Any], people: dict[str, Any]) -> None:
    employers = {e.slug: e for e in Employer.objects.all()}
    soon = timezone.now() + datetime.timedelta(days=14)

    def issue(slug: str, criteria: Criteria | None, **fields: Any) -> Any:
        appeal = appeal_create(actor=speaker(slug, people), organization=orgs[slug], **fields)
        if criteria is None:
            return appeal
        appeal_send(actor=speaker(slug, people), appeal=appeal, criteria=criteria)
        # What the worker does next, done here: the addressees recorded, the appeal open.
        appeal_send_finish(appeal_id=appeal.pk, sent_by=speaker(slug, people).pk)
        appeal.refresh_from_db()
        deliver(appeal)
        return appeal

    def deliver(appeal: Any) -> None:
        ids = list(
            Addressee.objects.filter(appeal=appeal).values_list("organization_id", flat=True)
        )
        quietly(
            kind="appeal.received",
            source=appeal,
            organizations=ids,
            params={"title": appeal.title},
            summary=appeal.text[:280],
            urgency=appeal.urgency,
            deadline=appeal.deadline,
        )
        Addressee.objects.filter(appeal=appeal).update(delivered_at=timezone.now())

    def pledge(appeal: Any, slug: str, **fields: Any) -> Any:
        return pledge_create(
            actor=speaker(slug, people), appeal=appeal, organization=orgs[slug], **fields
        )

    # Open: a strike at Corvina Apparel's Tiruppur plant, to the unions at its other sites.
    tiruppur = issue(
        "tngwf",
        Criteria(employer=True),
        title=APPEAL_TITLES["tiruppur"],
        text="Since Monday, 3,000 knitwear workers of the **Tiruppur plant** have been on strike "
        "for a living wage and against forced overtime. Management threatens mass dismissals.\n\n"
        "We ask every union at Corvina Apparel to write to the company and to support our "
        "strike fund.",
        language="en",
        situation="strike",
        urgency=1,
        country="IN",
        place="Tiruppur",
        employer=employers["corvina-apparel"],
        asks_propaganda=True,
        propaganda_details="Statements of support we can read at the gate.",
        asks_sympathy=True,
        sympathy_target="Corvina Apparel, chief executive",
        sympathy_address="Calle de Serrano 41, 28001 Madrid, Spain",
        asks_material_aid=True,
        aid_goal_amount=Decimal("25000"),
        aid_goal_currency="USD",
        deadline=soon,
        visibility="public",
    )
    appeal_acknowledge(actor=speaker("bgws", people), appeal=tiruppur, organization=orgs["bgws"])
    pledge(
        tiruppur,
        "bgws",
        forms=["sympathy"],
        description="Letters from our 40 factory committees.",
        public=True,
    )
    pledge(
        tiruppur,
        "ftth",
        forms=["propaganda", "material_aid"],
        description="A statement of support read at our congress, and a collection there.",
        amount=Decimal("2000"),
        currency="EUR",
        public=True,
    )
    pledge(tiruppur, "dtis", forms=["propaganda"], description="A statement by our executive.")
    appeal_decline(
        actor=speaker("ktgwu", people),
        appeal=tiruppur,
        organization=orgs["ktgwu"],
        reason="Our own members are locked out this month; we will write once we can.",
    )

    # Escalated: arrests at a mine; too few answered, so it was widened to the region.
    rustenburg = issue(
        "mawusa",
        Criteria(employer=True),
        title=APPEAL_TITLES["rustenburg"],
        text="Police arrested seven of our shop stewards after a safety stoppage. They are "
        "held without charge. Write to the Minister of Police and to Austral Minerals.",
        language="en",
        situation="arrests",
        urgency=1,
        country="ZA",
        place="Rustenburg",
        employer=employers["austral-minerals"],
        asks_sympathy=True,
        sympathy_target="Minister of Police",
        sympathy_address="Wachthuis Building, 231 Pretorius Street, Pretoria",
        deadline=soon,
        visibility="network",
        escalation_threshold=3,
        escalate_at=timezone.now() + datetime.timedelta(days=2),
    )
    Appeal.objects.filter(pk=rustenburg.pk).update(
        escalate_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    appeal_escalate(appeal_id=rustenburg.pk)
    deliver(rustenburg)
    appeal_acknowledge(
        actor=speaker("feminor", people), appeal=rustenburg, organization=orgs["feminor"]
    )

    # Resolved: a strike in Buenos Aires, won with the help of material aid in two currencies.
    buenos_aires = issue(
        "sittba",
        Criteria(employer=True),
        title=APPEAL_TITLES["buenos_aires"],
        text="Las trabajadoras del centro de corte de Corvina Apparel están en huelga contra "
        "el cierre del turno noche. Pedimos cartas a la empresa y aportes al fondo de huelga.",
        language="es",
        situation="strike",
        urgency=0,
        country="AR",
        place="Buenos Aires",
        employer=employers["corvina-apparel"],
        asks_sympathy=True,
        sympathy_target="Corvina Apparel, dirección de recursos humanos",
        sympathy_address="Calle de Serrano 41, 28001 Madrid, España",
        asks_material_aid=True,
        aid_goal_amount=Decimal("3000"),
        aid_goal_currency="USD",
        deadline=soon,
        visibility="public",
    )
    # The aid pledged here is given and confirmed by aid/demo.py; conclude_appeals then resolves it.
    for slug, amount, currency in (("fatm", "800", "USD"), ("ftth", "500", "EUR")):
        pledge(
            buenos_aires,
            slug,
            forms=["material_aid"],
            description="Al fondo de huelga.",
            amount=Decimal(amount),
            currency=currency,
            public=True,
        )
    pledge(buenos_aires, "tngwf", forms=["sympathy"], description="Cartas de nuestros sindicatos.")

    # Closed: dismissals in Roubaix, sent to the federation's partners.
    roubaix = issue(
        "ftth",
        Criteria(relations=True),
        title=APPEAL_TITLES["roubaix"],
        text="Corvina Apparel annonce 120 licenciements à Roubaix. Nous demandons des "
        "déclarations de soutien.",
        language="fr",
        situation="dismissals",
        urgency=0,
        country="FR",
        place="Roubaix",
        employer=employers["corvina-apparel"],
        asks_propaganda=True,
        visibility="network",
    )
    appeal_close(actor=speaker("ftth", people), appeal=roubaix)

    # A draft, not yet sent.
    issue(
        "sintlog",
        None,
        title=APPEAL_TITLES["santos"],
        text="A Meridian Freight anunciou 200 demissões no centro de distribuição de Santos.",
        language="pt-BR",
        situation="dismissals",
        urgency=1,
        country="BR",
        place="Santos",
        employer=employers["meridian-freight"],
        asks_propaganda=True,
        visibility="network",
    )


def conclude_appeals(orgs: dict[str, Any], people: dict[str, Any]) -> None:
    """What follows the aid (aid/demo.py): the Buenos Aires strike, won, is resolved."""
    buenos_aires = Appeal.objects.get(
        organization=orgs["sittba"], title=APPEAL_TITLES["buenos_aires"]
    )
    appeal_post_update(
        actor=speaker("sittba", people),
        appeal=buenos_aires,
        text="Día 12: la empresa acepta negociar.",
    )
    appeal_resolve(
        actor=speaker("sittba", people),
        appeal=buenos_aires,
        outcome="won",
        report="El turno noche se mantiene y nadie fue despedido. ¡Gracias a todas!",
    )
