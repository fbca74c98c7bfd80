"""For tests that start another Python process with the project's real settings."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def clean_environment(**overrides: str) -> dict[str, str]:
    """This process's environment without the settings a developer may have exported."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "EMAIL_HOST"}
        and not k.startswith("PYTEST")
        and k != "DJANGO_SETTINGS_MODULE"
    }
    return env | overrides
