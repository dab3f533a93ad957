"""Removes now what the nightly task removes (beat runs it at 03:30), and says how much."""

from django.core.management.base import BaseCommand

from privacy.services import old_data_remove


class Command(BaseCommand):
    help = (
        "Removes expired sessions, old sign-in attempts, old outbox rows and the raw bytes "
        "of old emails received, each after its period (RETENTION_* settings)."
    )

    def handle(self, *args, **options) -> None:
        for what, count in old_data_remove().items():
            self.stdout.write(f"{what}: {count}")
