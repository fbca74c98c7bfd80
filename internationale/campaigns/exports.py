"""The letter with its signatures, as files: CSV (for a spreadsheet) and PDF (printed, for a hand
delivery). What each holds of a signer is decided here once:

- for the targets (deliveries, the organizer's download): first and last name, city, country,
  union and when the signature was confirmed; never the e-mail address;
- for a sponsoring organization the signer consented to (`consented_rows`), the e-mail address and
  the signer's language too, so that it can write to them.

A cell that a spreadsheet would read as a formula (=, +, -, @ at its start) is prefixed with an
apostrophe: signers type these fields.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Campaign, Consent, Signature

VALID = (Signature.Status.CONFIRMED, Signature.Status.COUNTED)
# A font with most of the world's scripts, where the system has one (Debian's fonts-dejavu-core);
# else the PDF's own Helvetica, which writes Latin letters only (others become "?").
FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/local/share/fonts/DejaVuSans.ttf"),
)
TARGET_FIELDS = ("first_name", "last_name", "city", "country", "union", "confirmed_at")
SPONSOR_FIELDS = (*TARGET_FIELDS, "email", "language")


def valid_signatures(campaign: Campaign) -> QuerySet[Signature]:
    """The signatures that count: confirmed (counted or about to be), in order."""
    return Signature.objects.filter(campaign=campaign, status__in=VALID).order_by("id")


def consented_rows(campaign: Campaign, organization_id: int) -> QuerySet[Signature]:
    """The valid signatures whose signers consented to the organization and did not withdraw."""
    consented = Consent.objects.filter(
        organization_id=organization_id, withdrawn_at__isnull=True
    ).values("signature_id")
    return valid_signatures(campaign).filter(pk__in=consented)


def _headers() -> dict[str, str]:
    return {
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "city": _("City"),
        "country": _("Country"),
        "union": _("Union"),
        "confirmed_at": _("Signed on"),
        "email": _("E-mail address"),
        "language": _("Language"),
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _rows(signatures: Iterable[Signature], fields: tuple[str, ...]) -> Iterator[list[str]]:
    for signature in signatures:
        yield [
            _cell(str(signature.country) if name == "country" else getattr(signature, name))
            for name in fields
        ]


def signatures_csv(signatures: Iterable[Signature], fields: tuple[str, ...] = TARGET_FIELDS) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    headers = _headers()
    writer.writerow([headers[name] for name in fields])
    writer.writerows(_rows(signatures, fields))
    return out.getvalue()


def _font(pdf: Any) -> str:
    for path in FONTS:
        if path.exists():
            bold = path.with_name("DejaVuSans-Bold.ttf")
            pdf.add_font("Sans", "", str(path))
            pdf.add_font("Sans", "B", str(bold if bold.exists() else path))
            return "Sans"
    return "Helvetica"


def _plain(text: str, unicode: bool) -> str:
    if unicode:
        return text
    return text.encode("latin-1", "replace").decode("latin-1")


def letter_pdf(campaign: Campaign, signatures: Iterable[Signature]) -> bytes:
    """The letter (title, text, its organizer, its targets), then its signers in a table."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    font = _font(pdf)
    unicode = font != "Helvetica"

    def line(text: str, size: int = 11, height: float = 6) -> None:
        pdf.set_font(font, size=size)
        pdf.multi_cell(0, height, _plain(text, unicode), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line(campaign.title, size=16, height=9)
    targets = ", ".join(t.name for t in campaign.targets.all())
    if targets:
        line(_("To: %(targets)s") % {"targets": targets}, size=10)
    line(_("From: %(organizer)s") % {"organizer": campaign.organization.name}, size=10)
    pdf.ln(4)
    line(campaign.text)
    pdf.ln(4)
    headers = _headers()
    fields = ("first_name", "last_name", "city", "country", "union")
    pdf.set_font(font, size=9)
    with pdf.table(col_widths=(30, 30, 30, 15, 45), first_row_as_headings=True) as table:
        row = table.row()
        for name in fields:
            row.cell(_plain(headers[name], unicode))
        n = 0
        for values in _rows(signatures, fields):
            row = table.row()
            for value in values:
                row.cell(_plain(value.lstrip("'"), unicode))
            n += 1
    pdf.ln(2)
    line(_("%(n)s signatures.") % {"n": n}, size=10)
    return bytes(pdf.output())


# Downloads, each audited ---------------------------------------------------------------------


def organizer_download(*, actor: Any, campaign: Campaign, kind: str) -> tuple[bytes, str]:
    """The letter with its valid signatures, as `csv` or `pdf`, for those who speak for the
    organizer (a hand delivery): the file's content and its content type. Audited."""
    from django.db import transaction

    from internationale.core.audit import audit
    from internationale.core.services import require

    require(actor, "campaigns.download_signatures", campaign)
    rows = list(valid_signatures(campaign))
    if kind == "pdf":
        content, content_type = letter_pdf(campaign, rows), "application/pdf"
    else:
        content, content_type = signatures_csv(rows).encode(), "text/csv; charset=utf-8"
    with transaction.atomic():
        audit(
            actor=actor,
            action="campaign.export",
            target=campaign,
            organization=campaign.organization,
            title=campaign.title,
            format=kind,
            n=len(rows),
            organization_name=campaign.organization.name,
        )
    return content, content_type
