import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_merge_audit_target_and_heartbeat"),
    ]

    operations = [
        migrations.CreateModel(
            name="Notice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("kind", models.CharField(max_length=40)),
                ("source_id", models.PositiveBigIntegerField()),
                ("params", models.JSONField(blank=True, default=dict)),
                ("summary", models.TextField(blank=True)),
                ("organization_ids", models.JSONField(default=list)),
                ("urgency", models.PositiveSmallIntegerField(choices=[(0, "Routine"), (1, "Urgent"), (2, "Emergency")], default=0)),
                ("deadline", models.DateTimeField(blank=True, null=True)),
                ("dispatched_at", models.DateTimeField(blank=True, null=True)),
                ("source_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype")),
            ],
            options={
                "indexes": [models.Index(condition=models.Q(("dispatched_at__isnull", True)), fields=["created_at"], name="notice_undispatched")],
            },
        ),
    ]
