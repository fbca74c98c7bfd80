"""Reads of inboxes: only members of an organization see its inbox."""

from collections.abc import Callable, Sequence

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from internationale.core.actors import ViewerLike, as_actor, person
from internationale.core.predicates import organizations_of
from internationale.organizations.models import Organization

from .models import (
    EmailPreference,
    InboxEntry,
    InboxRead,
    PersonalEntry,
    Webhook,
    WebhookDelivery,
)


def inbox_list(
    *, viewer: ViewerLike, organization: Organization, unread_only: bool = False
) -> QuerySet[InboxEntry]:
    """Most urgent first, then the nearest deadline, then the newest; entries whose deadline has
    passed after all others, in the same order. Each annotated with `is_read` for this viewer."""
    if organization.pk not in organizations_of(viewer):
        return InboxEntry.objects.none()
    qs = InboxEntry.objects.filter(organization=organization).annotate(
        is_read=Exists(InboxRead.objects.filter(entry=OuterRef("pk"), user=person(viewer)))
    )
    if unread_only:
        qs = qs.filter(is_read=False)
    passed = Case(When(deadline__lt=timezone.now(), then=Value(True)), default=Value(False))
    return (
        qs.annotate(deadline_passed=passed)
        .select_related("sender")
        .order_by(
            "deadline_passed", "-urgency", F("deadline").asc(nulls_last=True), "-created_at", "-id"
        )
    )


def personal_inbox_list(
    *, viewer: ViewerLike, unread_only: bool = False
) -> QuerySet[PersonalEntry]:
    """The notices addressed to the viewer in person, in the order of an organization's inbox
    (inbox_list); nothing for anyone not signed in."""
    user = person(viewer)
    if user is None or not as_actor(viewer).has_perm("notifications.view_own_inbox"):
        return PersonalEntry.objects.none()
    qs = PersonalEntry.objects.filter(person=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    passed = Case(When(deadline__lt=timezone.now(), then=Value(True)), default=Value(False))
    return (
        qs.annotate(deadline_passed=passed)
        .select_related("sender")
        .order_by(
            "deadline_passed", "-urgency", F("deadline").asc(nulls_last=True), "-created_at", "-id"
        )
    )


def personal_unread_count(*, viewer: ViewerLike) -> int:
    """How many notices addressed to the viewer in person are unread (one indexed count)."""
    user = person(viewer)
    if user is None:
        return 0
    return PersonalEntry.objects.filter(person=user, read_at__isnull=True).count()


def unread_counts(*, viewer: ViewerLike, organizations: Sequence[Organization]) -> dict[int, int]:
    ids = [o.pk for o in organizations if o.pk in organizations_of(viewer)]
    if not ids:  # no query at all, and none with an anonymous viewer as a user id
        return {}
    rows = (
        InboxEntry.objects.filter(organization_id__in=ids)
        .exclude(Exists(InboxRead.objects.filter(entry=OuterRef("pk"), user=person(viewer))))
        .values("organization_id")
        .annotate(n=Count("id"))
    )
    return {row["organization_id"]: row["n"] for row in rows}


def webhook_list(*, viewer: ViewerLike, organization: Organization) -> QuerySet[Webhook]:
    if not as_actor(viewer).has_perm("organizations.manage_webhooks", organization):
        return Webhook.objects.none()
    return Webhook.objects.filter(organization=organization).annotate(
        failed=Count("deliveries", filter=Q(deliveries__status="failed"))
    )


def delivery_list(*, viewer: ViewerLike, organization: Organization) -> QuerySet[WebhookDelivery]:
    if not as_actor(viewer).has_perm("organizations.manage_webhooks", organization):
        return WebhookDelivery.objects.none()
    return WebhookDelivery.objects.filter(webhook__organization=organization).select_related(
        "webhook"
    )


def email_modes(user_ids: set[int], organization_ids: set[int]) -> Callable[[int, int, str], str]:
    """How each of these people wants the notices of these organizations by e-mail, in one query:
    mode(user, organization, kind). The most precise choice decides (see EmailPreference)."""
    chosen = {
        (user, organization, kind): mode
        for user, organization, kind, mode in EmailPreference.objects.filter(
            Q(organization_id__in=organization_ids) | Q(organization__isnull=True),
            user_id__in=user_ids,
        ).values_list("user_id", "organization_id", "kind", "mode")
    }

    def mode(user: int, organization: int, kind: str) -> str:
        for key in ((organization, kind), (organization, ""), (None, kind), (None, "")):
            if (user, *key) in chosen:
                return chosen[(user, *key)]
        return EmailPreference.Mode.NOW

    return mode


def email_choices(user_id: int) -> dict[tuple[int | None, str], str]:
    """What this person chose, as they chose it: (organization or None, kind or "") -> mode."""
    return {
        (organization, kind): mode
        for organization, kind, mode in EmailPreference.objects.filter(user_id=user_id).values_list(
            "organization_id", "kind", "mode"
        )
    }
