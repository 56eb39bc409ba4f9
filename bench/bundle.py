"""Size of the packaged app against the floor (a bare QMainWindow bundled with the same spec options).

    python bench/bundle.py [--dist DIR] [--top 12]

Builds both bundles (unless --dist holds them; the same builder as bench/startup.py and the packaging
test), then prints both sizes, their ratio (goal, issue 9: <= 1.3) and what the app adds: the largest
top-level items of the bundle that the floor does not have, or has smaller. Start-up times and peak RSS
are bench/startup.py's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.startup import build, folder_size

MB = 2**20


def item_sizes(bundle: Path) -> dict[str, int]:
    """Bytes per top-level item of a one-folder bundle (its `_internal` folder, and the executable)."""
    internal = bundle / "_internal"
    sizes = {path.name: (folder_size(path) if path.is_dir() else path.stat().st_size) for path in internal.iterdir()}
    for path in bundle.iterdir():
        if path.is_file():
            sizes[path.name] = path.stat().st_size
    return sizes


def added_by_app(app: dict[str, int], floor: dict[str, int]) -> list[tuple[str, int]]:
    """(item, bytes the app has beyond the floor), largest first; items the same size are left out."""
    extra = [(name, size - floor.get(name, 0)) for name, size in app.items()]
    return sorted(((name, delta) for name, delta in extra if delta > 0), key=lambda pair: (-pair[1], pair[0]))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dist", type=Path)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    dist = args.dist or Path(tempfile.mkdtemp(prefix="carmm-bench-"))
    app_dir, floor_dir = build(dist, floor=False).parent, build(dist, floor=True).parent
    app_size, floor_size = folder_size(app_dir), folder_size(floor_dir)
    print(f"bundles in {dist}")
    print(f"floor (bare QMainWindow): {floor_size / MB:6.1f} MB")
    print(f"app:                      {app_size / MB:6.1f} MB   ratio {app_size / floor_size:.2f} (goal <= 1.3)")
    extra = added_by_app(item_sizes(app_dir), item_sizes(floor_dir))
    print(f"what the app adds ({(app_size - floor_size) / MB:.1f} MB), largest first:")
    for name, delta in extra[: args.top]:
        print(f"  {delta / MB:6.2f} MB  {name}")
    if len(extra) > args.top:
        rest = sum(delta for _name, delta in extra[args.top :])
        print(f"  {rest / MB:6.2f} MB  {len(extra) - args.top} more items")
    return 0


if __name__ == "__main__":
    sys.exit(main())
