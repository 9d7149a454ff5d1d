"""Browser tests: Playwright drives Debian's headless Chromium (/usr/bin/chromium, installed by
scripts/setup-debian.sh; never `playwright install`) against the real server on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

from test_web_fixtures import HOSTILE_TEXT, HOSTILE_TITLE, LiveServer, live, web_db  # noqa: F401

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[1]
#: Where the app's screenshot goes (docs/screenshot.png); tests write to a temp copy unless asked.
SCREENSHOT = ROOT / "docs" / "screenshot.png"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="run scripts/setup-debian.sh to install chromium"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Browser, live: LiveServer) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(d: Dialog) -> None:
        dialogs.append(d.message)
        d.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("requestfailed", lambda req: errors.append(f"request failed: {req.url}")
          if req.url.startswith(live.url) else None)
    pg.goto(live.url + "/")
    expect(pg.locator("#status")).to_contain_text("events")
    yield pg
    assert not dialogs, f"a dialog fired: {dialogs}"
    assert not errors, errors
    context.close()


def network_ready(page: Page) -> None:
    page.wait_for_function("() => window.factions.cy && window.factions.cy.nodes().length > 0")
    page.wait_for_function("() => !window.factions.cy.nodes().some(n => n.renderedPosition().x === 0)")


def click_edge(page: Page, a: str, b: str) -> None:
    """Click the middle of the drawn edge a-b on the canvas (a real mouse click)."""
    point = page.evaluate(
        """([a, b]) => { const cy = window.factions.cy;
             const e = cy.edges().filter(x => (x.source().id() === a && x.target().id() === b) ||
                                              (x.source().id() === b && x.target().id() === a))[0];
             return e.renderedMidpoint(); }""", [a, b])
    box = page.locator("#cy").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_network_view_and_screenshot(page: Page, tmp_path: Path) -> None:
    network_ready(page)
    assert page.evaluate("window.factions.cy.edges().length") == 13
    expect(page.locator("#balance")).to_contain_text("Frustration index")
    expect(page.locator("#frustrated li")).to_have_count(1)
    expect(page.locator("#frustrated")).to_contain_text("China")
    # colour by bloc: Russia and China together, the United States elsewhere
    colour = lambda n: page.evaluate(f"window.factions.cy.getElementById('{n}').data('colour')")  # noqa: E731
    assert colour("RUS") == colour("CHN") != colour("USA")
    # the picture: the network, its balance panel, and the evidence behind one tie
    click_edge(page, "RUS", "UKR")
    page.locator("#edge-events li").first.click()
    expect(page.locator("#evidence mark.trigger")).to_have_count(1)
    assert "null" not in page.locator("#balance").inner_text()
    out = SCREENSHOT if os.environ.get("FACTIONS_SCREENSHOT") else tmp_path / "screenshot.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out))
    assert out.stat().st_size > 20_000


def test_click_actor_and_edge(page: Page) -> None:
    network_ready(page)
    node = page.evaluate("window.factions.cy.getElementById('RUS').renderedPosition()")
    box = page.locator("#cy").bounding_box()
    page.mouse.click(box["x"] + node["x"], box["y"] + node["y"])
    expect(page.locator("#actor-name")).to_have_text("Russia")
    click_edge(page, "RUS", "UKR")
    expect(page.locator("#edge-title")).to_contain_text("Russia")
    expect(page.locator("#edge-title")).to_contain_text("Ukraine")
    items = page.locator("#edge-events li")
    expect(items).to_have_count(2)  # the hypothetical attack is not behind the tie
    items.first.click()
    expect(page.locator("#evidence mark.trigger")).to_have_count(1)


def test_filter_table_open_evidence_and_document(page: Page) -> None:
    page.click("#tabs a[data-view=events]")
    expect(page.locator("#event-table tbody tr")).to_have_count(17)
    page.select_option("#event-form select[name=type]", "ASSAULT")
    page.click("#event-form button[type=submit]")
    rows = page.locator("#event-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#event-count")).to_have_text("2 events")
    page.fill("#event-form input[name=q]", "overnight")
    page.click("#event-form button[type=submit]")
    expect(rows).to_have_count(1)
    rows.first.click()
    evidence = page.locator("#evidence")
    expect(evidence.locator("mark.trigger")).to_have_text("launched drone strikes")
    expect(evidence.locator("mark.source")).to_have_text("Russia")
    expect(evidence.locator("mark.target")).to_have_text("Ukraine")
    page.click("#open-doc")
    expect(page.locator("#doc-title")).to_have_text("Strikes")
    focused = page.locator("#doc-text mark.focus")
    expect(focused.first).to_be_visible()
    expect(page.locator("#doc-text mark.trigger.focus")).to_have_text("launched drone strikes")
    expect(page.locator("#doc-text mark.trigger")).to_have_count(3)  # every coded event is marked
    # sorting by a column header reorders server-side
    page.go_back()
    page.go_back()
    page.click("#event-reset")
    expect(rows).to_have_count(17)
    page.click("#event-table th[data-sort=source]")
    expect(page.locator("#event-table th[data-sort=source]")).to_have_class("sorted-desc")
    expect(rows.first.locator("td").nth(1)).to_have_text("United States")


def test_hostile_document_is_shown_as_text(page: Page) -> None:
    page.click("#tabs a[data-view=documents]")
    link = page.locator("#doc-list a", has_text=HOSTILE_TITLE)
    expect(link).to_have_count(1)  # the title's markup is literal text
    link.click()
    expect(page.locator("#doc-title")).to_have_text(HOSTILE_TITLE)
    expect(page.locator("#doc-text")).to_have_text(HOSTILE_TEXT)
    assert page.locator("#doc-text script, #doc-text img, #doc-head b").count() == 0
    page.locator("#doc-text mark.trigger").click()
    expect(page.locator("#evidence")).to_contain_text("<script>alert('xss')</script>")
    page.wait_for_timeout(300)  # give any injected handler the chance to fire (the fixture checks dialogs)


def test_map_shows_places(page: Page) -> None:
    page.click("#tabs a[data-view=map]")
    expect(page.locator("#map-note")).to_contain_text("5 places")
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(5)
    assert page.locator("#map svg path").count() > 100  # the bundled country outlines


def test_whatif_redraws(page: Page) -> None:
    network_ready(page)
    expect(page.locator("#balance .metric").first).to_contain_text("1")
    page.locator("#balance .chip[data-actor=CHN]").first.click()
    page.click("#whatif-apply")
    expect(page.locator("#whatif-summary")).to_contain_text("Without China: frustration 1 → 0")
    page.wait_for_function("() => window.factions.cy.getElementById('CHN').length === 0")
    expect(page.locator("#frustrated li")).to_have_count(0)
    page.click("#whatif-reset")
    page.wait_for_function("() => window.factions.cy.getElementById('CHN').length === 1")


def test_timeline_chart(page: Page) -> None:
    page.click("#tabs a[data-view=timeline]")
    page.fill("#timeline-form input[name=actor]", "Russia")  # a name resolves to the actor id
    page.click("#timeline-form button[type=submit]")
    expect(page.locator("#timeline h3")).to_contain_text("Russia")
    expect(page.locator("#timeline svg rect")).to_have_count(8)  # 4 months x (cooperation, conflict)


def test_paste_and_code_text(browser: Browser, web_db: Path, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "upload.duckdb"
    db.write_bytes(web_db.read_bytes())
    server = LiveServer(db, allow_upload=True).start()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        pg = context.new_page()
        pg.goto(server.url + "/")
        tab = pg.locator("#tab-code")
        expect(tab).to_be_visible()
        tab.click()
        pg.fill("#code-form textarea[name=text]", "Russian forces shelled Kharkiv on Monday. <i>Not markup</i>")
        pg.fill("#code-form input[name=title]", "Pasted report")
        pg.click("#code-form button[type=submit]")
        expect(pg.locator("#code-progress span")).to_contain_text("Done: 1 texts, 1 new documents", timeout=180_000)
        assert pg.locator("#code-progress progress").get_attribute("value") == "1"
        pg.locator("#code-result a").click()
        expect(pg.locator("#doc-title")).to_have_text("Pasted report")
        expect(pg.locator("#doc-text mark.trigger")).to_have_text("shelled")
        expect(pg.locator("#doc-text")).to_contain_text("<i>Not markup</i>")
    finally:
        context.close()
        server.stop()


def test_upload_tab_hidden_when_read_only(page: Page) -> None:
    expect(page.locator("#tab-code")).to_be_hidden()
