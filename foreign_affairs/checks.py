"""System checks of the portal's own settings: `runserver`, `migrate` and `manage.py check` run them at
start-up, so that a wrong address is reported there rather than found on a printed permit.

PORTAL_BASE_URL is printed on permits and APEC letters (the QR code and the verification address) and
ends every link in an e-mail. It must be an absolute http(s) address (portal.E001); with DEBUG off it
must not be left at the development default (portal.E002); under `make run`, which says in PORTAL_LISTEN
where runserver listens, it must lead there (portal.W001). `check --deploy` also warns when a production
address points at the machine itself (portal.W002).

Registered by the `foreign_affairs.areas` app (AreasConfig.ready); nothing here knows an area.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

TAG = "portal"
# The default of PORTAL_BASE_URL in settings.py: where `manage.py runserver` listens unless told.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:8000"
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
UNSPECIFIED = {"0.0.0.0", "::"}  # noqa: S104 (a name to compare with, not an address to bind)


def _is_loopback(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _base_url_problem(url: str) -> str | None:
    """Why `url` is not an absolute http(s) address to put before a path, or None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number in range)
    except ValueError as error:
        return str(error)
    if parts.scheme not in ("http", "https"):
        return "it does not start with http:// or https://"
    if not parts.hostname:
        return "it names no host"
    if parts.username or parts.password:
        return "it contains a user name or password"
    if parts.query or parts.fragment:
        return "it has a query (?…) or fragment (#…), which links would be appended after"
    return None


def _listen_address(listen: str) -> tuple[str, int] | None:
    """(host, port) of a runserver address: "127.0.0.1:8202", "[::1]:8202", "0.0.0.0:8202" or "8202"."""
    host, _, port = listen.strip().rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    try:
        return host, int(port)
    except ValueError:
        return None


def _leads_to(url: str, listen: tuple[str, int]) -> bool:
    """Whether a browser following `url` reaches a runserver listening on `listen` (plain http only)."""
    parts = urlsplit(url)
    host, port = listen
    if parts.scheme != "http" or (parts.port or 80) != port:
        return False
    if host in UNSPECIFIED:  # every address of the machine
        return True
    if _is_loopback(host) and _is_loopback(parts.hostname):
        return True  # 127.0.0.1, localhost and ::1 are this machine, whichever a browser picks
    return parts.hostname.lower() == host.lower()


@register(TAG)
def check_portal_base_url(app_configs=None, **kwargs):
    url = settings.PORTAL_BASE_URL
    problem = _base_url_problem(url)
    if problem:
        return [
            Error(
                f"PORTAL_BASE_URL {url!r} is not an absolute http(s) address: {problem}.",
                hint="Set PORTAL_BASE_URL to the address people reach the portal at, e.g. "
                "https://portal.example.gov.cn (it is printed on permits and ends every link in e-mails).",
                id="portal.E001",
            )
        ]
    issues = []
    if not settings.DEBUG and url == DEVELOPMENT_BASE_URL:
        issues.append(
            Error(
                f"PORTAL_BASE_URL is left at its development default {DEVELOPMENT_BASE_URL} with DEBUG off: "
                "permits, APEC letters and e-mails would send people to their own computer.",
                hint="Set PORTAL_BASE_URL to the portal's public address, e.g. https://portal.example.gov.cn "
                "(for local development set DEBUG=true instead; make run does).",
                id="portal.E002",
            )
        )
    listen = settings.PORTAL_LISTEN
    if listen:
        address = _listen_address(listen)
        if address is None:
            issues.append(
                Warning(
                    f"PORTAL_LISTEN {listen!r} is not a host:port address; PORTAL_BASE_URL is not compared with it.",
                    hint="make run sets it, e.g. PORTAL_LISTEN=127.0.0.1:8000.",
                    id="portal.W003",
                )
            )
        elif not _leads_to(url, address):
            host, port = address
            listen = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            issues.append(
                Warning(
                    f"PORTAL_BASE_URL {url} does not lead to where this server listens (http://{listen}): the "
                    "QR codes and addresses on permits and APEC letters and the links in e-mails would lead "
                    "nowhere.",
                    hint="Leave PORTAL_BASE_URL unset (make run then uses http://127.0.0.1:$PORT), or set it "
                    "to the address the server is reached at.",
                    id="portal.W001",
                )
            )
    return issues


@register(TAG, Tags.security, deploy=True)
def check_portal_base_url_deploy(app_configs=None, **kwargs):
    url = settings.PORTAL_BASE_URL
    if settings.DEBUG or _base_url_problem(url) or url == DEVELOPMENT_BASE_URL:
        return []  # development, or reported by check_portal_base_url already
    if _is_loopback(urlsplit(url).hostname):
        return [
            Warning(
                f"PORTAL_BASE_URL {url} points at the machine the portal runs on: permits printed now can be "
                "verified only from there.",
                hint="Fine for a trial on one machine; in production set it to the public address.",
                id="portal.W002",
            )
        ]
    return []
