import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from internationale.core.models import TimeStampedModel, Visibility
from internationale.core.search import indexed_text
from internationale.core.visibility import Audience, Shared, SharedQuerySet

from .reference import region_of, sector_choices, subregion_of

# A relation concerns two organizations: "private" (the author only) would hide it from the
# partner that must answer.
RELATION_VISIBILITIES = [
    choice for choice in Visibility.choices if choice[0] != Visibility.PRIVATE.value
]


class Organization(TimeStampedModel):
    class Kind(models.TextChoices):
        UNION = "union", _("Trade union")
        PARTY = "party", _("Workers' party")
        FEDERATION = "federation", _("Federation")
        MOVEMENT = "movement", _("Solidarity movement")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    country = CountryField(_("country"), db_index=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1700), MaxValueValidator(2100)],
    )
    membership_size = models.PositiveIntegerField(
        _("approximate membership"), null=True, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    public_contact = models.CharField(
        _("public contact"),
        max_length=300,
        blank=True,
        help_text=_("An address, e-mail or telephone number that anyone may see."),
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True, db_index=True)
    # An organization of another server, accepted on this one (federation/remote_orgs.py): its
    # ActivityPub actor. Empty for this server's own. A remote one has no members and is no actor
    # here; the directory and its page say which server it is on and link to its actor. Empty by
    # default in the database too, so that rows written without it (bulk loads, the migrations'
    # historical models) are this server's own.
    remote_actor_url = models.URLField(
        max_length=500, blank=True, editable=False, default="", db_default=""
    )
    # The words of the name, short name and city, as the directory's search finds them
    # (core/search.py): kept by save(); indexed by FTS5 on SQLite, by a GIN index on PostgreSQL
    # (migration 0007). Whatever writes rows without save() (bulk_create) sets it with
    # `organization_search_text`.
    search_text = models.TextField(editable=False, blank=True, default="")
    # What the directory's filters look up, as words of the same index (migration 0009):
    # "countrybr regionamericas regionsouthamerica kindunion sectorc langpt langpt0br". Kept by
    # save() (country, kind) and by the writes of languages and sectors (directory.py's signals,
    # `organization_filter_text_refresh`); a filter or a combination of them is then one lookup
    # in the index, with or without a search, instead of joins over every organization.
    filter_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            # The directory: its order (name, pk), then what its visibility filter and its search
            # read, so that a page and its count scan this index and not the table.
            models.Index(
                fields=["name", "id", "verified_at", "short_name", "city"],
                name="organization_directory",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = organization_search_text(self)
        fields = kwargs.get("update_fields")
        if fields is not None and {"name", "short_name", "city"} & set(fields):
            kwargs["update_fields"] = [*fields, "search_text"]
        if fields is None or {"country", "kind"} & set(fields):
            tags, codes = _tags_and_codes(self.pk) if self.pk else ([], [])
            self.filter_text = organization_filter_text(str(self.country), self.kind, tags, codes)
            if fields is not None:
                kwargs["update_fields"] = [*kwargs["update_fields"], "filter_text"]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organization_detail", args=[self.slug])

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def home_host(self) -> str:
        """The server a remote organization is on ("" for this server's own)."""
        return urlsplit(self.remote_actor_url).netloc if self.remote_actor_url else ""

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


def organization_search_text(organization: Organization) -> str:
    return indexed_text(organization.name, organization.short_name, organization.city)


def _word(prefix: str, value: str) -> str | None:
    """`prefix` and `value` as one word of letters and digits ("langpt0br" for "pt-BR"), or None
    for a value that no organization can have: it then finds nothing."""
    value = value.strip().lower()
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value, flags=re.ASCII):
        return None
    return prefix + value.replace("-", "0")


def filter_words(
    *,
    country: str = "",
    regions: Iterable[str] = (),
    kind: str = "",
    sectors: Iterable[str] = (),
    languages: Iterable[str] = (),
) -> list[str | None]:
    """The words of `filter_text` for these values: those an organization has, or those a
    filter asks for (None for a value no organization has)."""
    found = [_word("country", country)] if country else []
    found += [_word("region", re.sub(r"[^a-z0-9]", "", region.lower())) for region in regions]
    found += [_word("kind", kind)] if kind else []
    found += [_word("sector", code) for code in sectors]
    found += [_word("lang", tag) for tag in languages]
    return found


def organization_filter_text(country: str, kind: str, tags: list[str], codes: list[str]) -> str:
    """An organization's `filter_text`: its language "pt-BR" is a word for "pt-BR" and one for
    "pt", as the filter "pt" finds "pt" and "pt-BR"; its country, one for each region it is in."""
    prefixes = {
        "-".join(parts[:n])
        for parts in (t.split("-") for t in tags)
        for n in range(1, len(parts) + 1)
    }
    regions = [r for r in (region_of(country), subregion_of(country)) if r]
    found = filter_words(
        country=country, regions=regions, kind=kind, sectors=codes, languages=sorted(prefixes)
    )
    return " ".join(dict.fromkeys(word for word in found if word))


def _tags_and_codes(pk: int) -> tuple[list[str], list[str]]:
    tags = OrganizationLanguage.objects.filter(organization_id=pk).values_list("tag", flat=True)
    codes = OrganizationSector.objects.filter(organization_id=pk).values_list("code", flat=True)
    return list(tags), list(codes)


def organization_filter_text_refresh(pks: Iterable[int]) -> None:
    """Write again the `filter_text` of these organizations, from their rows: after a write of
    their languages or sectors."""
    for pk, country, kind, old in Organization.objects.filter(pk__in=list(pks)).values_list(
        "pk", "country", "kind", "filter_text"
    ):
        text = organization_filter_text(country, kind, *_tags_and_codes(pk))
        if text != old:
            Organization.objects.filter(pk=pk).update(filter_text=text)


class OrganizationLanguage(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="languages"
    )
    tag = models.CharField(
        _("language"), max_length=35, db_index=True, help_text=_("A BCP 47 tag.")
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            # The directory's language filter compares tags without regard to case: this index
            # serves it on PostgreSQL, and gives its planner the statistics to count the matches.
            models.Index(Upper("tag"), "organization", name="organizationlanguage_tag_upper"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "tag"],
                name="unique_organization_language",
                violation_error_message=_("This language is already listed for the organization."),
            )
        ]

    def __str__(self) -> str:
        return self.tag


class OrganizationSector(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="sectors")
    code = models.CharField(_("sector"), max_length=1, choices=sector_choices(), db_index=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"],
                name="unique_organization_sector",
                violation_error_message=_("This sector is already listed for the organization."),
            )
        ]

    def __str__(self) -> str:
        return self.code


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["organization__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                name="unique_membership",
                violation_error_message=_("This person is already a member of this organization."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.role}"


class Invitation(TimeStampedModel):
    """An invitation by e-mail to join an organization. Its link expires and works once."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"


class Vouch(TimeStampedModel):
    """A verified organization vouches for another; two standing vouches verify it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="vouches_received"
    )
    voucher = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="vouches_given"
    )
    vouched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # A remote organization's vouch: the id of the `Vouch` activity it came with, by which its
    # `Undo` names it (federation/vouching.py); received activities are pruned, the vouch is not.
    remote_activity_id = models.CharField(max_length=500, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "voucher"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_standing_vouch",
                violation_error_message=_("This organization already vouches for it."),
            ),
            models.CheckConstraint(
                condition=~Q(organization=models.F("voucher")),
                name="no_self_vouch",
                violation_error_message=_("An organization cannot vouch for itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} vouches for {self.organization}"


class Relation(Shared, TimeStampedModel):
    """A relation between two organizations, proposed by one and accepted by the other."""

    # The proposer owns it; the partner sees it unless it is private.
    audience = Audience(owner="proposer", addressed=("partner",))

    class Kind(models.TextChoices):
        FRATERNAL = "fraternal", _("Fraternal relation")
        COOPERATION = "cooperation", _("Cooperation agreement")
        FEDERATION = "federation", _("Same federation")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    proposer = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="relations_proposed"
    )
    partner = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="relations_received"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=RELATION_VISIBILITIES, default=Visibility.NETWORK
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    note = models.TextField(_("note"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(proposer=models.F("partner")),
                name="no_self_relation",
                violation_error_message=_("An organization cannot have a relation with itself."),
            ),
            models.UniqueConstraint(
                fields=["proposer", "partner", "kind"],
                condition=Q(status__in=["proposed", "accepted"]),
                name="one_live_relation_per_kind",
                violation_error_message=_(
                    "These organizations already have such a relation, or one is proposed."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposer} ↔ {self.partner} ({self.kind})"

    def get_absolute_url(self) -> str:
        """The partner's relations, where a proposed relation is answered."""
        return reverse("relation_list", args=[self.partner.slug])

    def other(self, organization: Organization) -> Organization:
        return self.partner if organization.pk == self.proposer_id else self.proposer


class Employer(TimeStampedModel):
    """A multinational company. Appeals about one employer reach the unions at its other sites."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    headquarters = CountryField(_("headquarters"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmployerSite(TimeStampedModel):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("site"), max_length=200)
    country = CountryField(_("country"), db_index=True)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return f"{self.employer} · {self.name}"


class Presence(Shared, TimeStampedModel):
    """An organization organizes workers at an employer, at one site or in general."""

    audience = Audience(owner="organization")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="presences"
    )
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="presences")
    site = models.ForeignKey(
        EmployerSite, null=True, blank=True, on_delete=models.CASCADE, related_name="presences"
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.NETWORK
    )

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["employer__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "employer", "site"],
                name="unique_presence",
                violation_error_message=_("This presence is already recorded."),
            ),
            models.UniqueConstraint(
                fields=["organization", "employer"],
                condition=Q(site__isnull=True),
                name="unique_presence_without_site",
                violation_error_message=_("This presence is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} at {self.site or self.employer}"


class ErasedSlug(models.Model):
    """The slug of an organization whose profile an emergency erase removed (ownership/erase.py).
    It stays reserved for good: every address of that organization was made of it, and other
    servers may still know them, so no organization created, renamed or imported later takes it
    (services.py, ownership/importing.py)."""

    slug = models.SlugField(max_length=80, unique=True)
    erased_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug
