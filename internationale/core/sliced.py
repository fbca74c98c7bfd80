"""A long list read a slice at a time, for whatever pages through it (the API's `Pagination`,
Django's `Paginator`): only the slice asked for is read, and turned into what is shown."""

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

from django.db.models import QuerySet

T = TypeVar("T")


class Sliced(Sequence[T], Generic[T]):
    """`items` (a query, or a list) sliced on demand; each slice read goes through `each`
    (masking what the reader may not see, building what an answer shows) before it is given.
    Its length is the query's count, or the list's."""

    def __init__(
        self,
        items: QuerySet[Any] | Sequence[Any],
        each: Callable[[list[Any]], list[T]] = lambda slice_: slice_,
    ) -> None:
        self.items = items
        self.each = each

    def __len__(self) -> int:
        items = self.items
        return items.count() if isinstance(items, QuerySet) else len(items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return self.each(list(self.items[index]))
        return self.each([self.items[index]])[0]

    def __iter__(self) -> Iterator[T]:
        return iter(self.each(list(self.items)))
