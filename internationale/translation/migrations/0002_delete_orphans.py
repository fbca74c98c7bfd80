"""Language versions and translation requests whose content was deleted before the content took
them with it (Translatable's generic relations): deleted. Rows of a model this state does not know
are kept: nothing is deleted on a guess."""

from django.db import migrations


def delete_orphans(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name in ("LanguageVersion", "TranslationRequest"):
        rows = apps.get_model("translation", name).objects
        for content_type_id in set(rows.values_list("content_type_id", flat=True).distinct()):
            content_type = ContentType.objects.get(pk=content_type_id)
            try:
                model = apps.get_model(content_type.app_label, content_type.model)
            except LookupError:
                continue
            rows.filter(content_type_id=content_type_id).exclude(
                object_id__in=model._base_manager.values("pk")
            ).delete()


class Migration(migrations.Migration):
    dependencies = [("translation", "0001_initial")]

    operations = [migrations.RunPython(delete_orphans, migrations.RunPython.noop)]
