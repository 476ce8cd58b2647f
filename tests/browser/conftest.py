"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

One Chromium for the whole session, a fresh context (cookies, storage) for every test, and
one more context for each further person in a test (`new_context`). Every page a test loads
must be checked with axe-core (`a11y.check(page)`): a page loaded but never checked fails the
test. Without /usr/bin/chromium the tests are skipped, except in CI (CI=true), where a missing
browser must fail the run rather than pass it quietly; there the browser tests must also
finish within BUDGET_SECONDS.
"""

import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Response, sync_playwright

from tests.browser.a11y import A11y

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
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
# The whole browser suite, wall clock, in CI.
BUDGET_SECONDS = 300

# Playwright's sync API keeps an asyncio event loop alive in the test thread, and Django then
# refuses ORM calls made from that thread (fixtures, asserts). The tests really are synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_collection_modifyitems(config, items):
    # Collection hooks see every item of the session, so mark only those under tests/browser.
    for item in items:
        if item.path.is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)


_clock: dict[str, float] = {}


def pytest_runtest_logstart(nodeid, location):
    if nodeid.startswith("tests/browser/"):
        _clock.setdefault("start", time.monotonic())


def pytest_runtest_logfinish(nodeid, location):
    if nodeid.startswith("tests/browser/"):
        _clock["end"] = time.monotonic()


def _took() -> float | None:
    return _clock["end"] - _clock["start"] if "start" in _clock else None


def _over_budget() -> bool:
    took = _took()
    return took is not None and took > BUDGET_SECONDS and os.environ.get("CI") == "true"


def pytest_sessionfinish(session, exitstatus):
    # CI must keep the browser tests quick enough to run on every change.
    if _over_budget() and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    took = _took()
    if took is None:
        return
    line = f"browser tests: {took:.1f} s (budget {BUDGET_SECONDS} s)"
    if _over_budget():
        terminalreporter.write_line(f"{line}: over budget, so the run fails (CI=true)", red=True)
    else:
        terminalreporter.write_line(line)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Remember each phase's outcome so that fixtures know, at teardown, whether the test failed.
    report = yield
    setattr(item, f"_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        reason = f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} CI=true, so they may not be skipped.", pytrace=False)
        pytest.skip(reason)  # outside CI only: with CI=true the line above fails the run
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def _failed(request) -> bool:
    report = getattr(request.node, "_report_call", None)
    return report is not None and report.failed


@pytest.fixture
def a11y(request) -> Iterator[A11y]:
    """axe-core for the test's pages; at the end, every page loaded must have been checked."""
    checker = A11y()
    yield checker
    if checker.minor:
        print("axe-core, moderate or minor (not failing):", *checker.minor, sep="\n  ")
    if not _failed(request):
        unchecked = checker.unchecked()
        assert not unchecked, f"Pages loaded but never checked with axe-core: {unchecked}"


@pytest.fixture
def new_context(browser: Browser, live_server, a11y: A11y, request):
    """Make a browser context (one person's browser); desktop size unless a viewport is given.

    Pages in it may load nothing from outside the app (no CDN): any attempt is blocked and
    fails the test, as does any error in the browser's console (a script error, a file the
    page needs not found, something the content security policy refused); a page itself
    answering 403 or 404 is for the test to check. When the test fails, each page left open
    is saved as a screenshot, FAILED-<test>.png for the first and FAILED-<test>-<n>.png for
    the others.
    """
    made: list[tuple[BrowserContext, list[str]]] = []
    console_errors: list[str] = []
    # A stale failure picture from an earlier run would mislead whoever looks next.
    failed_shot = _screenshot_path(f"FAILED-{request.node.name}")
    for stale in [failed_shot, *SCREENSHOT_DIR.glob(f"{failed_shot.stem}-[0-9]*.png")]:
        stale.unlink(missing_ok=True)

    def make(**options) -> BrowserContext:
        options = {
            "locale": "en-GB",
            "timezone_id": "Europe/London",
            "viewport": DESKTOP,
            **options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        outside: list[str] = []

        def keep_local(route):
            if route.request.url.startswith(live_server.url):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", keep_local)
        context.on("console", lambda message: _keep_error(message, console_errors))
        context.on("weberror", lambda error: console_errors.append(str(error.error)))
        context.on("page", a11y.watch)
        made.append((context, outside))
        return context

    yield make
    pages = [page for context, _ in made for page in context.pages]
    if _failed(request):
        for number, page in enumerate(pages):
            screenshot(page, f"FAILED-{request.node.name}" + (f"-{number}" if number else ""))
    for context, outside in made:
        context.close()
        assert not outside, f"Pages requested URLs outside the app: {outside}"
    assert not console_errors, f"Errors in the browser's console: {console_errors}"


def _keep_error(message, errors: list[str]) -> None:
    if message.type != "error":
        return
    page_url = message.page.url if message.page else ""
    if message.text.startswith("Failed to load resource") and (
        message.location.get("url") == page_url
    ):
        return  # the page's own status, which the test asserts
    errors.append(f"{page_url}: {message.text}")


@pytest.fixture
def context(new_context) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as tests/browser/screenshots/<name>.png."""
    path = _screenshot_path(name)
    path.parent.mkdir(exist_ok=True)
    page.screenshot(path=path, full_page=True)
    return path


def _screenshot_path(name: str) -> Path:
    return SCREENSHOT_DIR / (re.sub(r"[^\w.-]+", "-", name) + ".png")


def login(
    page: Page, live_server, email: str, password: str, *, a11y: A11y | None = None
) -> Response | None:
    """Fill in the real login form and submit it; returns the response the browser landed on."""
    page.goto(f"{live_server.url}/login/")
    if a11y is not None:
        a11y.check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Log in").click()
    return navigation.value


@pytest.fixture(name="login")
def login_fixture(a11y: A11y) -> Callable[..., Response | None]:
    """`login(page, live_server, email, password)`, with the login page checked by axe-core."""

    def log_in(page: Page, live_server, email: str, password: str) -> Response | None:
        return login(page, live_server, email, password, a11y=a11y)

    return log_in


@pytest.fixture(name="screenshot")
def screenshot_fixture() -> Callable[[Page, str], Path]:
    return screenshot
