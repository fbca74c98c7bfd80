"""Permission-matrix cases for the API on statements and advice (see matrix.py for the pages):
each part of the app adds its own list below."""

from internationale.core.tests.matrix import Case

CASES: list[Case] = []

from .matrix_publication import API as _publication  # noqa: E402

CASES += _publication
from .matrix_api_advice import CASES as _advice  # noqa: E402

CASES += _advice
# Drafting ----------------------------------------------------------------------------------------
from .matrix_api_drafting import CASES as _drafting  # noqa: E402

CASES += _drafting
from .matrix_amend_api import CASES as _amend  # noqa: E402

CASES += _amend
