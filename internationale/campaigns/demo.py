"""The demo's campaign: the union at the Rustenburg platinum mine, whose shop stewards were
arrested, runs a public protest letter from its appeal, co-sponsored by a sister union (another
invited has still to answer), with a few thousand confirmed signatures from many countries, in
many languages.

The campaign is prepared, co-sponsored and launched through the services, as on the site. The
signatures are invented and fixed (no randomness), inserted fast in one statement
(core.db.insert_rows) as confirmed and counted, with the count written to match: the demo shows
a campaign well under way without sending any e-mail.
"""

import datetime
import hashlib
from typing import Any

from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.appeals.demo import APPEAL_TITLES
from internationale.appeals.models import Appeal
from internationale.core.db import insert_rows
from internationale.organizations.demo import speaker

from .models import Campaign, Consent, Signature, SignatureCount
from .services import (
    TargetIn,
    appeal_prefill,
    campaign_create,
    campaign_launch,
    sponsors_invite,
    sponsorship_answer,
)

CAMPAIGN_TITLE = "Free the Rustenburg seven"
LETTER = (
    "To the Minister of Police and the board of Austral Minerals:\n\n"
    "Seven shop stewards of the Rustenburg platinum mine were arrested after a safety stoppage "
    "and are held without charge. Stopping work when lives are in danger is a right, not a "
    "crime.\n\n"
    "We demand their immediate release, the withdrawal of every charge, and talks with their "
    "union on safety at the mine."
)
SIGNATURES = 3000

# Signers by country, with a few first names and the language of each (fixed, cycled through).
SIGNERS: list[tuple[str, str, list[str]]] = [
    ("ZA", "en", ["Thabo", "Naledi", "Sipho", "Lerato", "Johan"]),
    ("BR", "pt-BR", ["Ana", "João", "Mariana", "Paulo", "Luana"]),
    ("AR", "es", ["Lucía", "Mateo", "Valentina", "Santiago"]),
    ("ES", "es", ["Carmen", "Javier", "Elena", "Pablo"]),
    ("FR", "fr", ["Camille", "Hugo", "Léa", "Louis"]),
    ("MA", "ar", ["Yasmine", "Omar", "Salma", "Karim"]),
    ("IN", "hi", ["Priya", "Arjun", "Kavya", "Ravi"]),
    ("KR", "ko", ["Ji-woo", "Min-jun", "Seo-yeon"]),
    ("DE", "de", ["Lena", "Jonas", "Mia", "Felix"]),
    ("NG", "en", ["Chidi", "Amara", "Tunde", "Ngozi"]),
    ("GB", "en", ["Olivia", "Jack", "Amelia"]),
    ("TR", "tr", ["Elif", "Mehmet", "Zeynep"]),
]
CITIES = {"ZA": "Rustenburg", "BR": "São Paulo", "AR": "Buenos Aires", "FR": "Roubaix"}


def _signature_rows(campaign: Campaign, now: datetime.datetime) -> list[tuple[Any, ...]]:
    rows = []
    start = now - datetime.timedelta(days=6)
    for n in range(SIGNATURES):
        country, language, names = SIGNERS[n % len(SIGNERS)]
        first = names[(n // len(SIGNERS)) % len(names)]
        email = f"signer{n}@{country.lower()}.example.org"
        created = start + datetime.timedelta(seconds=n * 170)
        rows.append(
            (
                campaign.pk,
                first,
                "",
                email,
                email.rpartition("@")[2],
                country,
                CITIES.get(country, "") if n % 3 == 0 else "",
                "NUMSA" if country == "ZA" and n % 2 == 0 else "",
                language,
                n % 4 != 0,  # three in four chose to be shown
                n % 5 == 0,
                Signature.Status.COUNTED,
                created,
                created + datetime.timedelta(minutes=7),
                # A used link: its hash alone, of nothing anyone holds.
                hashlib.sha256(f"demo:{campaign.pk}:{n}".encode()).hexdigest(),
                created + datetime.timedelta(days=3),
                "",
                None,
                "",
            )
        )
    return rows


def create_campaigns(orgs: dict[str, Any], people: dict[str, Any]) -> Campaign | None:
    appeal = Appeal.objects.filter(title=APPEAL_TITLES["rustenburg"]).first()
    if appeal is None or "mawusa" not in orgs:
        return None
    organizer = speaker("mawusa", people)
    now = timezone.now()
    prefill = appeal_prefill(appeal)
    campaign = campaign_create(
        actor=organizer,
        organization=orgs["mawusa"],
        appeal=appeal,
        kind=Campaign.Kind.LETTER,
        title=CAMPAIGN_TITLE,
        text=LETTER,
        language="en",
        goal=10_000,
        starts_at=now - datetime.timedelta(days=7),
        ends_at=now + datetime.timedelta(days=45),
        delivery=Campaign.Delivery.EVERY,
        delivery_every=1000,
        targets=[
            *prefill.get("targets", []),
            TargetIn(
                name="Austral Minerals, board of directors",
                email="board@austral-minerals.example",
            ),
        ],
    )
    invited = [orgs[slug].pk for slug in ("feminor", "gtl") if slug in orgs]
    if invited:
        sponsors_invite(actor=organizer, campaign=campaign, criteria=Criteria(add=invited))
    if "feminor" in orgs:
        sponsorship_answer(
            actor=speaker("feminor", people),
            campaign=campaign,
            organization=orgs["feminor"],
            accept=True,
        )
    campaign = campaign_launch(actor=organizer, campaign=campaign)
    Campaign.objects.filter(pk=campaign.pk).update(launched_at=now - datetime.timedelta(days=7))
    fields = [
        "campaign",
        "first_name",
        "last_name",
        "email",
        "email_domain",
        "country",
        "city",
        "union",
        "language",
        "show_publicly",
        "wants_news",
        "status",
        "created_at",
        "confirmed_at",
        "token_hash",
        "token_expires_at",
        "client_hash",
        "invalidated_at",
        "reason",
    ]
    insert_rows(Signature, fields, _signature_rows(campaign, now))
    # One signer in three agreed to be contacted by the organizer.
    ids = Signature.objects.filter(campaign=campaign).order_by("id").values_list("id", flat=True)
    insert_rows(
        Consent,
        ["signature", "organization", "created_at"],
        [(pk, campaign.organization_id, now) for pk in ids[::3]],
    )
    SignatureCount.objects.filter(campaign=campaign).update(signatures=SIGNATURES)
    from .public_page import changed

    changed(campaign.pk)
    return campaign
