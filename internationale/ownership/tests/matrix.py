"""Permission-matrix cases for the pages of ownership (see core/tests/matrix.py): each part of the
app keeps its cases in its own module, collected here."""

from internationale.core.tests.matrix import Case

from .matrix_erase import CASES as _erase

CASES: list[Case] = [*_erase]
