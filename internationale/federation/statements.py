"""Statements across servers: a joint statement initiated by an organization of this server goes
to the remote organizations taking part in it, and, once adopted and public, to its followers;
the positions and signatures those remote organizations send become the statements services'
calls, acting as them.

**Sent** (publishing.py: the statement is a `Travelling` content, declared below). The notices
that tell the participants of a step carry it to the accepted remote organizations among them,
each alone (`to` its actor, its own inbox):

| notice | to each remote participant | to the followers |
| --- | --- | --- |
| invited (`statement.invited`) | `Create` of the statement's `Article` | |
| settings changed, new version, positions called, withdrawn | `Update` of it | |
| adopted (`statement.adopted`) | `Update` of it (`status: "adopted"`, the adopted text, its signatories) | `Create` of it, when its adopted visibility is public |
| a version in another language made or corrected, once adopted | `Update` of it | `Update` of it, when public |

The object is an `Article` whose `paragraphs` (terms of the platform's context) say it is a
statement, not an appeal: its title (`name`, `nameMap`), its text (`content`, `contentMap`: each
paragraph rendered; once adopted, every language it has), and `status`, `version`,
`paragraphs` (Markdown, in order), `positionsVersion`, `amendmentsUntil`, `positionsUntil`,
`minAgree` and, once adopted, `signatories` (their actors) and `reservations` (the published
reservations of those that signed with them, by actor). Nothing of the drafting (amendments,
comments, other participants' positions) travels; nothing goes to the followers before the
statement is adopted and public.

**Received** (acting.py, from an accepted remote organization, acting as it: `core.actors.Remote`):

| activity | object | service |
| --- | --- | --- |
| `Accept`, `TentativeAccept`, `TentativeReject`, `Reject` | the statement's id (its URL here) | position_state: agree, agree with reservations, stand aside, block (or the activity's `stance`); `content`: the reservations or the reason; `version`: the version read; `publishReservations` |
| `Join` | the statement's id | signature_add: it signs the adopted statement |
"""

import hashlib
import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from internationale.core.actors import Remote
from internationale.core.links import absolute_url
from internationale.core.text import render_markdown
from internationale.core.visibility import is_confidential
from internationale.organizations.models import Organization
from internationale.statements import translations
from internationale.statements.consensus import position_state, signature_add
from internationale.statements.models import (
    Participant,
    Position,
    Signature,
    Statement,
    Version,
)
from internationale.statements.selectors import statement_get
from internationale.translation.models import LanguageVersion

from . import documents, publishing
from .models import RemoteOrganization
from .receiving import Refusal

# The terms of the platform's context a statement's article carries besides `status`.
STATEMENT_TERMS = (
    "paragraphs",
    "version",
    "positionsVersion",
    "amendmentsUntil",
    "positionsUntil",
    "minAgree",
    "signatories",
    "reservations",
    "stance",
    "publishReservations",
)
# A position sent as the activity of its kind (or with its `stance`, which wins).
STANCES = {
    "Accept": Position.Stance.AGREE,
    "TentativeAccept": Position.Stance.RESERVATIONS,
    "TentativeReject": Position.Stance.STAND_ASIDE,
    "Reject": Position.Stance.BLOCK,
}


def _html(paragraphs: list[str]) -> str:
    return "".join(str(render_markdown(paragraph)) for paragraph in paragraphs)


def _actor(organization: Organization) -> str:
    return organization.remote_actor_url or documents.actor_url(organization)


def article(statement: Statement) -> dict[str, Any]:
    """The statement as an ActivityStreams `Article`, addressed to the public and the followers:
    its current text while drafted, its adopted text (in every language it has) once adopted."""
    adopted = statement.adopted_version()
    version: Version | None = adopted or statement.current_version
    title = version.title if version is not None else statement.title
    paragraphs = list(version.paragraphs) if version is not None else []
    names = {statement.language: title}
    contents = {statement.language: _html(paragraphs)}
    if adopted is not None:
        for translated in translations.language_versions(statement).order_by("language"):
            if translated.language not in names:
                names[translated.language] = translated.texts.get("title") or title
                contents[translated.language] = _html(translations.paragraphs_of(translated))
    organization = statement.organization
    url = absolute_url(statement.get_absolute_url())
    document: dict[str, Any] = {
        "id": url,
        "type": "Article",
        "attributedTo": documents.actor_url(organization),
        "name": title,
        "nameMap": names,
        "content": contents[statement.language],
        "contentMap": contents,
        "mediaType": "text/html",
        "url": url,
        "published": statement.created_at.isoformat(),
        "updated": statement.updated_at.isoformat(),
        "to": [documents.PUBLIC],
        "cc": [documents.followers_url(organization)],
        "status": statement.status,
        # What a server of this platform reads of it; other software reads name and content.
        "version": version.number if version is not None else 0,
        "paragraphs": paragraphs,
        "amendmentsUntil": statement.amendments_until.isoformat(),
        "positionsUntil": statement.positions_until.isoformat(),
        "minAgree": statement.min_agree,
    }
    if statement.positions_version_id is not None and statement.positions_version is not None:
        document["positionsVersion"] = statement.positions_version.number
    if adopted is not None:
        signed = (
            Signature.objects.filter(statement=statement, status=Signature.Status.SIGNED)
            .select_related("organization")
            .order_by("pk")
        )
        document["signatories"] = [_actor(signature.organization) for signature in signed]
        # Their published reservations (shown with their signatures), by actor.
        reservations = {
            _actor(signature.organization): signature.reservations
            for signature in signed
            if signature.reservations
        }
        if reservations:
            document["reservations"] = reservations
    return document


def _statement_of(source: Any) -> Statement | None:
    if isinstance(source, Statement):
        return source
    if isinstance(source, Version):  # positions called on a version
        return source.statement
    return None


STATEMENTS = publishing.declare(
    publishing.Travelling(
        name="statements",
        of=_statement_of,
        steps={
            "statement.invited": publishing.Step("Create", once=True),
            "statement.changed": publishing.Step("Update"),
            "statement.version": publishing.Step("Update"),
            "statement.positions_called": publishing.Step("Update"),
            "statement.withdrawn": publishing.Step("Update"),
            "statement.adopted": publishing.Step("Update", "Create"),
        },
        document=article,
        terms=STATEMENT_TERMS,
        ours=publishing.ours,
        public=lambda statement: (
            statement.status == Statement.Status.ADOPTED and not is_confidential(statement)
        ),
        saved={LanguageVersion: lambda *saved: _language_version_saved(*saved)},
    )
)


def _language_version_saved(
    version: LanguageVersion, created: bool, fields: Any
) -> publishing.Saved | None:
    """A version of an adopted statement in another language, made (by a machine, after the
    adoption's activities have often gone) or corrected: the `Update` of its article, in every
    language it now has, to its remote participants and, when public, to its followers. Its id
    is made from the version's texts: the same texts are sent once."""
    if version.content_type_id != ContentType.objects.get_for_model(Statement).pk:
        return None
    statement = (
        Statement.objects.select_related("organization", "current_version")
        .filter(pk=version.object_id)
        .first()
    )
    if statement is None or statement.adopted_version() is None or not publishing.ours(statement):
        return None
    texts = json.dumps(version.texts, sort_keys=True).encode()
    remotes = RemoteOrganization.objects.filter(
        status=RemoteOrganization.Status.ACCEPTED,
        organization_id__in=Participant.objects.filter(statement=statement).values(
            "organization_id"
        ),
    ).order_by("pk")
    return publishing.Saved(
        statement,
        f"language-{version.language}-{hashlib.sha256(texts).hexdigest()[:16]}",
        "Update",
        list(remotes),
        to_followers=True,
    )


def is_statement(obj: dict[str, Any]) -> bool:
    """Whether an article received is a statement (it has its paragraphs), not an appeal."""
    return "paragraphs" in obj


# Received ----------------------------------------------------------------------------------------


def statement_for(remote: Remote, pk: int) -> Statement:
    """The statement as the remote organization may see it: unknown and not visible answer the
    same (its initiator's block of the sender: acting.act)."""
    try:
        statement = statement_get(viewer=remote, pk=pk)
    except Http404:
        raise Refusal(
            404, "unknown_statement", _("There is no such statement for this organization.")
        ) from None
    return statement


def version_number(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refusal(422, "bad_version", _("The version is not a number."))
    return value


def position(
    remote: Remote, organization: Organization, activity: dict[str, Any], pk: int
) -> tuple[str, Position]:
    """The remote organization's position on the statement `pk` of this server."""
    statement = statement_for(remote, pk)
    stance = activity.get("stance")
    if stance is None:
        stance = STANCES[activity["type"]]
    if stance not in Position.Stance.values:
        raise ValidationError(
            {"stance": ValidationError(_("Choose a position."), code="invalid_choice")}
        )
    text = activity.get("content") or activity.get("summary") or ""
    return "position_stated", position_state(
        actor=remote,
        statement=statement,
        organization=organization,
        stance=stance,
        text=text if isinstance(text, str) else "",
        publish_reservations=activity.get("publishReservations") is True,
        version=version_number(activity.get("version")),
    )


def sign(remote: Remote, organization: Organization, pk: int) -> tuple[str, Signature]:
    """The remote organization signs the adopted statement `pk` of this server."""
    statement = statement_for(remote, pk)
    return "signed", signature_add(actor=remote, statement=statement, organization=organization)
