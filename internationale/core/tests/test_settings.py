"""Settings read from the environment, the generated secret key, production checks, body limits."""

import io
import secrets
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from internationale.settings.env import data_dir, env_bool, env_int, env_list, secret_key

from .environment import ROOT, clean_environment


@pytest.mark.parametrize(
    "raw, expected",
    [("1", True), ("true", True), ("Yes", True), ("ON", True), ("0", False), ("off", False)],
)
def test_a_true_or_false_setting_is_read_in_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SIGNUP_OPEN", raw)
    assert env_bool("SIGNUP_OPEN", not expected) is expected


def test_an_unset_or_empty_setting_takes_its_default(monkeypatch):
    monkeypatch.delenv("SIGNUP_OPEN", raising=False)
    assert env_bool("SIGNUP_OPEN", True) is True
    monkeypatch.setenv("EMAIL_PORT", "")
    assert env_int("EMAIL_PORT", 587) == 587
    monkeypatch.setenv("ALLOWED_HOSTS", " ")
    assert env_list("ALLOWED_HOSTS", ["localhost"]) == ["localhost"]


def test_a_mistyped_true_or_false_setting_stops_the_start_with_its_name(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false, not 'maybe'"):
        env_bool("DEBUG")


def test_a_mistyped_number_setting_stops_the_start_with_its_name(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "five-eight-seven")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        env_int("EMAIL_PORT", 587)
    monkeypatch.setenv("EMAIL_PORT", "2525")
    assert env_int("EMAIL_PORT", 587) == 2525


def test_a_number_setting_below_its_minimum_stops_the_start_with_its_name(monkeypatch):
    monkeypatch.setenv("EMAIL_RETENTION_DAYS", "-1")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_RETENTION_DAYS must be 0 or more"):
        env_int("EMAIL_RETENTION_DAYS", 90, minimum=0)
    monkeypatch.setenv("EMAIL_RETENTION_DAYS", "0")
    assert env_int("EMAIL_RETENTION_DAYS", 90, minimum=0) == 0


def test_a_list_setting_is_comma_separated(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org, www.example.org,,")
    assert env_list("ALLOWED_HOSTS") == ["example.org", "www.example.org"]


def test_the_secret_key_is_generated_once_kept_private_and_reused(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    key = secret_key(tmp_path)
    assert len(key) >= 50
    assert secret_key(tmp_path) == key
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]  # no temporary left


def test_a_secret_key_from_the_environment_wins_and_nothing_is_written(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def start_together(directory: Path, processes: int = 8) -> list[object]:
    """The key each of several starts reads, all beginning at the same moment."""
    barrier = threading.Barrier(processes)
    keys: list[object] = []

    def start() -> None:
        barrier.wait()
        try:
            keys.append(secret_key(directory))
        except Exception as exc:
            keys.append(exc)

    threads = [threading.Thread(target=start) for _ in range(processes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return keys


def test_processes_starting_together_agree_on_one_secret_key(monkeypatch, tmp_path):
    # The web process and the worker start at the same moment on first start.
    monkeypatch.delenv("SECRET_KEY", raising=False)
    for attempt in range(20):
        directory = tmp_path / str(attempt)
        directory.mkdir()
        keys = start_together(directory)
        assert len(set(keys)) == 1, keys
        assert isinstance(keys[0], str) and len(keys[0]) >= 50


def test_an_emptied_secret_key_file_is_reported_rather_than_used(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("\n")
    with pytest.raises(ImproperlyConfigured, match="secret_key is empty"):
        secret_key(tmp_path)


def test_production_settings_pass_the_deployment_checks_without_a_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_environment(
            DJANGO_SETTINGS_MODULE="internationale.settings.production",
            ALLOWED_HOSTS="solidarity.example.org",
            SECRET_KEY=secrets.token_urlsafe(50),
            INTERNATIONALE_DATA_DIR=str(tmp_path),
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def git(*args: str) -> str:
    executable = shutil.which("git")
    if executable is None:
        pytest.skip("git is not at hand")
    result = subprocess.run(  # noqa: S603 (git, with our own arguments)
        [executable, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.skip("the repository's history is not at hand")
    return result.stdout


def published_secret_key() -> str:
    """The key once committed to the repository, read back from its history (never written in
    the source again)."""
    return git("show", "22b98c9:internationale/data/secret_key").strip()


def test_production_settings_refuse_the_secret_key_once_published(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean_environment(
            DJANGO_SETTINGS_MODULE="internationale.settings.production",
            ALLOWED_HOSTS="solidarity.example.org",
            SECRET_KEY=published_secret_key(),
            INTERNATIONALE_DATA_DIR=str(tmp_path),
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "published with the source code" in result.stderr


def test_production_settings_refuse_the_published_key_from_the_data_directory(tmp_path):
    # Copied into the data directory, it is refused too: the key file is read the same way.
    (tmp_path / "secret_key").write_text(published_secret_key() + "\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean_environment(
            DJANGO_SETTINGS_MODULE="internationale.settings.production",
            ALLOWED_HOSTS="solidarity.example.org",
            INTERNATIONALE_DATA_DIR=str(tmp_path),
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "published with the source code" in result.stderr


def test_production_settings_refuse_the_published_key_among_the_fallbacks(tmp_path):
    # A fallback still validates what it signed: the published key is no safer there.
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean_environment(
            DJANGO_SETTINGS_MODULE="internationale.settings.production",
            ALLOWED_HOSTS="solidarity.example.org",
            SECRET_KEY=secrets.token_urlsafe(50),
            SECRET_KEY_FALLBACKS=f"{secrets.token_urlsafe(50)},{published_secret_key()}",
            INTERNATIONALE_DATA_DIR=str(tmp_path),
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY_FALLBACKS holds, at position 2" in result.stderr


def test_no_data_directory_is_made_inside_the_package(monkeypatch):
    # A command run from internationale/ would otherwise keep ./data, the secret key with it,
    # among the code.
    monkeypatch.chdir(ROOT / "internationale")
    monkeypatch.delenv("INTERNATIONALE_DATA_DIR", raising=False)
    with pytest.raises(ImproperlyConfigured, match="inside the package"):
        data_dir()
    assert not (ROOT / "internationale" / "data").exists()


def test_no_secret_key_is_kept_in_the_repository():
    assert git("ls-files", "--", "*secret_key*") == ""


def test_production_settings_refuse_a_mistyped_environment(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean_environment(
            DJANGO_SETTINGS_MODULE="internationale.settings.production",
            SECURE_SSL_REDIRECT="sometimes",
            INTERNATIONALE_DATA_DIR=str(tmp_path),
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT must be true or false" in result.stderr


# The request body limit -------------------------------------------------------------------------


@pytest.fixture
def small_limit(settings):
    settings.INTERNATIONALE_MAX_REQUEST_BYTES = 1000
    return 1000


def test_an_oversized_body_is_refused_with_413(small_limit, client_for, nell):
    response = client_for(nell).post(
        "/", data=b"x" * (small_limit + 1), content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/plain")
    assert b"1000 bytes" in response.content


def test_an_oversized_api_body_is_refused_with_413_in_json(small_limit, client_for):
    response = client_for().post(
        "/api/v1/organizations", data=b"{}" + b" " * small_limit, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request is too large: at most 1000 bytes are accepted.",
        "errors": {},
    }


def test_a_form_with_files_has_its_own_larger_limit(small_limit, settings, client_for, nell):
    settings.INTERNATIONALE_MAX_UPLOAD_BYTES = 5000
    client = client_for(nell)
    within = client.post("/", {"file": io.BytesIO(b"x" * 3000)})
    beyond = client.post("/", {"file": io.BytesIO(b"x" * 6000)})
    assert within.status_code != 413  # over the 1,000-byte body limit, within the upload limit
    assert beyond.status_code == 413


def test_a_body_within_the_limit_goes_through(small_limit, client_for, nell):
    response = client_for(nell).post(
        "/", data=b"x" * small_limit, content_type="application/octet-stream"
    )
    assert response.status_code != 413
