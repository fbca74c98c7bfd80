"""`manage.py demo`: load the demo network, as `internationale demo` does."""

from typing import Any

from django.core.management.base import BaseCommand

from internationale.web.demo import DEMO_PASSWORD, demo_sign_ins_text, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo network of invented organizations and people (once: again, it only adds "
        "what a demo loaded by an earlier version lacks, such as its appeals)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo(stdout=self.stdout)
        self.stdout.write(f"\nDemo sign-ins (password: {DEMO_PASSWORD}):\n{demo_sign_ins_text()}")
