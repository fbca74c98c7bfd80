"""Permission-matrix cases (see core/tests/matrix.py): matrix_api_search."""

from internationale.core.tests.matrix import Case

CASES: list[Case] = []
