"""Private files in an S3-compatible bucket (settings.S3_BUCKET), encrypted by the portal as on disk.

The bucket's own encryption at rest protects against a lost disk at the provider, not against whoever
holds the bucket's credentials or a bucket made public by mistake; files encrypted here with the portal's
keys (privacy.crypto, the same Fernet tokens as EncryptedFileSystemStorage writes) stay unreadable
without PERSONAL_DATA_KEYS, which never leave the portal's environment. Both can be used together.
"""

import io

from django.core.files.base import ContentFile, File
from storages.backends.s3 import S3Storage

from . import crypto


class EncryptedS3Storage(S3Storage):
    def _save(self, name, content):
        content.seek(0)
        return super()._save(name, ContentFile(crypto.encrypt_bytes(content.read())))

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Encrypted private files are written through save(), never opened for writing.")
        return File(io.BytesIO(crypto.decrypt_bytes(self.raw_bytes(name))), name=name)

    def size(self, name):
        """The size of the plain file, as downloaded (the stored token is about a third larger)."""
        with self._open(name) as handle:
            return len(handle.file.getbuffer())

    def raw_bytes(self, name) -> bytes:
        """The stored bytes as they are in the bucket (tests, key rotation)."""
        with super()._open(name, "rb") as handle:
            return handle.read()

    def rewrite(self, name, data: bytes) -> None:
        """Replace the stored bytes of `name` (key rotation): one PUT, which S3 applies atomically."""
        super()._save(name, ContentFile(data))
