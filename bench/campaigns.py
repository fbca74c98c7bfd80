#!/usr/bin/env python
"""A public campaign under a flood: signing and confirming, reading its page, how far the public
count trails the confirmations, and whether killing the server loses anything acknowledged.

    .venv/bin/python bench/campaigns.py                   # SQLite, in a temporary data dir
    .venv/bin/python bench/campaigns.py \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres     # and PostgreSQL
    .venv/bin/python bench/campaigns.py --duration 60     # a shorter flood for the kills

For each database: a fresh data directory (and, for PostgreSQL, the database --database-name,
created next to the one in the URL, dropped first and at the end), the demo network
(`internationale demo`: its running campaign, with a few thousand signatures, is the one signed),
then `internationale serve` itself (web processes, one per core, and the background worker) on a
free port of 127.0.0.1, with bench/settings_bench_campaigns.py: the confirmation e-mails are
written to a file that the clients read, as signers read their inbox. Then:

1. intake and reads, at 1, 8 and 32 clients, each on its own keep-alive connection, for --seconds,
   --runs times: the bare Django view (the reference), the campaign's page and its API read
   (signed out), signing through the public API (a new address each time), and confirming
   through the public API with the tokens of the links just e-mailed for those signatures;
   requests per second (min / median / max over the runs), p50 / p95 / p99 latency (medians over
   the runs), and the median rate as a share of the bare view's at the same clients;
2. the count's lag: --lag-clients clients sign and confirm for --lag-seconds while the public
   count is read every 0.25 s; for each acknowledged confirmation, the time until the count
   reached it;
3. durability: --flood-clients clients sign and confirm for --duration seconds while every
   --kill-every seconds every process of the server (serve, the web processes and the worker) is
   killed with SIGKILL and `internationale serve` started again; at the end the signature rows
   and their statuses are counted against the requests the clients saw acknowledged.

The screening (campaigns/screening.py) limits signatures per client address and per e-mail
domain. The server is told it sits behind one proxy (TRUSTED_PROXY_COUNT=1) and each signature
comes from its own address (X-Forwarded-For) and one of 1,000 domains, as a flood of people
does: the limits stay at their defaults and are checked for every signature. Without that, every
client is 127.0.0.1 and signatures beyond the 20th a minute would be blocked (answered as a
success, never counted); raise CAMPAIGN_LIMIT_ADDRESS_BURST and _SUSTAINED (0: off) instead.

Figures, not pass/fail: see bench/README.md.
"""

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, databases, free_port, load_average, run, stop, wait_for  # noqa: E402
from bench.server import spread  # noqa: E402

SETTINGS = "bench.settings_bench_campaigns"
CLIENTS = (1, 8, 32)
BARE = "bare view"
PAGE = "campaign page"
API_READ = "campaign (API)"
SIGN = "sign (API POST)"
CONFIRM = "confirm (API POST)"
ROWS = (BARE, PAGE, API_READ, SIGN, CONFIRM)
COUNTRIES = ("BR", "ZA", "KR", "TR", "ES", "FR", "NG", "IN", "MX", "DE", "PH", "AR")
LANGUAGES = ("es", "pt-BR", "fr", "en", "ko", "tr", "de")
DOMAINS = 1000


# In a child process, with the settings of the database measured ---------------------------------


def prepare() -> None:
    """The demo's running campaign: its id, its organizer's (for a consent) and its count."""
    import django

    django.setup()
    from internationale.campaigns.models import Campaign

    campaign = Campaign.objects.filter(status=Campaign.Status.OPEN).order_by("pk").first()
    assert campaign is not None, "the demo has no running campaign"
    print(json.dumps({"campaign": campaign.pk, "organizer": campaign.organization_id}))


def confirmed_since(since: float, campaign_id: int) -> None:
    """When each of the campaign's signatures confirmed since `since` (a time.time()) was."""
    import datetime

    import django

    django.setup()
    from internationale.campaigns.models import Signature

    after = datetime.datetime.fromtimestamp(since, tz=datetime.UTC)
    times = Signature.objects.filter(campaign_id=campaign_id, confirmed_at__gte=after).values_list(
        "confirmed_at", flat=True
    )
    print(json.dumps(sorted(t.timestamp() for t in times)))


def check(path: str, campaign_id: int) -> None:
    """The rows of the campaign's signatures against the acknowledged requests listed in `path`."""
    import django

    django.setup()
    from django.db.models import Count

    from internationale.campaigns import models

    Signature, SignatureCount = models.Signature, models.SignatureCount
    # Received and not yet screened by the worker (absent before the intake: none).
    Intake = getattr(models, "SignatureIntake", None)
    acked = json.loads(Path(path).read_text())
    rows = Signature.objects.filter(campaign_id=campaign_id)
    statuses = {row["status"]: row["n"] for row in rows.values("status").annotate(n=Count("id"))}
    status_of: dict[str, str] = {}
    signed = acked["signed"]
    # A confirmation may be acknowledged for a signature whose own answer was lost in a kill
    # (committed, its link e-mailed, the client not told): look up both lists.
    emails = sorted(set(signed) | set(acked["confirmed"]))
    for start in range(0, len(emails), 500):  # SQLite: at most 999 parameters a query
        status_of |= dict(
            rows.filter(email__in=emails[start : start + 500]).values_list("email", "status")
        )
    done = {Signature.Status.CONFIRMED, Signature.Status.COUNTED}
    print(
        json.dumps(
            {
                "statuses": statuses,
                "bench_rows": rows.filter(email__startswith=acked["prefix"]).count(),
                "signed_missing": sum(1 for e in signed if e not in status_of),
                "signed_blocked": sum(
                    1 for e in signed if status_of.get(e) == Signature.Status.BLOCKED
                ),
                "confirmed_unsigned": len(set(acked["confirmed"]) - set(signed)),
                "confirmed_missing": sum(
                    1 for e in acked["confirmed"] if status_of.get(e) not in done
                ),
                "intake": Intake.objects.count() if Intake is not None else 0,
                "count": SignatureCount.objects.get(campaign_id=campaign_id).signatures,
                "confirmed_or_counted": rows.filter(status__in=done).count(),
            }
        )
    )


# The server: `internationale serve`, which the durability phase kills and starts again ---------


class Server:
    def __init__(self, env: dict[str, str], args: argparse.Namespace) -> None:
        self.env = env
        self.args = args
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = open(Path(env["INTERNATIONALE_DATA_DIR"]) / "serve.log", "a")  # noqa: SIM115

    def start(self, wait: bool = True) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "internationale.cli",
                "serve",
                f"--port={self.port}",
                f"--web-processes={self.args.web_processes}",
                f"--threads={self.args.threads}",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        if wait:
            wait_for(self.base, self.process, self.log.name)

    def processes(self, leaves: bool = False) -> list[int]:
        """serve and every process under it (the web server and its processes, the worker:
        each in a session of its own, so found by their parents); with `leaves`, only those
        with no process under them: the web processes and the worker, which their supervisors
        (gunicorn, serve) start again."""
        assert self.process is not None
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        found = [self.process.pid]
        for pid in found:
            found.extend(child for child, parent in parents.items() if parent == pid)
        if leaves:
            having = {parents[pid] for pid in found if pid in parents}
            return [pid for pid in found[1:] if pid not in having]
        return found

    def kill(self, everything: bool = True) -> int:
        """SIGKILL at once to every process of the server (or to the web processes and the
        worker alone); returns how many."""
        pids = self.processes(leaves=not everything)
        if not everything:
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            return len(pids)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        assert self.process is not None
        self.process.wait()
        return len(pids)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            stop(self.process, seconds=60)
        self.log.close()


# The clients: processes of threads, so that the client is not held to one core by its GIL ------


def _sign_body(email: str, n: int, organizer: int) -> bytes:
    return json.dumps(
        {
            "first_name": "Ana",
            "last_name": "Souza",
            "email": email,
            "country": COUNTRIES[n % len(COUNTRIES)],
            "city": "Porto Alegre",
            "language": LANGUAGES[n % len(LANGUAGES)],
            "show_publicly": n % 2 == 0,
            "consents": [organizer] if n % 3 == 0 else [],
        }
    ).encode()


def _address(n: int) -> str:
    """A client address of its own for the n-th signature (behind the trusted proxy)."""
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class Conn:
    """One client's keep-alive connection, opened again after an error or a close."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
            content = response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, content
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _client_process(
    port: int, job: dict[str, Any], threads: int, start: float, seconds: float
) -> dict[str, Any]:
    """`threads` clients doing `job` from `start` for `seconds`: GET a path, sign (a new address
    each time) or confirm (the given tokens, until they run out)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    tokens = list(job.get("tokens", ()))
    counter = iter(range(10**9))
    signed: list[str] = []
    last = start

    def client() -> None:
        nonlocal errors, last
        mine: list[float] = []
        failed = 0
        conn = Conn(port)
        while time.time() < start:
            time.sleep(0.001)
        end = start + seconds
        while time.time() < end:
            body = None
            headers = {}
            if job["kind"] == "get":
                method, path, ok = "GET", job["path"], 200
            elif job["kind"] == "sign":
                with lock:
                    n = job["first"] + next(counter)
                email = f"{job['prefix']}{n}@d{n % DOMAINS}.example"
                method, path, ok = "POST", job["path"], 202
                body = _sign_body(email, n, job["organizer"])
                headers = {"Content-Type": "application/json", "X-Forwarded-For": _address(n)}
            else:
                with lock:
                    if not tokens:
                        break
                    token = tokens.pop()
                method, path, ok = "POST", job["path"], 200
                body = json.dumps({"token": token}).encode()
                headers = {"Content-Type": "application/json"}
            began = time.perf_counter()
            try:
                status, _content = conn.request(method, path, body, headers)
            except (OSError, http.client.HTTPException):
                failed += 1
                continue
            mine.append((time.perf_counter() - began) * 1000)
            if status != ok:
                failed += 1
            elif job["kind"] == "sign":
                with lock:
                    signed.append(email)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += failed
            last = max(last, time.time())

    pool = [threading.Thread(target=client) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return {"latencies": latencies, "errors": errors, "signed": signed, "elapsed": last - start}


def _shares(clients: int) -> list[int]:
    processes = min(clients, os.cpu_count() or 1)
    return [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def measure(port: int, jobs: list[dict[str, Any]], clients: int, seconds: float) -> dict[str, Any]:
    shares = _shares(clients)
    start = time.time() + 0.5  # every client starts at once, once all are connected
    with multiprocessing.get_context("fork").Pool(len(shares)) as pool:
        results = pool.starmap(
            _client_process,
            [(port, jobs[i], share, start, seconds) for i, share in enumerate(shares)],
        )
    latencies = [ms for r in results for ms in r["latencies"]]
    # Confirming may run out of tokens before the time is up: its rate is over the time it took.
    elapsed = max(min(seconds, max(r["elapsed"] for r in results)), 1e-3)
    return {
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "errors": sum(r["errors"] for r in results),
        "signed": [e for r in results for e in r["signed"]],
    }


# The confirmation e-mails, as the signers read them ---------------------------------------------


class Inbox:
    """The spool of confirmation links (bench/mail.py), read as it grows: e-mail -> token."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.tokens: dict[str, str] = {}

    def read(self) -> dict[str, str]:
        if self.path.exists():
            with self.path.open("rb") as spool:
                spool.seek(self.offset)
                data = spool.read()
            whole = data.rfind(b"\n") + 1
            self.offset += whole
            for line in data[:whole].decode().splitlines():
                email, _sep, token = line.partition(" ")
                self.tokens[email] = token
        return self.tokens

    def wait(self, emails: list[str], seconds: float) -> list[str]:
        """The tokens of `emails` once every one has come, or of those that came in time."""
        deadline = time.monotonic() + seconds
        while True:
            tokens = self.read()
            if all(e in tokens for e in emails) or time.monotonic() > deadline:
                return [tokens[e] for e in emails if e in tokens]
            time.sleep(0.2)


# 1. Intake and reads ------------------------------------------------------------------------------


def bench_intake(
    server: Server, inbox: Inbox, info: dict[str, int], args: argparse.Namespace
) -> dict[tuple[str, int], list[dict[str, Any]]]:
    pk = info["campaign"]
    paths = {
        BARE: "/bench/minimal/",
        PAGE: f"/campaigns/{pk}/",
        API_READ: f"/api/v1/campaigns/{pk}/public",
        SIGN: f"/api/v1/campaigns/{pk}/signatures",
        CONFIRM: "/api/v1/campaigns/signatures/confirm",
    }
    numbered = iter(range(10**6))

    def sign_jobs(clients: int) -> list[dict[str, Any]]:
        run_id = next(numbered)
        return [
            {
                "kind": "sign",
                "path": paths[SIGN],
                "prefix": f"i{run_id}x{i}n",
                "first": (run_id * 8 + i) * 100_000,  # an address of its own for each signature
                "organizer": info["organizer"],
            }
            for i in range(len(_shares(clients)))
        ]

    for label in (BARE, PAGE, API_READ):  # warm-up: caches, connections, imports
        measure(server.port, [{"kind": "get", "path": paths[label]}] * 2, 2, 1)
    measure(server.port, sign_jobs(2), 2, 1)
    results: dict[tuple[str, int], list[dict[str, Any]]] = {}
    print(f"   intake and reads: {load_average()} before", flush=True)
    for _run in range(args.runs):
        for clients in CLIENTS:
            processes = len(_shares(clients))
            for label in (BARE, PAGE, API_READ):
                jobs = [{"kind": "get", "path": paths[label]}] * processes
                results.setdefault((label, clients), []).append(
                    measure(server.port, jobs, clients, args.seconds)
                )
            signing = measure(server.port, sign_jobs(clients), clients, args.seconds)
            results.setdefault((SIGN, clients), []).append(signing)
            # The links of the signatures just taken, from the e-mails the worker sent (not timed).
            tokens = inbox.wait(signing["signed"], 300)
            if len(tokens) < len(signing["signed"]):
                print(
                    f"   {len(signing['signed']) - len(tokens)} of {len(signing['signed'])} "
                    "confirmation e-mails did not come within 300 s",
                    flush=True,
                )
            jobs = [
                {"kind": "confirm", "path": paths[CONFIRM], "tokens": tokens[i::processes]}
                for i in range(processes)
            ]
            results.setdefault((CONFIRM, clients), []).append(
                measure(server.port, jobs, clients, args.seconds)
            )
    print(f"   intake and reads: {load_average()} after", flush=True)
    return results


def print_intake(title: str, results: dict[tuple[str, int], list[dict[str, Any]]]) -> None:
    print(f"\n{title}")
    header = (
        f"{'endpoint':<20} {'clients':>7} {'req/s min / med / max':>24} "
        f"{'p50 / p95 / p99 ms':>22} {'err':>5} {'of bare':>8}"
    )
    print(header)
    print("-" * len(header))
    for clients in CLIENTS:
        bare = statistics.median(r["rps"] for r in results[(BARE, clients)])
        for label in ROWS:
            runs = results[(label, clients)]
            rps = [r["rps"] for r in runs]
            tail = " / ".join(
                f"{statistics.median(r[p] for r in runs):.1f}" for p in ("p50", "p95", "p99")
            )
            print(
                f"{label:<20} {clients:>7} {spread(rps):>24} {tail:>22} "
                f"{sum(int(r['errors']) for r in runs):>5} "
                f"{statistics.median(rps) / bare:>7.0%}"
            )


# 2 and 3. The flood: signing and confirming, the count read meanwhile, kills --------------------


def _flood_process(  # noqa: C901 -- one client loop, read as one
    port: int,
    prefix: str,
    first: int,
    organizer: int,
    pk: int,
    spool: str,
    threads: int,
    end: float,
) -> dict[str, Any]:
    """Clients that sign (a new address each time) and confirm the links that have come for
    their own signatures, until `end`, through errors and restarts; what was acknowledged, when."""
    lock = threading.Lock()
    signed: list[tuple[str, float]] = []
    confirmed: list[tuple[str, float]] = []
    failures = {"sign": 0, "confirm": 0, "refused": 0}
    waiting: list[str] = []  # tokens of this process's signatures, not yet confirmed
    seen: set[str] = set()
    inbox = Inbox(Path(spool))
    counter = iter(range(10**9))
    email_of: dict[str, str] = {}
    mail_seen: dict[str, float] = {}  # when the link of each signature was in the inbox

    def collect() -> None:
        while time.time() < end:
            for email, token in list(inbox.read().items()):
                if email.startswith(prefix) and email not in seen:
                    seen.add(email)
                    mail_seen[email] = time.time()
                    with lock:
                        waiting.append(token)
                        email_of[token] = email
            time.sleep(0.2)

    def client() -> None:
        conn = Conn(port)
        sign = True
        while time.time() < end:
            token = None
            if not sign:
                with lock:
                    token = waiting.pop() if waiting else None
            sign = not sign
            if token is None:
                with lock:
                    n = first + next(counter)
                email = f"{prefix}{n}@d{n % DOMAINS}.example"
                path = f"/api/v1/campaigns/{pk}/signatures"
                body = _sign_body(email, n, organizer)
                headers = {
                    "Content-Type": "application/json",
                    "X-Forwarded-For": _address(n),
                }
                ok, done, kind = 202, signed, "sign"
            else:
                email = email_of[token]
                path = "/api/v1/campaigns/signatures/confirm"
                body = json.dumps({"token": token}).encode()
                headers = {"Content-Type": "application/json"}
                ok, done, kind = 200, confirmed, "confirm"
            try:
                status, _content = conn.request("POST", path, body, headers)
            except (OSError, http.client.HTTPException):
                # Not acknowledged: the signer would try again. A signature is signed again
                # under a new address (its row may exist: not counted as acknowledged); a
                # confirmation is tried again with the same link.
                with lock:
                    failures[kind] += 1
                    if token is not None:
                        waiting.append(token)
                time.sleep(0.05)
                continue
            now = time.time()
            with lock:
                if status == ok:
                    done.append((email, now))
                else:
                    failures["refused"] += 1
        conn.close()

    reader = threading.Thread(target=collect)
    reader.start()
    pool = [threading.Thread(target=client) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    reader.join()
    return {
        "signed": signed,
        "confirmed": confirmed,
        "failures": failures,
        "unconfirmed_tokens": len(waiting),
        "mail_seen": mail_seen,
    }


def read_count(base_port: int, pk: int) -> int | None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", base_port, timeout=5)
        connection.request("GET", f"/api/v1/campaigns/{pk}/public")
        response = connection.getresponse()
        content = response.read()
        connection.close()
        if response.status != 200:
            return None
        return int(json.loads(content)["signatures"])
    except (OSError, http.client.HTTPException, ValueError, KeyError):
        return None


def flood(
    server: Server,
    info: dict[str, int],
    clients: int,
    seconds: float,
    tag: int,
    kill_every: float = 0,
    kill_all: bool = True,
) -> dict[str, Any]:
    """Sign and confirm for `seconds`, reading the count every 0.25 s (and killing the server every
    `kill_every` s); returns the acknowledged requests, the count's readings and the kills."""
    pk = info["campaign"]
    spool = server.env["BENCH_MAIL_SPOOL"]
    start = time.time()
    end = start + seconds
    readings: list[tuple[float, int]] = []
    kills: list[dict[str, float]] = []
    stopping = threading.Event()

    def watch() -> None:
        while not stopping.is_set():
            count = read_count(server.port, pk)
            if count is not None:
                readings.append((time.time(), count))
            stopping.wait(0.25)

    baseline = read_count(server.port, pk)
    assert baseline is not None, "the campaign's count cannot be read"
    watcher = threading.Thread(target=watch)
    watcher.start()
    shares = _shares(clients)
    with multiprocessing.get_context("fork").Pool(len(shares)) as pool:
        pending = pool.starmap_async(
            _flood_process,
            [
                (
                    server.port,
                    f"f{tag}p{i}n",
                    (tag * 4 + i) * 1_000_000,  # an address of its own for each signature
                    info["organizer"],
                    pk,
                    spool,
                    share,
                    end,
                )
                for i, share in enumerate(shares)
            ],
        )
        next_kill = start + kill_every if kill_every else float("inf")
        while time.time() < end:
            if time.time() >= next_kill and end - time.time() > 5:
                killed_at = time.time()
                n = server.kill(everything=kill_all)
                if kill_all:
                    server.start(wait=False)
                else:
                    time.sleep(0.5)  # gunicorn sees its processes gone and starts new ones
                wait_for(server.base, server.process, server.log.name)  # type: ignore[arg-type]
                kills.append(
                    {"at": killed_at - start, "processes": n, "down": time.time() - killed_at}
                )
                next_kill = killed_at + kill_every
            time.sleep(0.1)
        results = pending.get()
    stopping.set()
    watcher.join()
    return {
        "baseline": baseline,
        "prefix": f"f{tag}p",
        "signed": sorted((e, t) for r in results for e, t in r["signed"]),
        "confirmed": sorted((t, e) for r in results for e, t in r["confirmed"]),
        "failures": {
            k: sum(r["failures"][k] for r in results) for k in ("sign", "confirm", "refused")
        },
        "readings": readings,
        "mail_seen": {e: t for r in results for e, t in r["mail_seen"].items()},
        "kills": kills,
        "start": start,
        "end": end,
    }


def catch_up(
    server: Server, info: dict[str, int], result: dict[str, Any], seconds: float = 120
) -> None:
    """Go on reading the count after the flood, until it holds every confirmation of the flood
    (as the database dates them: `confirmed_at` in result)."""
    result["confirmed_at"] = json.loads(
        run(
            [
                sys.executable,
                __file__,
                "--confirmed-since",
                str(result["start"]),
                "--campaign",
                str(info["campaign"]),
            ],
            server.env,
        )
        .strip()
        .splitlines()[-1]
    )
    target = result["baseline"] + max(len(result["confirmed"]), len(result["confirmed_at"]))
    deadline = time.time() + seconds
    while time.time() < deadline:
        count = read_count(server.port, info["campaign"])
        if count is not None:
            result["readings"].append((time.time(), count))
            if count >= target:
                return
        time.sleep(0.25)


def settle(server: Server, info: dict[str, int], seconds: float = 90) -> None:
    """Until the count has not moved for 7 s (longer than the counting task's period): what was
    confirmed before is counted."""
    deadline = time.time() + seconds
    last, since = None, time.time()
    while time.time() < deadline:
        count = read_count(server.port, info["campaign"])
        if count != last:
            last, since = count, time.time()
        elif time.time() - since > 7:
            return
        time.sleep(0.5)


def lags(result: dict[str, Any], times: list[float]) -> tuple[list[float], int]:
    """For the i-th confirmation at `times` (sorted), the time until the count first read
    baseline + i (the reading's time is when its answer came: a bound from above); and how many
    the count never reached."""
    readings = result["readings"]
    out: list[float] = []
    missed = 0
    j = 0
    for i, acked_at in enumerate(times, 1):
        while j < len(readings) and readings[j][1] - result["baseline"] < i:
            j += 1
        if j == len(readings):
            missed += 1
            continue
        out.append(max(0.0, readings[j][0] - acked_at))
    return out, missed


def print_flood(title: str, result: dict[str, Any]) -> None:
    seconds = result["end"] - result["start"]
    signed, confirmed = len(result["signed"]), len(result["confirmed"])
    print(f"\n{title}")
    print(
        f"acknowledged: {signed} signatures ({signed / seconds:.0f}/s), {confirmed} confirmations "
        f"({confirmed / seconds:.0f}/s); not acknowledged (errors): {result['failures']['sign']} "
        f"signs, {result['failures']['confirm']} confirms; refused: {result['failures']['refused']}"
    )
    behind = [
        ("the confirmations in the database (confirmed_at)", result.get("confirmed_at", [])),
        (
            "the acknowledged confirmations (as clients saw them)",
            [t for t, _e in result["confirmed"]],
        ),
    ]
    for what, times in behind:
        lag, missed = lags(result, times)
        if lag:
            print(
                f"count lag behind {what}: median {statistics.median(lag):.1f} s, "
                f"p95 {percentile(lag, 95):.1f} s, max {max(lag):.1f} s (of {len(times)})"
                + (f"; {missed} never reached" if missed else "")
            )
    mail = [result["mail_seen"][e] - t for e, t in result["signed"] if e in result["mail_seen"]]
    if mail:
        print(
            f"confirmation e-mail after the acknowledged signature: median "
            f"{statistics.median(mail):.1f} s, p95 {percentile(mail, 95):.1f} s, max "
            f"{max(mail):.1f} s; {signed - len(mail)} of {signed} not in the inbox by the end "
            "of the flood"
        )
    for kill in result["kills"]:
        print(
            f"   killed {kill['processes']} processes at {kill['at']:.0f} s; answering again "
            f"after {kill['down']:.1f} s"
        )


def verify(
    env: dict[str, str], server: Server, inbox: Inbox, info: dict[str, int], result: dict[str, Any]
) -> None:
    """Count the rows against what the clients saw acknowledged, once the worker has caught up."""
    signed = [e for e, _t in result["signed"]]
    tokens = inbox.wait(signed, 120)
    catch_up(server, info, result)
    settle(server, info)
    listing = Path(env["INTERNATIONALE_DATA_DIR"]) / "acknowledged.json"
    listing.write_text(
        json.dumps(
            {
                "prefix": result["prefix"],
                "signed": signed,
                "confirmed": [e for _t, e in result["confirmed"]],
            }
        )
    )
    found = json.loads(
        run(
            [
                sys.executable,
                __file__,
                "--check",
                str(listing),
                "--campaign",
                str(info["campaign"]),
            ],
            env,
        )
        .strip()
        .splitlines()[-1]
    )
    print(
        f"rows: {found['bench_rows']} signatures of the flood ({found['statuses']} over the whole "
        f"campaign)\n"
        f"acknowledged signatures: {len(signed)}, without a row: {found['signed_missing']} "
        f"(received, not yet screened: {found['intake']}), "
        f"blocked: {found['signed_blocked']}, without a confirmation e-mail after 120 s: "
        f"{len(signed) - len(tokens)}\n"
        f"acknowledged confirmations: {len(result['confirmed'])} (of which "
        f"{found['confirmed_unsigned']} of signatures whose own answer was lost), not confirmed "
        f"in the database: {found['confirmed_missing']}\n"
        f"public count {found['count']} = confirmed or counted rows "
        f"{found['confirmed_or_counted']}: {found['count'] == found['confirmed_or_counted']}"
    )


# The runs --------------------------------------------------------------------------------------


def bench(database: str, env: dict[str, str], args: argparse.Namespace) -> None:
    python = sys.executable
    env = env | {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "BENCH_MAIL_SPOOL": str(Path(env["INTERNATIONALE_DATA_DIR"]) / "inbox.txt"),
        "TRUSTED_PROXY_COUNT": "1",
    }
    print(f"\n== {database}: migrating and loading the demo network ...", flush=True)
    run([python, "-m", "internationale.cli", "demo"], env)
    info = json.loads(run([python, __file__, "--prepare"], env).strip().splitlines()[-1])
    inbox = Inbox(Path(env["BENCH_MAIL_SPOOL"]))
    server = Server(env, args)
    server.start()
    try:
        if "intake" in args.parts:
            results = bench_intake(server, inbox, info, args)
            print_intake(
                f"{database} · internationale serve · {args.web_processes} web processes of "
                f"{args.threads} threads and the worker · {args.seconds:g} s per measurement · "
                f"{args.runs} runs",
                results,
            )
        if "lag" in args.parts:
            for lag_run in range(args.lag_runs):
                print(f"\n   count lag: {load_average()} before", flush=True)
                settle(server, info)
                # Each run signs new addresses (its tag), on the same server.
                result = flood(server, info, args.lag_clients, args.lag_seconds, 10 + 3 * lag_run)
                catch_up(server, info, result)
                print_flood(
                    f"{database} · the count's lag · run {lag_run + 1} of {args.lag_runs} · "
                    f"{args.lag_clients} clients signing and confirming for "
                    f"{args.lag_seconds:g} s · {load_average()}",
                    result,
                )
        if "kills" in args.parts:
            settle(server, info)
            print(f"\n   durability: {load_average()} before", flush=True)
            result = flood(
                server,
                info,
                args.flood_clients,
                args.duration,
                2,
                kill_every=args.kill_every,
                kill_all=args.kill == "all",
            )
            catch_up(server, info, result)
            print_flood(
                f"{database} · durability · {args.flood_clients} clients for {args.duration:g} s, "
                f"{'every process of the server' if args.kill == 'all' else 'the web processes and the worker'} "
                f"killed (SIGKILL) every {args.kill_every:g} s · "
                f"{load_average()}",
                result,
            )
            verify(env, server, inbox, info, result)
    finally:
        server.stop()
    print(f"\n{load_average()} at the end of {database}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="also measure on this PostgreSQL server")
    parser.add_argument(
        "--database-name",
        default="int_bench_campaigns",
        help="the PostgreSQL database to create (dropped first and at the end)",
    )
    parser.add_argument(
        "--web-processes",
        type=int,
        default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2,
        help="web processes of the server (default: one per core)",
    )
    parser.add_argument("--threads", type=int, default=8, help="threads of each web process")
    parser.add_argument("--seconds", type=float, default=3, help="per measurement of intake")
    parser.add_argument("--runs", type=int, default=3, help="of every measurement of intake")
    parser.add_argument("--lag-clients", type=int, default=8)
    parser.add_argument("--lag-seconds", type=float, default=60)
    parser.add_argument("--lag-runs", type=int, default=1, help="of the count's lag, one server")
    parser.add_argument("--flood-clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=300, help="of the flood with kills")
    parser.add_argument("--kill-every", type=float, default=30)
    parser.add_argument(
        "--kill",
        choices=["all", "children"],
        default="all",
        help="kill every process of the server and start serve again (all), or the web "
        "processes and the worker alone, which gunicorn and serve start again (children)",
    )
    parser.add_argument(
        "--parts",
        default="intake,lag,kills",
        help="which to run, of intake, lag and kills (comma-separated)",
    )
    parser.add_argument(
        "--postgresql-only", action="store_true", help="with --database-url, skip SQLite"
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)  # the child
    parser.add_argument("--check", help=argparse.SUPPRESS)  # the child
    parser.add_argument("--campaign", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--confirmed-since", type=float, help=argparse.SUPPRESS)  # the child
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return
    if args.check:
        check(args.check, args.campaign)
        return
    if args.confirmed_since is not None:
        confirmed_since(args.confirmed_since, args.campaign)
        return
    args.parts = set(args.parts.split(","))
    print(f"{os.cpu_count()} cores; {load_average()} at the start", flush=True)
    for database, env in databases(args.database_url, args.database_name):
        if args.postgresql_only and args.database_url and database == "SQLite":
            continue
        bench(database, env, args)


if __name__ == "__main__":
    main()
