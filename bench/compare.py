"""How long a six-entry comparison takes, from entry ids to a laid-out page (issue 7: < 100 ms).

    QT_QPA_PLATFORM=offscreen python bench/compare.py [--runs 30]

Prints medians for building the table, producing its HTML and laying it out in a QTextBrowser,
next to the same for rendering one entry page in the same run (the baseline).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication, QTextBrowser

from carmm_desktop.content.compare import build_comparison, to_html
from carmm_desktop.content.locate import open_content_repository
from carmm_desktop.render.entry_html import render_entry

SIX = ["ide-cel", "cilta-cel", "eque-cel", "zevor-cel", "anito-cel", "allo-715"]


def median_ms(samples: list[float]) -> float:
    return 1000 * statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    repository = open_content_repository()
    browser = QTextBrowser()
    browser.resize(1100, 800)
    timings: dict[str, list[float]] = {"build": [], "html": [], "layout": [], "total": [], "entry": []}
    for _ in range(args.runs):
        start = time.perf_counter()
        comparison = build_comparison(repository, SIX)
        built = time.perf_counter()
        page = to_html(comparison)
        rendered = time.perf_counter()
        browser.setHtml(page)
        browser.document().size()  # force layout
        laid_out = time.perf_counter()
        timings["build"].append(built - start)
        timings["html"].append(rendered - built)
        timings["layout"].append(laid_out - rendered)
        timings["total"].append(laid_out - start)
        start = time.perf_counter()
        browser.setHtml(render_entry(repository.get_entry("cilta-cel")))
        browser.document().size()
        timings["entry"].append(time.perf_counter() - start)
    app.processEvents()
    total, entry = median_ms(timings["total"]), median_ms(timings["entry"])
    print(f"six-entry comparison ({', '.join(SIX)}), {args.runs} runs, medians:")
    print(f"  build table {median_ms(timings['build']):6.1f} ms")
    print(f"  to HTML     {median_ms(timings['html']):6.1f} ms")
    print(f"  layout      {median_ms(timings['layout']):6.1f} ms")
    print(f"  total       {total:6.1f} ms   (goal < 100 ms)")
    print(f"baseline: one entry page (cilta-cel) {entry:6.1f} ms; comparison/entry ratio {total / entry:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
