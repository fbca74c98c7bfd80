"""The demo's joint statements and advice: the unions at Meridian Freight draft statements in every
state (drafted with amendments in every status, positions called, blocked then revised, adopted
and published, withdrawn), and give one another advice answered in every way.

Drafted, amended, stated and signed through the services, as on the site. The invitations are put
in the inboxes here without e-mailing anyone (the background delivery then finds nothing new), as
the meetings' are. Every deadline lies ahead: adoption here follows from every participant's
answer, not from a deadline passing, so nothing needs moving into the past.
"""

import datetime
from typing import Any

from django.utils import timezone

from internationale.addressing.routing import Criteria
from internationale.notifications.demo import quietly
from internationale.organizations.demo import speaker

from .advice import advice_answer, advice_give
from .amendments import amendment_decide, amendment_propose, amendment_withdraw, statement_revise
from .consensus import position_state, positions_call, signature_add, signature_decline
from .drafting import comment_add, statement_support, statement_withdraw
from .models import Advice, Amendment, Participant, Signature, Statement
from .services import statement_create
from .translations import translation_add

# The demo statements by their titles, which tell them from statements people draft themselves.
STATEMENT_TITLES: dict[str, str] = {
    "drafting": "A common demand: no more casual contracts at Meridian Freight",
    "positions": "Automation at the terminals: no crane without the workers' say",
    "revised": "Health and safety in automated terminals",
    "adopted": "Permanent contracts in every port of Meridian Freight",
    "withdrawn": "Against the sale of the Tangier warehouse",
}
# The demo advice by its subject.
ADVICE_SUBJECTS: dict[str, str] = {
    "accepted": "Bring the Tangier workers into the world meeting's report",
    "partly": "Publish the Apapa agreement in English and Yoruba",
    "rejected": "Hold the Santos strike vote before the contract talks",
    "considering": "A shared health and safety checklist for the warehouses",
}

DRAFTING_TEXT = [
    "The unions at Meridian Freight's ports and warehouses, meeting in Santos, demand the end of "
    "casual contracts at every site of the company.",
    "Casual workers do the same work as permanent ones, for less pay and no protection.",
    "Every union raises this demand at its next bargaining round, and reports to the others.",
    "We ask Meridian Freight to open talks at group level within six months.",
]
POSITIONS_TEXT = [
    "Meridian Freight plans to automate the cranes at Busan, Hamburg and Santos within three "
    "years.",
    "No automation without an agreement with the unions at each terminal, on jobs, training and "
    "safety.",
    "Every worker whose job is automated is offered another at the same pay, or retraining paid "
    "by the company.",
]
SAFETY_TEXT = [
    "Automated terminals bring new dangers: machines that move without a driver, and fewer "
    "workers to see them.",
    "Each terminal keeps a safety committee with elected workers' representatives.",
    "The committee may stop work when it judges a machine unsafe.",
]
SAFETY_REVISED = [
    *SAFETY_TEXT[:2],
    "The committee may stop work when it judges a machine unsafe, without loss of pay for anyone.",
    "The unions share each accident report within a week, in English and the local language.",
]
ADOPTED_TEXT = [
    "Dockworkers in Lagos, Santos, Busan and Hamburg do the same work for the same employer.",
    "We demand permanent contracts for every worker at Meridian Freight's ports.",
    "We stand together: a dispute at one port is the concern of every port.",
]
ADOPTED_FRENCH = [
    "Les dockers de Lagos, Santos, Busan et Hambourg font le même travail pour le même employeur.",
    "Nous exigeons des contrats permanents pour tous les travailleurs des ports de Meridian "
    "Freight.",
    "Nous sommes solidaires : un conflit dans un port concerne tous les ports.",
]
ADOPTED_ARABIC = [
    "عمال الموانئ في لاغوس وسانتوس وبوسان وهامبورغ يؤدون العمل نفسه لدى صاحب العمل نفسه.",
    "نطالب بعقود دائمة لكل عامل في موانئ ميريديان فريت.",
    "نحن متضامنون: أي نزاع في ميناء واحد يهم كل الموانئ.",
]
WITHDRAWN_TEXT = [
    "Meridian Freight plans to sell its Tangier warehouse without consulting its workers.",
    "We oppose any sale that does not keep every job and every contract.",
]


def _ahead(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def create_statements(orgs: dict[str, Any], people: dict[str, Any]) -> dict[str, Statement]:
    """The demo statements, one in each state; returns them by their key in STATEMENT_TITLES."""

    def start(key: str, slug: str, invited: tuple[str, ...], text: list[str], **fields: Any) -> Any:
        statement = statement_create(
            actor=speaker(slug, people),
            organization=orgs[slug],
            title=STATEMENT_TITLES[key],
            language=fields.pop("language", "en"),
            paragraphs=text,
            amendments_until=_ahead(fields.pop("amendments_in", 30)),
            positions_until=_ahead(fields.pop("positions_in", 60)),
            criteria=Criteria(add=[orgs[s].pk for s in invited]),
            **fields,
        )
        participants = Participant.objects.filter(statement=statement, delivered_at__isnull=True)
        quietly(
            kind="statement.invited",
            source=statement,
            organizations=list(participants.values_list("organization_id", flat=True)),
            params={"initiator": statement.organization.name, "title": statement.title},
            sender=statement.organization_id,
        )
        participants.update(delivered_at=timezone.now())
        return statement

    def state(statement: Statement, slug: str, stance: str, text: str = "", **more: Any) -> None:
        position_state(
            actor=speaker(slug, people),
            statement=statement,
            organization=orgs[slug],
            stance=stance,
            text=text,
            **more,
        )

    def propose(statement: Statement, slug: str, paragraph: int, kind: str, **more: Any) -> Any:
        statement.refresh_from_db()
        version = statement.current_version
        assert version is not None
        return amendment_propose(
            actor=speaker(slug, people),
            statement=statement,
            organization=orgs[slug],
            version=version.number,
            paragraph=paragraph,
            kind=kind,
            **more,
        )

    statements: dict[str, Statement] = {}

    # (a) Drafted by SINTLOG: two supporters, comments, and amendments in every status.
    drafting = start(
        "drafting",
        "sintlog",
        ("ndpwu", "klwu", "gtl", "fmtl"),
        DRAFTING_TEXT,
        min_supporters=2,
    )
    initiator = speaker("sintlog", people)
    for slug in ("ndpwu", "klwu"):
        statement_support(actor=speaker(slug, people), statement=drafting, organization=orgs[slug])
    klwu_words = propose(
        drafting,
        "klwu",
        2,
        "replace",
        text="Casual workers do the same work as permanent ones, for less pay, no protection "
        "and no say over their shifts.",
        reason="In Busan the shifts are the casual workers' first complaint.",
    )
    gtl_words = propose(
        drafting,
        "gtl",
        2,
        "replace",
        text="Casual and agency workers do the same work as permanent ones, for less pay.",
        reason="In Hamburg most of the precarious workers come through agencies.",
    )
    ndpwu_addition = propose(
        drafting,
        "ndpwu",
        3,
        "insert_after",
        text="Where the company refuses, the unions call a common day of action.",
        reason="A demand needs a way to press it.",
    )
    fmtl_deletion = propose(
        drafting,
        "fmtl",
        4,
        "delete",
        reason="Talks at group level have never been offered; the demand may look naive.",
    )
    amendment_withdraw(actor=speaker("fmtl", people), amendment=fmtl_deletion)
    amendment_decide(
        actor=initiator,
        amendment=ndpwu_addition,
        decision="reject",
        reason="A day of action is for the world meeting to decide, not for this statement.",
    )
    # Accepted: version 2; GTL's amendment to the same paragraph now needs rebasing.
    amendment_decide(actor=initiator, amendment=klwu_words, decision="accept")
    gtl_words.refresh_from_db()
    assert gtl_words.status == Amendment.Status.NEEDS_REBASE
    # Comments are on a version's paragraphs: these on version 2, the one read now.
    comment_add(
        actor=speaker("ndpwu", people),
        statement=drafting,
        organization=orgs["ndpwu"],
        paragraph=1,
        text="In Lagos the casual workers are the majority at the container terminal.",
    )
    comment_add(
        actor=speaker("gtl", people),
        statement=drafting,
        organization=orgs["gtl"],
        paragraph=4,
        text="Six months is short; the European works council meets in the spring.",
    )
    propose(
        drafting,
        "gtl",
        4,
        "replace",
        text="We ask Meridian Freight to open talks at group level within a year.",
        reason="The European works council meets in the spring; six months is too short.",
    )
    statements["drafting"] = drafting

    # (b) Positions called by KLWU: three stated, two silent still.
    called = start("positions", "klwu", ("sintlog", "ndpwu", "gtl", "sea", "fmtl"), POSITIONS_TEXT)
    positions_call(actor=speaker("klwu", people), statement=called)
    state(called, "sintlog", "agree")
    state(
        called,
        "gtl",
        "reservations",
        "Retraining must be agreed with the works council, not only offered by the company.",
    )
    state(called, "sea", "stand_aside", "Algeciras has no automated cranes yet.")
    statements["positions"] = called

    # (c) Blocked on version 1, revised into version 2, positions called on it again.
    revised = start("revised", "gtl", ("klwu", "ndpwu", "sintlog"), SAFETY_TEXT)
    positions_call(actor=speaker("gtl", people), statement=revised)
    state(revised, "klwu", "agree")
    state(
        revised,
        "ndpwu",
        "block",
        "A committee that stops work must not cost the workers their pay; in Lagos it would.",
    )
    statement_revise(
        actor=speaker("gtl", people),
        statement=revised,
        paragraphs=SAFETY_REVISED,
        note="After NDPWU's block: no loss of pay when work stops; accident reports shared.",
    )
    positions_call(actor=speaker("gtl", people), statement=revised)
    state(revised, "klwu", "agree")
    statements["revised"] = revised

    # (d) Adopted and public: signatories in four countries, KLWU's reservations published,
    # SEA and WWUA sign afterwards, a party's signature declined; in French and Arabic too.
    adopted = start(
        "adopted",
        "ndpwu",
        ("sintlog", "klwu", "gtl", "fmtl"),
        ADOPTED_TEXT,
        min_agree=3,
        adopted_visibility="public",
    )
    positions_call(actor=speaker("ndpwu", people), statement=adopted)
    state(adopted, "ndpwu", "agree")
    state(adopted, "sintlog", "agree")
    state(
        adopted,
        "klwu",
        "reservations",
        "We sign, and note that Korean law limits the strikes we may call in solidarity.",
        publish_reservations=True,
    )
    state(adopted, "gtl", "agree")
    state(adopted, "fmtl", "stand_aside", "Meridian no longer runs a port in Morocco.")
    adopted.refresh_from_db()
    assert adopted.status == Statement.Status.ADOPTED
    for slug in ("sea", "wwua", "poi"):
        signature_add(actor=speaker(slug, people), statement=adopted, organization=orgs[slug])
    signature_decline(
        actor=speaker("ndpwu", people),
        signature=Signature.objects.get(statement=adopted, organization=orgs["poi"]),
        reason="This statement is signed by the unions at the ports; we thank the party for its "
        "support.",
    )
    translation_add(
        actor=speaker("ndpwu", people),
        statement=adopted,
        language="fr",
        title="Des contrats permanents dans tous les ports de Meridian Freight",
        paragraphs=ADOPTED_FRENCH,
    )
    translation_add(
        actor=speaker("ndpwu", people),
        statement=adopted,
        language="ar",
        title="عقود دائمة في كل موانئ ميريديان فريت",
        paragraphs=ADOPTED_ARABIC,
    )
    statements["adopted"] = adopted

    # (e) Withdrawn by SEA, with its reason.
    withdrawn = start("withdrawn", "sea", ("fmtl", "sintlog"), WITHDRAWN_TEXT)
    statements["withdrawn"] = statement_withdraw(
        actor=speaker("sea", people),
        statement=withdrawn,
        reason="The sale is done; FMTL negotiates with the new owner, who keeps every contract.",
    )
    return statements


def create_advice(orgs: dict[str, Any], people: dict[str, Any]) -> dict[str, Advice]:
    """Advice given and received by SINTLOG, answered in every way; returns it by its answer."""

    def give(sender: str, receiver: str, key: str, text: str) -> Advice:
        return advice_give(
            actor=speaker(sender, people),
            sender=orgs[sender],
            receiver=orgs[receiver],
            subject=ADVICE_SUBJECTS[key],
            text=text,
        )

    def answer(advice: Advice, answer: str, reason: str = "") -> Advice:
        return advice_answer(
            actor=speaker(advice.receiver.slug, people), advice=advice, answer=answer, reason=reason
        )

    given: dict[str, Advice] = {}
    given["accepted"] = answer(
        give(
            "sintlog",
            "fmtl",
            "accepted",
            "Your members at Tangier lost their warehouse to a sale; the world meeting should "
            "hear it from you.",
        ),
        "accepted",
        "We will send a written report before the next edition.",
    )
    given["partly"] = answer(
        give(
            "sintlog",
            "ndpwu",
            "partly",
            "The agreement on casual workers at Apapa is a model for all of us: publish it in "
            "English and in Yoruba, so that every member reads it.",
        ),
        "partly",
        "In English now; the Yoruba version waits for a translator.",
    )
    given["rejected"] = answer(
        give(
            "klwu",
            "sintlog",
            "rejected",
            "A strike vote before the talks shows the company you are ready.",
        ),
        "rejected",
        "Our members voted to talk first; a strike vote now would split them.",
    )
    given["considering"] = answer(
        give(
            "gtl",
            "sintlog",
            "considering",
            "Our works council's checklist for automated warehouses, in Portuguese: worth "
            "adopting at Santos?",
        ),
        "considering",
    )
    return given
