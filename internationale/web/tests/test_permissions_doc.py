"""The permissions page (docs/permissions.md) names every rule registered with django-rules, and
its tables of rules name no rule that does not exist: an operator reading it learns every rule,
and none that is gone."""

import re
from pathlib import Path

from rules.permissions import permissions

import internationale

DOC = Path(internationale.__file__).resolve().parent.parent / "docs" / "permissions.md"
RULE = re.compile(r"`([a-z_]+\.[a-z_]+)`")


def _table_rules(text: str) -> set[str]:
    """The rules named in the first column of the tables of rules ("| `app.rule`, … | on | who |")."""
    return {
        name
        for line in text.splitlines()
        if line.startswith("| `")
        for name in RULE.findall(line.split("|")[1])
    }


def test_the_permissions_page_names_every_rule_registered_and_no_other():
    text = DOC.read_text()
    named = set(RULE.findall(text))
    assert sorted(name for name in permissions if name not in named) == []
    assert sorted(_table_rules(text) - set(permissions)) == []
