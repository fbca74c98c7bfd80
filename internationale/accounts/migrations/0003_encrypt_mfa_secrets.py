"""Encrypt the second-factor secrets stored in clear before MFAAdapter encrypted them."""

from django.db import migrations


def encrypt_clear_secrets(apps, schema_editor):  # type: ignore[no-untyped-def]
    from internationale.accounts.adapter import encrypt_secret, is_encrypted

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = dict(authenticator.data)
        for field in ("secret", "seed"):
            if isinstance(data.get(field), str) and not is_encrypted(data[field]):
                data[field] = encrypt_secret(data[field])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [
                code if is_encrypted(code) else encrypt_secret(code)
                for code in data["migrated_codes"]
            ]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_clear_secrets, migrations.RunPython.noop)]
