"""Permission-matrix cases for the API on statements: each part of the app adds its own list."""

from internationale.core.tests.matrix import Case

CASES: list[Case] = []

from .matrix_amend_api import CASES as _amend  # noqa: E402

CASES += _amend
