"""What an organization owns: one declaration per model, from which its export, its move to another
server and its emergency erase are derived.

Each app declares its models in `<app>/owned.py`, imported from its AppConfig.ready():

    declare_owned(Owned(
        model="appeals.Pledge",
        key="appeals.pledge",
        owners=("organization", "appeal__organization"),
        files=("evidence_file",),
        private=Private(of="organization", unless="public", fields=(...), amount="amount",
                        currency="currency", per="appeal"),
        confidential=True,
    ))

and every model no organization owns (the server's own records, a person's settings, secrets of
this server) is listed once with `declare_not_owned(model, reason)`: a test checks that each
model of the platform is one or the other, so a new app cannot be forgotten.

- `owners`: ORM paths from the model to an Organization (`""` for Organization itself). A row is
  the organization's when any path leads to it: an appeal's pledges are exported by the appeal's
  issuer and by the pledger. The first path names the organization that made the row.
- `generic`: for rows that hang off any content (language versions), the names of the content
  type and object id fields: such a row goes wherever its content goes.
- `fields`: the fields exported (default: every concrete field but the primary key, unless it is a
  key to another row); `files`: the FileFields whose files go into the archive.
- `personal`: fields holding people's personal data, with their kind: `EMAIL` (exported only when
  the admin confirms that e-mail addresses are included), `SIGNER` (a signer's data, exported only
  to an organization they consented to, as `consent` declares), `SIGNER_EMAIL` (a signer's
  address: both, to an organization they consented to and when its admin confirms that e-mail
  addresses are included; a row that comes without it is left out by the import, as one without
  its signer is).
- `consent` (`Consented`): the organizations the people of a row consented to, recorded as rows
  of a consent model, one per organization (a signature's consents to each sponsor), or the row
  itself when it is a consent. An organization's archive holds, besides the rows it owns, the
  rows whose people gave it a consent that holds (`active`, on the consent row) and that count
  (`valid`, on the row: a confirmed signature), with their `SIGNER` fields; only those rows show
  those fields, in its own rows too. An emergency erase of the organization removes the
  consent rows given to it (they are its list of people who agreed to be contacted by it), and
  nothing else of the rows they were given on.
- `fresh`: fields that are not exported (this server's secrets) and that a row needs: on import,
  each is given the value its function returns (a signature's token hash that no link names).
  A row whose `SIGNER` fields all came empty (a signer who did not consent to the organization)
  is left out by the import: the new server cannot hold it without its person.
- `private`: amounts and details that only their author may read (`Private`): for rows made by
  another organization and not opened (`unless`), they are left out and only their totals per
  currency are exported, per the object at `per`.
- `confidential`: what an emergency erase removes: every row, or, with `keep_if`, every row but
  those matching it (public ones); `confidential_fields` are blanked (and their files removed)
  in rows that are kept. A row another organization owns too (through another of `owners`)
  stays, unless `erased_by_either` (advice exchanged: either side's erase removes it).

An archive is not signed: whoever hands it over can edit it and make its checksums again. So the
import trusts it for what the organization itself did, never for what others did:

- `checks`: for each file of `files`, the check its upload goes through (a function taking the
  file and returning the file to store, or raising ValidationError): the import stores only
  what it returns, under the field's folder, and refuses the archive on an error.
- `agreed` (`Agreed`): a row by which another organization agreed to something (accepted a
  co-sponsorship, approved minutes, signed): recreated as asked and not yet answered, or left
  out where there is no such state, so that it agrees again on this server.
- `verified_only`: rows that only a verified organization may have (a launched campaign): an
  archive holding one is refused unless the operator imports it with `--verified`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q


class Personal(StrEnum):
    EMAIL = "email"
    SIGNER = "signer"
    SIGNER_EMAIL = "signer_email"


@dataclass(frozen=True)
class Private:
    """Fields only the organization at `of` (and, when `unless` is true, everyone) may read."""

    of: str
    fields: tuple[str, ...]
    amount: str
    currency: str
    per: str
    unless: str | None = None


@dataclass(frozen=True)
class Consented:
    """Who the people of a row consented to (see the module's text). `rows` is the relation from
    the model to its consent rows (`"consents"`), or `""` when each row is a consent; `to` the
    consent row's key to the organization consented to."""

    rows: str = ""
    to: str = "organization"
    active: Q = field(default_factory=Q)
    valid: Q = field(default_factory=Q)

    def consent_model(self, model: type[models.Model]) -> type[models.Model]:
        if not self.rows:
            return model
        return model._meta.get_field(self.rows).related_model  # type: ignore[return-value]

    def backlink(self, model: type[models.Model]) -> str:
        """The consent row's key to the row it was given on (`pk` when it is the row)."""
        if not self.rows:
            return "pk"
        relation = model._meta.get_field(self.rows)
        return relation.field.attname  # type: ignore[union-attr]


@dataclass(frozen=True)
class Agreed:
    """A row in which the organization at `by` agreed to something (see the module's text). It
    says so when its `status` has one of `values` (any value but an empty one when `values` is
    empty), or always without a `status`. On import, such a row of another organization is given
    the values of `asked` (a co-sponsorship invited again), or left out when `asked` is empty."""

    by: str = "organization"
    status: str = ""
    values: tuple[str, ...] = ()
    asked: dict[str, Any] = field(default_factory=dict)

    def says_agreed(self, row: dict[str, Any]) -> bool:
        if not self.status:
            return True
        value = row.get(self.status)
        return value in self.values if self.values else bool(value)


@dataclass(frozen=True)
class Owned:
    model: str
    key: str
    owners: tuple[str, ...] = ()
    generic: tuple[str, str] | None = None
    fields: tuple[str, ...] | None = None
    files: tuple[str, ...] = ()
    personal: dict[str, Personal] = field(default_factory=dict)
    consent: Consented | None = None
    fresh: dict[str, Callable[[], Any]] = field(default_factory=dict)
    private: Private | None = None
    confidential: bool = False
    erased_by_either: bool = False
    keep_if: Q | None = None
    confidential_fields: tuple[str, ...] = ()
    checks: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    agreed: Agreed | None = None
    verified_only: Q | None = None

    def __post_init__(self) -> None:
        if bool(self.owners) == bool(self.generic):
            raise ValueError(f"{self.key}: declare either owners or generic")
        if set(self.files) != set(self.checks):
            raise ValueError(f"{self.key}: declare the upload check of each file, and only those")

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def exported_fields(self) -> list[models.Field]:
        model = self.model_class
        if self.fields is None:
            # A primary key that is a key to another row (a campaign's count) is its reference.
            return [f for f in model._meta.concrete_fields if not f.primary_key or f.is_relation]
        return [model._meta.get_field(name) for name in self.fields]  # type: ignore[misc]

    def owned_by(self, organization_id: int) -> Q:
        """The rows of this model the organization owns (for `owners` declarations)."""
        q = Q(pk__in=[])
        for path in self.owners:
            q |= Q(pk=organization_id) if path == "" else Q(**{f"{path}": organization_id})
        return q

    def consent_rows(self, organization_id: int) -> models.QuerySet:
        """The consent rows given to the organization (withdrawn ones too), for `consent`
        declarations."""
        assert self.consent is not None
        model = self.consent.consent_model(self.model_class)
        return model._base_manager.filter(**{self.consent.to: organization_id})

    def consented_to(self, organization_id: int) -> Q:
        """The rows of this model whose people gave the organization a consent that holds, and
        that count: none without a `consent` declaration."""
        if self.consent is None:
            return Q(pk__in=[])
        given = self.consent_rows(organization_id).filter(self.consent.active)
        backlink = self.consent.backlink(self.model_class)
        return Q(pk__in=given.values(backlink)) & self.consent.valid


_owned: dict[str, Owned] = {}
_not_owned: dict[str, str] = {}


def declare_owned(declaration: Owned) -> None:
    """Declares a model an organization owns (from the app's AppConfig.ready())."""
    known = _owned.get(declaration.key)
    if known is not None and known != declaration:
        raise ValueError(f"{declaration.key} is declared twice")
    _owned[declaration.key] = declaration


def declare_not_owned(model: str, reason: str) -> None:
    """Declares a model no organization owns, with the reason (the server's own records, a
    person's settings, this server's secrets)."""
    _not_owned[model] = reason


def not_owned() -> dict[str, str]:
    return dict(_not_owned)


def owned_declaration(key: str) -> Owned:
    return _owned[key]


def owned() -> list[Owned]:
    """Every declaration, in dependency order: a model comes after those its required foreign
    keys point to (a nullable one may point later: the import sets it in a second pass). Of
    models that do not depend on each other, the order of declaration is kept."""
    by_label = {d.model_class._meta.label: d for d in _owned.values()}
    pending = list(_owned.values())
    done: set[str] = set()
    ordered: list[Owned] = []
    while pending:
        for declaration in pending:
            if all(label in done for label in _required(declaration, by_label)):
                break
        else:
            cycle = ", ".join(d.key for d in pending)
            raise ValueError(f"owned models depend on each other through required keys: {cycle}")
        pending.remove(declaration)
        done.add(declaration.model_class._meta.label)
        ordered.append(declaration)
    return ordered


def _required(declaration: Owned, by_label: dict[str, Owned]) -> Iterator[str]:
    own = declaration.model_class._meta.label
    for f in declaration.model_class._meta.concrete_fields:
        if f.is_relation and not f.null and f.related_model is not None:
            label = f.related_model._meta.label  # type: ignore[union-attr]
            if label in by_label and label != own:
                yield label
