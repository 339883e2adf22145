"""Private files in an S3-compatible bucket (settings.S3_BUCKET): stored as the portal's Fernet tokens, read
back plain, sized as downloaded, and rewritten in place by key rotation. The bucket is moto's, in memory
(S3 itself is outside the machine)."""

import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from moto import mock_aws

from foreign_affairs.privacy import crypto
from foreign_affairs.privacy.rekey import rekey_files
from foreign_affairs.privacy.s3 import EncryptedS3Storage

ROOT = Path(__file__).resolve().parents[3]
BUCKET = "portal-private"
PLAIN = b"%PDF-1.7 passport scan of Zhang Wei, E12345678"


@pytest.fixture
def bucket(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        boto3.client("s3").create_bucket(Bucket=BUCKET)
        yield boto3.client("s3")


@pytest.fixture
def storage(bucket):
    return EncryptedS3Storage(bucket_name=BUCKET, location="private", default_acl=None, file_overwrite=False)


def stored(bucket, name) -> bytes:
    return bucket.get_object(Bucket=BUCKET, Key=f"private/{name}")["Body"].read()


def test_files_are_encrypted_in_the_bucket_and_read_back_plain(storage, bucket):
    name = storage.save("documents/scan.pdf", ContentFile(PLAIN))
    in_bucket = stored(bucket, name)
    assert PLAIN not in in_bucket and b"E12345678" not in in_bucket
    assert crypto.decrypt_bytes(in_bucket) == PLAIN
    with storage.open(name) as handle:
        assert handle.read() == PLAIN
    assert storage.size(name) == len(PLAIN) < len(in_bucket)
    assert storage.raw_bytes(name) == in_bucket


def test_a_second_file_of_the_same_name_does_not_replace_the_first(storage):
    first = storage.save("permits/P-1.pdf", ContentFile(PLAIN))
    second = storage.save("permits/P-1.pdf", ContentFile(b"another"))
    assert first != second
    assert storage.open(first).read() == PLAIN and storage.open(second).read() == b"another"


def test_files_are_never_opened_for_writing(storage):
    name = storage.save("documents/scan.pdf", ContentFile(PLAIN))
    with pytest.raises(ValueError, match="save"):
        storage.open(name, "wb")


def test_key_rotation_rewrites_the_stored_token(storage, bucket, settings):
    name = storage.save("documents/scan.pdf", ContentFile(PLAIN))
    old = stored(bucket, name)
    new_key = "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s="
    settings.PERSONAL_DATA_KEYS = [new_key, *settings.PERSONAL_DATA_KEYS]
    assert crypto.needs_rotation(old)
    storage.rewrite(name, crypto.rotate_bytes(old))
    assert not crypto.needs_rotation(stored(bucket, name))
    assert storage.open(name).read() == PLAIN


def test_personal_data_rekey_walks_the_bucket(storage, bucket, settings):
    names = [
        storage.save("documents/2026/11/scan.pdf", ContentFile(PLAIN)),
        storage.save("permits/2026/HNFP-2026-00001.pdf", ContentFile(b"%PDF permit")),
        storage.save("top.txt", ContentFile(b"a file at the top")),
    ]
    settings.PERSONAL_DATA_KEYS = [
        "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=",
        *settings.PERSONAL_DATA_KEYS,
    ]

    assert rekey_files(storage) == (3, 3)

    for name in names:
        assert not crypto.needs_rotation(stored(bucket, name))
    assert storage.open(names[0]).read() == PLAIN
    assert rekey_files(storage) == (0, 3)  # a second run rewrites nothing
    # The old key can go: every file reads with the new one alone.
    settings.PERSONAL_DATA_KEYS = settings.PERSONAL_DATA_KEYS[:1]
    assert [storage.open(name).read() for name in names] == [PLAIN, b"%PDF permit", b"a file at the top"]


def test_the_private_storage_is_the_bucket_when_s3_bucket_is_set():
    environment = {
        **os.environ,
        "DEBUG": "true",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": "http://minio:9000",
        "DJANGO_SETTINGS_MODULE": "foreign_affairs.settings",
    }
    code = (
        "import django; django.setup(); from django.core.files.storage import storages; "
        "s = storages['private']; print(type(s).__name__, s.bucket_name, s.location, s.endpoint_url)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["EncryptedS3Storage", BUCKET, "private", "http://minio:9000"]
