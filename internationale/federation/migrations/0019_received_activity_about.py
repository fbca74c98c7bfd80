"""Each received activity records the address of this server's content it is about
(`ReceivedActivity.about`, indexed), so that an erase finds them by a query instead of reading
every payload. The rows received before are filled in from their payloads, in batches."""

from django.db import migrations, models

from internationale.federation.documents import about

BATCH = 1000


def fill_about(apps, schema_editor):
    ReceivedActivity = apps.get_model("federation", "ReceivedActivity")
    last = 0
    while True:
        rows = list(
            ReceivedActivity.objects.filter(pk__gt=last, about="")
            .order_by("pk")
            .values_list("pk", "payload")[:BATCH]
        )
        if not rows:
            return
        for pk, payload in rows:
            named = about(payload)
            if named:
                ReceivedActivity.objects.filter(pk=pk).update(about=named)
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0018_erased_actor"),
        ("organizations", "0012_vouch_remote_activity_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="receivedactivity",
            name="about",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddIndex(
            model_name="receivedactivity",
            index=models.Index(fields=["about"], name="federation_received_about"),
        ),
        migrations.RunPython(fill_about, migrations.RunPython.noop),
    ]
