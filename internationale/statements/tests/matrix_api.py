"""Permission-matrix cases for the API on statements: each part's list, collected here."""

from internationale.core.tests.matrix import Case

from .matrix_api_consensus import CASES as _consensus

CASES: list[Case] = []
CASES += _consensus
