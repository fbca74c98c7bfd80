"""What a sponsoring organization (the organizer included) may do with the signers: see and
export (CSV) those who consented to be contacted by it, and only those (exports.consented_rows),
each export audited. And what a signer may do from the link in the confirmation e-mail: withdraw
a consent, or erase the signature.

An organization reads its signers when it organizes the campaign or accepted to co-sponsor it, and
only those who speak for it (admins, secretaries) do: a member or an observer is refused with a
message saying so, an organization invited that declined or did not answer is told it does not
sponsor the campaign.

The signer's link carries a signed token naming the signature (no expiry: a signer may withdraw
years later); erasing deletes the signature and its consents, and takes it out of the count if it
was counted.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike
from internationale.core.audit import audit
from internationale.core.links import absolute_url
from internationale.core.services import allowed
from internationale.organizations.models import Organization

from .exports import SPONSOR_FIELDS, consented_rows, signatures_csv
from .models import Campaign, Consent, Signature, SignatureCount, Sponsor

_SALT = "internationale.campaigns.signer"


def is_sponsor(campaign: Campaign, organization: Organization) -> bool:
    """The organizer, or an organization that accepted to co-sponsor."""
    return organization.pk == campaign.organization_id or (
        Sponsor.objects.filter(
            campaign=campaign, organization=organization, status=Sponsor.Status.ACCEPTED
        ).exists()
    )


def check_sponsor_reader(
    *, actor: ActorLike, campaign: Campaign, organization: Organization
) -> None:
    """PermissionDenied unless the actor speaks for the organization; ValidationError (code
    `not_a_sponsor`) unless the organization sponsors the campaign."""
    if not allowed(actor, "campaigns.export_signers", organization):
        raise PermissionDenied(
            _(
                "Only an admin or secretary of %(organization)s can see and export its signers: "
                "members and observers cannot act for it."
            )
            % {"organization": organization.name}
        )
    if not is_sponsor(campaign, organization):
        raise ValidationError(
            {
                "organization": ValidationError(
                    _(
                        "%(organization)s does not sponsor this campaign: no signer consented "
                        "to be contacted by it."
                    )
                    % {"organization": organization.name},
                    code="not_a_sponsor",
                )
            }
        )


def sponsor_signers(
    *, actor: ActorLike, campaign: Campaign, organization: Organization
) -> QuerySet[Signature]:
    """The valid signatures whose signers consented to the organization, in order."""
    check_sponsor_reader(actor=actor, campaign=campaign, organization=organization)
    return consented_rows(campaign, organization.pk)


def sponsor_signers_read(
    *, actor: ActorLike, campaign: Campaign, organization: Organization, format: str, n: int
) -> None:
    """Record that the actor read `n` signers (their names and e-mail addresses) of the
    organization: every read is an export, audited the same whether it is the page ("page"), the
    API ("api") or the CSV ("csv")."""
    with transaction.atomic():
        audit(
            actor=actor,
            action="campaign.export",
            target=campaign,
            organization=organization,
            title=campaign.title,
            format=format,
            n=n,
            organization_name=organization.name,
        )


def sponsor_export(*, actor: ActorLike, campaign: Campaign, organization: Organization) -> str:
    """The signers who consented to the organization, as CSV (with their e-mail address and
    language), audited."""
    rows = list(sponsor_signers(actor=actor, campaign=campaign, organization=organization))
    sponsor_signers_read(
        actor=actor, campaign=campaign, organization=organization, format="csv", n=len(rows)
    )
    return signatures_csv(rows, SPONSOR_FIELDS)


# The signer's link --------------------------------------------------------------------------------


def signer_token(signature_id: int) -> str:
    return signing.dumps({"s": signature_id}, salt=_SALT, compress=True)


def signer_url(signature_id: int) -> str:
    return absolute_url(reverse("signer_manage", args=[signer_token(signature_id)]))


def _link_error() -> ValidationError:
    return ValidationError(
        {
            "token": ValidationError(
                _("This link is not valid, or the signature was erased."), code="invalid_link"
            )
        }
    )


def signature_by_token(token: str) -> Signature:
    """The signature the link names; ValidationError on `token` for a forged or altered link, or
    a signature erased."""
    try:
        data = signing.loads(token or "", salt=_SALT)
        pk = int(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise _link_error() from None
    signature = Signature.objects.select_related("campaign__organization").filter(pk=pk).first()
    if signature is None:
        raise _link_error()
    return signature


def consent_withdraw(*, token: str, organization_id: int) -> bool:
    """Withdraw the signer's consent to the organization. Returns whether one was withdrawn."""
    signature = signature_by_token(token)
    return bool(
        Consent.objects.filter(
            signature=signature, organization_id=organization_id, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now())
    )


def signature_erase(*, token: str) -> Campaign:
    """Erase the signature the link names, with its consents; out of the count if counted."""
    signature = signature_by_token(token)
    from .public_page import changed

    with transaction.atomic():
        locked = Signature.objects.select_for_update().filter(pk=signature.pk).first()
        if locked is None:
            raise _link_error()
        if locked.status == Signature.Status.COUNTED:
            SignatureCount.objects.filter(campaign_id=locked.campaign_id).update(
                signatures=Greatest(F("signatures") - 1, 0)
            )
        locked.delete()
        changed(signature.campaign_id)
    return signature.campaign


def consents_of(signature: Signature) -> list[Consent]:
    return list(
        Consent.objects.filter(signature=signature)
        .select_related("organization")
        .order_by("organization__name")
    )
