"""Permission-matrix cases for the pages of an organization's data: its admins only (Ana);
everyone else 404, as if the pages did not exist; the anonymous visitor is sent to sign in."""

import datetime
import secrets
from typing import Any

from django.utils import timezone

from internationale.core.tests.matrix import PERSONAS, Case, expect
from internationale.ownership.crypto import EncryptingWriter
from internationale.ownership.models import Export
from internationale.ownership.services import exports_dir

ADMINS = ["ana"]


def export(w: Any) -> int:
    """A ready export of the owning organization, its (small) archive encrypted on disk."""
    if "export" not in w.extra:
        salt = secrets.token_hex(16)
        name = f"matrix-{secrets.token_hex(4)}.bin"
        writer = EncryptingWriter(exports_dir() / name, salt)
        writer.write(b"PK\x05\x06" + b"\0" * 18)
        writer.close()
        w.extra["export"] = Export.objects.create(
            organization=w.owner_org,
            requested_by=w.people["ana"],
            status=Export.Status.READY,
            progress=100,
            salt=salt,
            file_name=name,
            size=writer.size,
            sha256=writer.sha256.hexdigest(),
            expires_at=timezone.now() + datetime.timedelta(hours=24),
        ).pk
    return int(w.extra["export"])


def pending(w: Any) -> int:
    """A relation the owning organization brought from another server, its partner now here."""
    from django.urls import reverse

    from internationale.core.links import absolute_url
    from internationale.organizations.tests.factories import OrganizationFactory
    from internationale.ownership.models import PendingRelation

    if "pending" not in w.extra:
        partner = OrganizationFactory(name="Dutch Port Union", slug="pending-ports-nl")
        w.extra["pending"] = PendingRelation.objects.create(
            organization=w.owner_org,
            partner_slug=partner.slug,
            partner_name=partner.name,
            partner_country=partner.country,
            # Its actor on the server it came from: this one (pending._partner matches by it).
            partner_actor=absolute_url(reverse("federation_actor", args=[partner.slug])),
            kind="fraternal",
        ).pk
    return int(w.extra["pending"])


def _base(w: Any) -> str:
    return f"/ownership/{w.owner_org.slug}/"


CASES = [
    Case(
        "pending_relation_propose",
        "POST",
        lambda w: f"{_base(w)}pending/{pending(w)}/propose/",
        expect(ADMINS, 302, 404, anonymous=302),
        data=lambda w: {},
    ),
    Case(
        "pending_relation_dismiss",
        "POST",
        lambda w: f"{_base(w)}pending/{pending(w)}/dismiss/",
        expect(ADMINS, 302, 404, anonymous=302),
        data=lambda w: {},
    ),
    Case("ownership_exports", "GET", _base, expect(ADMINS, 200, 404, anonymous=302)),
    Case(
        "ownership_exports",
        "POST",
        _base,
        expect(ADMINS, 302, 404, anonymous=302),
        data=lambda w: {},
    ),
    Case(
        "ownership_export_detail",
        "GET",
        lambda w: f"{_base(w)}exports/{export(w)}/",
        expect(ADMINS, 200, 404, anonymous=302),
    ),
    Case(
        "ownership_export_detail",
        "POST",
        lambda w: f"{_base(w)}exports/{export(w)}/",
        expect(PERSONAS, 405, 405),
    ),
    Case(
        "ownership_export_download",
        "GET",
        lambda w: f"{_base(w)}exports/{export(w)}/download/",
        expect(ADMINS, 200, 404, anonymous=302),
    ),
    # Signed in a while ago (as every persona here): the admin is asked for the password again.
    Case(
        "ownership_export_download",
        "POST",
        lambda w: f"{_base(w)}exports/{export(w)}/download/",
        expect(ADMINS, 302, 404, anonymous=302),
        note="the admin is sent to allauth's re-authentication",
    ),
]

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]

# A person's own data: every signed-in person, for themselves. Signed in a while ago (as every
# persona here), they are asked for their password again before their data or their account goes.
CASES += [
    Case("person_data", "GET", lambda w: "/ownership/people/me/", expect(SIGNED_IN, 200, 302)),
    Case("person_data", "POST", lambda w: "/ownership/people/me/", expect(PERSONAS, 405, 405)),
    Case(
        "person_data_export",
        "POST",
        lambda w: "/ownership/people/me/data/",
        expect(SIGNED_IN, 302, 302),
        note="to allauth's re-authentication; the anonymous visitor to sign in",
    ),
    Case(
        "person_data_export",
        "GET",
        lambda w: "/ownership/people/me/data/",
        expect(SIGNED_IN, 302, 302),
    ),
    Case(
        "account_delete",
        "GET",
        lambda w: "/ownership/people/me/delete/",
        expect(SIGNED_IN, 200, 302),
    ),
    Case(
        "account_delete",
        "POST",
        lambda w: "/ownership/people/me/delete/",
        expect(SIGNED_IN, 302, 302),
    ),
]

from .matrix_erase import CASES as _erase  # noqa: E402

CASES += _erase
