"""A test client whose requests run what they queue on commit, as a real commit does."""

from typing import Any


def committing(client: Any, capture: Any) -> Any:
    class Committing:
        def __getattr__(self, name: str) -> Any:
            method = getattr(client, name)

            def call(*args: Any, **kwargs: Any) -> Any:
                with capture(execute=True):
                    return method(*args, **kwargs)

            return call

    return Committing()
