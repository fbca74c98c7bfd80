from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


class AddressingConfig(AppConfig):
    name = "internationale.addressing"
    label = "addressing"

    def ready(self) -> None:
        from internationale.organizations.models import Organization

        from .preview import connect

        # Every write to what routing reads moves the version its previews are kept by.
        connect()
        # The addressee rows keep their organization's country: they follow it when it changes.
        post_save.connect(
            _organization_saved, sender=Organization, dispatch_uid="addressees_country"
        )


def _organization_saved(
    instance: Any, created: bool, update_fields: frozenset[str] | None, **kwargs: Any
) -> None:
    if (
        kwargs.get("raw")
        or created
        or (update_fields is not None and "country" not in update_fields)
    ):
        return  # a new organization was addressed nothing; a save without the country kept it
    from .services import addressees_country_follow

    addressees_country_follow(instance)
