"""Small steps the journeys share: what a person does on a page, in the browser."""

import re

from playwright.sync_api import Locator, Page, expect


def main(page: Page) -> Locator:
    """The page's main landmark: where each page's own links and buttons are."""
    return page.get_by_role("main")


def field(page: Page, label: str) -> Locator:
    """The form field labelled exactly `label` (crispy marks a required one with an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def choose_scale(page: Page, scores: dict[str, int]) -> None:
    """Click a number for each 0-10 question, found by its question (a fieldset's legend)."""
    for question, score in scores.items():
        group = page.get_by_role("group", name=question)
        group.get_by_text(str(score), exact=True).click()


def check_radio_scale(page: Page, scores: dict[str, int]) -> None:
    """The portal's rating form: one radio group per question, radios named 0 to 10."""
    for question, score in scores.items():
        group = page.get_by_role("group", name=re.compile(re.escape(question)))
        group.get_by_role("radio", name=str(score), exact=True).check()


def expect_message(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()
