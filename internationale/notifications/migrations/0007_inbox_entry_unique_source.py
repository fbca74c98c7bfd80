"""The string keys and title formats go (see 0006); an entry is unique per organization, source
and kind."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0006_inbox_entry_sources"),
    ]

    operations = [
        migrations.RemoveField(model_name="inboxentry", name="key"),
        migrations.RemoveField(model_name="inboxentry", name="title_format"),
        migrations.AddConstraint(
            model_name="inboxentry",
            constraint=models.UniqueConstraint(
                fields=("organization", "source_type", "source_id", "kind"),
                name="unique_inbox_entry_source",
            ),
        ),
    ]
