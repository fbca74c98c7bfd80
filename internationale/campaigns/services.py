"""Writes on campaigns by the organizations that run them: preparing one (from scratch or from an
appeal), changing it, launching and closing it, inviting co-sponsors with the addressing of
appeals and answering such an invitation. Each checks its rule, validates, writes in a transaction
with its audit entry, and tells the organizations concerned through a notice (core/notices.py).
Signing, by the public, is in signing.py; counting in counting.py.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.addressing.routing import SEND_FIELDS, Criteria, route
from internationale.addressing.services import addressees_record, fanout_on_commit
from internationale.appeals.models import Appeal
from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import once, submitted
from internationale.core.models import Visibility
from internationale.core.notices import notice_send
from internationale.core.services import require
from internationale.organizations.models import Organization, OrganizationLanguage
from internationale.organizations.reference import normalize_language
from internationale.translation.detection import check_language
from internationale.translation.services import machine_versions_request

from .models import Campaign, SignatureCount, Sponsor, Target

# A campaign's end further ahead than this is a typing error.
HORIZON = datetime.timedelta(days=3 * 366)
MAX_TEXT = 20_000
MAX_TARGETS = 20


@dataclass(frozen=True)
class TargetIn:
    """Who the campaign is addressed to, as given: a name, and an e-mail or postal address."""

    name: str
    email: str = ""
    postal_address: str = ""


def _targets(given: Sequence[TargetIn | Mapping[str, Any]]) -> list[TargetIn]:
    targets = [t if isinstance(t, TargetIn) else TargetIn(**t) for t in given]
    targets = [
        TargetIn(
            name=(t.name or "").strip(),
            email=(t.email or "").strip(),
            postal_address=(t.postal_address or "").strip(),
        )
        for t in targets
    ]
    targets = [t for t in targets if t.name or t.email or t.postal_address]
    if not targets:
        raise ValidationError(
            {
                "targets": ValidationError(
                    _("Name at least one target: who the campaign is addressed to."),
                    code="no_target",
                )
            }
        )
    if len(targets) > MAX_TARGETS:
        raise ValidationError(
            {
                "targets": ValidationError(
                    _("A campaign has at most %(n)s targets.") % {"n": MAX_TARGETS},
                    code="too_many_targets",
                )
            }
        )
    for target in targets:
        if not target.name or len(target.name) > 200:
            raise ValidationError(
                {
                    "targets": ValidationError(
                        _("Each target needs a name of at most 200 characters."),
                        code="target_name",
                    )
                }
            )
        if not (target.email or target.postal_address):
            raise ValidationError(
                {
                    "targets": ValidationError(
                        _("Give an e-mail or a postal address for %(name)s.")
                        % {"name": target.name},
                        code="target_address",
                    )
                }
            )
        if target.email:
            try:
                validate_email(target.email)
            except ValidationError:
                raise ValidationError(
                    {
                        "targets": ValidationError(
                            _("“%(email)s” is not an e-mail address.") % {"email": target.email},
                            code="target_email",
                        )
                    }
                ) from None
        if len(target.email) > 254 or len(target.postal_address) > 1000:
            raise ValidationError(
                {
                    "targets": ValidationError(
                        _("A target's address is too long."), code="target_address_too_long"
                    )
                }
            )
    return targets


def _language(tag: str) -> str:
    try:
        return normalize_language(tag or "")
    except ValueError:
        raise ValidationError(
            {
                "language": ValidationError(
                    _("Give the language of the text as a language tag, such as en or pt-BR."),
                    code="invalid_language",
                )
            }
        ) from None


def _text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {
                "text": ValidationError(
                    _("The text has at most %(n)s characters.") % {"n": MAX_TEXT},
                    code="text_too_long",
                )
            }
        )
    return text


def _clean_dates(
    starts_at: datetime.datetime, ends_at: datetime.datetime, *, new: bool = True
) -> None:
    now = timezone.now()
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise TypeError("the start and end are aware datetimes")
    if ends_at <= starts_at:
        raise ValidationError(
            {"ends_at": ValidationError(_("A campaign ends after it starts."), code="end_before")}
        )
    if new and ends_at <= now:
        raise ValidationError(
            {"ends_at": ValidationError(_("The end must be in the future."), code="past")}
        )
    if ends_at > now + HORIZON:
        raise ValidationError(
            {
                "ends_at": ValidationError(
                    _("The end is more than three years ahead: check the year."), code="too_far"
                )
            }
        )


def _own_appeal(actor: ActorLike, organization: Organization, appeal: Appeal | None) -> None:
    """A campaign answers an appeal of its own organizer, one the actor may see."""
    if appeal is None:
        return
    if appeal.organization_id != organization.pk or not appeal.is_visible_to(actor):
        raise ValidationError(
            {
                "appeal": ValidationError(
                    _("A campaign can only answer an appeal of the organization that runs it."),
                    code="not_own_appeal",
                )
            }
        )


def appeal_prefill(appeal: Appeal) -> dict[str, Any]:
    """What a campaign launched from an appeal starts from: its title, its text and language, its
    target of protest letters."""
    prefill: dict[str, Any] = {
        "title": appeal.title,
        "text": appeal.text,
        "language": appeal.language,
        "kind": Campaign.Kind.LETTER,
    }
    if appeal.sympathy_target:
        prefill["targets"] = [
            TargetIn(name=appeal.sympathy_target[:200], postal_address=appeal.sympathy_address)
        ]
    return prefill


def campaign_create(
    *,
    actor: ActorLike,
    organization: Organization,
    title: str,
    text: str,
    language: str,
    goal: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    targets: Sequence[TargetIn | Mapping[str, Any]],
    kind: str = Campaign.Kind.LETTER,
    delivery: str = Campaign.Delivery.EVERY,
    delivery_every: int = 100,
    appeal: Appeal | None = None,
    submission_key: str | None = None,
    language_confirmed: bool = False,
) -> Campaign:
    """A draft campaign run by `organization`, with its targets: seen by its organizer and the
    organizations it invites to co-sponsor it until it is launched. A text that detection finds
    written in another language than `language` is refused until the organizer confirms it
    (`language_confirmed`, translation/detection.py)."""
    content = submitted(locals())
    require(
        actor,
        "campaigns.launch_campaign",
        organization,
        _("Only an admin or secretary of a verified organization can launch a campaign."),
    )
    _own_appeal(actor, organization, appeal)
    cleaned_targets = _targets(targets)
    _clean_dates(starts_at, ends_at)
    campaign = Campaign(
        organization=organization,
        created_by=person(actor),
        appeal=appeal,
        kind=kind,
        title=(title or "").strip(),
        text=_text(text),
        language=_language(language),
        goal=goal,
        starts_at=starts_at,
        ends_at=ends_at,
        delivery=delivery,
        delivery_every=delivery_every,
    )
    check_language([campaign.title, campaign.text], campaign.language, confirmed=language_confirmed)
    campaign.full_clean()

    @transaction.atomic
    def create() -> Campaign:
        campaign.save()
        Target.objects.bulk_create([Target(campaign=campaign, **vars(t)) for t in cleaned_targets])
        SignatureCount.objects.create(campaign=campaign)
        audit(
            actor=actor,
            action="campaign.create",
            target=campaign,
            organization=organization,
            title=campaign.title,
        )
        return campaign

    created, _new = once(
        user=person(actor),
        scope="campaigns.campaign_create",
        key=submission_key,
        submitted=content,
        create=create,
        fetch=lambda pk: Campaign.objects.get(pk=pk),
    )
    return created


# What may change, and when: the text a signer signs is frozen once the campaign is launched.
DRAFT_ONLY = ("title", "text", "language", "kind", "starts_at")
ANY_TIME = ("goal", "ends_at", "delivery", "delivery_every")


def campaign_edit(
    *,
    actor: ActorLike,
    campaign: Campaign,
    targets: Sequence[TargetIn | Mapping[str, Any]] | None = None,
    language_confirmed: bool = False,
    **fields: Any,
) -> Campaign:
    """Change a campaign: everything while it is a draft; once launched, its goal, end and
    delivery (what people signed stays as they signed it); nothing once closed. A title, text or
    language changed so that detection finds another language than the campaign's is refused
    until the organizer confirms it (`language_confirmed`)."""
    require(
        actor,
        "campaigns.change_campaign",
        campaign,
        _("Only an admin or secretary of the organizer can change the campaign."),
    )
    unknown = set(fields) - set(DRAFT_ONLY) - set(ANY_TIME)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(
            _("This campaign is closed: it can no longer be changed."), code="campaign_closed"
        )
    if campaign.status != Campaign.Status.DRAFT:
        frozen = [
            name
            for name in DRAFT_ONLY
            if name in fields and fields[name] != getattr(campaign, name)
        ]
        if frozen or targets is not None:
            raise ValidationError(
                {
                    (frozen[0] if frozen else "targets"): ValidationError(
                        _(
                            "The campaign is launched: its text, language, targets and start "
                            "stay as people signed them."
                        ),
                        code="campaign_launched",
                    )
                }
            )
    if "text" in fields:
        fields["text"] = _text(fields["text"])
    if "language" in fields:
        fields["language"] = _language(fields["language"])
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
    retold = {"title", "text", "language"} & {
        name for name, value in fields.items() if value != getattr(campaign, name)
    }
    if retold:
        check_language(
            [fields.get("title", campaign.title), fields.get("text", campaign.text)],
            fields.get("language", campaign.language),
            confirmed=language_confirmed,
        )
    for name, value in fields.items():
        setattr(campaign, name, value)
    _clean_dates(campaign.starts_at, campaign.ends_at, new="ends_at" in fields)
    cleaned_targets = _targets(targets) if targets is not None else None
    campaign.full_clean()
    with transaction.atomic():
        campaign.save()
        if cleaned_targets is not None:
            Target.objects.filter(campaign=campaign).delete()
            Target.objects.bulk_create(
                [Target(campaign=campaign, **vars(t)) for t in cleaned_targets]
            )
        audit(
            actor=actor,
            action="campaign.change",
            target=campaign,
            organization=campaign.organization,
            title=campaign.title,
        )
    return campaign


def reader_languages(campaign: Campaign) -> list[str]:
    """The languages a launched campaign's text is translated into by machine when a backend can:
    the server's languages, and those of its co-sponsors."""
    sponsors = OrganizationLanguage.objects.filter(
        organization_id__in=Sponsor.objects.filter(
            campaign=campaign, status=Sponsor.Status.ACCEPTED
        ).values("organization_id")
    ).values_list("tag", flat=True)
    found = dict.fromkeys([code for code, _name in settings.LANGUAGES] + list(sponsors))
    return [tag for tag in found if tag.split("-")[0] != campaign.language.split("-")[0]]


def campaign_launch(*, actor: ActorLike, campaign: Campaign) -> Campaign:
    """Make the campaign public and open to signatures between its start and its end. Machine
    versions of its text are asked for in the server's languages and its co-sponsors'."""
    require(
        actor,
        "campaigns.change_campaign",
        campaign,
        _("Only an admin or secretary of the organizer can launch the campaign."),
    )
    if campaign.ends_at <= timezone.now():
        raise ValidationError(
            {"ends_at": ValidationError(_("The end must be in the future."), code="past")}
        )
    now = timezone.now()
    with transaction.atomic():
        # The claim: of two launches at once, one is recorded.
        claimed = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.DRAFT).update(
            status=Campaign.Status.OPEN,
            visibility=Visibility.PUBLIC,
            launched_at=now,
            updated_at=now,
        )
        if not claimed:
            raise ValidationError(_("This campaign is already launched."), code="already_launched")
        campaign.refresh_from_db()
        from .public_page import changed

        changed(campaign.pk)
        if campaign.appeal_id:
            from internationale.appeals import public_page as appeal_page

            appeal_page.changed(campaign.appeal_id)
        audit(
            actor=actor,
            action="campaign.launch",
            target=campaign,
            organization=campaign.organization,
            title=campaign.title,
        )
        machine_versions_request(campaign, reader_languages(campaign))
    return campaign


def campaign_close(*, actor: ActorLike, campaign: Campaign) -> Campaign:
    """Stop taking signatures before the end: the page stays, with its count."""
    require(
        actor,
        "campaigns.change_campaign",
        campaign,
        _("Only an admin or secretary of the organizer can close the campaign."),
    )
    now = timezone.now()
    with transaction.atomic():
        claimed = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.OPEN).update(
            status=Campaign.Status.CLOSED, closed_at=now, updated_at=now
        )
        if not claimed:
            raise ValidationError(_("Only an open campaign can be closed."), code="not_open")
        campaign.refresh_from_db()
        from .public_page import changed

        changed(campaign.pk)
        audit(
            actor=actor,
            action="campaign.close",
            target=campaign,
            organization=campaign.organization,
            title=campaign.title,
        )
    return campaign


# Co-sponsors ------------------------------------------------------------------------------------


def _tell_invited(campaign: Campaign, organization_ids: Sequence[int]) -> None:
    """After commit: the invitations delivered in batches (tasks.deliver_sponsor_invitations)."""
    from .tasks import deliver_sponsor_invitations

    fanout_on_commit(
        task=deliver_sponsor_invitations, target_id=campaign.pk, organization_ids=organization_ids
    )


def sponsors_invite(*, actor: ActorLike, campaign: Campaign, criteria: Criteria) -> list[int]:
    """Invite the organizations the criteria choose to co-sponsor the campaign (as appeals are
    addressed: addressing/), each with its reasons. Those invited already keep their invitation
    and answer; returns the ids of the organizations newly invited, or ValidationError when the
    criteria choose none."""
    require(
        actor,
        "campaigns.invite_sponsors",
        campaign,
        _("Only an admin or secretary of the organizer can invite co-sponsors."),
    )
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(
            _("This campaign is closed: nobody more can be invited."), code="campaign_closed"
        )
    candidates = route(campaign.routing_origin(), criteria.clean(), fields=SEND_FIELDS)
    with transaction.atomic():
        already = set(
            Sponsor.objects.filter(
                campaign=campaign, organization_id__in=[c.organization_id for c in candidates]
            ).values_list("organization_id", flat=True)
        )
        new = [c for c in candidates if c.organization_id not in already]
        if not new:
            raise ValidationError(
                _("These criteria choose no organization that is not invited already."),
                code="no_invitees",
            )
        addressees_record(
            model=Sponsor, target=campaign, candidates=new, ring=0, on_conflict="ignore"
        )
        ids = [c.organization_id for c in new]
        audit(
            actor=actor,
            action="campaign.invite",
            target=campaign,
            organization=campaign.organization,
            title=campaign.title,
            invited=len(ids),
        )
        _tell_invited(campaign, ids)
    return ids


def _sponsor_for(*, actor: ActorLike, campaign: Campaign, organization: Organization) -> Sponsor:
    """The organization's invitation, if the actor may answer for it."""
    sponsor = Sponsor.objects.filter(campaign=campaign, organization=organization).first()
    if sponsor is None or organization.pk not in _spoken_for(actor):
        require(
            actor,
            "campaigns.answer_sponsorship",
            campaign,
            _("Only an admin or secretary can answer for an organization invited to co-sponsor."),
        )
        raise ValidationError(
            {
                "organization": ValidationError(
                    _(
                        "%(organization)s is not invited to co-sponsor this campaign, or you do not "
                        "speak for it."
                    )
                    % {"organization": organization.name},
                    code="not_invited",
                )
            }
        )
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(
            _("This campaign is closed: it can no longer be answered."), code="campaign_closed"
        )
    sponsor.organization = organization
    return sponsor


def _spoken_for(actor: ActorLike) -> set[int]:
    from internationale.core.predicates import SPEAKING_ROLES, roles_of

    return {org for org, (role, _v) in roles_of(actor).items() if role in SPEAKING_ROLES}


def sponsorship_answer(
    *, actor: ActorLike, campaign: Campaign, organization: Organization, accept: bool
) -> Sponsor:
    """Accept or decline to co-sponsor, for an invited organization the actor speaks for. An
    answer may be changed (declining after accepting withdraws the organization's name); the same
    answer twice is refused. A co-sponsor's name is shown on the campaign's page, and signers may
    consent to be contacted by it."""
    sponsor = _sponsor_for(actor=actor, campaign=campaign, organization=organization)
    status = Sponsor.Status.ACCEPTED if accept else Sponsor.Status.DECLINED
    with transaction.atomic():
        claimed = (
            Sponsor.objects.filter(pk=sponsor.pk)
            .exclude(status=status)
            .update(status=status, answered_at=timezone.now(), answered_by=person(actor))
        )
        if not claimed:
            raise ValidationError(
                _("%(organization)s has already given this answer.")
                % {"organization": organization.name},
                code="already_answered",
            )
        from .public_page import changed

        changed(campaign.pk)
        audit(
            actor=actor,
            action="campaign.answer",
            target=campaign,
            organization=organization,
            title=campaign.title,
            organization_name=organization.name,
            answer=status,
        )
        notice_send(
            kind="campaign.answered",
            source=campaign,
            organizations=[campaign.organization_id],
            params={"organization": organization.name, "answer": status, "title": campaign.title},
        )
    sponsor.refresh_from_db()
    sponsor.organization = organization
    return sponsor
