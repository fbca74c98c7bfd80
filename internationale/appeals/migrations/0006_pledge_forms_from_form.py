"""Each pledge's one form becomes its one PledgeSupport row; backwards, a pledge keeps its first
form (in the order propaganda, sympathy, material aid). Its own migration: on PostgreSQL, rows
written here must be committed before the next migration alters the pledge table."""

from django.db import migrations

ORDER = ("propaganda", "sympathy", "material_aid")
BATCH = 1000


def forms_from_form(apps, schema_editor):  # type: ignore[no-untyped-def]
    Pledge = apps.get_model("appeals", "Pledge")
    PledgeSupport = apps.get_model("appeals", "PledgeSupport")
    rows = Pledge.objects.filter(form__in=ORDER).values_list("pk", "form").order_by("pk")
    batch = []
    for pk, form in rows.iterator(chunk_size=BATCH):
        batch.append(PledgeSupport(pledge_id=pk, form=form))
        if len(batch) == BATCH:
            PledgeSupport.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    PledgeSupport.objects.bulk_create(batch, ignore_conflicts=True)


def form_from_forms(apps, schema_editor):  # type: ignore[no-untyped-def]
    Pledge = apps.get_model("appeals", "Pledge")
    PledgeSupport = apps.get_model("appeals", "PledgeSupport")
    for form in reversed(ORDER):  # the first form in ORDER is written last, and stays
        pledges = PledgeSupport.objects.filter(form=form).values("pledge_id")
        Pledge.objects.filter(pk__in=pledges).update(form=form)
    PledgeSupport.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('appeals', '0005_pledge_supports'),
    ]

    operations = [
        migrations.RunPython(forms_from_form, form_from_forms),
    ]
