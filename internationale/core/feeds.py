"""What the platform's Atom feeds share (appeals, statements)."""

from typing import Any

from django.utils.feedgenerator import Atom1Feed


class AtomWithLanguages(Atom1Feed):
    """Atom whose entries carry `xml:lang`: each entry in its own language (the item's `language`),
    while the feed's own words (its title, the categories) are in the reader's."""

    def item_attributes(self, item: dict[str, Any]) -> dict[str, Any]:
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes
