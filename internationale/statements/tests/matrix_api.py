"""Permission-matrix cases for the API on statements and advice (see matrix.py for the pages):
each part of the app keeps its cases in its own module, collected here."""

from internationale.core.tests.matrix import Case

from .matrix_amend_api import CASES as _amend
from .matrix_api_advice import CASES as _advice
from .matrix_api_consensus import CASES as _consensus
from .matrix_api_drafting import CASES as _drafting
from .matrix_publication import API as _publication

CASES: list[Case] = [*_drafting, *_amend, *_consensus, *_publication, *_advice]
