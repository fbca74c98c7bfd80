"""Settings read from the environment through small typed helpers."""

import hashlib
import os
import secrets
from collections.abc import Collection
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be {minimum} or more, not {number}")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    path = Path(env_str("INTERNATIONALE_DATA_DIR", "data")).resolve()
    # ./data taken from inside the package (a command run in internationale/) would put the
    # database and the secret key among the code, where they get committed and shipped.
    if path == PACKAGE_DIR or PACKAGE_DIR in path.parents:
        raise ImproperlyConfigured(
            f"The data directory {path} is inside the package {PACKAGE_DIR}: run from the "
            "project's directory, or set INTERNATIONALE_DATA_DIR to a directory outside it."
        )
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """The key from SECRET_KEY, else the one generated on first start and kept in the data dir."""
    if key := env_str("SECRET_KEY"):
        return key
    path = directory / "secret_key"
    if not path.exists():
        # Written whole to a private temporary file, then linked into place. Linking fails when
        # the file exists, so two processes starting together (web and worker) agree on one key,
        # and neither can read the file before the key is in it.
        temporary = directory / f".secret_key.{secrets.token_hex(8)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: remove it and a new key is generated.")
    return key


def refuse_known_secret_key(
    key: str, known_sha256: Collection[str], fallbacks: Collection[str] = ()
) -> None:
    """Stop the start when the key, or one of its fallbacks, is one that was ever public
    (committed to the repository): anyone could sign sessions, password-reset links and tokens
    with it, and Django accepts what a fallback signed as it accepts what the key signed."""

    def published(candidate: str) -> bool:
        return hashlib.sha256(candidate.strip().encode()).hexdigest() in known_sha256

    if published(key):
        raise ImproperlyConfigured(
            "SECRET_KEY is a key that was published with the source code: generate a new one "
            "(or remove the secret_key file in the data directory, and one is generated)."
        )
    for position, fallback in enumerate(fallbacks, start=1):
        if published(fallback):
            raise ImproperlyConfigured(
                f"SECRET_KEY_FALLBACKS holds, at position {position}, a key that was published "
                "with the source code: remove it (what it signed, anyone could have signed)."
            )
