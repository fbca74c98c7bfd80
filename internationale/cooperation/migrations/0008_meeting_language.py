"""Meetings gain the language their texts are written in (their agenda's and minutes' original):
for the meetings already planned, the host's first language, else the meeting's first working
language, else the server's."""

from django.conf import settings
from django.db import migrations, models


def fill_languages(apps, schema_editor):  # type: ignore[no-untyped-def]
    Meeting = apps.get_model("cooperation", "Meeting")
    OrganizationLanguage = apps.get_model("organizations", "OrganizationLanguage")
    firsts: dict[int, str] = {}
    hosts = OrganizationLanguage.objects.filter(
        organization_id__in=Meeting.objects.values("organization_id")
    )
    for organization_id, tag in hosts.order_by("-id").values_list("organization_id", "tag"):
        firsts[organization_id] = tag  # the lowest id last: the first language wins
    for meeting in Meeting.objects.filter(language="").only("pk", "organization_id", "languages"):
        working = meeting.languages or []
        language = firsts.get(meeting.organization_id) or (
            working[0] if working else settings.LANGUAGE_CODE
        )
        Meeting.objects.filter(pk=meeting.pk).update(language=language)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0007_calendar_feed_owner"),
        ("organizations", "0009_organization_filter_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="language",
            field=models.CharField(
                blank=True, default="", max_length=35, verbose_name="language of its texts"
            ),
        ),
        migrations.RunPython(fill_languages, migrations.RunPython.noop, elidable=True),
    ]
