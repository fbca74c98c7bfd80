"""Permission-matrix cases (see core/tests/matrix.py): matrix_people."""

from internationale.core.tests.matrix import Case

CASES: list[Case] = []
