"""insert_rows: many rows in one statement, Python values in, the same rows as the ORM's out."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from internationale.core.db import insert_one, insert_rows
from internationale.core.models import AuditEntry, SubmissionKey


def test_rows_are_written_as_the_orm_would_write_them(sam, owner_org):
    when = datetime.datetime(2026, 5, 1, 12, 30, tzinfo=datetime.UTC)
    data = {"appeal": 7, "names": ["Ana", "Sam"], "nested": {"ok": True}}

    given = insert_rows(
        AuditEntry,
        ("created_at", "actor", "system", "organization", "action", "summary", "data", "target_id"),
        [
            (when, sam.pk, "", owner_org.pk, "appeal.send", "São Paulo", data, "7"),
            (when, None, "escalation", None, "appeal.escalate", "twice the same data", data, ""),
        ],
    )

    assert given == 2
    rows = list(AuditEntry.objects.order_by("id"))
    assert [(r.created_at, r.actor, r.organization, r.action) for r in rows] == [
        (when, sam, owner_org, "appeal.send"),
        (when, None, None, "appeal.escalate"),
    ]
    assert rows[0].summary == "São Paulo"
    assert rows[0].data == rows[1].data == data


def _keys(user_id, *keys):  # type: ignore[no-untyped-def]
    now = datetime.datetime.now(tz=datetime.UTC)
    return [(now, user_id, "test.scope", key, "", "") for key in keys]


FIELDS = ("created_at", "user", "scope", "key", "object_id", "fingerprint")


def test_a_duplicate_fails_the_whole_insert(sam):
    insert_rows(SubmissionKey, FIELDS, _keys(sam.pk, "a"))

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(SubmissionKey, FIELDS, _keys(sam.pk, "b", "a", "c"))

    assert sorted(SubmissionKey.objects.values_list("key", flat=True)) == ["a"]


def test_conflicts_may_be_left_out_keeping_the_row_already_there(sam):
    SubmissionKey.objects.create(user=sam, scope="test.scope", key="a", object_id="first")

    insert_rows(SubmissionKey, FIELDS, _keys(sam.pk, "b", "a", "c"), on_conflict="ignore")

    assert dict(SubmissionKey.objects.values_list("key", "object_id")) == {
        "a": "first",
        "b": "",
        "c": "",
    }


def test_nothing_to_insert_asks_nothing_of_the_database(db):
    with CaptureQueriesContext(connection) as queries:
        assert insert_rows(SubmissionKey, FIELDS, []) == 0
    assert len(queries) == 0


def test_a_thousand_rows_are_one_statement(sam):
    keys = [str(n) for n in range(1000)]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(SubmissionKey, FIELDS, _keys(sam.pk, *keys))
    assert len(queries) == 1
    assert SubmissionKey.objects.count() == 1000


def test_one_row_is_written_as_save_would_write_it_and_gets_its_id(sam, owner_org):
    """insert_one: the row save(force_insert=True) writes (defaults, JSON, a foreign key, the
    time of `auto_now_add`), its id set on the object, in one statement."""
    data = {"names": ["Ana", "Sam"], "nested": {"ok": True}, "text": "São Paulo"}
    saved = AuditEntry(actor=sam, organization=owner_org, action="a", data=data)
    saved.save(force_insert=True)
    inserted = AuditEntry(actor=sam, organization=owner_org, action="a", data=data)
    with CaptureQueriesContext(connection) as queries:
        insert_one(inserted)
    assert len(queries) == 1
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding
    fields = [f.attname for f in AuditEntry._meta.concrete_fields if f.attname != "id"]
    rows = {
        row.pop("id"): row
        for row in AuditEntry.objects.filter(pk__in=[saved.pk, inserted.pk]).values(*fields, "id")
    }
    written, before = rows[inserted.pk].pop("created_at"), rows[saved.pk].pop("created_at")
    assert rows[inserted.pk] == rows[saved.pk]
    assert before <= written <= datetime.datetime.now(tz=datetime.UTC)
