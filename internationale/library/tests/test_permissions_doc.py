"""The permissions page (docs/permissions.md) has a Library section that names every rule the
library declares, so that an operator reading it learns who may add, change and search."""

from pathlib import Path

from rules.permissions import permissions

import internationale

DOC = Path(internationale.__file__).resolve().parent.parent / "docs" / "permissions.md"


def test_the_permissions_page_explains_every_library_rule_and_who_search_shows_what():
    text = DOC.read_text()
    assert "\n## Library\n" in text
    section = text.split("\n## Library\n", 1)[1].split("\n## ", 1)[0]
    declared = sorted(name for name in permissions if name.startswith("library."))
    assert {"library.add_document", "library.change_document", "library.choose_digest"} <= set(
        declared
    )
    assert [name for name in declared if f"`{name}`" not in section] == []
    assert "Searching" in section and "visible_to" in section
