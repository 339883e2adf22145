"""`make loadtest`'s simulated users ask only for pages the portal has, and sign in as the portal expects.

bench/locustfile.py is imported in a process of its own (locust patches the standard library with gevent
when imported); what it holds comes back as JSON and is checked here against the URLconf, so a renamed or
removed page fails this test rather than the next load test.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import resolve, reverse
from django_otp.oath import TOTP

from bench import loadtest

LOCUSTFILE = Path(loadtest.ROOT) / "bench" / "locustfile.py"
# RFC 6238's SHA-1 key ("12345678901234567890"); at 59 s its eight-digit code is 94287082.
RFC_KEY = "3132333435363738393031323334353637383930"
IMPORT = f"""
import json, bench.locustfile as lf
from locust import User
users = [name for name, obj in vars(lf).items() if isinstance(obj, type) and issubclass(obj, User)
         and obj.__module__ == lf.__name__ and not obj.__dict__.get("abstract", False)]
print(json.dumps({{"routes": lf.ROUTES, "users": users,
                  "totp": {{at: lf.totp("{RFC_KEY}", at) for at in (59, 1111111109, 2000000000)}}}}))
"""


@pytest.fixture(scope="module")
def locustfile() -> dict:
    output = subprocess.run(
        [sys.executable, "-c", IMPORT], cwd=loadtest.ROOT, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_every_route_of_the_simulated_users_resolves_to_its_page(locustfile):
    assert locustfile["routes"]
    for name, (template, sample, view_name) in locustfile["routes"].items():
        path = template.format(**sample)
        match = resolve(path)
        assert match.view_name == view_name, name
        assert reverse(match.view_name, args=match.args, kwargs=match.kwargs) == path, name


def test_the_locustfile_builds_every_path_from_its_routes(locustfile):
    """A path written out anywhere else in the file would escape the test above."""
    templates = {template for template, _sample, _view in locustfile["routes"].values()}
    tree = ast.parse(LOCUSTFILE.read_text(encoding="utf-8"))
    literals = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("/")
    }
    assert literals == templates


def test_the_runner_names_every_user_class_of_the_locustfile(locustfile):
    assert sorted(loadtest.MIXED_USERS + loadtest.FLOOR_USERS) == sorted(locustfile["users"])
    assert not set(loadtest.MIXED_USERS) & set(loadtest.FLOOR_USERS)


def test_the_simulated_authenticator_gives_the_codes_django_otp_accepts(locustfile):
    for at, code in locustfile["totp"].items():
        expected = TOTP(bytes.fromhex(RFC_KEY), step=30, t0=0, digits=6)
        expected.time = int(at)
        assert code == f"{expected.token():06d}"
    assert locustfile["totp"]["59"] == "287082"  # RFC 6238, appendix B, truncated to six digits
