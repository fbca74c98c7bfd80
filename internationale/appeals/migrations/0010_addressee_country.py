# The organization's country kept on each addressee row (see addressing.models.AddresseeBase),
# filled from the organizations, and the indexes of the summary's counts and pages.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_countries(apps, schema_editor):
    Addressee = apps.get_model("appeals", "Addressee")
    Organization = apps.get_model("organizations", "Organization")
    # One statement, whatever the number of rows: each row's country read from its organization.
    Addressee.objects.update(
        country=Subquery(
            Organization.objects.filter(pk=OuterRef("organization_id")).values("country")[:1]
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ("appeals", "0009_latest_pledges_and_answers"),
        ("organizations", "0008_organization_language_upper_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="addressee",
            name="country",
            field=models.CharField(blank=True, default="", max_length=2),
        ),
        # Backwards, the column goes (RemoveField): nothing to undo here.
        migrations.RunPython(fill_countries, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="addressee",
            index=models.Index(fields=["appeal", "ring", "id"], name="appeals_addressee_ring"),
        ),
        migrations.AddIndex(
            model_name="addressee",
            index=models.Index(
                fields=["appeal", "country", "ring", "id"], name="appeals_addressee_country"
            ),
        ),
    ]
