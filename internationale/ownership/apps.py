from django.apps import AppConfig
from django.db.models.signals import post_delete


class OwnershipConfig(AppConfig):
    name = "internationale.ownership"
    label = "ownership"

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from internationale.core.history import register_prunable
        from internationale.core.owned import Owned, declare_not_owned, declare_owned

        # Registers the audit kinds and how the notice of an export is worded.
        from . import audit_kinds, notices, owned, rules  # noqa: F401
        from .models import Export
        from .services import delete_file, expired_exports

        declare_not_owned("ownership.Export", gettext_noop("the server's record of an export"))
        declare_owned(
            Owned(
                model="ownership.PendingRelation",
                key="ownership.pending_relation",
                owners=("organization",),
                confidential=True,
            )
        )
        # Exports go 24 hours after they are made (retention: their own expiry), files with them.
        register_prunable("exports", rows=expired_exports, retention_setting=None)
        post_delete.connect(
            lambda sender, instance, **kwargs: delete_file(instance),
            sender=Export,
            weak=False,
            dispatch_uid="ownership.delete_export_file",
        )
