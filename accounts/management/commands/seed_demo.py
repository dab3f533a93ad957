from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app seeds its part of the demo world, in this order, through its own services.
DEMO_STEPS = [
    "accounts.demo",
    "regions.demo",
    "practices.demo",
    "meetings.demo",  # last: it links the practices and regions seeded before it
]


class Command(BaseCommand):
    help = "Loads the demo world of DESIGN.md. Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Seed even with DEBUG off (not for production)."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates people with the password 'demo'; it refuses to run with "
                "DEBUG off. Use --force if this really is a demo server."
            )

        def log(message: str) -> None:
            self.stdout.write(f"  {message}")

        with transaction.atomic():
            for step in DEMO_STEPS:
                import_module(step).seed(log)
        self.stdout.write(self.style.SUCCESS("The demo world is ready."))
