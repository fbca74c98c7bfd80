"""Publishing to followers: a public appeal, once sent, goes to its organization's followers as
the `Create` of an `Article`, its title and text in every language it has (`nameMap`,
`contentMap`: the original and the translations made so far).

Appeals are not edited for it: this is a channel of notices (core/notices.py), which sees the
notice that tells the addressees of a new appeal ("appeal.received"). Only a public appeal is
published; one seen by the network or by its addressees only is never sent to followers. The
activity has an id made from the appeal's, so that the notice's batches, and a dispatch run again,
record it once.

An appeal addressed to remote organizations (accepted ones, remote_orgs.py) goes to each of them
alone, whatever its audience: a `Create` of the `Article` addressed (`to`) to that organization's
actor only, delivered to its own inbox, never public, never to followers. Nothing of the pledges
travels with it."""

import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from internationale.appeals.models import Appeal
from internationale.core.links import absolute_url
from internationale.core.models import Notice
from internationale.core.text import render_markdown
from internationale.core.visibility import is_confidential
from internationale.translation.models import LanguageVersion

from . import delivery, documents
from .models import OutgoingActivity, RemoteOrganization

PUBLISHED_KINDS = {"appeal.received"}


def appeal_create_id(appeal: Appeal) -> str:
    return documents.activity_url(
        uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/appeals/{appeal.pk}#create")
    )


def article(appeal: Appeal) -> dict[str, Any]:
    """The appeal as an ActivityStreams `Article`, addressed to the public and the followers."""
    names = {appeal.language: appeal.title}
    contents = {appeal.language: str(render_markdown(appeal.text))}
    for language, texts in LanguageVersion.objects.filter(
        content_type=ContentType.objects.get_for_model(Appeal), object_id=appeal.pk
    ).values_list("language", "texts"):
        if texts.get("title") and texts.get("text") and language not in names:
            names[language] = texts["title"]
            contents[language] = str(render_markdown(texts["text"]))
    organization = appeal.organization
    url = absolute_url(appeal.get_absolute_url())
    return {
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
    }


def publish_appeal(appeal: Appeal) -> OutgoingActivity | None:
    """Record (once) and queue the `Create` of a public appeal for its organization's followers;
    None for an appeal that is not public, or of an organization that is not an actor."""
    if is_confidential(appeal) or appeal.organization.verified_at is None:
        return None
    activity_id = appeal_create_id(appeal)
    if OutgoingActivity.objects.filter(activity_id=activity_id).exists():
        return None
    obj = article(appeal)
    try:
        with transaction.atomic():
            created = OutgoingActivity.objects.create(
                organization=appeal.organization,
                activity_id=activity_id,
                activity_type="Create",
                payload={
                    "@context": documents.AS_CONTEXT,
                    "id": activity_id,
                    "type": "Create",
                    "actor": obj["attributedTo"],
                    "published": obj["published"],
                    "to": obj["to"],
                    "cc": obj["cc"],
                    "object": obj,
                },
            )
            delivery.queue(created)
    except IntegrityError:  # recorded meanwhile by another batch
        return None
    return created


def appeal_create_to_id(appeal: Appeal, remote: RemoteOrganization) -> str:
    return documents.activity_url(
        uuid.uuid5(
            uuid.NAMESPACE_URL, f"{settings.SITE_URL}/appeals/{appeal.pk}#create-to-{remote.actor}"
        )
    )


def send_addressed(appeal: Appeal, remotes: Sequence[RemoteOrganization]) -> list[OutgoingActivity]:
    """Record (once each) and queue the `Create` of the appeal for each remote organization it is
    addressed to, to that organization alone; nothing for an issuer that is not an actor."""
    if appeal.organization.verified_at is None or appeal.organization.remote_actor_url:
        return []
    sent = []
    for remote in remotes:
        activity_id = appeal_create_to_id(appeal, remote)
        if OutgoingActivity.objects.filter(activity_id=activity_id).exists():
            continue
        obj = {**article(appeal), "to": [remote.actor]}
        obj.pop("cc")
        try:
            with transaction.atomic():
                created = OutgoingActivity.objects.create(
                    organization=appeal.organization,
                    activity_id=activity_id,
                    activity_type="Create",
                    inbox=remote.inbox,
                    payload={
                        "@context": documents.AS_CONTEXT,
                        "id": activity_id,
                        "type": "Create",
                        "actor": obj["attributedTo"],
                        "published": obj["published"],
                        "to": obj["to"],
                        "object": obj,
                    },
                )
                delivery.queue(created)
        except IntegrityError:  # recorded meanwhile by another batch
            continue
        sent.append(created)
    return sent


def channel(notice: Notice, organization_ids: Sequence[int]) -> None:
    """The notices' channel: a new public appeal is published to its organization's followers;
    every new appeal goes to the remote organizations among its addressees, to each alone."""
    if notice.kind not in PUBLISHED_KINDS:
        return
    source = notice.source
    if isinstance(source, Appeal):
        publish_appeal(source)
        remotes = list(
            RemoteOrganization.objects.filter(
                organization_id__in=list(organization_ids),
                status=RemoteOrganization.Status.ACCEPTED,
            )
        )
        if remotes:
            send_addressed(source, remotes)
