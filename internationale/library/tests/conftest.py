import pytest

from internationale.library import vectors
from internationale.library.models import Document


@pytest.fixture(autouse=True)
def _fresh_vectors():
    """Each test starts from its own vectors: the copy in memory is read again."""
    vectors.forget()
    yield
    vectors.forget()


@pytest.fixture
def publish(django_capture_on_commit_callbacks, work_off):
    """Create a document as the documents' service would, and let the worker compute its vector."""

    def publish(organization, title, body="", **fields):  # type: ignore[no-untyped-def]
        fields = {"kind": "news", "language": "en", "visibility": "public", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            document = Document.objects.create(
                organization=organization, title=title, body=body, **fields
            )
        work_off()
        return document

    return publish
