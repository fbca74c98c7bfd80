"""Permissions on the library, declared once. Checked inside services; asked by pages and the API
only to choose what to show. Each part of the app adds its rules in its own section below.

Reading a document is the shared audience's rule (core/visibility.py): documents have no read
rule of their own."""

import rules  # noqa: F401

from internationale.core import predicates  # noqa: F401

# Documents ---------------------------------------------------------------------------------------
# Adding a document: those who speak (admin, secretary) for a verified organization, in its name;
# the object is the organization. Changing, deleting, addressing, its files and tags: those who
# speak for its author organization. Members and observers read. Choosing one's weekly digest:
# anyone signed in.
from internationale.core.actors import Actor  # noqa: E402
from internationale.core.predicates import (  # noqa: E402
    SPEAKING_ROLES,
    org_is_verified,
    role_in,
    speaks_for_org,
)
from internationale.core.services import needs_verified_organization  # noqa: E402


@rules.predicate
def speaks_for_author(user: Actor, document: object) -> bool:
    return (
        document is not None
        and role_in(user, getattr(document, "organization_id", None)) in SPEAKING_ROLES
    )


rules.add_perm("library.add_document", speaks_for_org & org_is_verified)
needs_verified_organization("library.add_document", object_acts=True)
rules.add_perm("library.change_document", speaks_for_author)
rules.add_perm("library.choose_digest", rules.is_authenticated)

# Search ------------------------------------------------------------------------------------------
