"""The review UI in a real browser: Debian's Chromium, driven by Playwright, against the app
served by uvicorn on a loopback port. Saves screenshots of the queue, the review page, an
act's page and the search page to out/screenshots/ (and to docs/screenshots/, which the
README shows, when CIVREG_UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import sync_playwright
from typer.testing import CliRunner
from web_helpers import PASSWORD, ROOT, Web

from civreg.cli import app as cli
from registry_loader.export import get_act
from registry_loader.review import act_view


@pytest.fixture
def web(sqlite_web: Web) -> Web:
    """SQLite only: the database is not the subject here (test_web_api covers both)."""
    return sqlite_web


CHROMIUM = os.environ.get("CIVREG_CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / "out" / "screenshots"
DOC_SHOTS = ROOT / "docs" / "screenshots"
KEYS = "civreg-test-keys"
# Counts every key pressed in the tab, across page loads (sessionStorage lives as long as it).
COUNT_KEYS = f"""
document.addEventListener("keydown", () => {{
  const n = Number(sessionStorage.getItem("{KEYS}") || 0) + 1;
  sessionStorage.setItem("{KEYS}", String(n));
}}, true);
"""
CORRECTION = "إبراهيم بن بلال"  # act 29's father, which OCR read "إراهم بن بلال"

if not Path(CHROMIUM).exists():  # scripts/setup installs it: a missing browser is an error
    pytest.fail(f"{CHROMIUM} not found: apt-get install chromium", pytrace=False)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture
def server(web: Web) -> Iterator[str]:
    """The app of `web`, served on a free loopback port; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(web.client.app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def page(browser, server: str) -> Iterator:
    context = browser.new_context(
        viewport={"width": 1440, "height": 960}, base_url=server, locale="fr-FR"
    )
    context.add_init_script(COUNT_KEYS)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def log_in(page, name: str, then: str) -> None:
    page.goto(then)
    assert "/login" in page.url  # no page without a login
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{then}", wait_until="domcontentloaded")


def screenshot(page, web: Web, name: str, **options) -> None:
    if not web.url.startswith("sqlite"):  # once a run is enough
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / name, **options)
    if os.environ.get("CIVREG_UPDATE_SCREENSHOTS") == "1":
        DOC_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(SHOTS / name, DOC_SHOTS / name)


def until(page, expression: str, timeout: float = 10) -> None:
    """Poll a JavaScript expression until it is true (the pages' Content-Security-Policy
    forbids the `eval` that Playwright's wait_for_function uses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        time.sleep(0.05)


def keys_pressed(page) -> int:
    return int(page.evaluate(f"Number(sessionStorage.getItem('{KEYS}') || 0)"))


def test_a_reviewer_corrects_a_field_and_approves_with_the_keyboard(page, web: Web) -> None:
    act_29, act_28 = web.acts["29"], web.acts["28"]
    log_in(page, "amina", "/review")
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 2 and "n° 29" in rows.nth(0).inner_text()  # least confident first
    screenshot(page, web, "review-queue.png")

    until(page, "document.activeElement.id === 'start'")
    page.keyboard.press("Enter")  # "Start reviewing" has the focus
    page.wait_for_url(f"**/review/acts/{act_29}", wait_until="domcontentloaded")
    # Focus starts on the first flagged field, its text selected: typing replaces it.
    focused = page.evaluate(
        "[document.activeElement.id, document.activeElement.selectionStart,"
        " document.activeElement.selectionEnd, document.activeElement.value.length]"
    )
    assert focused[0] == "f-father_name_ar" and focused[1] == 0 and focused[2] == focused[3]
    page.evaluate(f"sessionStorage.setItem('{KEYS}', '0')")

    page.keyboard.type(CORRECTION)
    typed = keys_pressed(page)
    assert page.input_value("#f-father_name_ar") == CORRECTION
    until(page, "document.getElementById('act-image').complete")
    page.evaluate("() => window.scrollTo(0, 0)")  # the act's header in the picture too
    screenshot(page, web, "review-page.png")
    page.keyboard.press("Enter")  # confirm, go to the next flagged field
    assert page.evaluate("document.activeElement.id") == "f-father_name_fr"
    page.keyboard.press("Control+Enter")  # approve, open the next act
    page.wait_for_url(f"**/review/acts/{act_28}", wait_until="domcontentloaded")

    extra = keys_pressed(page) - typed
    assert extra == 3  # Enter, Control, Enter
    assert extra <= 5  # the budget: at most 5 key presses beyond the corrected text
    with web.registry.session() as session:
        view = act_view(session, act_29)
    assert view.act.status == "accepted" and view.reviewed_by == "amina"
    assert view.act.fields["father_name_ar"].value == CORRECTION
    assert view.act.fields["father_name_ar"].confidence == 1.0

    page.goto(f"/acts/{act_29}")
    changed = page.locator("table.history tr", has_text="field.changed")
    assert changed.count() == 1
    assert "father_name_ar" in changed.inner_text() and "إراهم بن بلال" in changed.inner_text()
    assert CORRECTION in changed.inner_text() and "reviewer:amina" in changed.inner_text()
    assert page.locator("table.history tr", has_text="act.approved").count() == 1
    screenshot(page, web, "act-history.png", full_page=True)

    exported = CliRunner().invoke(cli, ["export", "--db", web.url, "--status", "accepted"])
    assert exported.exit_code == 0, exported.output
    acts = {a["id"]: a for a in map(json.loads, exported.stdout.splitlines())}
    assert acts[act_29]["fields"]["father_name_ar"] == {"value": CORRECTION, "confidence": 1.0}


def test_a_reviewer_rejects_an_act_with_a_reason_by_keyboard(page, web: Web) -> None:
    act_28 = web.acts["28"]
    log_in(page, "rachid", f"/review/acts/{act_28}")

    until(page, "document.activeElement.classList.contains('field-value')")
    page.keyboard.press("Escape")  # out of the field
    page.keyboard.press("r")  # to the reason
    page.keyboard.type("page torn, act unreadable")
    page.keyboard.press("Enter")  # reject, open the next act
    page.wait_for_url(f"**/review/acts/{web.acts['29']}", wait_until="domcontentloaded")

    with web.registry.session() as session:
        view = act_view(session, act_28)
    assert (view.act.status, view.reject_reason) == ("rejected", "page torn, act unreadable")


def test_a_held_act_shows_who_holds_it(page, web: Web) -> None:
    web.client.post(f"/api/acts/{web.acts['29']}/lock", auth=("amina", PASSWORD))
    log_in(page, "rachid", "/review")

    until(page, "document.activeElement.id === 'start'")
    page.keyboard.press("Enter")  # the next act nobody else holds
    page.wait_for_url(f"**/review/acts/{web.acts['28']}", wait_until="domcontentloaded")
    page.goto(f"/review/acts/{web.acts['29']}")
    assert "amina" in page.inner_text("main")


def test_a_clerk_searches_and_reads_but_cannot_review(page, web: Web) -> None:
    log_in(page, "claire", "/search")
    assert page.locator("nav").inner_text().strip() == "Search"  # no queue for clerks

    until(page, "document.activeElement.name === 'q'")
    page.keyboard.type("Tahar")  # the search box has the focus
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=Tahar*", wait_until="domcontentloaded")
    results = page.locator("table.list tbody tr")
    assert results.count() == 1 and "SBAI" in results.inner_text()
    screenshot(page, web, "search.png")

    results.locator("a").first.click()
    page.wait_for_url(f"**/acts/{web.acts['29']}", wait_until="domcontentloaded")
    image = page.locator(".act-image img")
    until(page, "document.querySelector('.act-image img').naturalWidth > 0")
    assert image.evaluate("img => img.naturalWidth") == 1368 + 2 * 24
    assert page.locator("table.history").count() == 0

    response = page.goto("/review")
    assert response.status == 403
    with web.registry.session() as session:
        assert get_act(session, web.acts["29"]).status == "needs_review"
