"""What every addressee row holds, whatever was addressed: see the package's docstring."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class Ring(models.IntegerChoices):
    """How far something addressed reaches: the chosen criteria, then widened to the origin's
    region, then to the whole network."""

    CHOSEN = 0, _("Chosen organizations")
    REGION = 1, _("The region")
    NETWORK = 2, _("The whole network")


class AddresseeBase(models.Model):
    """An organization something was addressed to, and why. Abstract: each addressed thing has its
    own table, with its foreign key (named by `target_field`), its unique (target, organization)
    and its index (organization, target), which serve every lookup; the organization has no index
    of its own, since each index costs every send to thousands of organizations.

    Reverse accessor from an organization: `<app_label>_received` (`appeals_received`).

    Rows are inserted in bulk (`services.addressees_record`), without the model's defaults: a
    field a subclass adds (an answer, a note) needs a database default (`db_default`) or to be
    nullable.
    """

    # The name of the subclass's foreign key to what was addressed, e.g. "appeal".
    target_field: ClassVar[str]

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="%(app_label)s_received",
        db_index=False,
    )
    # routing.Reason as JSON: stored as codes and names, worded in the reader's language.
    reasons = models.JSONField(default=list, blank=True)
    ring = models.PositiveSmallIntegerField(default=Ring.CHOSEN)
    passed_by = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
