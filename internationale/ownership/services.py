"""Writes of ownership: starting an export, writing it (in the background), downloading it once;
the archive itself is archive.py, its encryption crypto.py, the import importing.py."""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internationale.core.actors import ActorLike, person
from internationale.core.audit import audit
from internationale.core.idempotency import idempotent
from internationale.core.notices import notice_send
from internationale.core.services import require

from .archive import write_archive
from .crypto import EncryptingWriter, decrypted
from .models import Export

logger = logging.getLogger("internationale.ownership")

EXPORT_HOURS = 24
WRITING = (Export.Status.QUEUED, Export.Status.RUNNING)


def exports_dir() -> Path:
    """Where encrypted archives wait to be downloaded: in the data directory, never under the
    media files the web server may serve."""
    folder = Path(
        getattr(settings, "INTERNATIONALE_EXPORTS_DIR", None) or Path(settings.DATA_DIR) / "exports"
    )
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


@idempotent("ownership.export_start", lambda pk: Export.objects.get(pk=pk))
def export_start(
    *,
    actor: ActorLike,
    organization: Any,
    include_emails: bool,
    submission_key: str | None = None,
) -> Export:
    """Start writing an archive of everything the organization owns, in the background."""
    from .tasks import write_export

    require(actor, "ownership.export_organization", organization)
    with transaction.atomic():
        if Export.objects.filter(organization=organization, status__in=WRITING).exists():
            raise ValidationError(
                _("An export of this organization is being written already: wait for it."),
                code="export_running",
            )
        export = Export.objects.create(
            organization=organization,
            requested_by=person(actor),
            include_emails=include_emails,
            salt=secrets.token_hex(16),
            expires_at=timezone.now() + datetime.timedelta(hours=EXPORT_HOURS),
        )
        audit(
            actor=actor,
            action="organization.export_start",
            target=export,
            organization=organization,
            id=export.pk,
            emails=include_emails,
        )
        transaction.on_commit(lambda: write_export.enqueue(export.pk))
    return export


def export_write(export_id: int) -> bool:
    """Write the archive (the task's work): claimed by a conditional update, so that of two runs
    only one writes; a run left by a worker that died is run again from the start. Returns
    whether it wrote."""
    claimed = Export.objects.filter(pk=export_id, status__in=WRITING).update(
        status=Export.Status.RUNNING, progress=0, step=""
    )
    if not claimed:
        return False
    export = Export.objects.select_related("organization", "requested_by").get(pk=export_id)
    name = f"{export.pk}-{secrets.token_hex(8)}.bin"
    path = exports_dir() / name
    writer = EncryptingWriter(path, export.salt)

    def progress(percent: int, step: str) -> None:
        Export.objects.filter(pk=export_id).update(progress=percent, step=step[:100])

    try:
        write_archive(
            writer,  # type: ignore[arg-type]
            organization=export.organization,
            include_emails=export.include_emails,
            progress=progress,
        )
        writer.close()
    except Exception:
        logger.exception("export %s failed", export_id)
        writer.abort()
        path.unlink(missing_ok=True)
        Export.objects.filter(pk=export_id).update(
            status=Export.Status.FAILED,
            error=_(
                "The archive could not be written. Start another export; if it fails too, "
                "tell the server's operators."
            ),
            finished_at=timezone.now(),
        )
        return False
    with transaction.atomic():
        Export.objects.filter(pk=export_id).update(
            status=Export.Status.READY,
            progress=100,
            step="",
            file_name=name,
            size=writer.size,
            sha256=writer.sha256.hexdigest(),
            finished_at=timezone.now(),
        )
        _announce(export, size=writer.size)
    return True


def _announce(export: Export, *, size: int) -> None:
    """The audit entry, and the notice that tells the organization that its data was exported,
    and by whom: in its inbox, and by e-mail to its admins (and secretaries), as every notice."""
    who = export.requested_by
    audit(
        actor=who if who is not None else _system(),
        action="organization.export_ready",
        target=export,
        organization=export.organization,
        id=export.pk,
        size=size,
    )
    notice_send(
        kind="ownership.export_ready",
        source=export,
        organizations=[export.organization_id],
        params={"person": str(who) if who is not None else _("the server")},
    )


def _system() -> Any:
    from internationale.core.actors import System

    return System(reason="export")


def export_download(*, actor: ActorLike, export: Export) -> Iterator[bytes]:
    """Hand the archive out, once: the export is marked downloaded (a conditional update: of two
    downloads at once, one gets it) and audited, and its encrypted file deleted once sent."""
    require(actor, "ownership.download_export", export)
    now = timezone.now()
    with transaction.atomic():
        taken = Export.objects.filter(
            pk=export.pk,
            status=Export.Status.READY,
            expires_at__gt=now,
            downloaded_at__isnull=True,
        ).update(status=Export.Status.DOWNLOADED, downloaded_at=now, downloaded_by=person(actor))
        if not taken:
            raise ValidationError(
                _(
                    "This export cannot be downloaded: it was downloaded already, has expired, or "
                    "is not ready."
                ),
                code="export_unavailable",
            )
        audit(
            actor=actor,
            action="organization.export_download",
            target=export,
            organization=export.organization,
            id=export.pk,
        )
    return _stream(exports_dir() / export.file_name, export.salt)


def _stream(path: Path, salt: str) -> Iterator[bytes]:
    try:
        yield from decrypted(path, salt)
    finally:
        path.unlink(missing_ok=True)


def delete_file(export: Export) -> None:
    """An export's encrypted file, when its row goes (the daily prune, or its organization)."""
    if export.file_name:
        (exports_dir() / export.file_name).unlink(missing_ok=True)


def expired_exports(cutoff: datetime.datetime) -> Any:
    """Exports past their 24 hours: the daily prune deletes them, and their files with them."""
    return Export.objects.filter(expires_at__lt=cutoff)
