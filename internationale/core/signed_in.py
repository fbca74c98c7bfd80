"""The signed-in floor: what every request of a signed-in person reads before its page does
anything, in two queries written out rather than three built by the ORM.

Django reads the session (one query), then the person (one more), and the platform their
memberships with their organizations' verification and country (`Person._memberships`: one
more). Building those three queries cost about two thirds of the CPU of a signed-in request that
does nothing else (bench/README.md, *The signed-in floor*). Here:

- `SessionStore` (SESSION_ENGINE) reads the session's row by a query written out: Django's own
  table and rows, only the read differs;
- `AuthenticationMiddleware` reads the person and their memberships in one query (a join),
  for the sessions of Django's model backend (and allauth's, which is one), and hands the
  memberships to the first `Person` made from that user (the request's actor): every later
  `Person`, and a `Person` after `forget()`, reads them again, as before.

Nothing is kept between requests: a signed-out session, a deactivated person, a removed member
or a changed role counts from the next request, in every process.
"""

import functools
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.db.models.expressions import Col
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from .actors import MEMBERSHIPS_READ


class SessionStore(db.SessionStore):
    """Django's database sessions, the row read by one query written out."""

    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if key is None:
            return None
        connection = connections[router.db_for_read(self.model)]
        table = connection.ops.quote_name(self.model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                # The table's name is the model's; every value is a parameter.
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608
                [key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=key, session_data=row[0])


@functools.cache
def _user_and_memberships_sql() -> tuple[Any, str, str, list[tuple[Any, list[Any]]]]:
    """The person's model, the database's alias, the query of their row with their memberships,
    and for each of the person's columns its field and the database's converters (the same for
    the whole process: the models' tables and columns)."""
    user_model = auth.get_user_model()
    membership = apps.get_model("organizations", "Membership")
    organization = membership._meta.get_field("organization").related_model
    alias = router.db_for_read(user_model)
    connection = connections[alias]
    q = connection.ops.quote_name
    fields = list(user_model._meta.concrete_fields)
    columns = ", ".join(f"u.{q(str(field.column))}" for field in fields)
    sql = (
        f"SELECT {columns}, m.{q('organization_id')}, m.{q('role')},"  # noqa: S608
        f" o.{q('verified_at')}, o.{q('country')}"
        f" FROM {q(user_model._meta.db_table)} u"
        f" LEFT JOIN {q(membership._meta.db_table)} m ON m.{q('user_id')} = u.{q('id')}"
        f" LEFT JOIN {q(organization._meta.db_table)} o ON o.{q('id')} = m.{q('organization_id')}"
        f" WHERE u.{q('id')} = %s"
        f" ORDER BY m.{q('created_at')}, m.{q('id')}"
    )
    # What the ORM applies to each value it reads (SQLite's times are text, for one).
    converters = []
    for field in fields:
        column = Col(user_model._meta.db_table, field)
        converters.append((column, column.get_db_converters(connection)))
    return user_model, alias, sql, converters


def user_with_memberships(user_id: Any) -> Any:
    """The user of this id with their memberships (`MEMBERSHIPS_READ`), in one query; None if
    there is no such user. Read by a cursor, and the user made once from the first row with the
    ORM's own converters (`Model.from_db`): a raw queryset made one per membership, and most of
    the floor's CPU went to describing its columns (bench/README.md, *The signed-in floor*)."""
    user_model, alias, sql, converters = _user_and_memberships_sql()
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    count = len(converters)
    values = list(rows[0][:count])
    for n, (column, functions) in enumerate(converters):
        for convert in functions:
            values[n] = convert(values[n], column, connection)
    user = user_model.from_db(alias, None, values)
    memberships: list[tuple[int, str, bool, str]] = [
        (organization, role, verified is not None, str(country or ""))
        for organization, role, verified, country in (row[count:] for row in rows)
        if organization is not None
    ]
    setattr(user, MEMBERSHIPS_READ, memberships)
    return user


def signed_in_user(request: HttpRequest) -> Any:
    """Django's `auth.get_user`, the same checks in the same order (the backend still allowed,
    the session's hash of the password, its fallbacks), with the user read by
    `user_with_memberships` when the session's backend is a model backend."""
    session = request.session  # type: ignore[attr-defined]
    try:
        user_id = auth.get_user_model()._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    backend = load_backend(backend_path)
    if not isinstance(backend, ModelBackend) or type(backend).get_user is not ModelBackend.get_user:
        # A backend that finds its users another way: Django's own path.
        return auth.get_user(request)
    user = user_with_memberships(user_id)
    if user is None or not backend.user_can_authenticate(user):
        return AnonymousUser()
    session_hash = session.get(HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return user
    if session_hash and any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        session.cycle_key()
        session[HASH_SESSION_KEY] = session_auth_hash
        return user
    session.flush()
    return AnonymousUser()


def _cached_user(request: HttpRequest) -> Any:
    # The attribute Django's own middleware keeps the user in, so that its helpers agree.
    if not hasattr(request, "_cached_user"):
        request._cached_user = signed_in_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's, with the person and their memberships read in one query (`signed_in_user`)."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))  # type: ignore[assignment]
