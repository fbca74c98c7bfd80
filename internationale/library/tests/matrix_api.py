"""Permission-matrix cases for the library's API (see core/tests/matrix.py), by part."""

from .matrix_api_docs import CASES as _docs
from .matrix_api_files import CASES as _files
from .matrix_api_search import CASES as _search

CASES = _docs + _files + _search
