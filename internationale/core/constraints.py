"""What a client is told when a write breaks a database constraint: the constraint's own sentence
(every constraint of the platform has a `violation_error_message`), on the field it concerns when
there is one, and never the constraint's name, which means nothing outside the code."""

from functools import cache

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import BaseConstraint, CheckConstraint, F, Q, UniqueConstraint
from django.utils.translation import gettext as _


def _names_in(node: object) -> set[str]:
    """The fields a constraint's condition speaks of: amount__gt=0 → amount; ~Q(a=F("b")) → a, b."""
    if isinstance(node, Q):
        return set().union(*(_names_in(child) for child in node.children))
    if isinstance(node, tuple):
        lookup, value = node
        return {lookup.split("__")[0]} | _names_in(value)
    if isinstance(node, F):
        return {str(node.name).split("__")[0]}  # type: ignore[attr-defined]
    return set()


def constraint_fields(constraint: BaseConstraint) -> set[str]:
    if isinstance(constraint, UniqueConstraint):
        return set(constraint.fields)
    if isinstance(constraint, CheckConstraint):
        return _names_in(constraint.condition)
    return set()


@cache
def platform_constraints() -> dict[str, BaseConstraint]:
    """Every constraint of the platform's models, by name."""
    return {
        constraint.name: constraint
        for model in apps.get_models()
        if model.__module__.startswith("internationale.")
        for constraint in model._meta.constraints
    }


def _sqlite_unique_columns() -> dict[str, BaseConstraint]:
    # SQLite names the columns of a broken unique constraint, not the constraint.
    found: dict[str, BaseConstraint] = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.fields:
                columns = (model._meta.get_field(f).column for f in constraint.fields)  # type: ignore[union-attr]
                key = ", ".join(f"{model._meta.db_table}.{column}" for column in columns)
                found.setdefault(key, constraint)
    return found


def _message(constraint: BaseConstraint | None) -> dict[str, list[str]]:
    if constraint is None or constraint.violation_error_message in (
        None,
        BaseConstraint.default_violation_error_message,
    ):
        return {NON_FIELD_ERRORS: [_("This conflicts with something that already exists.")]}
    fields = constraint_fields(constraint)
    field = fields.pop() if len(fields) == 1 else NON_FIELD_ERRORS
    return {field: [str(constraint.violation_error_message)]}


def integrity_errors(exc: IntegrityError) -> dict[str, list[str]]:
    """The messages for a write the database refused, by field."""
    text = str(exc)
    by_name = platform_constraints()
    # Longest first: "unique_presence_without_site" before "unique_presence".
    for name in sorted(by_name, key=len, reverse=True):
        if f'"{name}"' in text or text.endswith(f": {name}") or f" {name} " in text:
            return _message(by_name[name])
    for columns, constraint in _sqlite_unique_columns().items():
        if text.endswith(f": {columns}"):
            return _message(constraint)
    return _message(None)


def without_constraint_names(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A ValidationError's messages by field, where Django's default "Constraint “name” is
    violated." (of a constraint without a message of its own) is replaced by a plain sentence."""
    default = str(BaseConstraint.default_violation_error_message)
    general = _("This conflicts with something that already exists.")
    errors = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    return {
        field: [
            general if str(error.message) == default else str(message)
            for error in DjangoValidationError(field_errors).error_list
            for message in error
        ]
        for field, field_errors in errors.items()
    }
