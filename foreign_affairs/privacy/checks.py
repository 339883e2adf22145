"""`check --deploy` warns while the keys of personal data are derived from SECRET_KEY (privacy.W001)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_personal_data_keys(app_configs=None, **kwargs):
    if settings.DEBUG or not settings.PERSONAL_DATA_KEYS_DERIVED:
        return []
    return [
        Warning(
            "PERSONAL_DATA_KEYS or PERSONAL_DATA_INDEX_KEY is not set: passport numbers and private files are "
            "encrypted with keys derived from SECRET_KEY, so whoever has that key can read them.",
            hint="Set PERSONAL_DATA_KEYS (a Fernet key) and PERSONAL_DATA_INDEX_KEY (32+ random characters) "
            "from the environment; see README, 'Personal information'.",
            id="privacy.W001",
        )
    ]
