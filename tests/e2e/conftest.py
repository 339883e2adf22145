import pytest

from tests.conftest import ARTIFACTS, CHROMIUM

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser (DEPENDENCIES.md)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": BROWSER_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A browser set up as most of the portal's users have it: Chinese, in Zhengzhou's time zone."""
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> str:
        page.evaluate("document.fonts.ready")
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return str(path)

    return take


@pytest.fixture(autouse=True)
def no_content_security_policy_violations(page):
    """Every browser test also checks that the Content-Security-Policy blocked nothing on its pages."""
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield
    assert refused == []
