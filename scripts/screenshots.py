"""Screenshots of the static site in headless Chromium (Debian's ``chromium``), for the README.

Writes ``docs/img/site-als.png`` (the ALS page), ``docs/img/site-family.png`` (the family
matrix) and ``docs/img/site-differences.png`` (the differences page) from a site written by
``alskg site`` (``--site``, default ``build/site``), opened from file:// with the network off.

    alskg site --build-dir build --out build/site && python scripts/screenshots.py
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHOTS = (("disease/MONDO_0004976.html", "site-als.png", 1900),
         ("family-MONDO_0004976.html", "site-family.png", 1500),
         ("differences.html", "site-differences.png", 1100))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "build" / "site", help="a folder written by alskg site")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img", help="where the PNG files go")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("Chromium is not installed: run `make browser` (Debian package chromium)")
    if not (args.site / "index.html").is_file():
        sys.exit(f"{args.site}: no site here; write one with `alskg site --out {args.site}`")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        for relative, name, height in SHOTS:
            page = context.new_page()
            page.goto((args.site / relative).resolve().as_uri())
            page.wait_for_load_state("load")
            page.screenshot(path=str(args.out / name), clip={"x": 0, "y": 0, "width": 1280, "height": height},
                            full_page=True)
            page.close()
            print(f"wrote {args.out / name}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
