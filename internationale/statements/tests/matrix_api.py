"""Permission-matrix cases for the API on statements (see matrix.py for the pages). Each part of
the app adds its list below."""

from internationale.core.tests.matrix import Case

CASES: list[Case] = []

from .matrix_publication import API as _publication  # noqa: E402

CASES += _publication
