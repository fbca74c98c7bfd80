"""What the benchmarks share: a temporary data directory and database for each database measured,
the environment of the processes they start, and waiting for a server to answer."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "bench.settings_bench"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command: list[str], env: dict[str, str], timeout: float = 600) -> str:
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def environment(data_dir: Path, database_url: str = "") -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DEBUG", "ALLOWED_HOSTS", "SECRET_KEY", "EMAIL_HOST"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "INTERNATIONALE_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "ERROR",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def databases(database_url: str | None, name: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    """("SQLite", its environment), then, with a URL, ("PostgreSQL", ...): each with a fresh
    temporary data directory and, for PostgreSQL, a temporary database created next to the one
    in the URL (the role needs CREATEDB), named `name` if given (dropped first if it exists);
    both are removed when the caller moves on."""
    data_dir = Path(tempfile.mkdtemp(prefix="internationale-bench-"))
    try:
        yield "SQLite", environment(data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if not database_url:
        return
    import psycopg

    name = name or f"internationale_bench_{secrets.token_hex(4)}"
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    data_dir = Path(tempfile.mkdtemp(prefix="internationale-bench-"))
    try:
        yield "PostgreSQL", environment(data_dir, with_database(database_url, name))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for(base: str, server: subprocess.Popen, log: str, seconds: float = 120) -> None:
    """Until the server answers its minimal view; exits with the server's log if it stops."""
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server stopped:\n{Path(log).read_text()}")
        try:
            if requests.get(base + "/bench/minimal/", timeout=30).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still loading the app
            pass
        time.sleep(0.2)
    sys.exit(f"the server did not answer in time:\n{Path(log).read_text()}")


def stop(server: subprocess.Popen, seconds: float = 30) -> None:
    server.terminate()
    try:
        server.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def web_command(port: int, threads: int = 8) -> list[str]:
    """The real server as `internationale serve` runs it, with one web process: the cost of each
    page, not the machine's throughput (bench/server.py measures that)."""
    return [
        sys.executable,
        "-m",
        "internationale.cli",
        "web",
        f"--port={port}",
        "--processes=1",
        f"--threads={threads}",
    ]
