"""What organizations own is declared for every model of the platform (core/owned.py): each is
either owned (and then its declaration reads) or listed as owned by no organization, with a
reason. A new app's models fail here until it declares them."""

import pytest
from django.apps import apps
from django.db import models

from internationale.core.owned import Personal, not_owned, owned


def platform_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("internationale.")]


def test_every_model_of_the_platform_is_declared_owned_or_not_owned():
    declared = {d.model_class._meta.label for d in owned()}
    unowned = set(not_owned())
    missing = [
        m._meta.label
        for m in platform_models()
        if m._meta.label not in declared and m._meta.label not in unowned
    ]
    assert missing == [], f"declare these in <app>/owned.py: {missing}"
    assert declared & unowned == set()
    assert unowned <= {m._meta.label for m in platform_models()}, "an unknown model is listed"


def test_each_archive_key_is_its_apps_and_unique():
    keys = [d.key for d in owned()]
    assert len(keys) == len(set(keys))
    for d in owned():
        assert d.key.split(".")[0] == d.model_class._meta.app_label


def test_owned_models_come_after_what_their_required_keys_point_to():
    order = [d.model_class._meta.label for d in owned()]
    assert order[:2] == ["accounts.User", "organizations.Organization"]
    for d in owned():
        for f in d.model_class._meta.concrete_fields:
            target = f.related_model
            if f.is_relation and not f.null and target is not None:
                label = target._meta.label
                if label in order and label != d.model_class._meta.label:
                    assert order.index(label) < order.index(d.model_class._meta.label), d.key


@pytest.mark.django_db
def test_every_declaration_names_fields_and_paths_that_exist():
    for d in owned():
        model = d.model_class
        fields = [f.name for f in d.exported_fields()]
        for name in d.files:
            assert isinstance(model._meta.get_field(name), models.FileField), (d.key, name)
            assert name in fields, (d.key, name)
        for name, kind in d.personal.items():
            assert name in fields and isinstance(kind, Personal), (d.key, name)
            # A signer's data goes to whom the signer consented to: the declaration says how.
            signer = kind in (Personal.SIGNER, Personal.SIGNER_EMAIL)
            assert not signer or d.consent is not None, (d.key, name)
        if d.owners:
            # Each path leads to an organization: the query runs.
            list(model.objects.filter(d.owned_by(1)).values("pk")[:1])
        if d.consent is not None:
            # The consent rows, the organization they name, when one holds, when a row counts.
            list(model.objects.filter(d.consented_to(1)).values("pk")[:1])
            list(d.consent_rows(1).filter(d.consent.active).values("pk")[:1])
        for name in d.fresh:
            assert name not in fields and model._meta.get_field(name).concrete, (d.key, name)
        if d.keep_if is not None:
            list(model.objects.filter(d.keep_if).values("pk")[:1])
        if d.private is not None:
            for name in (*d.private.fields, d.private.amount, d.private.currency, d.private.per):
                model._meta.get_field(name)


def test_what_an_erase_removes_covers_the_members_list_inbox_and_appeals():
    confidential = {d.key for d in owned() if d.confidential}
    assert {"organizations.membership", "notifications.inbox_entry", "appeals.appeal"} <= (
        confidential
    )
    assert "organizations.organization" not in confidential
