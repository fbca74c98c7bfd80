"""The table of the shared cache (settings CACHES["default"]: Django's database cache), so that
`migrate` alone prepares a server: every web process sees the same sign-in counters."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_notice_sender")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
