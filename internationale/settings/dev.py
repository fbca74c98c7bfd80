"""The embedded default, as `make run` and `internationale serve` start it."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DEBUG", False)
