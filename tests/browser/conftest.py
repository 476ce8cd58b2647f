"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

One Chromium for the whole session, a fresh context (cookies, storage) for every test.
Without /usr/bin/chromium the tests are skipped, except in CI (CI=true), where a missing
browser must fail the run rather than pass it quietly.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Response, sync_playwright

BROWSER_DIR = Path(__file__).resolve().parent
SCREENSHOT_DIR = BROWSER_DIR / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]
# Short waits: every page here is served by a local thread, so a slow page is a bug.
TIMEOUT_MS = 5_000

# Playwright's sync API keeps an asyncio event loop alive in the test thread, and Django then
# refuses ORM calls made from that thread (fixtures, asserts). The tests really are synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_collection_modifyitems(config, items):
    # Collection hooks see every item of the session, so mark only those under tests/browser.
    for item in items:
        if item.path.is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Remember each phase's outcome so the page fixture can screenshot a failed test.
    report = yield
    setattr(item, f"_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        reason = f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} CI=true, so they may not be skipped.", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = browser.new_context(
        locale="en-GB", timezone_id="Europe/London", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(TIMEOUT_MS)
    # Pages must load nothing from outside the app (no CDN); block and remember any attempt.
    outside: list[str] = []

    def keep_local(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", keep_local)
    yield context
    context.close()
    assert not outside, f"Pages requested URLs outside the app: {outside}"


@pytest.fixture
def page(context: BrowserContext, request) -> Iterator[Page]:
    page = context.new_page()
    yield page
    report = getattr(request.node, "_report_call", None)
    failed_shot = f"FAILED-{request.node.name}"
    if report is not None and report.failed:
        screenshot(page, failed_shot)
    else:
        # A stale failure picture from an earlier run would mislead whoever looks next.
        _screenshot_path(failed_shot).unlink(missing_ok=True)


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as tests/browser/screenshots/<name>.png."""
    path = _screenshot_path(name)
    path.parent.mkdir(exist_ok=True)
    page.screenshot(path=path, full_page=True)
    return path


def _screenshot_path(name: str) -> Path:
    return SCREENSHOT_DIR / (re.sub(r"[^\w.-]+", "-", name) + ".png")


def login(page: Page, live_server, email: str, password: str) -> Response | None:
    """Fill in the real login form and submit it; returns the response the browser landed on."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Log in").click()
    return navigation.value


@pytest.fixture(name="login")
def login_fixture() -> Callable[..., Response | None]:
    return login


@pytest.fixture(name="screenshot")
def screenshot_fixture() -> Callable[[Page, str], Path]:
    return screenshot
