"""Background work for translation. Every task is safe to run twice: a machine version is made
segment by segment in batches (TRANSLATION_BATCH_SIZE), each batch cached as it is made, so that a
task run again after a failure translates only what is left."""

import logging
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .services import machine_version_make

logger = logging.getLogger("internationale.translation")


@task()
def make_machine_versions(content_type_id: int, object_id: int, languages: Sequence[str]) -> int:
    """Make the machine versions of one original in `languages`. Returns how many were made; an
    original deleted meanwhile, or a pair no backend translates any more, makes none."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    obj = model._default_manager.filter(pk=object_id).first() if model else None
    if obj is None:
        return 0
    made = 0
    failed: Exception | None = None
    for language in languages:
        try:
            made += machine_version_make(obj, language) is not None
        except ValidationError:
            continue
        except Exception as exc:  # noqa: BLE001 - a backend down: the other languages still
            logger.warning("machine translation into %s failed", language, exc_info=True)
            failed = failed or exc
    if failed is not None:
        raise failed  # the task is recorded as failed; run again, it finishes what is left
    return made


def languages_waiting(content_type_id: int, object_id: int) -> set[str]:
    """The languages for which a machine translation task of the original waits to run (not yet
    started: one running may have read the original before its last change)."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=make_machine_versions.module_path,
        args_kwargs__args__0=content_type_id,
        args_kwargs__args__1=object_id,
    ).values_list("args_kwargs", flat=True)
    return {language for args in waiting for language in args["args"][2]}


def enqueue_once(content_type_id: int, object_id: int, languages: Sequence[str]) -> list[str]:
    """Queue `make_machine_versions` for the languages no waiting task covers; returns them. Run
    after the change commits: a task waiting then reads the changed original when it starts."""
    waiting = languages_waiting(content_type_id, object_id)
    left = [language for language in languages if language not in waiting]
    if left:
        make_machine_versions.enqueue(content_type_id, object_id, left)
    return left
