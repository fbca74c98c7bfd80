"""Aid declared before the contribution kept the id of its `Add` (aid 0004): each unconfirmed
contribution to an appeal of another server gets the id its `Add` was recorded with (the same
every time it is made: answering.add_id), if that `Add` was recorded."""

import uuid

from django.conf import settings
from django.db import migrations
from django.urls import reverse


def add_ids(apps, schema_editor):
    Contribution = apps.get_model("aid", "Contribution")
    OutgoingActivity = apps.get_model("federation", "OutgoingActivity")
    waiting = Contribution.objects.filter(
        confirmed_at__isnull=True, remote_activity_id="", appeal__organization__remote_actor_url__gt=""
    ).values_list("pk", flat=True)
    for pk in waiting.iterator():
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/appeals/aid/{pk}#add")
        activity_id = settings.SITE_URL + reverse("federation_activity", args=[key])
        if OutgoingActivity.objects.filter(activity_id=activity_id, activity_type="Add").exists():
            Contribution.objects.filter(pk=pk).update(remote_activity_id=activity_id)


class Migration(migrations.Migration):

    dependencies = [
        ("aid", "0004_contribution_remote_activity_id"),
        ("federation", "0013_instance_key_retired_index"),
    ]

    operations = [migrations.RunPython(add_ids, migrations.RunPython.noop)]
