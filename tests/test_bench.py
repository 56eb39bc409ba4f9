"""The benchmarks' own arithmetic (the timings themselves are never asserted: see bench/)."""

from __future__ import annotations

from pathlib import Path

from bench.bundle import added_by_app, item_sizes


def make_bundle(root: Path, files: dict[str, int]) -> Path:
    for name, size in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
    return root


def test_item_sizes_counts_folders_whole_and_the_executable(tmp_path: Path) -> None:
    bundle = make_bundle(
        tmp_path / "app", {"app": 5, "_internal/lib.so": 7, "_internal/pkg/a.py": 3, "_internal/pkg/b.py": 4}
    )
    assert item_sizes(bundle) == {"app": 5, "lib.so": 7, "pkg": 7}


def test_added_by_app_lists_what_the_floor_lacks_or_has_smaller_largest_first() -> None:
    app = {"PySide6": 100, "rapidfuzz": 6, "content.sqlite": 4, "libQt6Core.so.6": 10, "exe": 9}
    floor = {"PySide6": 90, "libQt6Core.so.6": 10, "exe": 2}
    assert added_by_app(app, floor) == [("PySide6", 10), ("exe", 7), ("rapidfuzz", 6), ("content.sqlite", 4)]


def test_every_round_runs_each_bundle_once_in_a_reproducible_shuffled_order() -> None:
    from bench.startup import run_order

    order = run_order(["floor", "app", "baseline"], 20)
    assert len(order) == 20 and all(sorted(round_) == ["app", "baseline", "floor"] for round_ in order)
    assert len({tuple(round_) for round_ in order}) > 1  # not one fixed order
    assert order == run_order(["floor", "app", "baseline"], 20)
