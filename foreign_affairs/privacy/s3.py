"""Private files in an S3-compatible bucket (settings.S3_BUCKET), encrypted by the portal as on disk.

The bucket's own encryption at rest protects against a lost disk at the provider, not against whoever
holds the bucket's credentials or a bucket made public by mistake; files encrypted here with the portal's
keys (privacy.crypto, the same Fernet tokens as EncryptedFileSystemStorage writes) stay unreadable
without PERSONAL_DATA_KEYS, which never leave the portal's environment. Both can be used together.
"""

from django.core.files.base import ContentFile
from storages.backends.s3 import S3Storage

from .storage import EncryptingStorage


class EncryptedS3Storage(EncryptingStorage, S3Storage):
    def rewrite(self, name, data: bytes) -> None:
        """Replace the stored bytes of `name` (key rotation): one PUT, which S3 applies atomically."""
        S3Storage._save(self, name, ContentFile(data))  # the token as it is, not encrypted again
