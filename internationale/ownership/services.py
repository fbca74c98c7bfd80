"""Writes of ownership: starting an export, writing it (in the background), downloading it once;
the archive itself is archive.py, its encryption crypto.py, the import importing.py."""

from __future__ import annotations

import datetime
import logging
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
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


class _ClaimLost(Exception):
    """Another run took the export over: this one stops."""


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.INTERNATIONALE_WORKER_LEASE_SECONDS)


def _wait(seconds: float) -> None:
    time.sleep(seconds)


def _claim(export_id: int, claim: str) -> bool:
    """Claim the export for this run: a queued one, or one whose claim ran out (a run left by a
    worker that died). Of two runs at once, one claims it. If another run holds it, wait for
    its claim to run out: a run still writing renews it (then this one gives up); a dead one
    does not (then this one takes it over). Returns whether this run writes."""
    while True:
        now = timezone.now()
        claimable = Q(status=Export.Status.QUEUED) | Q(claimed_until__isnull=True)
        claimable |= Q(claimed_until__lte=now)
        if (
            Export.objects.filter(claimable, pk=export_id, status__in=WRITING).update(
                status=Export.Status.RUNNING,
                claim=claim,
                claimed_until=now + _lease(),
                progress=0,
                step="",
            )
            == 1
        ):
            return True
        held = (
            Export.objects.filter(pk=export_id, status__in=WRITING)
            .values_list("claimed_until", flat=True)
            .first()
        )
        if held is None:
            return False  # finished, or gone
        _wait(max((held - timezone.now()).total_seconds(), 0) + 0.1)
        renewed = (
            Export.objects.filter(pk=export_id, status__in=WRITING, claimed_until__gt=held)
            .exclude(claimed_until=None)
            .exists()
        )
        if renewed:
            return False  # its run is alive and writing


def export_write(export_id: int) -> bool:
    """Write the archive (the task's work). A run claims the export (_claim) and renews its claim
    at each step; a run left by a worker that died is taken over and written again from the
    start; the run that lost its claim stops and removes its file, and only the run that holds
    it at the end marks it ready and announces it. Returns whether it wrote."""
    claim = secrets.token_hex(16)
    if not _claim(export_id, claim):
        return False
    export = Export.objects.select_related("organization", "requested_by").get(pk=export_id)
    name = f"{export.pk}-{secrets.token_hex(8)}.bin"
    path = exports_dir() / name
    writer = EncryptingWriter(path, export.salt)
    ours = Export.objects.filter(pk=export_id, claim=claim, status=Export.Status.RUNNING)

    def progress(percent: int, step: str) -> None:
        if not ours.update(
            progress=percent, step=step[:100], claimed_until=timezone.now() + _lease()
        ):
            raise _ClaimLost

    try:
        write_archive(
            writer,  # type: ignore[arg-type]
            organization=export.organization,
            include_emails=export.include_emails,
            progress=progress,
        )
        writer.close()
    except _ClaimLost:
        logger.warning("export %s: another run took it over; this one stops", export_id)
        writer.abort()
        path.unlink(missing_ok=True)
        return False
    except Exception:
        logger.exception("export %s failed", export_id)
        writer.abort()
        path.unlink(missing_ok=True)
        ours.update(
            status=Export.Status.FAILED,
            error=_(
                "The archive could not be written. Start another export; if it fails too, "
                "tell the server's operators."
            ),
            finished_at=timezone.now(),
        )
        return False
    with transaction.atomic():
        done = ours.update(
            status=Export.Status.READY,
            progress=100,
            step="",
            file_name=name,
            size=writer.size,
            sha256=writer.sha256.hexdigest(),
            finished_at=timezone.now(),
            claimed_until=None,
        )
        if done:
            _announce(export, size=writer.size)
            transaction.on_commit(lambda: _expire_later(export))
    if not done:
        logger.warning("export %s: another run took it over; this one's file is removed", export_id)
        path.unlink(missing_ok=True)
    return bool(done)


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
        if taken:
            audit(
                actor=actor,
                action="organization.export_download",
                target=export,
                organization=export.organization,
                id=export.pk,
            )
    if not taken:
        export_expire(export.pk)  # asked after its time: its file goes now
        raise ValidationError(
            _(
                "This export cannot be downloaded: it was downloaded already, has expired, or "
                "is not ready."
            ),
            code="export_unavailable",
        )
    path = exports_dir() / export.file_name
    # Opened now, before the response goes out: a file deleted while it is sent (its expiry, the
    # daily prune) is still read whole.
    return _stream(open(path, "rb"), path, export.salt)  # noqa: SIM115 - closed by _stream


def _stream(file: BinaryIO, path: Path, salt: str) -> Iterator[bytes]:
    try:
        with file:
            yield from decrypted(file, salt)
    finally:
        path.unlink(missing_ok=True)


def _expire_later(export: Export) -> None:
    from .tasks import expire_export  # the tasks import this module

    expire_export.using(run_after=export.expires_at).enqueue(export.pk)


def export_expire(export_id: int, now: datetime.datetime | None = None) -> bool:
    """An export past its time that was not downloaded: its encrypted file is deleted at once (by
    the task queued for its expiry, or when it is asked for after), not at the daily prune; its
    row stays until then, so that its page says it expired. False if it is not past its time, has
    no file left, or is not ready (one downloaded is being sent: its stream deletes it)."""
    now = now or timezone.now()
    with transaction.atomic():
        export = (
            Export.objects.select_for_update()
            .filter(pk=export_id, status=Export.Status.READY, expires_at__lte=now)
            .exclude(file_name="")
            .first()
        )
        if export is None:
            return False
        name = export.file_name
        Export.objects.filter(pk=export.pk).update(file_name="")
        transaction.on_commit(lambda: (exports_dir() / name).unlink(missing_ok=True))
    return True


def delete_file(export: Export) -> None:
    """An export's encrypted file, when its row goes (the daily prune, or its organization)."""
    if export.file_name:
        (exports_dir() / export.file_name).unlink(missing_ok=True)


def expired_exports(cutoff: datetime.datetime) -> Any:
    """Exports past their 24 hours: the daily prune deletes them, and their files with them."""
    return Export.objects.filter(expires_at__lt=cutoff)
