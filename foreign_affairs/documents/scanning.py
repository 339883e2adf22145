"""Virus scanning of uploads by ClamAV's clamd, when CLAMAV_URL is set.

The client speaks clamd's INSTREAM command over a socket (no maintained Python client exists): the
command "zINSTREAM\\0", the file in chunks each preceded by its length (4 bytes, big-endian), a
zero-length chunk to end, then one reply ending in NUL: "stream: OK" or "stream: <signature> FOUND";
anything else (" ERROR" replies, a closed connection, a timeout) means the file was not checked.
"""

import logging
import socket
import struct
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024  # clamd reads at most StreamMaxLength (25 MB by default) in all


class ScanUnavailable(Exception):
    """clamd could not be asked, or did not give a verdict."""


def clamd_instream(chunks: Iterable[bytes], *, url: str, timeout: float) -> str | None:
    """Stream `chunks` to the clamd at `url` (tcp://host:port or unix:///path); return the name of the
    signature it found, or None for a clean file. Raises ScanUnavailable when there is no verdict."""
    parts = urlsplit(url)
    try:
        if parts.scheme == "tcp" and parts.hostname and parts.port:
            connection = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        elif parts.scheme == "unix" and parts.path:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(timeout)
            try:
                connection.connect(parts.path)
            except OSError:
                connection.close()
                raise
        else:
            raise ScanUnavailable(f"CLAMAV_URL is neither tcp://host:port nor unix:///path: {url!r}")
    except (OSError, ValueError) as error:
        raise ScanUnavailable(f"cannot connect to clamd: {error}") from error
    with connection:
        try:
            connection.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK_SIZE):
                    piece = chunk[start : start + CHUNK_SIZE]
                    connection.sendall(struct.pack(">I", len(piece)) + piece)
            connection.sendall(struct.pack(">I", 0))
            reply = _read_reply(connection)
        except OSError as error:
            raise ScanUnavailable(f"clamd did not answer: {error}") from error
    if reply == "stream: OK":
        return None
    if reply.startswith("stream: ") and reply.endswith(" FOUND"):
        return reply.removeprefix("stream: ").removesuffix(" FOUND")
    raise ScanUnavailable(f"clamd replied {reply[:200]!r}")


def _read_reply(connection: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0") and len(reply) < 4096:
        part = connection.recv(4096)
        if not part:
            break
        reply += part
    return reply.rstrip(b"\0").strip().decode("utf-8", "replace")


def scan_upload(uploaded_file, *, user=None) -> None:
    """Have clamd check `uploaded_file` when CLAMAV_URL is set (nothing otherwise).

    Raises ValidationError when clamd flags the file, and when clamd cannot give a verdict unless
    CLAMAV_FAIL_OPEN is true; every file not checked is logged as an error, every flagged one as a
    warning. Leaves the file at its start.
    """
    url = settings.CLAMAV_URL
    if not url:
        return
    uploaded_file.seek(0)
    try:
        signature = clamd_instream(uploaded_file.chunks(CHUNK_SIZE), url=url, timeout=settings.CLAMAV_TIMEOUT)
    except ScanUnavailable as error:
        fail_open = settings.CLAMAV_FAIL_OPEN
        logger.error(
            "virus scan unavailable, upload stored unscanned (CLAMAV_FAIL_OPEN)"
            if fail_open
            else "virus scan unavailable, upload refused",
            extra={"reason": str(error), "user_id": getattr(user, "pk", None)},
        )
        if fail_open:
            return
        raise ValidationError(
            _("The file cannot be checked for viruses just now, so it was not stored. Try again later."),
            code="scan_unavailable",
        ) from error
    finally:
        uploaded_file.seek(0)
    if signature:
        logger.warning(
            "virus found in upload", extra={"signature": signature, "user_id": getattr(user, "pk", None)}
        )
        raise ValidationError(
            _(
                "The virus scanner found “%(signature)s” in the file, so it was not stored. Check the "
                "computer it came from and upload a clean copy."
            ),
            code="virus",
            params={"signature": signature},
        )
