"""The versions of adopted statements in other languages, entered by hand, become shared language
versions (translation.LanguageVersion): written by a person, credited to whoever entered them,
translating the adopted text as it stands. Back again: the versions people wrote or reviewed
become the statements' own versions once more; the machine's are dropped (they are made again
on request)."""

import hashlib
import json

from django.db import migrations


def _source_hash(texts):
    # As translation.content.source_hash computes it today, frozen here.
    return hashlib.sha256(
        json.dumps(texts, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def _adopted_texts(statement, Version):
    # As Statement.translatable_texts() gives them today, frozen here.
    version = statement.current_version
    if statement.status != "adopted" or version is None or not version.is_adopted:
        version = Version.objects.filter(statement=statement, is_adopted=True).last()
    if version is None:
        return {}
    texts = {"title": version.title}
    for number, paragraph in enumerate(version.paragraphs, start=1):
        texts[f"paragraph.{number}"] = paragraph
    return texts


def _statement_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    found, _created = ContentType.objects.get_or_create(app_label="statements", model="statement")
    return found


def forwards(apps, schema_editor):
    Translation = apps.get_model("statements", "Translation")
    Version = apps.get_model("statements", "Version")
    LanguageVersion = apps.get_model("translation", "LanguageVersion")
    content_type = _statement_type(apps)
    translations = Translation.objects.select_related("statement__current_version").order_by("pk")
    for translation in translations.iterator():
        statement = translation.statement
        texts = {"title": translation.title}
        for number, paragraph in enumerate(translation.paragraphs, start=1):
            texts[f"paragraph.{number}"] = paragraph
        version, _created = LanguageVersion.objects.update_or_create(
            content_type=content_type,
            object_id=statement.pk,
            language=translation.language,
            defaults={
                "texts": texts,
                "status": "human",
                "source_hash": _source_hash(_adopted_texts(statement, Version)),
                "backend": "",
                "translated_by_id": translation.translated_by_id,
            },
        )
        LanguageVersion.objects.filter(pk=version.pk).update(
            created_at=translation.created_at, updated_at=translation.updated_at
        )


def backwards(apps, schema_editor):
    Translation = apps.get_model("statements", "Translation")
    Statement = apps.get_model("statements", "Statement")
    LanguageVersion = apps.get_model("translation", "LanguageVersion")
    content_type = _statement_type(apps)
    versions = LanguageVersion.objects.filter(content_type=content_type)
    existing = set(Statement.objects.values_list("pk", flat=True))
    for version in versions.exclude(status="machine").order_by("pk").iterator():
        if version.object_id not in existing:
            continue
        numbered = sorted(
            (int(name.split(".", 1)[1]), text)
            for name, text in version.texts.items()
            if name.startswith("paragraph.") and name.split(".", 1)[1].isdigit()
        )
        translation, _created = Translation.objects.update_or_create(
            statement_id=version.object_id,
            language=version.language,
            defaults={
                "title": version.texts.get("title", ""),
                "paragraphs": [text for _number, text in numbered],
                "translated_by_id": version.translated_by_id,
            },
        )
        Translation.objects.filter(pk=translation.pk).update(
            created_at=version.created_at, updated_at=version.updated_at
        )
    versions.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("statements", "0003_withdraw_reason"),
        ("translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
