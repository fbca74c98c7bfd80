"""Permission-matrix cases for translation's API (see core/tests/matrix.py), by part."""

from .matrix_api_machine import CASES as _machine
from .matrix_api_people import CASES as _people

CASES = _machine + _people
