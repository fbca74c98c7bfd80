"""What every addressee row holds, whatever was addressed: see the package's docstring."""

from typing import Any, ClassVar

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
    own table, with its foreign key (named by `target_field`), its unique (target, organization),
    its index (organization, target), and the indexes of `addressee_indexes`, which serve the
    pages that list and count the addressees; the organization has no index of its own, since
    each index costs every send to thousands of organizations.

    `country` is the organization's, kept on the row: counting the addressees per country and
    listing one country's then read this table alone, in its index, not a join with every
    organization addressed. Written with the row (`addressees_record`, or `save` for a single
    row), and moved with the organization when its country changes (`apps.py`).

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
    # The organization's country (ISO 3166 code): see the docstring.
    country = models.CharField(max_length=2, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.country and self.organization_id is not None:
            from internationale.organizations.models import Organization

            known = self._state.fields_cache.get("organization")  # given as an instance
            self.country = str(
                known.country
                if known is not None
                else Organization.objects.values_list("country", flat=True).get(
                    pk=self.organization_id
                )
            )
        super().save(*args, **kwargs)


def addressee_indexes(target_field: str, prefix: str) -> list[models.Index]:
    """The indexes every addressee table declares beside its unique (target, organization), for
    the pages that show its addressees: (target, ring, id), the order of the list, read a page at a
    time; (target, country, ring, id), the counts per country and one country's list. `prefix`
    names them (unique in the database, at most 20 characters)."""
    return [
        models.Index(fields=[target_field, "ring", "id"], name=f"{prefix}_ring"),
        models.Index(fields=[target_field, "country", "ring", "id"], name=f"{prefix}_country"),
    ]
