"""What two organizations did with each other, as each app tells it.

The history of a relation (cooperation/history.py) shows what apps beside it know of two
organizations: the appeals one issued and the other answered, and later more. Each app registers
a source from its `ready()` (core imports no app, and apps of one layer do not import each
other); a source returns, for a viewer, at most `limit` exchanges between the two organizations,
the latest first, each seen by that viewer, in a bounded number of queries.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from .actors import ViewerLike


@dataclass(frozen=True)
class Exchange:
    when: datetime.datetime
    title: str  # what it is about: the appeal's title
    url: str  # its page
    what: str  # what happened, in the reader's language


Source = Callable[[ViewerLike, int, int, int], list[Exchange]]


@dataclass(frozen=True)
class ExchangeSource:
    name: str
    label: Promise | str
    source: Source


_SOURCES: dict[str, ExchangeSource] = {}


def register_exchanges(name: str, *, label: Promise | str, source: Source) -> None:
    """Declare what an app tells of two organizations: `source(viewer, a, b, limit)`."""
    _SOURCES[name] = ExchangeSource(name=name, label=label, source=source)


def exchanges_between(
    viewer: ViewerLike, a: int, b: int, limit: int
) -> list[tuple[ExchangeSource, list[Exchange]]]:
    """Each registered source with its exchanges between `a` and `b` seen by the viewer."""
    return [(s, s.source(viewer, a, b, limit)) for s in _SOURCES.values()]
