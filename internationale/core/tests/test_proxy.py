"""Every documented way of serving the production settings works behind the TLS proxy they
assume: `internationale serve`, and the `internationale web` command of docs/operations.md."""

import http.client
import re
import shlex
import signal
import subprocess
from pathlib import Path

from .environment import ROOT, clean_environment
from .test_cli import _console_script, _free_port, _wait_for


def _get(port: int, **headers: str) -> tuple[int, str]:
    """One request, redirects not followed: (status, Location)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/", headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    except OSError:
        return 0, ""
    finally:
        connection.close()


def _behind_the_proxy(port: int) -> tuple[int, str]:
    return _get(port, **{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"})


def _serving(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as output:
        return subprocess.Popen(  # noqa: S603 - our own commands
            command, env=env, cwd=log.parent, stdout=output, stderr=subprocess.STDOUT
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _documented_web_command(port: int) -> list[str]:
    text = (ROOT / "docs" / "operations.md").read_text()
    line = re.search(r"^\s*DJANGO_SETTINGS_MODULE=\S+ (internationale web .+)$", text, re.M)
    assert line, "docs/operations.md shows no 'internationale web' command"
    words = shlex.split(line[1].replace("--port 8000", f"--port {port}"))
    return [*_console_script(), *words[1:]]


def test_the_production_settings_answer_behind_the_proxy_through_each_documented_command(
    tmp_path,
):
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="internationale.settings.production",
        INTERNATIONALE_DATA_DIR=str(tmp_path),
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "serve.log"
    port = _free_port()
    server = _serving(
        [*_console_script(), "serve", "--host", "127.0.0.1", "--port", str(port)], env, log
    )
    try:
        assert _wait_for(lambda: _behind_the_proxy(port)[0] != 0, timeout=90), log.read_text()
        assert _behind_the_proxy(port) == (200, ""), log.read_text()
        # Reached in plain HTTP, it still sends the visitor to HTTPS.
        assert _get(port) == (301, f"https://127.0.0.1:{port}/")
    finally:
        _stop(server)

    port = _free_port()  # the database is migrated now: what a release's web processes find
    server = _serving(_documented_web_command(port), env, log)
    try:
        assert _wait_for(lambda: _behind_the_proxy(port)[0] != 0, timeout=60), log.read_text()
        assert _behind_the_proxy(port) == (200, ""), log.read_text()
        assert _get(port) == (301, f"https://127.0.0.1:{port}/")
    finally:
        _stop(server)

    # TRUSTED_PROXY_COUNT=0: whoever connects is the client, so a request that only says it came
    # over HTTPS is still sent to HTTPS, never answered as if it had.
    port = _free_port()
    server = _serving(_documented_web_command(port), env | {"TRUSTED_PROXY_COUNT": "0"}, log)
    try:
        assert _wait_for(lambda: _get(port)[0] != 0, timeout=60), log.read_text()
        assert _behind_the_proxy(port) == (301, f"https://127.0.0.1:{port}/")
    finally:
        _stop(server)
