"""axe-core in headless Chromium: no serious or critical accessibility violation.

The vendored axe-core (``tests/e2e/vendor/axe-core``, pinned, MPL-2.0) is read
from disk and injected into the app's page and into every frame it holds (the
``st_folium`` map is drawn in a component iframe, with its own document), then
run from the page over all of them, and in each frame for the rules about a
document (its language, its viewport). Nothing is downloaded: ``basemap=none``
keeps the page offline and the test checks that no request left the machine.

The map page is checked with a project selected, so the detail panel (its
headings, figures and milestone chart) is part of what axe sees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Frame, Page, expect

from geo.catalog import load_catalog
from geo.i18n import LANGUAGE_NAMES, t
from geo.registry import load_registry

pytestmark = pytest.mark.e2e

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
WAIT_MS = 90_000
FAILING_IMPACTS = ("serious", "critical")
# Rules checked whatever impact axe gives them: the ones issue 7 found broken.
ALWAYS_FAILING_RULES = ("heading-order", "html-lang-valid", "meta-viewport", "valid-lang")
# Rules about a document as a whole. axe run from the top (``iframes: true``)
# checks these for the top document only, so they are also run in each frame.
DOCUMENT_RULES = ("html-has-lang", "html-lang-valid", "meta-viewport", "valid-lang")

# ``options`` is axe's run options; a node's ``target`` is one selector per frame
# level (["iframe...", "path..."] for a node in the map frame).
AXE_RUN = """async (options) => {
    const result = await axe.run(document, options);
    const brief = (v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
    });
    const checked = result.passes.concat(result.violations, result.incomplete);
    return {
        violations: result.violations.map(brief),
        incomplete: result.incomplete.map(brief),
        nodes_in_frames: checked.flatMap((r) => r.nodes).filter((n) => n.target.length > 1).length,
    };
}"""


def first_project_feature_id() -> str:
    """Id of the first feature of the first project layer shown by default."""
    registry = load_registry()
    catalog = load_catalog(registry)
    for spec in registry.layers:
        if spec.visible and spec.schema == "project" and len(catalog.layers[spec.id].index):
            return str(catalog.layers[spec.id].index[0])
    raise AssertionError("no default project layer has a feature: nothing to select")


def inject_axe(frame: Frame) -> None:
    """Add the vendored axe-core to ``frame`` (once)."""
    if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
        frame.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))


def failing(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The violations this test fails on (serious / critical, or a rule it always checks)."""
    return [
        v for v in violations if v["impact"] in FAILING_IMPACTS or v["id"] in ALWAYS_FAILING_RULES
    ]


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    """One line per violation (id, impact, help) and one per node it names."""
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {' >>> '.join(map(str, node['target']))}  {summary}")
    return "\n".join(lines)


def wait_until_settled(page: Page) -> None:
    """Wait until Streamlit has run the script and drawn every element.

    Streamlit shows a skeleton (``stSkeleton``) for an element whose code is still
    loading, even after the script has finished: axe would check the skeleton.
    """
    page.wait_for_function(
        """() => {
            const app = document.querySelector("[data-testid=stApp]");
            return app?.getAttribute("data-test-script-state") === "notRunning"
                && document.querySelector("[data-testid=stSkeleton]") === null;
        }""",
        timeout=WAIT_MS,
    )


def check_page(page: Page) -> tuple[list[str], dict[str, str]]:
    """Run axe on the page and its frames; return what fails and each document's lang.

    axe is injected into every frame, then run from the top with ``iframes: true``:
    the page and the frames' content are checked as one page, as a reader meets
    them. The document rules are then run in each frame on its own.
    """
    for frame in page.frames:
        inject_axe(frame)
    problems, langs = [], {}
    whole = page.evaluate(AXE_RUN, {"iframes": True, "frameWaitTime": WAIT_MS // 3})
    # A frame axe could not reach would be reported, not silently skipped; and the
    # map frame's nodes must be among those checked.
    unreached = [v for v in whole["incomplete"] + whole["violations"] if v["id"] == "frame-tested"]
    assert not unreached, describe("page", unreached)
    if len(page.frames) > 1:
        assert whole["nodes_in_frames"] > 0, "axe checked nothing inside the page's frames"
    # Every violation, failing or not, in the captured output (shown on failure, or with -s).
    print(describe("page", whole["violations"]) or "page: no axe violation")
    if bad := failing(whole["violations"]):
        problems.append(describe("page", bad))
    for frame in page.frames:
        where = "page" if frame == page.main_frame else f"frame {frame.url.split('?')[0]}"
        langs[where] = frame.evaluate("() => document.documentElement.lang")
        if frame == page.main_frame:
            continue
        options = {"iframes": False, "runOnly": {"type": "rule", "values": list(DOCUMENT_RULES)}}
        found = frame.evaluate(AXE_RUN, options)["violations"]
        print(describe(where, found) or f"{where}: no document rule violated")
        if bad := failing(found):
            problems.append(describe(where, bad))
    return problems, langs


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_map_page_with_a_selection_has_no_serious_violation(page: Page, app_url: str, lang: str):
    fid = first_project_feature_id()
    page.goto(f"{app_url}/?basemap=none&lang={lang}&feature={fid}")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(f"path.lsz-f-{fid}").first.wait_for(timeout=WAIT_MS)
    expect(page.get_by_text(t("panel.figures", lang)).first).to_be_visible(timeout=WAIT_MS)
    wait_until_settled(page)
    assert len(page.frames) >= 2, "the map's component frame was not found"

    problems, langs = check_page(page)

    assert not problems, "axe-core found:\n" + "\n".join(problems)
    assert set(langs.values()) == {lang}, f"document languages {langs}, expected {lang!r}"
    assert page.external_requests == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_dashboard_has_no_serious_violation(page: Page, app_url: str, lang: str):
    page.goto(f"{app_url}/?basemap=none&lang={lang}&page=dashboard")
    expect(page.get_by_role("heading", name=t("dashboard.title", lang))).to_be_visible(
        timeout=WAIT_MS
    )
    wait_until_settled(page)

    problems, langs = check_page(page)

    assert not problems, "axe-core found:\n" + "\n".join(problems)
    assert set(langs.values()) == {lang}, f"document languages {langs}, expected {lang!r}"
    assert page.external_requests == []


def test_document_languages_follow_a_language_switch(page: Page, app_url: str):
    page.goto(f"{app_url}/?basemap=none&lang=vi")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.lsz-f").first.wait_for(timeout=WAIT_MS)
    expect(page.locator("html")).to_have_attribute("lang", "vi", timeout=WAIT_MS)
    expect(frame.locator("html")).to_have_attribute("lang", "vi", timeout=WAIT_MS)

    # One switch in the session: the frame's script must run again, not only on load.
    # (A second switch today loses ?basemap=none and fetches tiles: issue 7's blocker.)
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=LANGUAGE_NAMES["en"]).click()
    expect(page.get_by_role("heading", name=t("app.title", "en"))).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=WAIT_MS)
    expect(frame.locator("html")).to_have_attribute("lang", "en", timeout=WAIT_MS)
    # The switched map frame is zoomable too: no viewport meta restricts zoom.
    viewports = frame.locator("meta[name=viewport]")
    contents = [viewports.nth(i).get_attribute("content") or "" for i in range(viewports.count())]
    assert contents, "the map frame has no viewport meta"
    assert not [c for c in contents if "user-scalable" in c or "maximum-scale" in c], contents
    assert page.console_errors == []
    assert page.external_requests == []
