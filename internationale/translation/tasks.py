"""Background work for translation. Every task is safe to run twice: a machine version is made
segment by segment in batches (TRANSLATION_BATCH_SIZE), each batch cached as it is made, so that a
task run again after a failure translates only what is left."""

import logging
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django_tasks import task

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
