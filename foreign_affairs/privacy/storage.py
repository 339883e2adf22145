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


class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        content.seek(0)
        return super()._save(name, ContentFile(crypto.encrypt_bytes(content.read())))

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Encrypted private files are written through save(), never opened for writing.")
        with super()._open(name, "rb") as handle:
            data = crypto.decrypt_bytes(handle.read())
        return File(io.BytesIO(data), name=name)

    def size(self, name):
        with self._open(name) as handle:
            return len(handle.file.getbuffer())

    def raw_bytes(self, name) -> bytes:
        """The stored bytes as they are on disk (tests, key rotation)."""
        with super()._open(name, "rb") as handle:
            return handle.read()

    def rewrite(self, name, data: bytes) -> None:
        """Replace the stored bytes of `name` in place (key rotation)."""
        path = self.path(name)
        temporary = f"{path}.rekey"
        with open(temporary, "wb") as handle:
            handle.write(data)
        import os

        os.replace(temporary, path)
