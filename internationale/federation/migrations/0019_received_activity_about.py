"""Each received activity records the address of this server's content it is about
(`ReceivedActivity.about`, indexed), so that an erase finds them by a query instead of reading
every payload. The rows received before are filled in from their payloads, in batches.

What an activity is about is read here as documents.about read it when this migration was
written (copied, not imported: a later change of that function must not change what this
migration does), on this server's SITE_URL: rows received at another address of the server
are not found. An `Add` of aid or an `Update` fulfilling a pledge names the remote's own `Offer`:
it is about the appeal of the pledge it was applied to (acting.py), read from its result."""

from django.conf import settings
from django.db import migrations, models

BATCH = 1000
# The outcomes whose result is a contribution or a pledge (acting.ABOUT_THE_APPEAL, then).
ON_A_CONTRIBUTION = "aid_declared"
ON_A_PLEDGE = "pledge_fulfilled"


def about(activity, ours):
    if not isinstance(activity, dict):
        return ""
    obj = activity.get("object")
    named = [activity.get("target"), obj]
    if activity.get("type") == "Announce":
        named.reverse()
    if isinstance(obj, dict):
        named += [obj.get("id"), obj.get("target"), obj.get("inReplyTo")]
    for value in named:
        if isinstance(value, str) and value.startswith(ours) and len(value) <= 500:
            return value.split("#", 1)[0]
    return ""


def _appeals(apps, label, pks):
    model = apps.get_model(label)
    return dict(model.objects.filter(pk__in=pks).values_list("pk", "appeal_id"))


def fill_about(apps, schema_editor):
    ReceivedActivity = apps.get_model("federation", "ReceivedActivity")
    site = settings.SITE_URL
    ours = site + "/"
    last = 0
    while True:
        rows = list(
            ReceivedActivity.objects.filter(pk__gt=last, about="")
            .order_by("pk")
            .only("pk", "payload", "outcome", "result_id")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1].pk
        results = {ON_A_CONTRIBUTION: set(), ON_A_PLEDGE: set()}
        for row in rows:
            if row.outcome in results and row.result_id is not None:
                results[row.outcome].add(row.result_id)
        appeal_of = {
            ON_A_CONTRIBUTION: _appeals(apps, "aid.Contribution", results[ON_A_CONTRIBUTION]),
            ON_A_PLEDGE: _appeals(apps, "appeals.Pledge", results[ON_A_PLEDGE]),
        }
        changed = []
        for row in rows:
            row.about = about(row.payload, ours)
            appeal = appeal_of.get(row.outcome, {}).get(row.result_id)
            if not row.about and appeal is not None:
                row.about = f"{site}/appeals/{appeal}/"
            if row.about:
                changed.append(row)
        ReceivedActivity.objects.bulk_update(changed, ["about"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0018_erased_actor"),
        ("organizations", "0012_vouch_remote_activity_id"),
        ("aid", "0004_contribution_remote_activity_id"),
        ("appeals", "0013_pledge_remote_activity_id"),
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
