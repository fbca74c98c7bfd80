"""What a reader sees of the Metalworkers, through pages and the API, reduced to what must be the
same on any server (no ids, no addresses of this server). Run in the test's process for the old
server, and as `python -m internationale.ownership.tests.moving EMAIL` in a subprocess for the
new one (with its own data directory), which prints it as JSON."""

import json
import re
import sys
from typing import Any

SLUG = "metal-sp"
IDS = re.compile(r"/\d+/")


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _clean(v)
            for k, v in value.items()
            # when this server verified it is its own: the rest must be the same
            if k not in {"id", "pk", "url", "verified_at"} and not k.endswith("_url")
        }
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _text(html: str) -> str:
    """A page's main content as text, its ids and tokens left out."""
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main)
    text = IDS.sub("/#/", text)
    return " ".join(text.split())


def summary(client: Any) -> dict[str, Any]:
    api = "/api/v1"
    appeals = [
        a
        for a in client.get(f"{api}/appeals?limit=100").json()["items"]
        if a["organization"]["slug"] == SLUG
    ]
    documents = [
        d
        for d in client.get(f"{api}/library/documents?limit=100").json()["items"]
        if d["organization"]["slug"] == SLUG
    ]
    result: dict[str, Any] = {
        "organization": _clean(client.get(f"{api}/organizations/{SLUG}").json()),
        "members": _clean(client.get(f"{api}/organizations/{SLUG}/members").json()),
        "appeals": _clean(appeals),
        "documents": _clean(documents),
        "profile page": _text(client.get(f"/organizations/{SLUG}/").content.decode()),
    }
    for appeal in appeals:
        pk = appeal["id"]
        result[f"appeal {appeal['title']}"] = {
            "detail": _clean(client.get(f"{api}/appeals/{pk}").json()),
            "updates": _clean(client.get(f"{api}/appeals/{pk}/updates").json()),
            "page": _text(client.get(f"/appeals/{pk}/").content.decode()),
        }
    for document in documents:
        pk = document["id"]
        result[f"document {document['title']}"] = _clean(
            client.get(f"{api}/library/documents/{pk}").json()
        )
    return result


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from internationale.accounts.models import User

    # Pages name their static files; this server has not collected them.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(email=sys.argv[1]))
        pending = client.get(f"/ownership/{SLUG}/").content.decode()
        print(
            json.dumps(
                {"summary": summary(client), "ownership page": _text(pending), "files": _files()}
            )
        )


def _files() -> list[str]:
    """The SHA-256 of the logo and of the documents' files, as stored on this server."""
    import hashlib

    from internationale.library.models import DocumentFile
    from internationale.organizations.models import Organization

    stored = [Organization.objects.get(slug=SLUG).logo]
    stored += [f.file for f in DocumentFile.objects.filter(document__organization__slug=SLUG)]
    return sorted(hashlib.sha256(f.read()).hexdigest() for f in stored)


if __name__ == "__main__":
    main()
