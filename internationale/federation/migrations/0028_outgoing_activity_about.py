"""Each activity sent records the address of this server's content it is about
(`OutgoingActivity.about`, indexed), so that an erase finds those about what it removes by a
query instead of reading every payload (erasing.py). The rows recorded before get it from their
payloads, in batches.

What an activity is about is read here as models.sent_about read it when this migration was
written (copied, not imported: a later change of that function must not change what this
migration does), on this server's SITE_URL. A row whose `about` is set is left alone."""

from django.conf import settings
from django.db import migrations, models

BATCH = 1000
URL_LENGTH = 500


def about(activity, ours):
    if not isinstance(activity, dict):
        return ""
    obj = activity.get("object")
    named = [obj]
    if isinstance(obj, dict):
        named += [obj.get("id"), obj.get("inReplyTo"), obj.get("target")]
    named.append(activity.get("target"))
    for value in named:
        if isinstance(value, str) and value.startswith(ours):
            found = value.split("#", 1)[0]
            if len(found) <= URL_LENGTH:
                return found
    return ""


def fill_about(apps, schema_editor):
    OutgoingActivity = apps.get_model("federation", "OutgoingActivity")
    ours = settings.SITE_URL + "/"
    last = 0
    while True:
        rows = list(
            OutgoingActivity.objects.filter(pk__gt=last, about="")
            .order_by("pk")
            .only("pk", "payload")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1].pk
        changed = []
        for row in rows:
            row.about = about(row.payload, ours)
            if row.about:
                changed.append(row)
        OutgoingActivity.objects.bulk_update(changed, ["about"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("federation", "0027_received_about_again")]

    operations = [
        migrations.AddField(
            model_name="outgoingactivity",
            name="about",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddIndex(
            model_name="outgoingactivity",
            index=models.Index(fields=["about"], name="federation_outgoing_about"),
        ),
        migrations.RunPython(fill_about, migrations.RunPython.noop),
    ]
