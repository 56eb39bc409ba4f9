"""The user DB: notes survive everything — migrations, corruption, read-only folders, two writers."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from carmm_desktop.userdata import transfer
from carmm_desktop.userdata.profile import (
    last_used_profile,
    list_profiles,
    named_profile,
    remember_profile,
    resolve_profile,
)
from carmm_desktop.userdata.store import UserDataError, UserStore, head_revision

V1_SCHEMA = """
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
INSERT INTO alembic_version VALUES ('0001');
CREATE TABLE notes (id INTEGER PRIMARY KEY, uid VARCHAR(32) NOT NULL UNIQUE, entry_id VARCHAR,
    body TEXT NOT NULL DEFAULT '', created_at VARCHAR NOT NULL, updated_at VARCHAR NOT NULL);
CREATE INDEX ix_notes_entry_id ON notes (entry_id);
CREATE TABLE note_tags (note_id INTEGER REFERENCES notes(id) ON DELETE CASCADE, tag VARCHAR,
    PRIMARY KEY (note_id, tag));
CREATE TABLE bookmarks (entry_id VARCHAR PRIMARY KEY, created_at VARCHAR NOT NULL);
CREATE TABLE history (id INTEGER PRIMARY KEY, entry_id VARCHAR NOT NULL, visited_at VARCHAR NOT NULL);
CREATE INDEX ix_history_entry_id ON history (entry_id);
"""


def write_v1_database(path: Path) -> None:
    """A user DB as version 1 of the app left it, with notes, tags, bookmarks and history."""
    with sqlite3.connect(path) as connection:
        connection.executescript(V1_SCHEMA)
        connection.execute(
            "INSERT INTO notes VALUES (1, ?, 'crs', ?, '2025-01-02T03:04:05Z', '2025-01-02T03:04:05Z')",
            ("a" * 32, "# Toci\nour centre gives tocilizumab at grade 2 — γ-secretase ✓"),
        )
        connection.execute(
            "INSERT INTO notes VALUES (2, ?, NULL, 'free note', '2025-02-01T00:00:00Z', '2025-02-01T00:00:00Z')",
            ("b" * 32,),
        )
        connection.execute("INSERT INTO note_tags VALUES (1, 'ward')")
        connection.execute("INSERT INTO bookmarks VALUES ('cilta-cel', '2025-01-01T00:00:00Z')")
        connection.execute("INSERT INTO history VALUES (1, 'bcma', '2025-01-01T00:00:00Z')")


def test_v1_database_upgrades_with_nothing_lost_and_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    write_v1_database(path)
    store = UserStore.open(path)
    assert store.migration_backup is not None and store.migration_backup.is_file()
    with sqlite3.connect(store.migration_backup) as backup:
        assert backup.execute("SELECT count(*) FROM notes").fetchone()[0] == 2
    notes = {note.uid: note for note in store.list_notes()}
    assert notes["a" * 32].body.startswith("# Toci") and notes["a" * 32].tags == ["ward"]
    assert notes["a" * 32].entry_id == "crs" and notes["b" * 32].entry_id is None
    assert store.bookmarks() == ["cilta-cel"] and store.recent_entries() == ["bcma"]
    # What version 2 added works on the upgraded file, including search over the old notes.
    assert [hit.note.uid for hit in store.search_notes("gamma secretase")] == ["a" * 32]
    store.save_comparison("mine", ["ide-cel", "cilta-cel"])
    assert store.comparisons() == [("mine", ["ide-cel", "cilta-cel"])]
    store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    reopened = UserStore.open(path)
    assert reopened.migration_backup is None  # already at head: no second backup
    reopened.close()


def test_new_database_is_wal_with_foreign_keys(tmp_path: Path) -> None:
    store = UserStore.open(tmp_path / "p" / "notes.sqlite")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    note = store.create_note("x", tags=["a", "b"])
    store.delete_note(note.id)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM note_tags").scalar() == 0
    store.close()


def test_note_crud_tags_and_search(tmp_path: Path) -> None:
    store = UserStore.open(tmp_path / "notes.sqlite")
    note = store.create_note(
        "# KarMMa-3\nremember the comparator", entry_id="karmma-3", tags=["#exam", "Exam", " ward "]
    )
    assert note.tags == ["exam", "ward"] and note.title == "KarMMa-3"
    updated = store.update_note(note.id, body="changed", tags=["x"])
    assert updated.body == "changed" and updated.tags == ["x"] and updated.updated_at >= note.updated_at
    assert store.list_notes(tag="X")[0].id == note.id
    assert store.entry_ids_with_notes() == {"karmma-3"}
    assert store.search_notes("chang")[0].snippet == "<b>changed</b>"
    assert store.search_notes('"unbalanced NEAR(') == []
    store.delete_note(note.id)
    assert store.list_notes() == [] and store.search_notes("changed") == []
    with pytest.raises(UserDataError, match="no longer exists"):
        store.update_note(note.id, body="y")
    store.close()


@pytest.mark.parametrize(
    "body",
    [
        "x" * (5 * 1024 * 1024),
        "日本語 العربية עברית 🧬 \u200b zero-width \x00 NUL \ud7ff",
        "<script>alert(1)</script><img src=https://evil.example/x.png>[x](javascript:alert(1))",
    ],
    ids=["5MB", "unicode", "hostile"],
)
def test_any_note_body_round_trips(tmp_path: Path, body: str) -> None:
    store = UserStore.open(tmp_path / "notes.sqlite")
    note = store.create_note(body)
    store.close()
    reopened = UserStore.open(tmp_path / "notes.sqlite")
    assert reopened.get_note(note.id).body == body
    reopened.close()


def test_corrupt_database_is_moved_aside_and_salvageable(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    store = UserStore.open(path)
    store.create_note("precious", uid="c" * 32)
    store.close()
    data = bytearray(path.read_bytes())
    data[0:16] = b"garbage garbage!"  # the header: SQLite no longer recognises the file
    path.write_bytes(bytes(data))
    recovered = UserStore.open(path)
    assert recovered.recovered_from is not None and recovered.recovered_from.is_file()
    assert recovered.recovered_from.name.startswith("notes.sqlite.corrupt-")
    assert recovered.list_notes() == []
    recovered.create_note("new note")
    recovered.close()


def test_notes_are_salvaged_from_a_moved_aside_database(tmp_path: Path) -> None:
    old = UserStore.open(tmp_path / "old.sqlite")
    old.create_note("keep me", entry_id="bcma", tags=["t"])
    old.close()
    new = UserStore.open(tmp_path / "new.sqlite")
    report = transfer.import_notes(new, tmp_path / "old.sqlite")
    assert report.added == 1 and new.list_notes()[0].body == "keep me"
    new.close()


def test_read_only_folder_keeps_notes_in_memory_then_persists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod does not stop root (CI runs as root), so the folder is made read-only the way SQLite sees
    # it: every connection to the file is opened with mode=ro, and SQLite itself refuses writes.
    from sqlalchemy import create_engine, event

    from carmm_desktop.userdata import store as store_module

    path = tmp_path / "profile" / "notes.sqlite"
    existing = UserStore.open(path)
    existing.create_note("older note")
    existing.close()
    real_engine_for = store_module._engine_for

    def read_only_engine_for(target: Path | None):
        if target is None:
            return real_engine_for(None)
        engine = create_engine(f"sqlite:///file:{target}?mode=ro&uri=true")
        event.listen(engine, "connect", store_module._on_connect)
        return engine

    monkeypatch.setattr(store_module, "_engine_for", read_only_engine_for)
    store = UserStore.open(path)
    assert store.degraded_reason is not None and "readonly" in store.degraded_reason
    assert [n.body for n in store.list_notes()] == ["older note"]  # what was on disk is visible
    store.create_note("written while read-only")
    assert not store.try_persist()
    monkeypatch.setattr(store_module, "_engine_for", real_engine_for)  # the folder is writable again
    assert store.try_persist() and store.degraded_reason is None
    store.close()
    reopened = UserStore.open(path)
    assert sorted(n.body for n in reopened.list_notes()) == ["older note", "written while read-only"]
    reopened.close()


def test_unwritable_location_gives_an_in_memory_store(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the profile folder should be")
    store = UserStore.open(blocker / "notes.sqlite")
    assert store.degraded_reason is not None
    store.create_note("kept in memory")
    assert not store.try_persist()
    assert store.list_notes()[0].body == "kept in memory"
    store.close()


def test_a_file_that_is_not_ours_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE something_else (x)")
    with pytest.raises(UserDataError, match="not a CARMM notes database"):
        UserStore.open(path)


def test_two_instances_write_safely_at_once(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    UserStore.open(path).close()
    stores = [UserStore.open(path), UserStore.open(path)]
    errors: list[BaseException] = []

    def write(store: UserStore, label: str) -> None:
        try:
            for index in range(40):
                note = store.create_note(f"{label} {index}")
                store.update_note(note.id, body=f"{label} {index} edited")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(store, f"w{i}")) for i, store in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    bodies = {note.body for note in stores[0].list_notes()}
    assert len(bodies) == 80 and all(body.endswith("edited") for body in bodies)
    for store in stores:
        store.close()


def test_export_import_round_trip_is_byte_identical(tmp_path: Path) -> None:
    source = UserStore.open(tmp_path / "a.sqlite")
    source.create_note('# Title\n"quotes" \\ backslash\n\ttab\n+++\nnot front matter', entry_id="crs", tags=["x"])
    source.create_note("free ✓ 日本\n", tags=[])
    source.create_note("", entry_id="bcma", tags=["only-tag"])
    first = transfer.export_markdown(source, tmp_path / "out1")
    transfer.export_json(source, tmp_path / "notes.json")
    target = UserStore.open(tmp_path / "b.sqlite")
    assert transfer.import_notes(target, tmp_path / "out1").added == 3
    assert transfer.import_notes(target, tmp_path / "out1").unchanged == 3  # no duplicates
    assert transfer.import_notes(target, tmp_path / "notes.json").unchanged == 3
    second = transfer.export_markdown(target, tmp_path / "out2")
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
    source.close()
    target.close()


def test_import_keeps_the_newer_copy(tmp_path: Path) -> None:
    store = UserStore.open(tmp_path / "a.sqlite")
    note = store.create_note("old text")
    transfer.export_json(store, tmp_path / "old.json")
    store.update_note(note.id, body="newer text")
    assert transfer.import_notes(store, tmp_path / "old.json").unchanged == 1
    assert store.get_note(note.id).body == "newer text"
    store.close()


def test_import_reports_bad_files(tmp_path: Path) -> None:
    store = UserStore.open(tmp_path / "a.sqlite")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(UserDataError, match="not a notes export"):
        transfer.import_notes(store, tmp_path / "bad.json")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "x.md").write_text("no front matter")
    report = transfer.import_notes(store, folder)
    assert report.added == 0 and report.problems and "no '+++' front matter" in report.problems[0]
    store.close()


def test_profiles_resolve_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    explicit, was_explicit = resolve_profile(tmp_path / "given")
    assert explicit.directory == (tmp_path / "given").resolve() and was_explicit
    monkeypatch.setenv("CARMM_PROFILE", str(tmp_path / "from-env"))
    assert resolve_profile(None)[0].directory == (tmp_path / "from-env").resolve()
    monkeypatch.delenv("CARMM_PROFILE")
    default, was_explicit = resolve_profile(None)
    assert default.name == "default" and not was_explicit
    assert default.directory.as_posix().endswith("xdg_data_home/CARMM/CARMM Desktop/profiles/default")
    ward = named_profile("Dr Smith")
    ward.directory.mkdir(parents=True)
    default.directory.mkdir(parents=True)
    remember_profile(ward)
    assert list_profiles() == ["default", "Dr Smith"] and last_used_profile() == "Dr Smith"
    with pytest.raises(Exception, match="not a usable profile name"):
        named_profile("../escape")


def test_portable_mode_uses_the_program_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from carmm_desktop import paths

    monkeypatch.setattr(paths, "program_dir", lambda: tmp_path)
    assert paths.portable_data_dir() is None
    (tmp_path / paths.PORTABLE_MARKER).write_text("portable")
    assert paths.user_data_base() == tmp_path / "carmm-data"
    (tmp_path / "carmm-data").rmdir()
    (tmp_path / "carmm-data").write_text("blocks the data folder")
    assert paths.portable_data_dir() is None  # cannot be used: fall back to the user folder


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    from carmm_desktop.userdata.store import HEAD_REVISION

    assert head_revision() == HEAD_REVISION
