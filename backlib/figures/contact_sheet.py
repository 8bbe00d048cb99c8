"""The figures' contact sheet: every posed exercise, every keyframe, named, on one page for review.

``python -m backlib.figures.contact_sheet docs/figures.html`` (what ``make figures`` runs)
writes the page and, through the system Chromium, a PNG of it beside it, so that a reviewer
can read every figure the way a patient will, without running the app.
"""

from __future__ import annotations

import argparse
import sys
from html import escape
from pathlib import Path

from backlib.catalog import Catalog
from backlib.errors import ReportError
from backlib.figures.poses import packaged_poses
from backlib.figures.svg import exercise_svg
from backlib.paths import CHROMIUM_ARGS
from backlib.plan.request import resolve_catalog

SHEET_SIZE = 120
# The README's sample of the sheet: exercises whose names say little to a newcomer.
PREVIEW_IDS: tuple[str, ...] = (
    "bird-dog",
    "thread-the-needle",
    "cat-cow",
    "glute-bridge",
    "childs-pose",
    "sit-to-stand",
)
_STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 16px; color: #111; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px 0; }
p.lead { margin: 0 0 12px 0; color: #333; font-size: 13px; }
.sheet { display: grid; grid-template-columns: repeat(2, 1fr); gap: 10px 18px; }
.exercise { border: 1px solid #bbb; border-radius: 4px; padding: 6px 8px; break-inside: avoid; }
.exercise h2 { font-size: 14px; margin: 0 0 4px 0; }
.exercise h2 small { font-weight: normal; color: #555; }
.frames { display: flex; gap: 8px; align-items: flex-start; }
figure { margin: 0; width: 120px; flex: 0 0 auto; }
figcaption { font-size: 10.5px; line-height: 1.25; color: #222; }
figcaption b { display: block; font-size: 11px; }
"""


def contact_sheet_html(catalog: Catalog | None = None, ids: list[str] | None = None) -> str:
    """Every posed exercise (or those of ``ids``) with each keyframe drawn still and named."""
    cat = resolve_catalog(catalog)
    poses = packaged_poses()
    blocks = []
    for exercise_id in ids or list(poses):
        pose = poses[exercise_id]
        exercise = cat[exercise_id]
        frames = "".join(
            f"<figure>{exercise_svg(exercise_id, frame=k.name, size=SHEET_SIZE, catalog=cat)}"
            f"<figcaption><b>{escape(k.name)}{' (held)' if k.hold else ''}</b>"
            f"{escape(k.says)}</figcaption></figure>"
            for k in pose.keyframes
        )
        blocks.append(
            f'<section class="exercise"><h2>{escape(exercise.name)} '
            f"<small>{escape(exercise_id)} · {escape(exercise.position.replace('_', ' '))} · "
            f"{escape(pose.view)} view</small></h2>"
            f'<div class="frames">{frames}</div></section>'
        )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8"><title>backlib exercise figures</title>'
        f"<style>{_STYLE}</style></head><body><h1>Exercise figures</h1>"
        f'<p class="lead">{len(blocks)} exercises, each keyframe drawn from the pose data; '
        "the part an exercise works is marked red with white dashes.</p>"
        f'<div class="sheet">{"".join(blocks)}</div></body></html>\n'
    )


def write_contact_sheet(
    html_path: str | Path,
    png_path: str | Path | None = None,
    preview_path: str | Path | None = None,
) -> Path:
    """Write the contact sheet, a full-page PNG of it, and a PNG of the README's sample.

    Raises
    ------
    ReportError
        When the PNG is asked for and Chromium or Playwright is missing.
    """
    # The report's browser helpers, imported here: only the PNG needs them (import time).
    from backlib.report.pipeline import _sync_playwright, find_chromium

    html_file = Path(html_path)
    html_file.parent.mkdir(parents=True, exist_ok=True)
    html_file.write_text(contact_sheet_html(), encoding="utf-8")
    if png_path is None and preview_path is None:
        return html_file
    shots = [(html_file, png_path)] if png_path is not None else []
    if preview_path is not None:
        preview = Path(preview_path).with_suffix(".html")
        preview.write_text(contact_sheet_html(ids=list(PREVIEW_IDS)), encoding="utf-8")
        shots.append((preview, preview_path))
    chromium = find_chromium()
    sync_playwright = _sync_playwright()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium), args=list(CHROMIUM_ARGS), headless=True
            )
            try:
                page = browser.new_page(viewport={"width": 1100, "height": 800})
                for source, target in shots:
                    page.goto(source.resolve().as_uri(), wait_until="load")
                    page.screenshot(path=str(target), full_page=True)
            finally:
                browser.close()
    except Exception as err:  # Playwright's errors have no common public base class
        raise ReportError(f"could not draw the sheet's PNG: {err}", file=html_file) from err
    finally:
        if preview_path is not None:
            Path(preview_path).with_suffix(".html").unlink(missing_ok=True)
    return html_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the HTML page to write")
    parser.add_argument("--png", type=Path, help="a PNG of the page (default: beside it)")
    parser.add_argument("--preview", type=Path, help="also a PNG of a few exercises")
    parser.add_argument("--no-png", action="store_true", help="write only the HTML")
    args = parser.parse_args(argv)
    png = None if args.no_png else (args.png or args.html.with_suffix(".png"))
    write_contact_sheet(args.html, png, None if args.no_png else args.preview)
    written = [str(p) for p in (args.html, png, None if args.no_png else args.preview) if p]
    print("wrote " + ", ".join(written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
