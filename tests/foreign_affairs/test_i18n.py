"""Chinese by default, English on request; the catalogue is complete and compiled."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

pytestmark = pytest.mark.django_db


def test_pages_are_chinese_by_default_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-Hans">' in body
    assert "河南省外事服务平台" in body and "五大服务领域" in body


def test_switching_to_english_sticks_and_is_remembered_for_e_mails(client, applicant):
    client.force_login(applicant)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    body = client.get("/dashboard/").content.decode()
    assert '<html lang="en">' in body and "What needs you now" in body
    applicant.refresh_from_db()
    assert applicant.preferred_language == "en"
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "待办事项" in client.get("/dashboard/").content.decode()


def test_a_signed_in_user_gets_their_preferred_language_on_a_new_device(client, applicant):
    applicant.preferred_language = "en"
    applicant.save()
    client.force_login(applicant)
    assert "What needs you now" in client.get("/dashboard/").content.decode()


def test_the_api_follows_accept_language(api_client):
    english = api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = api_client.get("/api/v1/me/")
    assert english.json()["detail"] == "Authentication credentials were not provided."
    assert chinese.json()["detail"] == "身份认证信息未提供。"


def test_dates_read_naturally_in_each_language():
    from datetime import date

    from django.utils import formats, translation

    with translation.override("zh-hans"):
        assert formats.date_format(date(2026, 11, 26)) == "2026年11月26日"
    with translation.override("en"):
        assert formats.date_format(date(2026, 11, 26)) == "26 Nov 2026"


def test_every_message_is_translated_and_the_compiled_catalogue_matches():
    catalogue = polib.pofile(str(PO))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    compiled = gettext.GNUTranslations(MO.open("rb"))
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0], (
                entry.msgid
            )
        else:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            assert compiled.gettext(key) == entry.msgstr, f"locale/ is not compiled: {entry.msgid!r}"


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """Strings marked in code and templates after the last `make messages` would show in English."""
    if not shutil.which("xgettext"):
        pytest.skip("needs GNU gettext's xgettext (apt-get install gettext) to extract messages")
    apps = {path.name for path in ROOT.iterdir() if (path / "apps.py").exists()}
    for name in sorted({"foreign_affairs", "templates", *apps}):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    (tmp_path / "locale").mkdir()
    env = {"DEBUG": "true", "PATH": os.environ["PATH"], "LOG_LEVEL": "WARNING"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env=env,
    )
    extracted = {
        entry.msgid for entry in polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"))
    }
    known = {entry.msgid for entry in polib.pofile(str(PO))}
    assert len(extracted) > 300
    assert extracted - known == set(), "run `make messages` and translate the new strings"
