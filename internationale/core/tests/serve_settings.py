"""The embedded default's settings, plus a page that tells which process answered, for the test
that every web process of `internationale serve` answers (test_cli.py)."""

from internationale.settings.dev import *  # noqa: F403

ROOT_URLCONF = "internationale.core.tests.serve_urls"
