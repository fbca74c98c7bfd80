"""Permission-matrix cases for the API on statements (see matrix.py for the pages). Each part of
the app adds its cases in its own module, collected below."""

from internationale.core.tests.matrix import Case

CASES: list[Case] = []

# Drafting ----------------------------------------------------------------------------------------
from .matrix_api_drafting import CASES as _drafting  # noqa: E402

CASES += _drafting
