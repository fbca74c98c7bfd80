"""Each update of an appeal has a language: the appeal's, for every update already posted."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def from_appeal(apps, schema_editor):  # type: ignore[no-untyped-def]
    AppealUpdate = apps.get_model("appeals", "AppealUpdate")
    Appeal = apps.get_model("appeals", "Appeal")
    # One statement for every update, whatever their number.
    AppealUpdate.objects.update(
        language=Subquery(Appeal.objects.filter(pk=OuterRef("appeal_id")).values("language")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("appeals", "0010_addressee_country")]

    operations = [
        migrations.AddField(
            model_name="appealupdate",
            name="language",
            field=models.CharField(
                default="", help_text="A BCP 47 tag.", max_length=35, verbose_name="language"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(from_appeal, migrations.RunPython.noop),
    ]
