"""Regenerate the README's screenshot (docs/img/report.png) from the seeds.

Runs the README's first command (``newsqa analyze seeds/ --out DIR
--format json,html``), opens the page in Debian's headless chromium through
playwright, opens seed 003 (spun text and a link farm) and saves the page.
So the picture always shows what the command makes today.

Usage (needs the test extras and ``apt-get install chromium``)::

    python scripts/screenshot_readme.py [--out docs/img/report.png] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "img" / "report.png"))
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--width", type=int, default=1280)
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    from newsqa.cli import main as newsqa_main
    from newsqa.results import Report

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report"
        code = newsqa_main(["analyze", str(ROOT / "seeds"), "--out", str(out), "--format", "json,html", "--quiet"])
        if code != 0:
            return code
        report = Report.from_json(out / "report.json")
        i = next(k for k, a in enumerate(report.articles) if a.id.startswith("003"))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, headless=True)
            page = browser.new_page(viewport={"width": args.width, "height": 900})
            page.goto((out / "report.html").as_uri())
            page.click(f"#a{i} button.open")
            page.wait_for_selector(f"#ad{i} .text", state="visible")
            page.screenshot(path=args.out, full_page=True)
            browser.close()
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
