"""Remote pledges received before the pledge kept the id of its `Offer` (appeals 0013): each gets
it from its received activity (outcome `pledged`), while that is not pruned yet, so that its
`Add`, `Update` and `Undo` still find it."""

from django.db import migrations


def offer_ids(apps, schema_editor):
    Pledge = apps.get_model("appeals", "Pledge")
    ReceivedActivity = apps.get_model("federation", "ReceivedActivity")
    received = ReceivedActivity.objects.filter(outcome="pledged", result_id__isnull=False)
    for activity_id, pk in received.values_list("activity_id", "result_id").iterator():
        Pledge.objects.filter(pk=pk, remote_activity_id="").update(remote_activity_id=activity_id)


class Migration(migrations.Migration):

    dependencies = [
        ("appeals", "0013_pledge_remote_activity_id"),
        ("federation", "0016_vouch_activity_ids"),
    ]

    operations = [migrations.RunPython(offer_ids, migrations.RunPython.noop)]
