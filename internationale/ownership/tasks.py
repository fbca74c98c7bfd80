"""Background work of ownership. Every task is safe to run twice."""

from django_tasks import task

from .erase import erase_lapse
from .services import export_expire, export_write


@task()
def write_export(export_id: int) -> bool:
    """Write an export's archive, encrypted (services.export_write)."""
    return export_write(export_id)


@task()
def expire_export(export_id: int) -> bool:
    """At the end of its 24 hours, an export not downloaded loses its file
    (services.export_expire); nothing if it was downloaded meanwhile."""
    return export_expire(export_id)


@task()
def lapse_erase_request(request_id: int) -> bool:
    """At the end of its hour, an erase request not confirmed lapses and its notices are taken
    back (erase.erase_lapse); nothing if it was confirmed or withdrawn meanwhile."""
    return erase_lapse(request_id)
