#!/usr/bin/env python
"""Federation at scale: one public appeal to 1,000 remote followers on 50 simulated servers, some
of which never answer and some of which answer late, delivered by the real worker.

    .venv/bin/python bench/federation_network.py [--runs 3] [--workers 1,2] [--followers 1000]
        [--servers 50] [--dead 0.2] [--slow 0.1] [--slow-seconds 5] [--activities 100]

The network, in this process, on loopback (each server its own port, so its own host):

- of --servers servers, --dead never answer: most take the connection and hang (a listening
  socket nobody accepts on), a few refuse it (a port bound, not listening); --slow answer after
  --slow-seconds; the others at once. Six in ten offer a shared inbox, as Mastodon and most
  servers do; three in ten of those that answer take draft-cavage signatures only (they answer
  401 to RFC 9421, as Fedify 1.5 does). Every server that answers verifies each signature with
  the organization's public key before it takes the activity (202), and notes when each of its
  inboxes first received it;
- --followers followers of one organization spread over the servers, unevenly, always the same
  (a fixed seed).

Each run: a fresh start (the breakers and the schemes learnt forgotten), then a public appeal is
published (`publishing.publish_appeal`: the `Create` recorded, its delivery queued as the notice
channel does); `internationale worker` processes (--workers: 1, then 2) run `deliver_activity` as
they run any task. Measured: the time from the commit until every inbox of the servers that
answer has the activity (received and verified), and until the database has recorded all of them
delivered; deliveries a second; what is left for the dead servers. Then, in this process, what
signing and verifying one activity costs, RFC 9421 and cavage (RSA 3072, the organization's key),
against the bare view (bench/urls_bench.py) through the test client.

Each figure: min/median/max over --runs runs, with the load average. The aim (issue 15): every
live inbox within 60 s.
"""

import argparse
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, environment, load_average, stop  # noqa: E402
from bench.federation import line, timed  # noqa: E402

SITE = "http://127.0.0.1:8000"
AIM_SECONDS = 60


@dataclass
class Server:
    """One simulated remote server: `kind` is "live", "slow", "hang" or "refuse"."""

    kind: str
    shared: bool
    cavage_only: bool
    sock: socket.socket | None = None
    http: ThreadingHTTPServer | None = None
    port: int = 0
    # (activity id, inbox path) -> when it was first received, verified (time.monotonic()).
    received: dict[tuple[str, str], float] = field(default_factory=dict)
    requests: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Network:
    def __init__(self, args: argparse.Namespace, public_key_pem: str) -> None:
        rng = random.Random(15)
        count = args.servers
        dead = round(count * args.dead)
        slow = round(count * args.slow)
        refusing = max(dead * 3 // 10, 1) if dead else 0
        kinds = (
            ["refuse"] * refusing
            + ["hang"] * (dead - refusing)
            + ["slow"] * slow
            + ["live"] * (count - dead - slow)
        )
        rng.shuffle(kinds)
        self.servers = [
            Server(kind=kind, shared=rng.random() < 0.6, cavage_only=rng.random() < 0.3)
            for kind in kinds
        ]
        self.slow_seconds = args.slow_seconds
        self.public_key_pem = public_key_pem
        self.lock = threading.Lock()
        weights = [rng.uniform(0.3, 1.7) for _ in self.servers]
        # Each server at least one follower, the rest by weight.
        self.followers: list[int] = list(range(count)) + rng.choices(
            range(count), weights=weights, k=args.followers - count
        )

    def start(self) -> None:
        for server in self.servers:
            if server.kind in ("hang", "refuse"):
                server.sock = socket.socket()
                server.sock.bind(("127.0.0.1", 0))
                if server.kind == "hang":
                    server.sock.listen(1024)  # connections completed by the system, never read
                server.port = server.sock.getsockname()[1]
                continue
            server.http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler(server))
            server.http.daemon_threads = True
            server.port = server.http.server_address[1]
            threading.Thread(
                target=server.http.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
            ).start()

    def stop(self) -> None:
        for server in self.servers:
            if server.http is not None:
                server.http.shutdown()
                server.http.server_close()
            if server.sock is not None:
                server.sock.close()

    def _handler(self, server: Server) -> type[BaseHTTPRequestHandler]:
        network = self
        from requests.structures import CaseInsensitiveDict

        from internationale.federation.signatures import RFC9421, key_id_of, verify

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 -- the name http.server calls
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = CaseInsensitiveDict(dict(self.headers.items()))
                status = 202
                try:
                    _key_id, scheme = key_id_of(dict(headers))
                    if server.cavage_only and scheme == RFC9421:
                        status = 401
                    else:
                        verify(
                            method="POST",
                            url=server.url + self.path,
                            headers=headers,  # type: ignore[arg-type]
                            body=body,
                            public_key_pem=network.public_key_pem,
                        )
                except Exception:  # any signature trouble: refused, as a real server would
                    status = 401
                now = time.monotonic()
                with network.lock:
                    server.requests += 1
                    if status == 202:
                        server.received.setdefault((json.loads(body)["id"], self.path), now)
                if server.kind == "slow":
                    time.sleep(network.slow_seconds)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler

    def inboxes(self) -> list[tuple[Server, str, str, str]]:
        """(server, actor, inbox path, shared inbox path or "") of every follower."""
        out = []
        for n, index in enumerate(self.followers):
            server = self.servers[index]
            out.append(
                (server, f"/users/{n}", f"/users/{n}/inbox", "/inbox" if server.shared else "")
            )
        return out

    def expected(self) -> set[tuple[int, str]]:
        """(server index, inbox path) of every inbox of a server that answers, each once."""
        return {
            (index, shared or inbox)
            for server, _a, inbox, shared in self.inboxes()
            for index in [self.servers.index(server)]
            if server.kind in ("live", "slow")
        }

    def arrived(self, activity_id: str, expected: set[tuple[int, str]]) -> tuple[int, float]:
        """How many expected inboxes have the activity, and when the last of them got it."""
        with self.lock:
            times = [
                self.servers[index].received.get((activity_id, path)) for index, path in expected
            ]
        got = [t for t in times if t is not None]
        return len(got), max(got, default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--servers", type=int, default=50)
    parser.add_argument("--followers", type=int, default=1000)
    parser.add_argument("--dead", type=float, default=0.2, help="share of servers never answering")
    parser.add_argument("--slow", type=float, default=0.1, help="share of servers answering late")
    parser.add_argument("--slow-seconds", type=float, default=5.0)
    parser.add_argument("--activities", type=int, default=100, help="for the signing costs")
    parser.add_argument("--limit", type=float, default=180, help="seconds a run may take")
    args = parser.parse_args()
    if args.followers < args.servers:
        sys.exit("--followers must be at least --servers")
    data = Path(tempfile.mkdtemp(prefix="bench-federation-network-"))
    (data / "static").mkdir()  # the test client's static files middleware wants it
    env = environment(data) | {"SITE_URL": SITE, "FEDERATION_ALLOW_PRIVATE": "1"}
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from internationale.appeals.tests.factories import AppealFactory
    from internationale.federation.keys import current_key
    from internationale.federation.models import Follower
    from internationale.organizations.models import Organization

    call_command("migrate", verbosity=0)
    union = Organization.objects.create(
        name="Dock Workers' Union",
        slug="dockers",
        kind="union",
        country="NG",
        verified_at=timezone.now(),
    )
    key = current_key(union)
    network = Network(args, key.public_key_pem)
    network.start()
    Follower.objects.bulk_create(
        Follower(
            organization=union,
            actor=server.url + actor,
            inbox=server.url + inbox,
            shared_inbox=server.url + shared if shared else "",
            follow_id=f"{server.url}{actor}/follow",
        )
        for server, actor, inbox, shared in network.inboxes()
    )
    expected = network.expected()
    kinds = [s.kind for s in network.servers]
    print(
        f"Federation network: {args.followers} followers on {args.servers} servers "
        f"({kinds.count('live')} answering at once, {kinds.count('slow')} after "
        f"{args.slow_seconds:g} s, {kinds.count('hang')} hanging, {kinds.count('refuse')} "
        f"refusing; {sum(s.shared for s in network.servers)} with a shared inbox, "
        f"{sum(s.cavage_only for s in network.servers if s.kind in ('live', 'slow'))} answering "
        f"ones taking cavage only): {len(expected)} live inboxes; {args.runs} runs each; "
        f"{load_average()}"
    )
    try:
        for workers in [int(n) for n in args.workers.split(",") if n]:
            measure_workers(workers, args, env, network, expected, union, AppealFactory)
    finally:
        network.stop()
    measure_signing(args, union)
    print(load_average())


def measure_workers(
    workers: int,
    args: argparse.Namespace,
    env: dict[str, str],
    network: Network,
    expected: set[tuple[int, str]],
    union: Any,
    appeal_factory: Any,
) -> None:
    from django.db import transaction
    from django.utils import timezone

    from internationale.core.models import WorkerHeartbeat
    from internationale.federation import publishing
    from internationale.federation.models import Delivery, RemoteHost

    stack = contextlib.ExitStack()
    logs = [
        stack.enter_context(
            tempfile.NamedTemporaryFile(prefix="bench-worker-", suffix=".log", delete=False)  # noqa: SIM115 -- closed by the stack
        )
        for _ in range(workers)
    ]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "internationale.cli", "worker"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    try:
        deadline = time.monotonic() + 120
        while WorkerHeartbeat.objects.count() < workers:
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                sys.exit("the workers did not start: " + ", ".join(log.name for log in logs))
            time.sleep(0.2)
        time.sleep(3)  # their periodic tasks of the start run before the appeal
        all_in, recorded, rates, requests = [], [], [], []
        left = ""
        for _run in range(args.runs):
            # A fresh start: nothing learnt of the hosts, nothing of an earlier run waiting.
            Delivery.objects.filter(status=Delivery.Status.PENDING).update(
                status=Delivery.Status.CANCELLED
            )
            RemoteHost.objects.all().delete()
            before = sum(s.requests for s in network.servers)
            appeal = appeal_factory(
                organization=union, visibility="public", sent_at=timezone.now(), status="open"
            )
            with transaction.atomic():
                outgoing = publishing.publish_appeal(appeal)
            start = time.monotonic()
            assert outgoing is not None
            done_at = 0.0
            while time.monotonic() - start < args.limit:
                got, last = network.arrived(outgoing.activity_id, expected)
                delivered = Delivery.objects.filter(
                    activity=outgoing, status=Delivery.Status.DELIVERED
                ).count()
                if got == len(expected) and delivered >= len(expected):
                    done_at = time.monotonic()
                    break
                time.sleep(0.1)
            got, last = network.arrived(outgoing.activity_id, expected)
            if got < len(expected):
                print(f"  {workers} worker(s): only {got} of {len(expected)} in {args.limit:g} s")
                all_in.append(float("inf"))
            else:
                all_in.append(last - start)
            recorded.append(done_at - start if done_at else float("inf"))
            rates.append(len(expected) / recorded[-1])
            requests.append(sum(s.requests for s in network.servers) - before)
            pending = Delivery.objects.filter(activity=outgoing, status=Delivery.Status.PENDING)
            left = (
                f"{pending.count()} deliveries to dead servers pending "
                f"({pending.filter(attempts=0).count()} without an attempt: breaker open), "
                f"{RemoteHost.objects.exclude(open_until=None).count()} breakers open"
            )
        print(f"{workers} worker(s):")
        print(seconds("  every live inbox has it (received, verified)", all_in))
        print(seconds("  all recorded delivered in the database", recorded))
        print(
            f"  deliveries a second: min {min(rates):.1f}  median {statistics.median(rates):.1f}  "
            f"max {max(rates):.1f}; requests received a run: {statistics.median(requests):.0f}; "
            f"aim ({AIM_SECONDS} s) {'met' if max(all_in) <= AIM_SECONDS else 'NOT met'}"
        )
        print(f"  after the last run: {left}; {load_average()}")
    finally:
        for process in processes:
            stop(process)
        stack.close()


def seconds(label: str, values: list[float]) -> str:
    return (
        f"{label:<48} min {min(values):>6.1f}  median {statistics.median(values):>6.1f}  "
        f"max {max(values):>6.1f} s"
    )


def measure_signing(args: argparse.Namespace, union: Any) -> None:
    from django.test import Client
    from requests.structures import CaseInsensitiveDict

    from internationale.federation.keys import current_key, private_key_pem
    from internationale.federation.signatures import CAVAGE, RFC9421, sign, verify

    key = current_key(union)
    pem = private_key_pem(key)
    url = "http://127.0.0.1:9/inbox"
    body = json.dumps({"type": "Create", "content": "Solidarity from the docks. " * 30}).encode()
    client = Client(SERVER_NAME="127.0.0.1")

    def bare(n: int) -> None:
        for _ in range(n):
            client.get("/bench/minimal/")

    bare(10)
    bare_costs = timed(bare, args.activities, args.runs)
    reference = statistics.median(bare_costs)
    print(f"Per activity, {args.runs} runs of {args.activities}:")
    for scheme in (RFC9421, CAVAGE):

        def signing(n: int, scheme: str = scheme) -> None:
            for _ in range(n):
                sign(
                    method="POST",
                    url=url,
                    headers={},
                    body=body,
                    key_id="k",
                    private_key_pem=pem,
                    scheme=scheme,
                )

        costs = timed(signing, args.activities, args.runs)
        extra = f"  x{statistics.median(costs) / reference:.1f}"
        print(line(f"  sign, {scheme} (RSA 3072)", costs, extra))
        headers = CaseInsensitiveDict(
            sign(
                method="POST",
                url=url,
                headers={},
                body=body,
                key_id="k",
                private_key_pem=pem,
                scheme=scheme,
            )
        )

        def verifying(n: int, headers: Any = headers) -> None:
            for _ in range(n):
                verify(
                    method="POST",
                    url=url,
                    headers=headers,
                    body=body,
                    public_key_pem=key.public_key_pem,
                )

        costs = timed(verifying, args.activities, args.runs)
        extra = f"  x{statistics.median(costs) / reference:.1f}"
        print(line(f"  verify, {scheme} (RSA 3072)", costs, extra))
    print(line("  bare Django view (test client)", bare_costs))


if __name__ == "__main__":
    main()
