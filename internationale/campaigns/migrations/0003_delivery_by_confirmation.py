"""Deliveries follow the moment signatures were confirmed, not their ids: a signature confirmed
after later ones was passed over by a mark on ids. Each target's mark becomes the moment up to
which its signatures were sent (the latest confirmation among those it was sent), and each
delivery records the moments it covers."""

from django.db import migrations, models
from django.db.models import Max


def marks_from_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    Target = apps.get_model("campaigns", "Target")
    Signature = apps.get_model("campaigns", "Signature")
    Delivery = apps.get_model("campaigns", "Delivery")
    for target in Target.objects.filter(delivered_up_to__gt=0):
        target.delivered_until = Signature.objects.filter(
            campaign_id=target.campaign_id, pk__lte=target.delivered_up_to
        ).aggregate(latest=Max("confirmed_at"))["latest"]
        target.save(update_fields=["delivered_until"])
    for delivery in Delivery.objects.all():
        delivery.confirmed_until = (
            Signature.objects.filter(campaign_id=delivery.campaign_id, pk__lte=delivery.up_to_id)
            .aggregate(latest=Max("confirmed_at"))["latest"]
            or delivery.created_at
        )
        delivery.save(update_fields=["confirmed_until"])


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_screening_delivery_outcome")]

    operations = [
        migrations.AddField(
            model_name="target",
            name="delivered_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="delivery",
            name="confirmed_after",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="delivery",
            name="confirmed_until",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(marks_from_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="delivery",
            name="confirmed_until",
            field=models.DateTimeField(),
        ),
        migrations.RemoveField(model_name="target", name="delivered_up_to"),
        migrations.RemoveField(model_name="delivery", name="from_id"),
        migrations.RemoveField(model_name="delivery", name="up_to_id"),
    ]
