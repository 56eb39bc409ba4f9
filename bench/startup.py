"""Start-up of the packaged app against the floor (a bare QMainWindow bundled with the same options).

    python bench/startup.py [--runs 7] [--dist DIR] [--baseline EXE]

Builds both bundles (unless --dist holds them), then runs each offscreen N times and prints, as
medians: process start to first window shown, to first search answered, the ratios to the floor
(also within each round, and in CPU time, which a shared machine's noise moves less), bundle sizes
and peak RSS after a search. Goals (issue 9): shown <= 1.3x floor, search <= 1.5x,
size <= 1.3x, peak RSS < 200 MB. `--baseline EXE` times an earlier app bundle in the same rounds,
the fair way to see what a change gained on a machine whose speed drifts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(dist: Path, floor: bool = False, env: dict[str, str] | None = None) -> Path:
    """Build the app (or the floor) bundle with build.spec into `dist`; returns its executable.

    Also used by tests/test_packaging.py, so the test and the benchmark build the same way.
    """
    name = "carmm-floor" if floor else "carmm-desktop"
    target = dist / name / name
    if target.exists():
        return target
    environment = {**os.environ, **(env or {}), "CARMM_BUNDLE_FLOOR": "1" if floor else "0"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(dist / f"work-{name}"),
            str(ROOT / "build.spec"),
        ],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"PyInstaller failed:\n{done.stderr[-3000:]}")
    return target


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def timed_run(command: list[str], home: Path) -> dict[str, float]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    marks: dict[str, float] = {}
    assert process.stdout is not None
    for line in process.stdout:
        read_mark(line, time.perf_counter() - started, marks)
    process.wait(timeout=60)
    return marks


def read_mark(line: str, elapsed: float, marks: dict[str, float]) -> None:
    """One line of a bundle's output into `marks`: `shown`/`searched` at `elapsed` seconds (with the
    process's CPU seconds, when the line gives its CPU ms), `maxrss_kb` as MB; other lines ignored."""
    word, _, value = line.strip().partition(" ")
    if word in ("shown", "searched"):
        marks[word] = elapsed
        if value:  # bundles built before the CPU time was added print the word alone
            marks[f"{word}_cpu"] = float(value) / 1000
    elif word == "maxrss_kb":
        marks["rss_mb"] = int(value) / 1024


def median_of(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def paired_ratios(runs: list[dict[str, float]], floor_runs: list[dict[str, float]], key: str) -> list[float]:
    """Each round's `key` over that round's floor "shown": the rounds run back to back, so drift in
    the machine's speed over the whole run cancels out of these better than out of the medians."""
    return [run[key] / floor["shown"] for run, floor in zip(runs, floor_runs, strict=True)]


def spread(values: list[float]) -> str:
    """Median and interquartile range, e.g. "1.27 (1.22 to 1.31)"."""
    low, middle, high = statistics.quantiles(values, n=4) if len(values) > 1 else (values[0],) * 3
    return f"{middle:.2f} ({low:.2f} to {high:.2f})"


def missing_marks(results: dict[str, list[dict[str, float]]]) -> list[str]:
    """The bundles whose runs did not all print the marks timed (not a CARMM bundle, or one that failed)."""
    needed = {"floor": ("shown",)}
    return [
        name
        for name, runs in results.items()
        if any(key not in run for run in runs for key in needed.get(name, ("shown", "searched", "rss_mb")))
    ]


def run_order(names: list[str], runs: int, seed: int = 9) -> list[list[str]]:
    """Each round runs every bundle once, in a shuffled order (seeded: reruns are comparable), so
    neither drift in the machine's speed nor running right after another bundle favours one."""
    shuffler = random.Random(seed)
    return [shuffler.sample(names, len(names)) for _ in range(runs)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dist", type=Path)
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="EXE",
        help="an app bundle built earlier (e.g. from an older commit), timed in the same rounds",
    )
    args = parser.parse_args()
    dist = args.dist or Path(tempfile.mkdtemp(prefix="carmm-bench-"))
    commands = {"floor": [str(build(dist, floor=True))], "app": [str(build(dist, floor=False))]}
    if args.baseline:
        commands["baseline"] = [str(args.baseline.resolve())]
    results: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as home:
        for order in run_order(list(commands), args.runs):
            for name in order:
                command = commands[name]
                if name != "floor":  # a returning user's profile (made by the first run)
                    command = [*command, "--profile", str(Path(home) / f"profile-{name}"), "--bench-startup"]
                results[name].append(timed_run(command, Path(home)))

    failed = missing_marks(results)
    if failed:
        print(
            f"no timings from {', '.join(failed)}: each run must print `shown` (and the app `searched` and "
            "`maxrss_kb`); is it a CARMM bundle run with --bench-startup, and does it start?",
            file=sys.stderr,
        )
        return 1
    floor_shown = median_of(results["floor"], "shown")
    print(f"runs: {args.runs} each, medians; bundles in {dist}")
    print(f"floor (bare QMainWindow) shown:   {1000 * floor_shown:7.0f} ms")
    for name in ("app", "baseline") if args.baseline else ("app",):
        shown, searched = median_of(results[name], "shown"), median_of(results[name], "searched")
        print(f"{name + ' window shown:':34s}{1000 * shown:7.0f} ms   ratio {shown / floor_shown:.2f} (goal <= 1.3)")
        print(
            f"{name + ' first search answered:':34s}{1000 * searched:7.0f} ms   ratio {searched / floor_shown:.2f}"
            " (goal <= 1.5)"
        )
        for key, label in (("shown", "window shown"), ("searched", "first search")):
            ratios = paired_ratios(results[name], results["floor"], key)
            print(f"  {label}, ratio within each round: median {spread(ratios)} interquartile")
        if all("searched_cpu" in run for run in results[name]) and all("shown_cpu" in run for run in results["floor"]):
            floor_cpu = median_of(results["floor"], "shown_cpu")
            shown_cpu, searched_cpu = median_of(results[name], "shown_cpu"), median_of(results[name], "searched_cpu")
            print(
                f"  CPU time (steadier than wall time on a shared machine): window shown {1000 * shown_cpu:.0f} ms,"
                f" ratio {shown_cpu / floor_cpu:.2f}; first search {1000 * searched_cpu:.0f} ms,"
                f" ratio {searched_cpu / floor_cpu:.2f} (floor {1000 * floor_cpu:.0f} ms)"
            )
    app_size, floor_size = folder_size(Path(commands["app"][0]).parent), folder_size(Path(commands["floor"][0]).parent)
    print(
        f"bundle size: app {app_size / 2**20:.0f} MB, floor {floor_size / 2**20:.0f} MB, ratio {app_size / floor_size:.2f} (goal <= 1.3)"
    )
    print(f"peak RSS after a search: {median_of(results['app'], 'rss_mb'):.0f} MB (goal < 200)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
