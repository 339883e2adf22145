"""The keys of personal data come from the environment; a wrong one stops start-up, a missing one is
derived from SECRET_KEY and `check --deploy` says so."""

from tests.foreign_affairs.test_settings import PRODUCTION, run_django


def test_keys_come_from_the_environment():
    result = run_django(
        "print(s.PERSONAL_DATA_KEYS, s.PERSONAL_DATA_INDEX_KEY, s.PERSONAL_DATA_KEYS_DERIVED)",
        **{
            **PRODUCTION,
            "PERSONAL_DATA_KEYS": "bmV3X2tleV9uZXdfa2V5X25ld19rZXlfbmV3X2tleTE=,"
            + PRODUCTION["PERSONAL_DATA_KEYS"],
        },
    )
    assert result.returncode == 0, result.stderr
    keys, index, derived = result.stdout.rsplit(" ", 2)
    assert keys.startswith("['bmV3X2tleV9uZXdfa2V5X25ld19rZXlfbmV3X2tleTE='")  # the newest first
    assert index == PRODUCTION["PERSONAL_DATA_INDEX_KEY"]
    assert derived.strip() == "False"


def test_a_value_that_is_not_a_fernet_key_stops_start_up():
    result = run_django("print('started')", **{**PRODUCTION, "PERSONAL_DATA_KEYS": "not-a-key"})
    assert result.returncode != 0
    assert "PERSONAL_DATA_KEYS holds a value that is not a Fernet key" in result.stderr


def test_missing_keys_are_derived_and_the_deployment_check_warns(tmp_path):
    environment = {k: v for k, v in PRODUCTION.items() if not k.startswith("PERSONAL_DATA")}
    result = run_django(
        "from django.core.management import call_command; call_command('check', deploy=True)",
        **environment,
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        AUDIT_CHECKPOINT_DIR=str(tmp_path / "checkpoints"),
    )
    assert "privacy.W001" in result.stderr + result.stdout
