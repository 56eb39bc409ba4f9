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


def test_paired_ratios_divide_each_round_by_its_own_floor() -> None:
    from bench.startup import paired_ratios, spread

    floor = [{"shown": 0.1}, {"shown": 0.2}, {"shown": 0.1}]
    app = [{"shown": 0.13, "searched": 0.15}, {"shown": 0.24, "searched": 0.3}, {"shown": 0.14, "searched": 0.2}]
    assert [round(r, 2) for r in paired_ratios(app, floor, "shown")] == [1.3, 1.2, 1.4]
    assert spread([1.3, 1.2, 1.4]) == "1.30 (1.20 to 1.40)"
    assert spread([1.25]) == "1.25 (1.25 to 1.25)"


def test_a_bundle_that_prints_no_marks_is_named() -> None:
    from bench.startup import missing_marks

    good = {"shown": 0.2, "searched": 0.25, "rss_mb": 90.0}
    results = {"floor": [{"shown": 0.1}], "app": [good], "baseline": [{}]}
    assert missing_marks(results) == ["baseline"]
    assert missing_marks({"floor": [{"shown": 0.1}], "app": [good]}) == []


def test_a_bundles_output_lines_become_marks() -> None:
    from bench.startup import read_mark

    marks: dict[str, float] = {}
    for line, elapsed in (("shown 123.5\n", 0.2), ("This plugin does not support x\n", 0.21), ("searched\n", 0.25)):
        read_mark(line, elapsed, marks)
    read_mark("maxrss_kb 2048\n", 0.9, marks)
    assert marks == {"shown": 0.2, "shown_cpu": 0.1235, "searched": 0.25, "rss_mb": 2.0}
