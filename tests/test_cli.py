"""The command line: every subcommand, its output formats (public contracts) and its error paths."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from carmm_desktop.cli import main
from carmm_desktop.content.compile import build_database
from tests.conftest import REPO_ROOT

EXPORT_ENTRY_KEYS = {
    "id",
    "kind",
    "title",
    "aliases",
    "summary",
    "status",
    "last_reviewed",
    "tags",
    "attributes",
    "relations",
    "references",
    "body",
}
EXPORT_REFERENCE_KEYS = {"key", "citation", "pmid", "doi", "nct", "url"}


@pytest.fixture
def tiny_db(tiny_corpus: Path, tmp_path: Path) -> Path:
    return build_database(tiny_corpus, tmp_path / "db.sqlite").path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_build_db(tiny_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "built.sqlite"
    code, stdout, _ = run(["build-db", "--source", str(tiny_corpus), "--out", str(out)], capsys)
    assert code == 0 and out.is_file()
    assert "2 entries (antigen 1, product 1)" in stdout and "content version 2026-11-24+" in stdout


def test_build_db_reports_invalid_sources(tiny_corpus: Path, tmp_path: Path, capsys) -> None:
    (tiny_corpus / "antigen" / "bcma.md").write_text("+++\nid = 1\n+++\n")
    code, _, stderr = run(["build-db", "--source", str(tiny_corpus), "--out", str(tmp_path / "x.sqlite")], capsys)
    assert code == 1
    assert stderr.startswith("carmm-desktop: error: 1 content problem") and "antigen/bcma.md" in stderr
    assert "Traceback" not in stderr


def test_search_text_is_tab_separated(tiny_db: Path, capsys) -> None:
    code, stdout, _ = run(["--content-db", str(tiny_db), "search", "CD269"], capsys)
    assert code == 0
    first = stdout.splitlines()[0].split("\t")
    assert first[:3] == ["bcma", "antigen", "Title of bcma"] and len(first) == 4


def test_search_json_has_the_contract_keys(tiny_db: Path, capsys) -> None:
    code, stdout, _ = run(["--content-db", str(tiny_db), "search", "bcma", "--format", "json", "--limit", "1"], capsys)
    rows = json.loads(stdout)
    assert code == 0 and len(rows) == 1
    assert set(rows[0]) == {"id", "kind", "title", "snippet", "score"} and rows[0]["id"] == "bcma"
    assert isinstance(rows[0]["score"], float)


def test_search_kind_filter_and_no_results(tiny_db: Path, capsys) -> None:
    code, stdout, _ = run(["--content-db", str(tiny_db), "search", "bcma", "--kind", "product"], capsys)
    assert code == 0 and [line.split("\t")[0] for line in stdout.splitlines()] == ["demo-cel"]
    code, stdout, stderr = run(["--content-db", str(tiny_db), "search", "Democabtagen"], capsys)
    assert code == 0 and stdout.startswith("demo-cel")
    code, stdout, stderr = run(["--content-db", str(tiny_db), "search", "zzqqxx"], capsys)
    assert code == 0 and stdout == "" and "No results for 'zzqqxx'" in stderr


def test_show_prints_markdown(tiny_db: Path, capsys) -> None:
    code, stdout, _ = run(["--content-db", str(tiny_db), "show", "demo-cel"], capsys)
    assert code == 0
    assert stdout.startswith("# Democabtagene autoleucel\n")
    assert "- **Overall response rate:** 50% [@ref1]" in stdout
    assert "1. [@ref1] Author A, et al." in stdout and "Targets: Title of bcma (`bcma`)" in stdout


def test_export_json_follows_the_public_schema(tiny_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "export.json"
    code, _, stderr = run(["--content-db", str(tiny_db), "export", "--format", "json", "--out", str(out)], capsys)
    assert code == 0 and "wrote 2 entries to" in stderr
    document = json.loads(out.read_text())
    assert set(document) == {"content_version", "entries"}
    for entry in document["entries"]:
        assert set(entry) == EXPORT_ENTRY_KEYS
        assert all(set(ref) == EXPORT_REFERENCE_KEYS for ref in entry["references"])
        assert all(set(rel) == {"type", "to"} for rel in entry["relations"])
        assert isinstance(entry["attributes"], dict)
    product = next(e for e in document["entries"] if e["id"] == "demo-cel")
    assert product["relations"] == [{"type": "targets", "to": "bcma"}]
    assert product["attributes"] == {"target": "BCMA", "orr": "50% [@ref1]"}
    code, stdout, _ = run(["--content-db", str(tiny_db), "export"], capsys)
    assert json.loads(stdout) == document


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "no-such-id"], "no entry with id 'no-such-id'"),
        (["search", "x", "--limit", "0"], "--limit must be at least 1"),
        (["search", "x", "--kind", "gizmo"], "unknown kind 'gizmo'"),
    ],
)
def test_runtime_errors_are_one_line(tiny_db: Path, capsys, args: list[str], message: str) -> None:
    code, _, stderr = run(["--content-db", str(tiny_db), *args], capsys)
    assert code == 1 and len(stderr.splitlines()) == 1
    assert stderr.startswith(f"carmm-desktop: error: {message}")


def test_export_to_unwritable_path(tiny_db: Path, tmp_path: Path, capsys) -> None:
    code, _, stderr = run(["--content-db", str(tiny_db), "export", "--out", str(tmp_path / "no" / "x.json")], capsys)
    assert code == 1 and stderr.startswith("carmm-desktop: error: cannot write")


@pytest.mark.parametrize("args", [["--bogus"], ["search"], ["export", "--format", "xml"], ["frobnicate"]])
def test_bad_arguments_are_one_line_usage_errors(args: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(args)
    stderr = capsys.readouterr().err
    assert caught.value.code == 2
    assert len(stderr.strip().splitlines()) == 1
    assert re.match(r"carmm-desktop( [a-z-]+)?: error: .+ \(see 'carmm-desktop( [a-z-]+)? --help'\)$", stderr.strip())


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--profile", "/tmp/p"],
        ["--profile=/tmp/p", "--content-db", "x.sqlite"],
        ["--smoke", "--content-db=x.sqlite"],
        ["--bench-startup", "--profile", "/tmp/a profile"],
        ["--profile", "search"],  # a profile folder named like a subcommand
        ["--profile", "/tmp/a", "--profile=/tmp/b", "--smoke", "--smoke"],  # the last value wins
        ["--content-db="],
    ],
)
def test_the_windows_start_is_read_as_by_the_full_parser(argv: list[str]) -> None:
    """The GUI start is read without argparse: it must give the full parser's namespace."""
    from carmm_desktop.cli import build_parser, gui_options

    by_hand = gui_options(argv)
    assert by_hand is not None
    assert by_hand == build_parser().parse_args(argv)
    assert by_hand.command is None


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["search", "x"],
        ["--prof", "p"],
        ["--profile"],
        ["serch"],
        ["--", "x"],
        ["--smoke", "show"],
        ["--smoke=1"],
        ["--profile", "--smoke"],
        ["--version"],
    ],
)
def test_anything_but_the_windows_options_gets_the_full_parser(argv: list[str]) -> None:
    from carmm_desktop.cli import gui_options

    assert gui_options(argv) is None


def test_missing_and_corrupt_database(tmp_path: Path, capsys) -> None:
    code, _, stderr = run(["--content-db", str(tmp_path / "none.sqlite"), "search", "x"], capsys)
    assert code == 1 and "content database not found" in stderr and len(stderr.splitlines()) == 1
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(os.urandom(4096))
    code, _, stderr = run(["--content-db", str(corrupt), "show", "bcma"], capsys)
    assert code == 1 and "not a readable CARMM content database" in stderr and len(stderr.splitlines()) == 1


def test_environment_variable_selects_the_database(tiny_db: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("CARMM_CONTENT_DB", str(tiny_db))
    code, stdout, _ = run(["show", "bcma"], capsys)
    assert code == 0 and stdout.startswith("# Title of bcma")


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARMM_")}
    env.update(QT_QPA_PLATFORM="offscreen", **extra)
    return env


def test_module_entry_point_runs(tiny_db: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "carmm_desktop", "--content-db", str(tiny_db), "search", "CD269"],
        capture_output=True,
        text=True,
        timeout=60,
        env=subprocess_env(),
        cwd=REPO_ROOT,
    )
    assert done.returncode == 0 and done.stdout.startswith("bcma\t")


def run_app(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The app as a separate process (`python -m carmm_desktop ARGS`), offscreen, with HOME and cwd at `home`."""
    return subprocess.run(
        [sys.executable, "-m", "carmm_desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=subprocess_env(HOME=str(home)),
        cwd=home,
    )


def test_smoke_runs_the_real_window_offscreen(shipped_db: Path, tmp_path: Path) -> None:
    done = run_app(tmp_path, "--content-db", str(shipped_db), "--smoke")
    assert done.returncode == 0, done.stderr
    for step in ("main window shown", "search", "rendered", "icon rendered", "smoke test passed"):
        assert step in done.stdout


def test_bench_startup_reports_what_bench_startup_py_reads(shipped_db: Path, tmp_path: Path) -> None:
    """bench/startup.py times these lines: the window painted, a first search's results painted, then
    peak RSS, in that order and once each."""
    done = run_app(tmp_path, "--content-db", str(shipped_db), "--bench-startup")
    assert done.returncode == 0, done.stderr
    words = [line.split()[0] for line in done.stdout.splitlines() if line.strip()]
    assert words == ["shown", "searched", "maxrss_kb"], done.stdout
    assert int(done.stdout.split("maxrss_kb")[1]) > 0


FIRST_FRAME_PROBE = """
import sys
import PySide6.QtCore as QtCore
import PySide6.QtWidgets as QtWidgets
from carmm_desktop.ui.app import create_main_window
from carmm_desktop.content.repository import ContentRepository

window = create_main_window(sys.argv[2], repository=ContentRepository(sys.argv[1]), first_screen_only=True)

def painted():
    window.entry_view.painted.disconnect(painted)
    print("first frame, Qt namespace built:", "Qt" in vars(QtCore), flush=True)
    # Handing Python a bare QEvent (a changeEvent override) makes PySide6 load every QEvent subclass.
    print("first frame, QEvent subclasses loaded:", "QGraphicsSceneMouseEvent" in vars(QtWidgets), flush=True)
    # Classes (and their enums) and modules first needed later: by a search, a click, a command.
    later = {"QUrl": vars(QtCore), "html": sys.modules, "datetime": sys.modules}
    print("first frame, loaded early:", sorted(name for name, where in later.items() if name in where), flush=True)
    # A search typed at once: answered, with its icons painted, before the deferred steps run.
    window.results_list.painted.connect(results_painted)
    window.search_box.setText("BCMA")
    window.run_search()

def results_painted():
    window.results_list.painted.disconnect(results_painted)
    print("first search painted, Qt namespace built:", "Qt" in vars(QtCore), flush=True)
    window.after_first_frame()
    print("after it, Qt namespace built:", "Qt" in vars(QtCore), flush=True)
    window.close()
    window.store.close()

window.entry_view.painted.connect(painted)
window.show()
QtCore.QCoreApplication.exec()
"""


def test_the_first_frame_is_painted_before_the_qt_namespace_is_built(shipped_db: Path, tmp_path: Path) -> None:
    """The first name taken from `Qt` makes PySide6 build all ~90 of its Python enums (~25 ms of a
    ~0.3 s start): the first screen, and a search typed at once with its icons, are drawn without
    them, and the window sets up what needs them (context menus, Esc, group rows) just after its
    first frame. A fresh process, as at start-up."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME_PROBE, str(shipped_db), str(tmp_path / "profile")],
        capture_output=True,
        text=True,
        timeout=120,
        env=subprocess_env(HOME=str(tmp_path)),
        cwd=REPO_ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "first frame, Qt namespace built: False" in done.stdout, done.stdout
    assert "first search painted, Qt namespace built: False" in done.stdout, done.stdout
    assert "first frame, QEvent subclasses loaded: False" in done.stdout, done.stdout
    assert "first frame, loaded early: []" in done.stdout, done.stdout
    assert "after it, Qt namespace built: True" in done.stdout, done.stdout


def test_smoke_fails_clearly_without_a_database(tmp_path: Path) -> None:
    done = run_app(tmp_path, "--content-db", str(tmp_path / "none.sqlite"), "--smoke")
    assert done.returncode == 1 and "content database not found" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("query", ["cilta-cel", "GPRC5D bispecific", "relapse after BCMA CAR T", "Ca", "talquetamb"])
def test_cli_search_ranks_exactly_as_the_window(shipped_window, shipped_db: Path, capsys, query: str) -> None:
    """One search engine behind both front ends: the CLI's order is the results list's order."""
    from carmm_desktop.ui.results import ENTRY_ID_ROLE

    code, stdout, _ = run(
        ["--content-db", str(shipped_db), "search", query, "--format", "json", "--limit", "20"], capsys
    )
    assert code == 0
    cli_ids = [row["id"] for row in json.loads(stdout)]
    shipped_window.search_box.setText(query)
    shipped_window.run_search()
    listed = [
        shipped_window.results_list.item(i).data(ENTRY_ID_ROLE) for i in range(shipped_window.results_list.count())
    ]
    ui_ids = [entry_id for entry_id in listed if entry_id is not None][: len(cli_ids)]
    assert cli_ids and ui_ids == cli_ids
