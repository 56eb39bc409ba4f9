"""Start-up of the packaged app against the floor (a bare QMainWindow bundled with the same options).

    python bench/startup.py [--runs 7] [--dist DIR]

Builds both bundles (unless --dist holds them), then runs each offscreen N times and prints, as
medians: process start to first window shown, to first search answered, the ratios to the floor,
bundle sizes and peak RSS after a search. Goals (issue 9): shown <= 1.3x floor, search <= 1.5x,
size <= 1.3x, peak RSS < 200 MB.
"""

from __future__ import annotations

import argparse
import os
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
        word, _, value = line.strip().partition(" ")
        if word in ("shown", "searched"):
            marks[word] = time.perf_counter() - started
        elif word == "maxrss_kb":
            marks["rss_mb"] = int(value) / 1024
    process.wait(timeout=60)
    return marks


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dist", type=Path)
    args = parser.parse_args()
    dist = args.dist or Path(tempfile.mkdtemp(prefix="carmm-bench-"))
    app, floor = build(dist, floor=False), build(dist, floor=True)
    results: dict[str, list[dict[str, float]]] = {"app": [], "floor": []}
    with tempfile.TemporaryDirectory() as home:
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            results["floor"].append(timed_run([str(floor)], Path(home)))
            # A returning user's profile (created by the first, unmeasured-in-spirit run).
            profile = Path(home) / "profile"
            results["app"].append(timed_run([str(app), "--profile", str(profile), "--bench-startup"], Path(home)))

    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in results[name])

    floor_shown = median("floor", "shown")
    app_shown, app_searched = median("app", "shown"), median("app", "searched")
    app_size, floor_size = folder_size(app.parent), folder_size(floor.parent)
    print(f"runs: {args.runs} each, medians; bundles in {dist}")
    print(f"floor (bare QMainWindow) shown:   {1000 * floor_shown:7.0f} ms")
    print(
        f"app window shown:                 {1000 * app_shown:7.0f} ms   ratio {app_shown / floor_shown:.2f} (goal <= 1.3)"
    )
    print(
        f"app first search answered:        {1000 * app_searched:7.0f} ms   ratio {app_searched / floor_shown:.2f} (goal <= 1.5)"
    )
    print(
        f"bundle size: app {app_size / 2**20:.0f} MB, floor {floor_size / 2**20:.0f} MB, ratio {app_size / floor_size:.2f} (goal <= 1.3)"
    )
    print(f"peak RSS after a search: {median('app', 'rss_mb'):.0f} MB (goal < 200)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
