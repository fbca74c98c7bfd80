from django.db import migrations
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def count(apps, schema_editor):
    """Each person's count of unread notices (accounts' 0006), from the entries already there."""
    User = apps.get_model("accounts", "User")
    PersonalEntry = apps.get_model("notifications", "PersonalEntry")
    unread = (
        PersonalEntry.objects.filter(person=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    people = PersonalEntry.objects.filter(read_at__isnull=True).values("person")
    User.objects.filter(pk__in=people).update(unread_notices=Coalesce(Subquery(unread), Value(0)))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_user_unread_notices"),
        ("notifications", "0014_personal_entry"),
    ]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
