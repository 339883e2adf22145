"""With CLAMAV_URL set, every upload is streamed to clamd (INSTREAM) before it is stored; a flagged file
is refused, and so is every file while clamd cannot be asked, unless CLAMAV_FAIL_OPEN says otherwise.

clamd is replaced by a small TCP server speaking its protocol, which flags files holding the EICAR test
string (built here from two halves so that no antivirus quarantines this file)."""

import logging
import socket
import socketserver
import struct
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from foreign_affairs.documents.models import Document
from foreign_affairs.documents.services import document_create
from tests.conftest import private_location

from .conftest import pdf_bytes

pytestmark = pytest.mark.django_db

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR" + b"-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def infected_pdf() -> bytes:
    """A readable PDF carrying the EICAR string in a comment after its end."""
    return pdf_bytes() + b"%" + EICAR + b"\n"


class FakeClamd(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """Speaks clamd's zINSTREAM: <length><chunk>... <0> in, "stream: OK" or "stream: <name> FOUND" out.
    `reply` replaces the verdict (None: say nothing at all)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeClamdHandler)
        self.commands: list[bytes] = []
        self.streams: list[bytes] = []
        self.chunk_sizes: list[int] = []
        self.reply: bytes | None = b""
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.server_address[1]}"


class FakeClamdHandler(socketserver.BaseRequestHandler):
    def _exactly(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            part = self.request.recv(count - len(data))
            if not part:
                raise ConnectionError("client went away")
            data += part
        return data

    def handle(self):
        server = self.server
        command = b""
        while not command.endswith(b"\0"):
            command += self._exactly(1)
        server.commands.append(command[:-1])
        if command != b"zINSTREAM\0":
            self.request.sendall(b"UNKNOWN COMMAND\0")
            return
        data = bytearray()
        while size := struct.unpack(">I", self._exactly(4))[0]:
            server.chunk_sizes.append(size)
            data += self._exactly(size)
        server.streams.append(bytes(data))
        if server.reply is None:
            server.release.wait(5)
            return
        verdict = server.reply or (b"stream: Eicar-Test-Signature FOUND" if EICAR in data else b"stream: OK")
        self.request.sendall(verdict + b"\0")


@pytest.fixture
def clamd(settings):
    server = FakeClamd()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.CLAMAV_URL = server.url
    settings.CLAMAV_TIMEOUT = 5
    settings.CLAMAV_FAIL_OPEN = False
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def closed_port_url():
    """A local TCP port on which nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


def _create(applicant, content: bytes, name: str = "invitation.pdf"):
    return document_create(
        uploaded_file=ContentFile(content, name=name),
        kind="invitation",
        organization=applicant.organization,
        uploaded_by=applicant,
    )


def _refusal(applicant, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        _create(applicant, content)
    return refused.value


def _nothing_stored():
    root = private_location()
    return Document.objects.count() == 0 and not (root.exists() and any(p.is_file() for p in root.rglob("*")))


def test_without_clamav_url_uploads_are_not_sent_anywhere(clamd, settings, applicant):
    settings.CLAMAV_URL = ""
    assert _create(applicant, infected_pdf()).pk
    assert clamd.commands == []


def test_a_clean_upload_is_streamed_to_clamd_in_chunks_and_stored(clamd, applicant):
    # A large upload in several chunks, each at most the client's chunk size.
    content = pdf_bytes() + b"%" + b"x" * 300_000 + b"\n"
    document = _create(applicant, content)
    assert clamd.commands == [b"zINSTREAM"]
    assert clamd.streams == [content]
    assert len(clamd.chunk_sizes) > 1 and sum(clamd.chunk_sizes) == len(content)
    with document.file.open("rb") as handle:
        assert handle.read() == content


def test_an_infected_upload_is_refused_with_the_virus_named_and_nothing_stored(clamd, applicant, caplog):
    refusal = _refusal(applicant, infected_pdf())
    assert refusal.code == "virus"
    assert "Eicar-Test-Signature" in refusal.messages[0]
    assert _nothing_stored()
    assert [
        (record.getMessage(), record.user_id)
        for record in caplog.records
        if record.levelno == logging.WARNING and getattr(record, "signature", "") == "Eicar-Test-Signature"
    ] == [("virus found in upload", applicant.pk)]


def test_the_upload_page_shows_the_virus_refusal(clamd, client, applicant):
    client.force_login(applicant)
    response = client.post(
        "/documents/", {"kind": "other", "file": SimpleUploadedFile("scan.pdf", infected_pdf())}
    )
    assert response.status_code == 200
    assert "Eicar-Test-Signature" in response.content.decode()
    assert _nothing_stored()


def test_when_clamd_cannot_be_reached_uploads_are_refused_and_an_error_logged(
    settings, closed_port_url, applicant, caplog
):
    settings.CLAMAV_URL = closed_port_url
    settings.CLAMAV_FAIL_OPEN = False
    refusal = _refusal(applicant, pdf_bytes())
    assert refusal.code == "scan_unavailable"
    assert _nothing_stored()
    assert [r for r in caplog.records if r.levelno == logging.ERROR and "virus scan" in r.getMessage()]


def test_with_clamav_fail_open_uploads_pass_while_clamd_cannot_be_reached_but_the_error_is_logged(
    settings, closed_port_url, applicant, caplog
):
    settings.CLAMAV_URL = closed_port_url
    settings.CLAMAV_FAIL_OPEN = True
    assert _create(applicant, pdf_bytes()).pk
    assert [r for r in caplog.records if r.levelno == logging.ERROR and "virus scan" in r.getMessage()]


def test_fail_open_never_lets_a_flagged_file_through(clamd, settings, applicant):
    settings.CLAMAV_FAIL_OPEN = True
    assert _refusal(applicant, infected_pdf()).code == "virus"


def test_a_clamd_that_does_not_answer_in_time_counts_as_unavailable(clamd, settings, applicant):
    clamd.reply = None
    settings.CLAMAV_TIMEOUT = 0.3
    assert _refusal(applicant, pdf_bytes()).code == "scan_unavailable"
    assert _nothing_stored()


@pytest.mark.parametrize(
    "reply", [b"INSTREAM size limit exceeded. ERROR", b"stream: Can't allocate memory ERROR", b"garbage"]
)
def test_an_error_from_clamd_counts_as_unavailable(clamd, applicant, reply):
    clamd.reply = reply
    assert _refusal(applicant, pdf_bytes()).code == "scan_unavailable"


def test_a_misconfigured_clamav_url_refuses_uploads_and_logs_the_error(settings, applicant, caplog):
    settings.CLAMAV_URL = "http://clamd.internal:3310"
    assert _refusal(applicant, pdf_bytes()).code == "scan_unavailable"
    assert [r for r in caplog.records if r.levelno == logging.ERROR]


def test_clamd_on_a_unix_socket(settings, applicant, tmp_path):
    path = tmp_path / "clamd.sock"

    class UnixClamd(socketserver.UnixStreamServer):
        commands, streams, chunk_sizes, reply, release = [], [], [], b"", threading.Event()

    server = UnixClamd(str(path), FakeClamdHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        settings.CLAMAV_URL = f"unix://{path}"
        assert _refusal(applicant, infected_pdf()).code == "virus"
        assert _create(applicant, pdf_bytes()).pk
        assert server.commands == [b"zINSTREAM", b"zINSTREAM"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
