#!/usr/bin/env python
"""Federation delivery: what one delivery costs, from the claim to the answer recorded, against a
bare Django view measured in the same run.

    .venv/bin/python bench/federation_delivery.py [--runs 3] [--followers 100]

An organization with --followers followers on one loopback server (each its own inbox, no shared
inbox: one delivery each) publishes a 1 KB activity; `deliver_activity` records the deliveries and
sends them, one after another, each signed RFC 9421 with the organization's RSA 3072 key, over the
pinned transport to the server (http.server in a thread, answering 202), in a fresh SQLite
database. Each figure: min/median/max over --runs runs of the mean per delivery, with the load
average; the ratio is to the bare view (bench/urls_bench.py) through the test client.
"""

import argparse
import os
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import load_average  # noqa: E402
from bench.federation import line, timed  # noqa: E402

SITE = "http://127.0.0.1:8000"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--followers", type=int, default=100)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="bench-federation-delivery-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")
    os.environ["INTERNATIONALE_DATA_DIR"] = str(data)
    os.environ["SITE_URL"] = SITE
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from internationale.federation import documents
    from internationale.federation.delivery import deliver_activity
    from internationale.federation.keys import current_key
    from internationale.federation.models import Delivery, Follower, OutgoingActivity
    from internationale.federation.tests.remote_server import RemoteServer
    from internationale.organizations.models import Organization

    call_command("migrate", verbosity=0)
    settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE = True  # the followers are on 127.0.0.1
    union = Organization.objects.create(
        name="Dock Workers' Union",
        slug="dockers",
        kind="union",
        country="NG",
        verified_at=timezone.now(),
    )
    current_key(union)
    server = RemoteServer().start()
    Follower.objects.bulk_create(
        Follower(
            organization=union,
            actor=f"{server.url}/users/{n}",
            inbox=f"{server.url}/users/{n}/inbox",
            follow_id=f"{server.url}/follows/{n}",
        )
        for n in range(args.followers)
    )

    def delivering(count: int) -> None:
        assert count == args.followers
        activity_id = documents.activity_url(uuid.uuid4())
        outgoing = OutgoingActivity.objects.create(
            organization=union,
            activity_id=activity_id,
            activity_type="Create",
            payload={
                "@context": documents.AS_CONTEXT,
                "id": activity_id,
                "type": "Create",
                "actor": documents.actor_url(union),
                "to": [documents.PUBLIC],
                "object": {"type": "Note", "content": "Solidarity from the docks. " * 30},
            },
        )
        assert deliver_activity.call(outgoing.pk) == count

    client = Client(SERVER_NAME="127.0.0.1")

    def bare(n: int) -> None:
        for _ in range(n):
            client.get("/bench/minimal/")

    try:
        print(
            f"Federation delivery, {args.runs} runs of {args.followers} deliveries; "
            f"{load_average()}"
        )
        bare(10)
        delivering(args.followers)  # warm: the key read, the connections' code loaded
        costs = timed(delivering, args.followers, args.runs)
        bare_costs = timed(bare, args.followers * 5, args.runs)
        ratio = statistics.median(costs) / statistics.median(bare_costs)
        print(line("one delivery, RFC 9421, loopback (claim to record)", costs, f"  x{ratio:.1f}"))
        print(line("bare Django view (test client)", bare_costs))
        assert Delivery.objects.exclude(status="delivered").count() == 0
        print(f"{len(server.posted)} requests received; {load_average()}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
