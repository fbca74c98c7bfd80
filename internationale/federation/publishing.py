"""Publishing to followers: a public appeal, once sent, goes to its organization's followers as
the `Create` of an `Article`, its title and text in every language it has (`nameMap`,
`contentMap`: the original and the translations made so far). Its life after that follows it:
an update posted to its timeline as the `Create` of a `Note` in reply to the article (a reply,
which every ActivityPub software shows under the appeal, where an `Update` of the article would
replace its text); its resolution and its closing as the `Update` of the article (its outcome
report added, `status` and `outcome` set); a public appeal deleted as the `Delete` of it (a
`Tombstone`), which also goes to each remote organization an appeal was addressed to. The organization's outbox lists what it published (`outbox`).

Appeals are not edited for it: this is a channel of notices (core/notices.py), which sees the
notice that tells the addressees of a new appeal ("appeal.received"). Only a public appeal is
published; one seen by the network or by its addressees only is never sent to followers. The
activity has an id made from the appeal's, so that the notice's batches, and a dispatch run again,
record it once.

An appeal addressed to remote organizations (accepted ones, remote_orgs.py) goes to each of them
alone, whatever its audience: a `Create` of the `Article` addressed (`to`) to that organization's
actor only, delivered to its own inbox, never public, never to followers. Nothing of the pledges
travels with it.

The later steps are not notices to followers (an update's notice goes to the organizations that
answered, and to none when none did; closing tells nobody): they are recorded when the appeal's
timeline entry is, in the same transaction (`timeline_saved`, connected when the app is ready),
so that an activity exists if and only if the change does. Followers get nothing of an appeal
that is not public."""

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from internationale.appeals.models import Addressee, Appeal, AppealUpdate
from internationale.core.links import absolute_url
from internationale.core.models import Notice
from internationale.core.text import render_markdown
from internationale.core.visibility import is_confidential
from internationale.organizations.models import Organization
from internationale.translation.models import LanguageVersion

from . import documents
from .models import OutgoingActivity, RemoteOrganization, SentActivity

# The terms of the platform's context an appeal's article carries besides `status` and
# `outcome` (documents.our_context), so that a server of this platform receives it as an appeal.
APPEAL_TERMS = (
    "situation",
    "urgency",
    "country",
    "forms",
    "propagandaDetails",
    "sympathyTarget",
    "sympathyAddress",
    "aidGoal",
    "amount",
    "currency",
    "goods",
    "employer",
    "outcomeReport",
)


def content_activity_id(name: str, pk: int, step: str) -> str:
    """The id of one step of the life of the content `name` (`appeals`, `statements`) number
    `pk` (`create`, `update-<n>`, `delete`, ...), the same every time it is made: recorded
    once. The one id scheme of what is sent (`Travelling` and `Direct` declarations): the UUID
    of SITE_URL/<name>/<pk>#<step> (no `#` for a step "": an appeal's answers' first shape)."""
    fragment = f"#{step}" if step else ""
    return documents.activity_url(
        uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/{name}/{pk}{fragment}")
    )


def appeal_activity_id(appeal_id: int, step: str) -> str:
    return APPEALS.activity_id(appeal_id, step)


def appeal_create_id(appeal: Appeal) -> str:
    return appeal_activity_id(appeal.pk, "create")


def inline_context(terms: Sequence[str]) -> list[Any]:
    """ActivityStreams and, inline (nothing for the receiver to fetch), the terms of the
    platform's own context an object carries: `status`, `outcome` and `terms`."""
    return [
        documents.AS_CONTEXT,
        {
            "int": documents.context_url() + "#",
            "status": {"@id": "int:status"},
            "outcome": {"@id": "int:outcome"},
            **{term: {"@id": f"int:{term}"} for term in terms},
        },
    ]


def appeal_context() -> list[Any]:
    """The context of an appeal's activities: with the terms its article carries."""
    return inline_context(APPEAL_TERMS)


def _versions(model: type, pk: int) -> list[tuple[str, dict[str, str]]]:
    return list(
        LanguageVersion.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=pk
        ).values_list("language", "texts")
    )


def article(appeal: Appeal) -> dict[str, Any]:
    """The appeal as an ActivityStreams `Article`, addressed to the public and the followers."""
    names = {appeal.language: appeal.title}
    contents = {appeal.language: _html(appeal.text, appeal.outcome_report)}
    for language, texts in _versions(Appeal, appeal.pk):
        if texts.get("title") and texts.get("text") and language not in names:
            names[language] = texts["title"]
            report = texts.get("outcome_report") or appeal.outcome_report
            contents[language] = _html(texts["text"], report)
    organization = appeal.organization
    url = absolute_url(appeal.get_absolute_url())
    document = {
        "id": url,
        "type": "Article",
        "attributedTo": documents.actor_url(organization),
        "name": appeal.title,
        "nameMap": names,
        "content": contents[appeal.language],
        "contentMap": contents,
        "mediaType": "text/html",
        "url": url,
        "published": (appeal.sent_at or appeal.created_at).isoformat(),
        "to": [documents.PUBLIC],
        "cc": [documents.followers_url(organization)],
        "status": appeal.status,
        # What a server of this platform needs to receive it as an appeal (receiving.py), under
        # the platform's context; other software reads the name and the content.
        "source": {"content": appeal.text, "mediaType": "text/markdown"},
        "situation": appeal.situation,
        "urgency": appeal.urgency,
        "country": str(appeal.country),
        "forms": appeal.asked_forms,
    }
    extra = {
        "propagandaDetails": appeal.propaganda_details,
        "sympathyTarget": appeal.sympathy_target,
        "sympathyAddress": appeal.sympathy_address,
        "endTime": appeal.deadline.isoformat() if appeal.deadline else "",
        "location": {"type": "Place", "name": appeal.place} if appeal.place else None,
        "employer": (
            {"type": "Employer", "name": appeal.employer.name, "slug": appeal.employer.slug}
            if appeal.employer
            else None
        ),
    }
    document.update({name: value for name, value in extra.items() if value})
    if appeal.asks_material_aid:
        goal = {
            "amount": str(appeal.aid_goal_amount) if appeal.aid_goal_amount else None,
            "currency": appeal.aid_goal_currency,
            "goods": appeal.aid_goods,
        }
        document["aidGoal"] = {name: value for name, value in goal.items() if value}
    if appeal.outcome:
        document["outcome"] = appeal.outcome
        document["outcomeReport"] = appeal.outcome_report
    if appeal.is_over:
        document["updated"] = (
            appeal.closed_at or appeal.resolved_at or appeal.updated_at
        ).isoformat()
    return document


def _html(text: str, report: str) -> str:
    """An appeal's text as HTML, its outcome report after it once it has one."""
    html = str(render_markdown(text))
    if report:
        html += "<hr>" + str(render_markdown(report))
    return html


def ours(content: Any) -> bool:
    """Whether the content (an appeal, a statement) is of one of this server's organizations that
    is an actor: one received from a remote organization (receiving.py) is its server's to
    publish, never ours."""
    organization = content.organization
    return organization.verified_at is not None and not organization.remote_actor_url


def publishable(appeal: Appeal) -> bool:
    """Whether the appeal's life goes to its organization's followers: public, sent, of an
    organization of this server that is an actor."""
    return not is_confidential(appeal) and appeal.sent_at is not None and ours(appeal)


def sent_key(activity_id: str) -> uuid.UUID:
    """The UUID an activity's id leaves once sent to one inbox (`SentActivity`)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, activity_id)


def record(
    organization_id: int, activity_id: str, kind: str, payload: dict[str, Any], *, inbox: str = ""
) -> OutgoingActivity | None:
    """Record (once: None if it was already) and queue an activity for the followers, or for
    the one `inbox` given. Once, ever: an activity to one inbox leaves its id's UUID
    (`SentActivity`), which outlives the row's prune (what went to the followers is kept)."""
    # Here, not at the top: delivery reads blocks.py, whose `Block`s are declared here (Direct).
    from . import delivery

    if OutgoingActivity.objects.filter(activity_id=activity_id).exists():
        return None
    key = sent_key(activity_id)
    if inbox and SentActivity.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            created = OutgoingActivity.objects.create(
                organization_id=organization_id,
                activity_id=activity_id,
                activity_type=kind,
                payload=payload,
                inbox=inbox,
            )
            if inbox:
                SentActivity.objects.create(key=key)
            delivery.queue(created)
    except IntegrityError:  # recorded meanwhile by another batch
        return None
    return created


def note(update: AppealUpdate) -> dict[str, Any]:
    """An update of the appeal's timeline as a `Note` in reply to its article."""
    appeal = update.appeal
    url = absolute_url(appeal.get_absolute_url())
    contents = {update.language: str(render_markdown(update.text))}
    for language, texts in _versions(AppealUpdate, update.pk):
        if texts.get("text") and language not in contents:
            contents[language] = str(render_markdown(texts["text"]))
    return {
        "id": f"{url}#update-{update.pk}",
        "type": "Note",
        "attributedTo": documents.actor_url(appeal.organization),
        "inReplyTo": url,
        "content": contents[update.language],
        "contentMap": contents,
        "mediaType": "text/html",
        "url": f"{url}#update-{update.pk}",
        "published": update.created_at.isoformat(),
        "to": [documents.PUBLIC],
        "cc": [documents.followers_url(appeal.organization)],
    }


def publish_update(update: AppealUpdate) -> OutgoingActivity | None:
    """The step of an appeal's life that `update` records: an update as a `Note` in reply to it,
    its resolution or closing as an `Update` of the article; for the followers of a public
    appeal (the activity returned), and for each accepted remote organization among its
    addressees, whatever its audience, to that organization alone (`send_step_addressed`). None
    for any other step (sent, escalated: addressees' matters) or an appeal not published."""
    if update.kind not in (
        AppealUpdate.Kind.UPDATE,
        AppealUpdate.Kind.RESOLVED,
        AppealUpdate.Kind.CLOSED,
    ):
        return None
    appeal = update.appeal
    if appeal.sent_at is None or not ours(appeal):
        return None
    if update.kind == AppealUpdate.Kind.UPDATE:
        obj, kind = note(update), "Create"
    else:
        obj, kind = article(appeal), "Update"
    send_step_addressed(update, obj, kind)
    published = update.created_at.isoformat()
    return send_to_followers(APPEALS, appeal, f"update-{update.pk}", kind, obj, published=published)


def envelope(
    activity_id: str, kind: str, obj: dict[str, Any], published: str, context: list[Any]
) -> dict[str, Any]:
    """The activity `kind` that carries `obj`, to whom `obj` is addressed (`to`, and `cc` when it
    has one), from whom it is attributed to."""
    activity = {
        "@context": context,
        "id": activity_id,
        "type": kind,
        "actor": obj["attributedTo"],
        "published": published,
        "to": obj["to"],
        "object": obj,
    }
    if "cc" in obj:
        activity["cc"] = obj["cc"]
    return activity


class Recipient(Protocol):
    """Whom an activity goes to alone: a remote organization (its row here), or its actor and
    inbox read before its rows went (`Addressed`)."""

    @property
    def actor(self) -> str: ...

    @property
    def inbox(self) -> str: ...


class Addressed(NamedTuple):
    actor: str
    inbox: str


def send_to_each(
    organization_id: int,
    remotes: Sequence[Recipient],
    activity_id: Callable[[Recipient], str],
    kind: str,
    obj: dict[str, Any] | None = None,
    *,
    published: str = "",
    context: Any = None,
    activity: Callable[[str, Recipient], dict[str, Any]] | None = None,
) -> list[OutgoingActivity]:
    """The one way an activity goes to remote organizations each alone: record (once each:
    `activity_id` of each remote organization) and queue, for each of `remotes`, delivered to
    its own inbox (never a shared one, never the followers), the activity `kind` of `obj`, `to`
    its actor, no `cc` (send_to); or, when it carries no object of ours to address (the `Delete`
    of a `Tombstone`), the whole `activity(id, remote)`."""
    sent = []
    for remote in remotes:
        the_id = activity_id(remote)
        if activity is not None:
            payload = activity(the_id, remote)
            created = record(organization_id, the_id, kind, payload, inbox=remote.inbox)
        else:
            assert obj is not None
            created = send_to(
                organization_id, the_id, kind, obj, remote, context=context, published=published
            )
        if created is not None:
            sent.append(created)
    return sent


def answer_context() -> list[Any]:
    """The context of an answer: ActivityStreams and the platform's, by its address."""
    return [documents.AS_CONTEXT, documents.context_url()]


@dataclass(frozen=True)
class Direct:
    """A kind of activity that one organization here sends remote actors each alone, declared
    once, by the module that sends it, beside the contents that travel (`Travelling`): what
    this server's organizations answer to another server's content (an appeal's responses,
    pledges and aid, positions on a statement, answers to a meeting or to advice), what they do
    about a remote organization (a vouch, a block) and advice given to one. Its activities'
    ids are made under SITE_URL/<name>/<pk>#<step> (`content_activity_id`; `pk` the row's
    that the activity is about), the same every time: each is recorded once; it goes `to` the
    recipient's actor alone, to the inbox given (`Recipient`), through `send_to_each`, the one
    loop that sends to remote actors each alone."""

    name: str
    context: Callable[[], Any] = answer_context

    def activity_id(self, pk: int, step: str) -> str:
        return content_activity_id(self.name, pk, step)

    def send_each(
        self,
        sender: Organization,
        remotes: Sequence[Recipient],
        pk: int,
        step: str | Callable[[Recipient], str],
        kind: str,
        fields: dict[str, Any] | Callable[[Recipient], dict[str, Any]],
        *,
        published: str = "",
    ) -> list[OutgoingActivity]:
        """Record (once each) and queue the activity `kind` of `sender` for each of `remotes`,
        `to` its actor alone: `fields` (its object, target, content...), those of each remote
        when a function; `step` the step's part of its id, of each remote when a function."""
        actor = documents.actor_url(sender)
        context = self.context()

        def activity(activity_id: str, remote: Recipient) -> dict[str, Any]:
            payload: dict[str, Any] = {
                "@context": context,
                "id": activity_id,
                "type": kind,
                "actor": actor,
            }
            if published:
                payload["published"] = published
            payload["to"] = [remote.actor]
            payload.update(fields(remote) if callable(fields) else fields)
            return payload

        return send_to_each(
            sender.pk,
            remotes,
            lambda remote: self.activity_id(pk, step(remote) if callable(step) else step),
            kind,
            activity=activity,
        )

    def send(
        self,
        sender: Organization,
        remote: Recipient,
        pk: int,
        step: str,
        kind: str,
        fields: dict[str, Any],
        *,
        published: str = "",
    ) -> OutgoingActivity | None:
        """`send_each` to one remote actor: the activity recorded, or None if it was already."""
        sent = self.send_each(sender, [remote], pk, step, kind, fields, published=published)
        return sent[0] if sent else None


DIRECT: list[Direct] = []


def declare_direct(direct: Direct) -> Direct:
    DIRECT.append(direct)
    return direct


def remote_addressees(appeal: Appeal) -> list[RemoteOrganization]:
    """The accepted remote organizations the appeal is addressed to (its addressees that are
    remote organizations this server relates to), in the order they were accepted: those its
    steps, its deletion and its erasure go to, each alone."""
    return list(
        RemoteOrganization.objects.filter(
            status=RemoteOrganization.Status.ACCEPTED,
            organization_id__in=Addressee.objects.filter(appeal=appeal).values("organization_id"),
        ).order_by("pk")
    )


def send_step_addressed(
    update: AppealUpdate, obj: dict[str, Any], kind: str
) -> list[OutgoingActivity]:
    """The step `update` records, to each accepted remote organization the appeal is addressed
    to, to that organization alone, as its `Create` went (`send_addressed`): its server then
    follows the appeal's life (receiving.py)."""
    appeal = update.appeal
    return send_to_addressees(
        APPEALS,
        appeal,
        f"update-{update.pk}",
        kind,
        remote_addressees(appeal),
        obj,
        published=update.created_at.isoformat(),
    )


def _tombstone(url: str, deleted: str, former: str = "Article") -> dict[str, Any]:
    return {"id": url, "type": "Tombstone", "formerType": former, "deleted": deleted}


def _teller(organization_id: int) -> Organization | None:
    """The organization that tells of its appeal's deletion: None if it went with it (no actor
    left to say so) or if the appeal was received from its server (not ours to tell)."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None or organization.remote_actor_url:
        return None
    return organization


def publish_delete(
    *, appeal_id: int, organization_id: int, url: str, deleted: str
) -> OutgoingActivity | None:
    """The `Delete` of a public appeal that was deleted: a `Tombstone` at its address."""
    organization = _teller(organization_id)
    if organization is None:
        return None
    activity_id = appeal_activity_id(appeal_id, "delete")
    actor = documents.actor_url(organization)
    return record(
        organization_id,
        activity_id,
        "Delete",
        {
            "@context": documents.AS_CONTEXT,
            "id": activity_id,
            "type": "Delete",
            "actor": actor,
            "published": deleted,
            "to": [documents.PUBLIC],
            "cc": [documents.followers_url(organization)],
            "object": _tombstone(url, deleted),
        },
    )


def send_delete_addressed(
    *,
    appeal_id: int,
    organization_id: int,
    url: str,
    deleted: str,
    remotes: Sequence[tuple[str, str]],
) -> list[OutgoingActivity]:
    """The `Delete` of an appeal that was deleted, to each accepted remote organization it was
    addressed to (`remotes`: their actor and inbox, read before the deletion took its addressees
    with it), to that organization alone, as its `Create` went (`send_addressed`): its server
    then withdraws the appeal (receiving.py)."""
    organization = _teller(organization_id)
    if organization is None:
        return []
    actor = documents.actor_url(organization)

    def delete(activity_id: str, remote: Recipient) -> dict[str, Any]:
        return {
            "@context": documents.AS_CONTEXT,
            "id": activity_id,
            "type": "Delete",
            "actor": actor,
            "published": deleted,
            "to": [remote.actor],
            "object": _tombstone(url, deleted),
        }

    return send_to_each(
        organization_id,
        [Addressed(*remote) for remote in remotes],
        lambda remote: appeal_activity_id(appeal_id, f"delete-to-{remote.actor}"),
        "Delete",
        activity=delete,
    )


def timeline_saved(sender: type, instance: AppealUpdate, created: bool, **kwargs: Any) -> None:
    """A new entry of an appeal's timeline: its step published, in the same transaction."""
    if created and not kwargs.get("raw"):
        publish_update(instance)


# Where appeal_deleting leaves, on the appeal being deleted, its accepted remote addressees.
REMOTE_ADDRESSEES = "_federation_remote_addressees"


def appeal_deleting(sender: type, instance: Appeal, **kwargs: Any) -> None:
    """An appeal about to be deleted: its accepted remote addressees (actor, inbox) read while
    they are still there (its addressees go with it), for appeal_deleted to tell them."""
    if instance.sent_at is None or not ours(instance):
        return
    remotes = [(remote.actor, remote.inbox) for remote in remote_addressees(instance)]
    setattr(instance, REMOTE_ADDRESSEES, remotes)


def appeal_deleted(sender: type, instance: Appeal, **kwargs: Any) -> None:
    """An appeal deleted: the `Delete` of a public one for its followers, and to each accepted
    remote organization it was addressed to (whatever its audience), recorded once the deletion
    commits (the organization may be going with it: then there is nobody left to tell)."""
    remotes: list[tuple[str, str]] = getattr(instance, REMOTE_ADDRESSEES, [])
    public = not is_confidential(instance) and instance.sent_at is not None
    if not public and not remotes:
        return
    appeal_id, organization_id = instance.pk, instance.organization_id
    url = absolute_url(instance.get_absolute_url())
    deleted = timezone.now().isoformat()

    def tell() -> None:
        if public:
            publish_delete(
                appeal_id=appeal_id, organization_id=organization_id, url=url, deleted=deleted
            )
        if remotes:
            send_delete_addressed(
                appeal_id=appeal_id,
                organization_id=organization_id,
                url=url,
                deleted=deleted,
                remotes=remotes,
            )

    transaction.on_commit(tell)


def outbox_activities(organization: Organization) -> QuerySet[OutgoingActivity]:
    """What the organization published to the public and its followers, newest first (an
    activity to one inbox, such as the `Accept` of a follow, is not listed)."""
    return OutgoingActivity.objects.filter(organization=organization, inbox="").order_by(
        "-created_at", "-pk"
    )


@dataclass(frozen=True)
class Step:
    """What a notice about a content (its kind) means for federation: the activity that each
    accepted remote organization among the notice's organizations gets, to it alone, whatever
    the content's audience; and the one its organization's followers get, if any, when the
    content is public (`Travelling.public`). The step's part of its activities' ids (the same
    every time it is made: recorded once): `key(content)` when given (a meeting's change: its
    sequence); else, `once`, the activity's type (`create`, `create-to-<actor>`): one of each
    per content; else one per notice."""

    to_addressees: str
    to_followers: str | None = None
    once: bool = False
    key: Callable[[Any], str] | None = None

    def name(self, notice: Notice, content: Any) -> str:
        if self.key is not None:
            return self.key(content)
        return self.to_addressees.lower() if self.once else f"{notice.kind}-{notice.pk}"


@dataclass(frozen=True)
class Saved:
    """What a row's save sends of a travelling content (`Travelling.saved`), in the save's
    transaction, so that an activity exists if and only if the change does: the step's part of
    its activities' ids (`name`) and their type (`kind`), to the accepted `remotes` each alone
    and, when `to_followers` and the content is public, to its followers; `published`, when it
    is not the object's."""

    content: Any
    name: str
    kind: str
    remotes: Sequence[RemoteOrganization]
    to_followers: bool = False
    published: str | None = None


@dataclass(frozen=True)
class Travelling:
    """A kind of content that travels, declared once, by the module that carries it (appeals
    below; statements in statements.py; meetings and their minutes in meetings.py): the
    notices that carry its steps and whom each goes to (`steps`), its object (`document`), the
    context of its activities (`context`; by default ActivityStreams and the `terms` of the
    platform's context that object uses), whether a content is this server's to send (`ours`)
    and whether its followers may have it (`public`). The channel of notices (`channel`) sends
    each step a notice carries; `saved` each step a row's save carries (a statement's version in
    another language, minutes changed), connected when the app is ready (`saved_models`)."""

    name: str  # its activities' ids are made under SITE_URL/<name>/<pk>
    of: Callable[[Any], Any | None]  # the content a notice's source is (or is of), else None
    steps: Mapping[str, Step]
    document: Callable[[Any], dict[str, Any]]  # to the public and the followers
    terms: Sequence[str] = ()
    ours: Callable[[Any], bool] = lambda content: ours(content)
    public: Callable[[Any], bool] = lambda content: False
    context: Callable[[], list[Any]] | None = None
    # The steps that are a row saved rather than a notice, by the row's model:
    # `saved[model](row, created, update_fields)`, what it sends (None or nothing: nothing;
    # several when the save changes several contents, an agenda item moved to another meeting).
    saved: Mapping[type[Model], Callable[[Any, bool, Any], Saved | Sequence[Saved] | None]] = field(
        default_factory=dict
    )

    def activity_context(self) -> list[Any]:
        return self.context() if self.context is not None else inline_context(self.terms)

    def activity_id(self, pk: int, step: str) -> str:
        """The id of the step `step` of the content `pk` (`step-to-<actor>` when to one remote
        organization alone): SITE_URL/<name>/<pk>#<step> (`content_activity_id`)."""
        return content_activity_id(self.name, pk, step)


TRAVELLING: list[Travelling] = []


def declare(travelling: Travelling) -> Travelling:
    TRAVELLING.append(travelling)
    return travelling


def _published(obj: dict[str, Any]) -> str:
    return str(obj.get("updated") or obj["published"])


def send_to_followers(
    travelling: Travelling,
    content: Any,
    step: str,
    kind: str,
    obj: dict[str, Any] | None = None,
    *,
    published: str | None = None,
) -> OutgoingActivity | None:
    """Record (once) and queue the activity `kind` of a public content for its organization's
    followers; None for a content that is not public or not ours."""
    if not travelling.public(content) or not travelling.ours(content):
        return None
    obj = obj if obj is not None else travelling.document(content)
    activity_id = travelling.activity_id(content.pk, step)
    context = travelling.activity_context()
    return record(
        content.organization_id,
        activity_id,
        kind,
        envelope(activity_id, kind, obj, published or _published(obj), context),
    )


def last_to_followers(content: Any, url: str) -> OutgoingActivity | None:
    """The last activity about the content (its object at `url`) its organization's followers
    were sent: a `Create` or an `Update` while they have it, a `Delete` once it was withdrawn.
    Found through the index of what activities are about (`about`, their object's address):
    a content never sent to anyone costs one empty look-up, not a search of the outbox."""
    return (
        OutgoingActivity.objects.filter(
            about=url, organization_id=content.organization_id, inbox="", payload__object__id=url
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def withdraw_from_followers(
    travelling: Travelling,
    content: Any,
    step: str,
    url: str,
    former: str,
    *,
    keep: Sequence[RemoteOrganization] = (),
) -> OutgoingActivity | None:
    """Record (once) and queue the `Delete` of a content its organization's followers were sent
    and may no longer have (a public meeting made seen by the network alone): a `Tombstone` at
    its address, nothing of what it said, addressed to the followers alone (`to`: their
    collection, not the public). Like anything sent to the followers, it is listed in the
    organization's outbox, which anyone reads: a reader of it learns that the content was
    withdrawn, and its address, nothing more. What they were sent of it goes from the outbox,
    with its deliveries not yet made. Those it is addressed to keep it (`keep`: they get its
    `Update`s): the servers of their inboxes are never sent this `Delete`, even where they
    follow the organization too, since their server would take it as the content's removal."""
    from . import delivery  # delivery reads blocks.py, whose `Block`s are declared here

    organization = Organization.objects.get(pk=content.organization_id)
    OutgoingActivity.objects.filter(
        organization=organization, inbox="", payload__object__id=url
    ).delete()
    activity_id = content_activity_id(travelling.name, content.pk, step)
    deleted = timezone.now().isoformat()
    followers = documents.followers_url(organization)
    created = record(
        organization.pk,
        activity_id,
        "Delete",
        {
            "@context": documents.AS_CONTEXT,
            "id": activity_id,
            "type": "Delete",
            "actor": documents.actor_url(organization),
            "published": deleted,
            "to": [followers],
            "object": _tombstone(url, deleted, former),
        },
    )
    if created is not None and keep:
        # Its deliveries recorded now, without the servers of those who keep it (the task
        # queued finds them recorded and delivers them).
        withheld = {
            delivery.host_of(inbox)
            for remote in keep
            for inbox in (remote.inbox, remote.shared_inbox)
            if inbox
        }
        delivery.fan_out(created, withheld=withheld)
    return created


def send_to_addressees(
    travelling: Travelling,
    content: Any,
    step: str,
    kind: str,
    remotes: Sequence[RemoteOrganization],
    obj: dict[str, Any] | None = None,
    *,
    published: str | None = None,
) -> list[OutgoingActivity]:
    """Record (once each) and queue the activity `kind` of the content for each remote
    organization of `remotes`, to that organization alone; nothing when it is not ours."""
    if not remotes or not travelling.ours(content):
        return []
    obj = obj if obj is not None else travelling.document(content)
    return send_to_each(
        content.organization_id,
        remotes,
        lambda remote: travelling.activity_id(content.pk, f"{step}-to-{remote.actor}"),
        kind,
        obj,
        published=published or _published(obj),
        context=travelling.activity_context(),
    )


APPEALS = declare(
    Travelling(
        name="appeals",
        of=lambda source: source if isinstance(source, Appeal) else None,
        steps={"appeal.received": Step("Create", "Create", once=True)},
        document=article,
        terms=APPEAL_TERMS,
        ours=ours,
        public=lambda appeal: not is_confidential(appeal),
    )
)


def publish_appeal(appeal: Appeal) -> OutgoingActivity | None:
    """Record (once) and queue the `Create` of a public appeal for its organization's followers;
    None for an appeal that is not public, or of an organization that is not an actor."""
    return send_to_followers(APPEALS, appeal, "create", "Create")


def accepted_remotes(organization_ids: Sequence[int]) -> list[RemoteOrganization]:
    """The accepted remote organizations among these organizations (their rows here)."""
    return list(
        RemoteOrganization.objects.filter(
            organization_id__in=list(organization_ids),
            status=RemoteOrganization.Status.ACCEPTED,
        ).order_by("pk")
    )


def send_to(
    organization_id: int,
    activity_id: str,
    kind: str,
    obj: dict[str, Any],
    remote: Recipient,
    *,
    context: Any,
    published: str,
) -> OutgoingActivity | None:
    """Record (once: None if it was already) and queue the activity that carries `obj` to one
    remote organization alone: `to` its actor (the object's too), no `cc`, its own inbox. What is
    addressed (an appeal, a meeting's invitation, advice) travels this way only: never public,
    never to followers, never to a shared inbox."""
    addressed = {**obj, "to": [remote.actor]}
    addressed.pop("cc", None)
    payload = envelope(activity_id, kind, addressed, published, context)
    return record(organization_id, activity_id, kind, payload, inbox=remote.inbox)


def send_addressed(appeal: Appeal, remotes: Sequence[RemoteOrganization]) -> list[OutgoingActivity]:
    """Record (once each) and queue the `Create` of the appeal for each remote organization it is
    addressed to, to that organization alone; nothing for an issuer that is not an actor."""
    return send_to_addressees(APPEALS, appeal, "create", "Create", remotes)


def channel(notice: Notice, organization_ids: Sequence[int]) -> None:
    """The notices' channel: a notice that carries a step of a travelling content's life
    (`Travelling.steps`) sends it to the accepted remote organizations among the notice's
    organizations, each alone, and, for a public content, to its organization's followers."""
    remotes: list[RemoteOrganization] | None = None
    for travelling in TRAVELLING:
        step = travelling.steps.get(notice.kind)
        content = travelling.of(notice.source) if step is not None else None
        if step is None or content is None or not travelling.ours(content):
            continue
        if remotes is None:
            remotes = accepted_remotes(organization_ids)
        followers = step.to_followers if travelling.public(content) else None
        if not remotes and not followers:
            continue  # nobody to tell on another server: the object is not even built
        name = step.name(notice, content)
        obj = travelling.document(content)
        if followers:
            send_to_followers(travelling, content, name, followers, obj)
        send_to_addressees(travelling, content, name, step.to_addressees, remotes, obj)


def saved_models() -> set[type[Model]]:
    """The models whose saves carry steps of travelling contents (`Travelling.saved`)."""
    return {model for travelling in TRAVELLING for model in travelling.saved}


def saved(sender: type[Model], instance: Any, created: bool, **kwargs: Any) -> None:
    """A row saved (post_save of each of saved_models): the step it carries of each travelling
    content that declares it, sent in the save's transaction."""
    if kwargs.get("raw"):
        return
    for travelling in TRAVELLING:
        carries = travelling.saved.get(sender)
        found = carries(instance, created, kwargs.get("update_fields")) if carries else None
        steps = [found] if isinstance(found, Saved) else list(found or ())
        for step in steps:
            _send_saved(travelling, step)


def _send_saved(travelling: Travelling, step: Saved) -> None:
    """What a row's save sends of one travelling content (`saved`)."""
    if not travelling.ours(step.content):
        return
    obj = travelling.document(step.content)
    if step.to_followers:
        send_to_followers(travelling, step.content, step.name, step.kind, obj)
    send_to_addressees(
        travelling,
        step.content,
        step.name,
        step.kind,
        step.remotes,
        obj,
        published=step.published,
    )
