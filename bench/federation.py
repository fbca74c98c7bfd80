#!/usr/bin/env python
"""Federation: what signing and verifying cost per activity, and an inbox's whole answer, in one
process, against a bare Django view measured in the same run.

    .venv/bin/python bench/federation.py [--runs 3] [--activities 200]

- signing an activity (a 1 KB Create) with an organization's RSA 3072 key, RFC 9421 and
  draft-cavage (digest, date and signature headers);
- verifying it with the sender's RSA 2048 public key, each way (parsing, digest, date, RSA);
- one POST to an organization's inbox through Django's middleware (the test client), signed
  RFC 9421, the sender's key already in the cache (no fetch): every check, the verification and
  the activity recorded in a fresh SQLite database of the embedded default;
- the bare view (bench/urls_bench.py) through the same client, and the inbox's ratio to it.

Each figure: min/median/max over --runs runs of the mean per activity, with the load average.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import load_average  # noqa: E402

SITE = "http://127.0.0.1:8000"


def timed(work: Callable[[int], None], count: int, runs: int) -> list[float]:
    """Microseconds per item of `work(count)`, once per run."""
    costs = []
    for _run in range(runs):
        start = time.perf_counter()
        work(count)
        costs.append((time.perf_counter() - start) / count * 1e6)
    return costs


def line(label: str, costs: list[float], extra: str = "") -> str:
    return (
        f"{label:<46} min {min(costs):>8.0f}  median {statistics.median(costs):>8.0f}  "
        f"max {max(costs):>8.0f} µs{extra}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--activities", type=int, default=200, help="activities per run")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="bench-federation-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_bench")
    os.environ["INTERNATIONALE_DATA_DIR"] = str(data)
    os.environ["SITE_URL"] = SITE
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from internationale.federation.keys import current_key, private_key_pem
    from internationale.federation.models import RemoteKey
    from internationale.federation.signatures import CAVAGE, RFC9421, sign, verify
    from internationale.federation.tests.remote_server import key_pair
    from internationale.organizations.models import Organization

    call_command("migrate", verbosity=0)
    union = Organization.objects.create(
        name="Dock Workers' Union",
        slug="dockers",
        kind="union",
        country="NG",
        verified_at=timezone.now(),
    )
    our_key = current_key(union)
    our_private = private_key_pem(our_key)
    remote_public, remote_private = key_pair()
    actor = "http://127.0.0.1:9/users/alice"
    key_id = f"{actor}#main-key"
    RemoteKey.objects.create(
        key_id=key_id,
        owner=actor,
        public_key_pem=remote_public,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    inbox = "/federation/actors/dockers/inbox"

    def activity() -> bytes:
        activity_id = f"http://127.0.0.1:9/activities/{uuid.uuid4()}"
        return json.dumps(
            {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": activity_id,
                "type": "Create",
                "actor": actor,
                "object": {
                    "id": f"{activity_id}/note",
                    "type": "Note",
                    "attributedTo": actor,
                    "content": "Solidarity from the docks. " * 30,
                },
            }
        ).encode()

    body = activity()

    def signing(scheme: str, pem: str, kid: str) -> dict[str, str]:
        return sign(
            method="POST",
            url=SITE + inbox,
            headers={"Content-Type": "application/activity+json"},
            body=body,
            key_id=kid,
            private_key_pem=pem,
            scheme=scheme,
        )

    print(f"Federation, {args.runs} runs of {args.activities} activities; {load_average()}")
    for scheme in (RFC9421, CAVAGE):
        print(
            line(
                f"sign, {scheme} (RSA 3072)",
                timed(
                    lambda n, s=scheme: [signing(s, our_private, "k") for _ in range(n)] and None,
                    args.activities,
                    args.runs,
                ),
            )
        )
    for scheme in (RFC9421, CAVAGE):
        headers = signing(scheme, remote_private, key_id)
        print(
            line(
                f"verify, {scheme} (RSA 2048)",
                timed(
                    lambda n, h=headers: (
                        [
                            verify(
                                method="POST",
                                url=SITE + inbox,
                                headers=h,
                                body=body,
                                public_key_pem=remote_public,
                            )
                            for _ in range(n)
                        ]
                        and None
                    ),
                    args.activities,
                    args.runs,
                ),
            )
        )

    settings.INTERNATIONALE_FEDERATION_ALLOW_PRIVATE = True  # the sender is on 127.0.0.1
    measure_inbox(args, inbox, activity, key_id, remote_private)
    print(load_average())


def measure_inbox(
    args: argparse.Namespace,
    inbox: str,
    activity: Callable[[], bytes],
    key_id: str,
    remote_private: str,
) -> None:
    from django.test import Client

    from internationale.federation.signatures import sign

    client = Client(SERVER_NAME="127.0.0.1")
    elapsed: list[float] = []

    def posting(n: int) -> None:
        # Signed beforehand: what is measured is the server's answer alone.
        signed = []
        for _ in range(n):
            one = activity()
            headers = sign(
                method="POST",
                url=SITE + inbox,
                headers={},
                body=one,
                key_id=key_id,
                private_key_pem=remote_private,
            )
            signed.append((one, headers))
        start = time.perf_counter()
        for one, headers in signed:
            response = client.post(
                inbox, data=one, content_type="application/activity+json", headers=headers
            )
            assert response.status_code == 202, response.content
        elapsed.append((time.perf_counter() - start) / n * 1e6)

    def bare(n: int) -> None:
        for _ in range(n):
            client.get("/bench/minimal/")

    bare(10)
    posting(5)
    elapsed.clear()
    bare_costs = timed(bare, args.activities, args.runs)
    for _run in range(args.runs):
        posting(args.activities)
    ratio = statistics.median(elapsed) / statistics.median(bare_costs)
    print(line("inbox POST, RFC 9421, key cached (test client)", elapsed, f"  x{ratio:.1f}"))
    print(line("bare Django view (test client)", bare_costs))


if __name__ == "__main__":
    main()
