"""Permission-matrix cases (see core/tests/matrix.py): matrix_machine."""

from internationale.core.tests.matrix import Case

CASES: list[Case] = []
