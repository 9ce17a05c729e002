"""Take headless screenshots of pages of a running server (for looking at the UI).

usage: scripts/screenshot.py BASE_URL USER PASSWORD OUT_DIR PATH [PATH ...]
Each PATH is fetched after logging in; PATH may end in "!select=TEXT" to select TEXT
in the article body first (shows the tagging toolbar). SCREENSHOT_WIDTH sets the window
width in CSS pixels (default 1360; 390 for a phone).
"""

import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from articles.conftest import CHROMIUM_FLAGS  # noqa: E402  (the flags CI's browser tests use)


def select_text(page, text):
    page.evaluate(
        """(text) => {
        const body = document.querySelector('#article-body');
        const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
          const i = node.data.indexOf(text);
          if (i >= 0) {
            const range = document.createRange();
            range.setStart(node, i); range.setEnd(node, i + text.length);
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
            return;
          }
        }
        throw new Error('text not found: ' + text);
      }""",
        text,
    )
    page.wait_for_selector("#toolbar:not([hidden])")


def main(base, user, password, out_dir, *paths):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        width = int(os.environ.get("SCREENSHOT_WIDTH", 1360))
        page = browser.new_page(viewport={"width": width, "height": 900 if width > 600 else 844})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + "/login/")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        for i, path in enumerate(paths):
            path, _, selection = path.partition("!select=")
            page.goto(base + path)
            if selection:
                select_text(page, selection)
            # Let requests made once the page is there (the figures strip) arrive.
            page.wait_for_load_state("networkidle")
            name = out / f"{i:02d}-{path.strip('/').replace('/', '_') or 'home'}-{width}.png"
            page.screenshot(path=str(name), full_page=True)
            print(name)
        for error in errors:
            print("console error:", error)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
