"""Permissions on the library, declared once. Checked inside services; asked by pages and the API
only to choose what to show. Each part of the app adds its rules in its own section below.

Reading a document is the shared audience's rule (core/visibility.py): documents have no read
rule of their own."""

import rules  # noqa: F401

from internationale.core import predicates  # noqa: F401

# Documents ---------------------------------------------------------------------------------------

# Search ------------------------------------------------------------------------------------------
