"""The web container's health check (docker-compose.yml): GET /healthz on this container's gunicorn.

The request names a host the portal accepts (the first of ALLOWED_HOSTS), since Django answers 400 to any
other, whatever the address the container is probed on. Exits 0 when the portal answers 200 (database,
cache and broker reachable: foreign_affairs.health), 1 otherwise. Standard library only: it runs every 30 s.
"""

import http.client
import os
import sys


def probe_host(allowed_hosts: str) -> str:
    """A Host header that ALLOWED_HOSTS accepts: its first entry (".example.gov.cn" allows the domain
    itself), or "localhost" for none or "*"."""
    first = next((host.strip() for host in allowed_hosts.split(",") if host.strip()), "")
    return "localhost" if first in {"", "*"} else first.lstrip(".")


def main(port: int = 8000) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(
            "GET", "/healthz", headers={"Host": probe_host(os.environ.get("ALLOWED_HOSTS", ""))}
        )
        status = connection.getresponse().status
    except OSError as error:
        print(f"healthz: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if status != 200:
        print(f"healthz: HTTP {status}", file=sys.stderr)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 8000))
