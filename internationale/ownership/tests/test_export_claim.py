"""Two runs of one export at once (its task run again because its worker stopped beating, while
the first still writes, or after it died): one archive, one announcement, no file left behind.

Ana, the Metalworkers' admin, starts an export; its first run is caught in the middle of writing
(at its first step), where a second run of the same task starts."""

from typing import Any

import pytest

from internationale.core.audit import AuditEntry
from internationale.ownership import services
from internationale.ownership.models import Export
from internationale.ownership.services import export_start, export_write, exports_dir

from .test_export import archive_of, reauthenticated

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(settings, tmp_path, owner_org, ana, sam) -> Export:  # type: ignore[no-untyped-def]
    settings.INTERNATIONALE_WORKER_LEASE_SECONDS = 1  # a claim runs out after a second
    settings.INTERNATIONALE_EXPORTS_DIR = tmp_path / "exports"  # this test's files only
    return export_start(actor=ana, organization=owner_org, include_emails=False)


def second_run_at_first_step(monkeypatch) -> list[bool]:  # type: ignore[no-untyped-def]
    """Make the first run start a second one at its first step; returns where the second run's
    result is put."""
    results: list[bool] = []
    real = services.write_archive

    def writing(out: Any, **kwargs: Any) -> Any:
        progress = kwargs.pop("progress")

        def step(percent: int, name: str) -> None:
            progress(percent, name)
            if not results:
                results.append(False)  # the second run does not start a third
                results[0] = export_write(Export.objects.get().pk)

        return real(out, progress=step, **kwargs)

    monkeypatch.setattr(services, "write_archive", writing)
    return results


def files_of(export: Export) -> list[str]:
    return sorted(p.name for p in exports_dir().glob(f"{export.pk}-*.bin"))


def ready(export: Export) -> Export:
    export.refresh_from_db()
    assert export.status == Export.Status.READY
    assert AuditEntry.objects.filter(action="organization.export_ready").count() == 1
    assert files_of(export) == [export.file_name]
    return export


def test_a_run_whose_worker_stopped_is_taken_over_and_leaves_nothing_behind(
    export, monkeypatch, client_for, ana
):
    second = second_run_at_first_step(monkeypatch)
    # The first run is stuck at its first step (as a worker that died): its claim runs out, the
    # second run takes the export over and writes it whole; the first, back, finds it lost.
    assert export_write(export.pk) is False
    assert second == [True]
    export = ready(export)
    archive = archive_of(
        reauthenticated(client_for(ana)).post(f"/ownership/metal-sp/exports/{export.pk}/download/")
    )
    assert archive.read("manifest.json")  # the archive of the run that held the export


def test_a_second_run_gives_up_while_the_first_is_still_writing(export, monkeypatch):
    second = second_run_at_first_step(monkeypatch)

    def waiting(seconds: float) -> None:
        # While the second run waits, the first takes its next step, as a run still writing does.
        Export.objects.filter(pk=export.pk).update(
            claimed_until=services.timezone.now() + services._lease()
        )

    monkeypatch.setattr(services, "_wait", waiting)
    assert export_write(export.pk) is True
    assert second == [False]
    ready(export)


def test_a_run_of_an_export_already_written_writes_nothing(export):
    assert export_write(export.pk) is True
    export = ready(export)
    assert export_write(export.pk) is False
    assert ready(export).file_name == export.file_name
