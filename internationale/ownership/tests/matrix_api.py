"""Permission-matrix cases for the API of ownership (see matrix.py for the pages): each part of
the app keeps its cases in its own module, collected here."""

from internationale.core.tests.matrix import Case

from .matrix_api_erase import CASES as _erase

CASES: list[Case] = [*_erase]
