"""Search latency per keystroke, on the shipped content and on a corpus 100 times larger.

    python bench/search.py [--scale 100] [--queries 50]

Typing sequences: every prefix (from 1 character) of the first N queries in
tests/search_relevance.toml. For each keystroke it times the app's search (two-stage ranking,
snippets) and, as the floor, a bare FTS5 MATCH of the same terms ordered by rank, LIMIT 20, no
snippet, measured in the same run. Prints p50/p95/max for both and their ratio.
Goals (issue 5): p95 <= 5 ms on the shipped DB, <= 25 ms at 100x, and within 2x of the floor.
"""

from __future__ import annotations

import argparse
import copy
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from carmm_desktop.content.compile import write_database
from carmm_desktop.content.glossary import load_glossary
from carmm_desktop.content.repository import ContentRepository
from carmm_desktop.content.search import SearchEngine, build_match, parse_query
from carmm_desktop.content.source import load_entries

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "db" / "content"


def big_corpus(scale: int, out: Path) -> Path:
    """The real entries `scale` times: copies with new ids, aliases and shuffled paragraphs."""
    entries = load_entries(SOURCES)
    rng = random.Random(7)
    copies = []
    for round_number in range(scale):
        for entry in entries:
            clone = copy.deepcopy(entry)
            if round_number:
                suffix = f"-x{round_number}"
                clone.id += suffix
                # Letters around the number keep every name unique ("X 1" + "1" must not meet "X 11").
                clone.title = f"{clone.title} (copy {round_number}q)"
                clone.aliases = [f"{alias} copy{round_number}q" for alias in clone.aliases]
                paragraphs = clone.body.split("\n\n")
                rng.shuffle(paragraphs)
                clone.body = "\n\n".join(paragraphs)
                clone.relations = []
            copies.append(clone)
    write_database(copies, load_glossary(SOURCES), "bench", out)
    return out


def keystrokes(count: int) -> list[str]:
    queries = tomllib.loads((ROOT / "tests" / "search_relevance.toml").read_text())["queries"][:count]
    return [item["q"][:length] for item in queries for length in range(1, len(item["q"]) + 1)]


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return 1000 * statistics.median(ordered), 1000 * p95, 1000 * ordered[-1]


SLOWEST: list[tuple[float, str]] = []


def measure(db: Path, typed: list[str]) -> tuple[list[float], list[float]]:
    engine = SearchEngine(ContentRepository(db))
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    engine.search("warm up")
    ours, floor = [], []
    for text in typed:
        match = build_match(parse_query(text))
        start = time.perf_counter()
        if match:
            raw.execute(
                "SELECT entry_id FROM entry_fts WHERE entry_fts MATCH ? ORDER BY rank LIMIT 20", (match,)
            ).fetchall()
        floor.append(time.perf_counter() - start)
        start = time.perf_counter()
        engine.search(text, limit=20)
        ours.append(time.perf_counter() - start)
        SLOWEST.append((ours[-1], text))
    return ours, floor


def report(label: str, ours: list[float], floor: list[float], goal_ms: float) -> None:
    o50, o95, omax = percentiles(ours)
    f50, f95, fmax = percentiles(floor)
    print(f"{label}: {len(ours)} keystrokes", flush=True)
    print(f"  app search   p50 {o50:6.2f} ms  p95 {o95:6.2f} ms  max {omax:7.2f} ms   (goal p95 <= {goal_ms} ms)")
    print(f"  floor MATCH  p50 {f50:6.2f} ms  p95 {f95:6.2f} ms  max {fmax:7.2f} ms")
    print(f"  ratio app/floor: p50 {o50 / max(f50, 1e-6):.1f}x, p95 {o95 / max(f95, 1e-6):.1f}x (goal <= 2x)")
    slowest = sorted(SLOWEST, reverse=True)[:3]
    print("  slowest keystrokes: " + ", ".join(f"{text!r} {1000 * seconds:.0f} ms" for seconds, text in slowest))
    SLOWEST.clear()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    typed = keystrokes(args.queries)
    with tempfile.TemporaryDirectory() as folder:
        shipped = Path(folder) / "shipped.sqlite"
        write_database(load_entries(SOURCES), load_glossary(SOURCES), "bench", shipped)
        report("shipped content", *measure(shipped, typed), goal_ms=5)
        started = time.perf_counter()
        big = big_corpus(args.scale, Path(folder) / "big.sqlite")
        print(f"(built a {args.scale}x corpus in {time.perf_counter() - started:.0f} s)")
        report(f"{args.scale}x synthetic corpus", *measure(big, typed), goal_ms=25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
