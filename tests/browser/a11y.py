"""Accessibility checks for the browser tests: axe-core on each page, focus seen at each Tab.

axe-core comes from the axe-playwright-python package (a dev dependency), whose wheel ships
axe.min.js: the script is read from that local file and put into the page, never fetched.
"""

from collections.abc import Iterable
from importlib.resources import files
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page

AXE_JS = files("axe_playwright_python").joinpath("axe.min.js")
# Serious and critical violations fail a test; moderate and minor ones are listed at the end.
BLOCKING = ("critical", "serious")


class A11y:
    """Runs axe on pages and remembers which pages a test loaded and which it checked."""

    def __init__(self) -> None:
        self.loaded: list[str] = []
        self.checked: set[str] = set()
        self.minor: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("load", lambda loaded: self.loaded.append(page_key(loaded.url)))

    def unchecked(self) -> list[str]:
        return [key for key in dict.fromkeys(self.loaded) if key not in self.checked]

    def check(self, page: Page) -> None:
        """Run axe on the page as it stands; fail on any serious or critical violation."""
        page.wait_for_load_state()
        _inject_axe(page)
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        key = page_key(page.url)
        self.checked.add(key)
        violations = results["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        self.minor += [f"{key}: {v['id']} ({v['impact']})" for v in violations if v not in blocking]
        assert not blocking, describe(key, blocking)


def page_key(url: str) -> str:
    """A page is its path: the same page with another query string is the same template."""
    return urlsplit(url).path


def _inject_axe(page: Page) -> None:
    if page.evaluate("() => typeof window.axe === 'object'"):
        return
    # The app's content security policy refuses script elements it did not serve (a test
    # that added one would see the refusal as a console error); evaluating the same local
    # source through the DevTools protocol is not subject to it.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    if not page.evaluate("() => typeof window.axe === 'object'"):
        raise AssertionError("axe-core did not load")


def describe(key: str, violations: Iterable[dict]) -> str:
    lines = [f"axe-core: serious or critical violations on {key}"]
    for violation in violations:
        lines.append(f"  {violation['id']} [{violation['impact']}]: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:8]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    - {target}: {summary}")
    return "\n".join(lines)


# What the focused element is, and whether a sighted keyboard user can see where focus is:
# a solid outline at least 2 px wide (static/css/alliance.css draws 3 px on every focusable
# element; Bootstrap's own faint rings alone do not count), the element on screen, and nothing
# (a sticky bar, say) over it. Bootstrap's button-style radios (.btn-check) hide the input and
# draw focus on its label.
# Bootstrap scrolls smoothly, so first let the page come to rest after the focus moved.
_FOCUS_JS = """
async () => {
  let last = null, still = 0;
  for (let frame = 0; frame < 90 && still < 1; frame++) {
    await new Promise(resolve => requestAnimationFrame(resolve));
    const now = `${scrollX},${scrollY}`;
    still = now === last ? still + 1 : 0;
    last = now;
  }
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {focused: false, describe: 'nothing (the page itself)'};
  }
  const shown = el.matches('.btn-check') && el.id
    ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : el;
  const style = getComputedStyle(shown);
  const outline = style.outlineStyle === 'solid' && parseFloat(style.outlineWidth) >= 2;
  const box = shown.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
    && box.top < innerHeight && box.left < innerWidth && style.visibility !== 'hidden';
  let covered = false;
  if (onScreen) {
    const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(box.top + Math.min(box.height / 2, 12), 0), innerHeight - 1);
    const top = document.elementFromPoint(x, y);
    covered = !!top && !(shown.contains(top) || top.contains(shown) || el.contains(top)
      || (top.tagName === 'LABEL' && top.control === el));
  }
  const label = el.labels && el.labels[0] && el.labels[0].innerText;
  const text = (el.getAttribute('aria-label') || label || el.innerText || el.value || el.name || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 60);
  return {
    focused: true, indicator: outline, onScreen, covered,
    describe: `<${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''}> "${text}"`
      + ` (outline: ${style.outlineStyle} ${style.outlineWidth})`,
  };
}
"""


def assert_focus_visible(page: Page) -> dict:
    """The focused element shows a focus indicator, is on screen and is not covered."""
    state = page.evaluate(_FOCUS_JS)
    where = f"{state['describe']} on {page_key(page.url)}"
    assert state["focused"], f"Keyboard focus was lost: {where}"
    assert state["indicator"], f"No visible focus indicator: {where}"
    assert state["onScreen"], f"Focused element is off screen: {where}"
    assert not state["covered"], f"Focused element is covered by another element: {where}"
    return state


def tab_to(page: Page, target: Locator, *, limit: int = 80, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has focus, checking focus is seen at each stop.

    Past the last stop focus leaves the page for the browser's own controls (the body is then
    the active element); the next Tab comes back to the first stop. That may happen once.
    """
    key = "Shift+Tab" if backwards else "Tab"
    is_target = "el => el === document.activeElement"
    if target.evaluate(is_target):  # e.g. a field with autofocus
        assert_focus_visible(page)
        return
    wrapped = False
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("() => document.activeElement === document.body") and not wrapped:
            wrapped = True
            continue
        assert_focus_visible(page)
        if target.evaluate(is_target):
            return
    raise AssertionError(f"{target} was not reached with {key} in {limit} presses")


def press_and_follow(page: Page, key: str = "Enter") -> None:
    """Press a key on the focused link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)
