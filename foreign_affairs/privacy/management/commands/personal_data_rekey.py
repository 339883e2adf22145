from django.core.management.base import BaseCommand

from foreign_affairs.privacy.rekey import rekey


class Command(BaseCommand):
    help = (
        "Re-encrypt every passport number and private file under the newest key of PERSONAL_DATA_KEYS and "
        "recompute the blind indexes with PERSONAL_DATA_INDEX_KEY. Run after putting a new key in front; "
        "then the old key can be dropped. Safe to run twice."
    )

    def handle(self, *args, **options):
        result = rekey()
        for label, count in result.values.items():
            self.stdout.write(f"{label}: {count} rows re-encrypted")
        self.stdout.write(f"private files: {result.files} of {result.files_checked} re-encrypted")
