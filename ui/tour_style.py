"""The presenting mode's layout: sizes and the CSS that hides the app's chrome.

One place for the tour page's look: large type for a projector at 1920×1080 or 1280×720
(sizes follow the window with ``clamp``), no sidebar, no Streamlit header or toolbar, and
the hidden buttons that take the extra keys of presentation clickers.
"""

from __future__ import annotations

from typing import Final

from geo import style
from ui.state import TOUR_KEYS_CONTAINER

__all__ = ["TOUR_CSS", "TOUR_MAP_HEIGHT_PX", "TOUR_MAP_WIDTH_PX", "TOUR_PANEL_CLASS"]

#: The map's size the stops are framed for (the left ~60 % of a 1280×720 window, the
#: smaller of the two projector sizes; at 1920×1080 the same ground shows with margin).
TOUR_MAP_WIDTH_PX: Final = 760
TOUR_MAP_HEIGHT_PX: Final = 640
TOUR_PANEL_CLASS: Final = "lsz-tour-panel"

TOUR_CSS: Final = f"""
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
footer {{ display: none !important; }}
[data-testid="stMainBlockContainer"], .block-container {{
  padding: 1.2vh 1.2vw 0.5vh !important; max-width: 100% !important; }}
.{TOUR_PANEL_CLASS} {{ color: {style.UI_TEXT_COLOUR}; font-size: clamp(16px, 1.35vw, 28px);
  line-height: 1.35; }}
.{TOUR_PANEL_CLASS} p {{ font-size: 1em !important; line-height: 1.35; margin: 0 0 0.5em; }}
.{TOUR_PANEL_CLASS} p.lsz-small {{ font-size: 0.68em !important; }}
.{TOUR_PANEL_CLASS} h1 {{ font-size: 1.8em; line-height: 1.15; margin: 0.1em 0 0.35em;
  padding: 0; }}
.{TOUR_PANEL_CLASS} .lsz-counter {{ font-weight: 700; color: #555; margin: 0; }}
.{TOUR_PANEL_CLASS} .lsz-figure {{ margin: 0.45em 0; }}
.{TOUR_PANEL_CLASS} .lsz-figure-value {{ display: block; font-size: 1.45em; font-weight: 700; }}
.{TOUR_PANEL_CLASS} .lsz-small {{ font-size: 0.68em; color: #555; }}
.st-key-{TOUR_KEYS_CONTAINER} {{ position: absolute !important; width: 1px; height: 1px;
  overflow: hidden; opacity: 0; pointer-events: none; }}
"""
