"""The aid declared and the pledges fulfilled received before migration 0019 get the address of
the appeal they are about, on databases where it was left empty.

The first version of 0019 read only the payloads: an `Add` of aid or an `Update` fulfilling a
pledge names the remote's own `Offer`, so those rows kept an empty `about`, and an erase of the
appeal did not find them (their amounts, references and evidence stayed until the 30-day prune).
0019 was then changed to read the appeal of the pledge or aid each was applied to (its result),
but a database that had run the first version does not run it again. This fills them, as 0019
does now (copied, not imported: a later change must not change what this migration does); a row
whose `about` is set is left alone, so running it again changes nothing."""

from django.conf import settings
from django.db import migrations

BATCH = 1000
ON = {"aid_declared": "aid.Contribution", "pledge_fulfilled": "appeals.Pledge"}


def fill_again(apps, schema_editor):
    ReceivedActivity = apps.get_model("federation", "ReceivedActivity")
    site = settings.SITE_URL
    left = ReceivedActivity.objects.filter(
        about="", outcome__in=list(ON), result_id__isnull=False
    )
    last = 0
    while True:
        rows = list(
            left.filter(pk__gt=last).order_by("pk").only("pk", "outcome", "result_id")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1].pk
        appeal_of = {
            outcome: dict(
                apps.get_model(label)
                .objects.filter(pk__in={r.result_id for r in rows if r.outcome == outcome})
                .values_list("pk", "appeal_id")
            )
            for outcome, label in ON.items()
        }
        changed = []
        for row in rows:
            appeal = appeal_of[row.outcome].get(row.result_id)
            if appeal is not None:
                row.about = f"{site}/appeals/{appeal}/"
                changed.append(row)
        ReceivedActivity.objects.bulk_update(changed, ["about"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0026_sent_activity"),
        ("aid", "0004_contribution_remote_activity_id"),
        ("appeals", "0013_pledge_remote_activity_id"),
    ]

    operations = [migrations.RunPython(fill_again, migrations.RunPython.noop)]
