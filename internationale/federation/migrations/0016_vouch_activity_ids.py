"""Remote vouches received before the vouch kept the id of its `Vouch` (organizations 0012): each
gets it from its received activity (outcome `vouched`), while that is not pruned yet, so that its
`Undo` still finds it."""

from django.db import migrations


def vouch_ids(apps, schema_editor):
    Vouch = apps.get_model("organizations", "Vouch")
    ReceivedActivity = apps.get_model("federation", "ReceivedActivity")
    received = ReceivedActivity.objects.filter(outcome="vouched", result_id__isnull=False)
    for activity_id, pk in received.values_list("activity_id", "result_id").iterator():
        Vouch.objects.filter(pk=pk, remote_activity_id="").update(remote_activity_id=activity_id)


class Migration(migrations.Migration):

    dependencies = [
        ("organizations", "0012_vouch_remote_activity_id"),
        ("federation", "0015_move_again"),
    ]

    operations = [migrations.RunPython(vouch_ids, migrations.RunPython.noop)]
