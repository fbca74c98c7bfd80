"""Background work of ownership. Every task is safe to run twice."""

from django_tasks import task

from .services import export_write


@task()
def write_export(export_id: int) -> bool:
    """Write an export's archive, encrypted (services.export_write)."""
    return export_write(export_id)
