"""Permissions on translation, declared once. Checked inside services; asked by pages and the API
only to choose what to show. Each part of the app adds its rules in its own section below.

Reading a language version is reading its original: versions have no rule of their own."""

import rules  # noqa: F401

from internationale.core import predicates  # noqa: F401

# Machine translation (operators) ------------------------------------------------------------------

# Which translation models are installed and how much they translated; installing and removing
# them (on the command line, which acts as the server itself).
rules.add_perm("translation.view_models", predicates.is_server_operator)
rules.add_perm("translation.manage_models", predicates.is_server_operator)

# People who translate -----------------------------------------------------------------------------
