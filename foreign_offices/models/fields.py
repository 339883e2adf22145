"""A JSON object some of whose values are personal data stored encrypted (privacy.crypto).

    proposed = EncryptedKeysJSONField(encrypted_keys=("passport_number",), default=dict)

In Python the object holds the plain values (services, pages, the API and the person's data export read
it as before); in the database the named keys hold Fernet tokens, so the column and its backups show no
passport number. `manage.py personal_data_rekey` re-encrypts them under the newest key (privacy.rekey finds
every field with `encrypted_at_rest`). The encrypted keys cannot be searched in SQL: nothing looks them up.
"""

from django.db import models

from foreign_affairs.privacy import crypto


def _is_token(value: str) -> bool:
    return crypto.is_encrypted(value.encode("ascii", "surrogateescape"))


class EncryptedKeysJSONField(models.JSONField):
    encrypted_at_rest = True

    def __init__(self, *args, encrypted_keys=(), **kwargs):
        self.encrypted_keys = tuple(encrypted_keys)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["encrypted_keys"] = self.encrypted_keys
        return name, path, args, kwargs

    def _each_key(self, value, change):
        if not isinstance(value, dict) or not any(value.get(key) for key in self.encrypted_keys):
            return value
        value = dict(value)
        for key in self.encrypted_keys:
            if isinstance(value.get(key), str) and value[key]:
                value[key] = change(value[key])
        return value

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return self._each_key(value, crypto.decrypt_text)

    def get_prep_value(self, value):
        # A value that is a token already is kept (never encrypted twice); a passport number, upper case
        # letters and digits, never looks like one.
        value = self._each_key(value, lambda text: text if _is_token(text) else crypto.encrypt_text(text))
        return super().get_prep_value(value)
