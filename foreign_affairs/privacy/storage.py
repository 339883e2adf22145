"""Private files (passport scans, photographs, permits, letters, certificates, exports) stored
encrypted: each file is one Fernet token under the key ring of crypto (the newest key encrypts, all
decrypt), decrypted on the fly when a permission-checked view opens it. Files written before encryption
was switched on are read as they are until `manage.py personal_data_rekey` encrypts them.

The whole file is held in memory while it is encrypted or decrypted: uploads are at most 10 MB, exports
are written by a worker. Storage that encrypts by itself (an S3 bucket with server-side encryption) can be
used instead; settings.PRIVATE_STORAGE_ENCRYPTED then says so.
"""

import io

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

from . import crypto


class EncryptingStorage:
    """Encryption over any Django storage class (mixed in before it): files are written as one Fernet token
    and read back decrypted; `raw_bytes` gives the token as stored (tests, key rotation)."""

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
        with super()._open(name, "rb") as handle:
            return handle.read()


class EncryptedFileSystemStorage(EncryptingStorage, FileSystemStorage):
    def rewrite(self, name, data: bytes) -> None:
        """Replace the stored bytes of `name` in place (key rotation)."""
        path = self.path(name)
        temporary = f"{path}.rekey"
        with open(temporary, "wb") as handle:
            handle.write(data)
        import os

        os.replace(temporary, path)
