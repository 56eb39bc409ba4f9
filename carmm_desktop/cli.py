"""Command line: the GUI by default, and subcommands that work without a display.

Errors meant for people (`CarmmError`) are printed as one line with a non-zero exit; Qt is only
imported for the GUI and `--smoke`, so the other subcommands start fast and run anywhere.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import NoReturn

from carmm_desktop import APP_ID, APP_NAME, __version__, paths
from carmm_desktop.errors import CarmmError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line instead of usage plus message."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _json(value: object) -> str:
    """The JSON the subcommands print (json is imported here: the GUI's start does not need it)."""
    import json

    return json.dumps(value, ensure_ascii=False, indent=2)


# The window's own options: a start that passes nothing else (the common case, from the desktop
# entry) is read without argparse (see gui_options).
GUI_FLAGS = ("--smoke", "--bench-startup")
GUI_OPTIONS = ("--content-db", "--profile")


def gui_options(argv: list[str]) -> argparse.Namespace | None:
    """The window's own options, read by hand when `argv` holds only those, whole and spelled out;
    else None, and the full parser reads it (help, a subcommand, an abbreviation, a stray word, a
    value that looks like an option: argparse's messages are for those). Building even a parser
    without the 14 subcommands cost ~3 ms of the window's start, mostly argparse's gettext look-ups;
    tests check this reads each GUI start as the full parser does."""
    options = argparse.Namespace(content_db=None, profile=None, smoke=False, bench_startup=False, command=None)
    waiting: str | None = None  # the option whose value is the next argument
    for arg in argv:
        if waiting is not None:
            if arg.startswith("-"):
                return None
            setattr(options, waiting, Path(arg))
            waiting = None
            continue
        name, equals, value = arg.partition("=")
        if name in GUI_OPTIONS:
            waiting = None if equals else name[2:].replace("-", "_")
            if equals:
                setattr(options, name[2:].replace("-", "_"), Path(value))
        elif arg in GUI_FLAGS:
            setattr(options, arg[2:].replace("-", "_"), True)
        else:
            return None
    return None if waiting is not None else options


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=APP_ID, description=f"{APP_NAME} {__version__}: CAR T-cell therapy in myeloma.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--content-db", type=Path, metavar="PATH", help="compiled content database to use")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="profile folder for notes and settings")
    parser.add_argument(
        "--smoke", action="store_true", help="start the window offscreen, search, render, report and exit"
    )
    parser.add_argument("--bench-startup", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    build = commands.add_parser("build-db", help="compile db/content into the content database")
    build.add_argument("--out", type=Path, metavar="PATH", help="where to write it (default: the app's DB)")
    build.add_argument("--source", type=Path, metavar="DIR", help="content source folder (default: db/content)")

    search = commands.add_parser("search", help="search the reference")
    search.add_argument("query", help="search text, e.g. 'cilta-cel CRS' or 'kind:antigen GPRC5D'")
    search.add_argument("--kind", action="append", metavar="K", help="only this kind (repeatable)")
    search.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (default 20)")
    search.add_argument("--format", choices=("text", "json"), default="text")

    show = commands.add_parser("show", help="print one entry as Markdown")
    show.add_argument("id", help="entry id, e.g. cilta-cel")

    compare = commands.add_parser("compare", help="compare 2 to 6 entries side by side")
    compare.add_argument("ids", nargs="+", metavar="ID", help="entry ids, e.g. ide-cel cilta-cel")
    compare.add_argument("--format", choices=("text", "csv", "html"), default="text")
    compare.add_argument("--only-diff", action="store_true", help="only rows whose values differ")
    compare.add_argument("--out", type=Path, metavar="PATH", help="write to a file instead of stdout")

    export = commands.add_parser("export", help="export every entry")
    export.add_argument("--format", choices=("json",), default="json")
    export.add_argument("--out", type=Path, metavar="PATH", help="write to a file instead of stdout")

    notes = commands.add_parser("notes", help="your notes: add, list, export, import, backup")
    note_commands = notes.add_subparsers(dest="notes_command", metavar="ACTION", parser_class=_Parser, required=True)
    add = note_commands.add_parser("add", help="add a note")
    add.add_argument("--entry", metavar="ID", help="attach the note to this entry")
    add.add_argument("--text", required=True, help="the note (Markdown)")
    add.add_argument("--tag", action="append", default=[], metavar="X", help="a tag (repeatable)")
    listing = note_commands.add_parser("list", help="list notes")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.add_argument("--entry", metavar="ID", help="only notes on this entry")
    listing.add_argument("--tag", metavar="X", help="only notes with this tag")
    exporting = note_commands.add_parser("export", help="export notes (Markdown folder, or JSON)")
    exporting.add_argument("--out", type=Path, required=True, metavar="PATH")
    exporting.add_argument("--format", choices=("markdown", "json"), default="markdown")
    importing = note_commands.add_parser("import", help="merge notes from an export or a notes database")
    importing.add_argument("path", type=Path)
    backing_up = note_commands.add_parser("backup", help="write a backup copy of the notes database")
    backing_up.add_argument("--out", type=Path, metavar="PATH", help="where (default: the profile's backups/)")

    study = commands.add_parser("study", help="questions from the reference: a terminal quiz, or the cards as JSON")
    study_commands = study.add_subparsers(dest="study_command", metavar="ACTION", parser_class=_Parser, required=True)
    quiz = study_commands.add_parser("quiz", help="answer due cards in the terminal (reviews are saved)")
    quiz.add_argument("--deck", default="all", help="products, antigens, trials, ..., my-notes, bookmarks, tag:X")
    quiz.add_argument("--count", type=int, default=10, metavar="N")
    cards = study_commands.add_parser("cards", help="print generated cards")
    cards.add_argument("--deck", default="all")
    cards.add_argument("--count", type=int, default=20, metavar="N")
    cards.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def open_repository(db_path: Path | None):
    from carmm_desktop.content.locate import open_content_repository

    return open_content_repository(db_path)


def _plain(snippet_html: str) -> str:
    from html import unescape  # the command line's plain snippets only: not for the window's start

    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", snippet_html))).strip()


def cmd_build_db(args: argparse.Namespace) -> int:
    from carmm_desktop.content.compile import build_database

    source = args.source or paths.content_sources_dir()
    if source is None:
        raise CarmmError("no content sources here (db/content); pass --source DIR")
    out = args.out or args.content_db or paths.default_content_db()
    report = build_database(Path(source), Path(out))
    counts = ", ".join(f"{kind} {count}" for kind, count in report.counts.items())
    print(f"built {report.path} in {report.seconds:.2f} s: {report.entries} entries ({counts})")
    print(f"content version {report.content_version}")
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from carmm_desktop.content.schema import KINDS
    from carmm_desktop.content.search import SearchEngine

    if args.limit < 1:
        raise CarmmError("--limit must be at least 1")
    for kind in args.kind or []:
        if kind not in KINDS:
            raise CarmmError(f"unknown kind '{kind}' (known: {', '.join(KINDS)})")
    repository = open_repository(args.content_db)
    response = SearchEngine(repository).search(args.query, kinds=args.kind, limit=args.limit)
    if args.format == "json":
        rows = [
            {"id": r.id, "kind": r.kind, "title": r.title, "snippet": r.snippet, "score": r.score}
            for r in response.results
        ]
        print(_json(rows))
    else:
        for r in response.results:
            print("\t".join([r.id, r.kind, r.title, _plain(r.snippet)]))
        if not response.results:
            hint = f" Did you mean: {', '.join(response.suggestions)}?" if response.suggestions else ""
            print(f"No results for '{args.query}'.{hint}", file=sys.stderr)
    if response.corrected:
        print(f"{APP_ID}: note: no exact match, showing results for '{response.corrected}'", file=sys.stderr)
    for problem in response.query.problems:
        print(f"{APP_ID}: note: {problem}", file=sys.stderr)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from carmm_desktop.content.export import entry_to_markdown

    repository = open_repository(args.content_db)
    print(entry_to_markdown(repository.get_entry(args.id)), end="")
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from carmm_desktop.content import compare

    repository = open_repository(args.content_db)
    comparison = compare.build_comparison(repository, args.ids)
    render = {"text": compare.to_text, "csv": compare.to_csv, "html": compare.to_html}[args.format]
    output = render(comparison, only_differences=args.only_diff)
    return _emit(output, args.out, f"comparison of {len(args.ids)} entries")


def cmd_export(args: argparse.Namespace) -> int:
    from carmm_desktop.content.export import export_document

    repository = open_repository(args.content_db)
    exported = export_document(repository)
    document = _json(exported) + "\n"
    return _emit(document, args.out, f"{len(exported['entries'])} entries")


def _emit(text: str, out: Path | None, what: str) -> int:
    """Write a command's output to `out` (saying so on stderr) or to stdout."""
    if out is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CarmmError(f"cannot write {out}: {error.strerror}") from None
    print(f"wrote {what} to {out}", file=sys.stderr)
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    from carmm_desktop.ui.app import run_gui

    return run_gui(lambda: open_repository(args.content_db), args.profile)


def cmd_smoke(args: argparse.Namespace) -> int:
    from carmm_desktop.ui.app import run_smoke

    return run_smoke(lambda: open_repository(args.content_db), args.profile)


def open_user_store(args: argparse.Namespace):
    from carmm_desktop.userdata.profile import resolve_profile
    from carmm_desktop.userdata.store import UserStore

    profile, _ = resolve_profile(args.profile)
    store = UserStore.open(profile.database_path)
    if store.recovered_from is not None:
        print(
            f"{APP_ID}: the notes database was damaged; it was moved to {store.recovered_from} "
            f"(salvage with 'notes import {store.recovered_from}')",
            file=sys.stderr,
        )
    if store.degraded_reason is not None:
        raise CarmmError(f"cannot write to the profile folder {profile.directory}: {store.degraded_reason}")
    return store


def cmd_notes(args: argparse.Namespace) -> int:
    from carmm_desktop.userdata import transfer

    store = open_user_store(args)
    try:
        action = args.notes_command
        if action == "add":
            if args.entry:
                repository = open_repository(args.content_db)
                if not repository.has_entry(args.entry):
                    raise CarmmError(f"no entry with id '{args.entry}' (see 'carmm-desktop search')")
            note = store.create_note(args.text, entry_id=args.entry, tags=args.tag)
            print(f"added note {note.uid[:8]}" + (f" on {note.entry_id}" if note.entry_id else ""))
        elif action == "list":
            notes = store.list_notes(entry_id=args.entry, tag=args.tag)
            if args.format == "json":
                rows = [{**transfer.note_to_dict(n), "title": n.title} for n in notes]
                print(_json(rows))
            else:
                for n in notes:
                    print("\t".join([n.uid[:8], n.entry_id or "-", ",".join(n.tags), n.updated_at[:16], n.title]))
        elif action == "export":
            if args.format == "json":
                count = transfer.export_json(store, args.out)
            else:
                count = len(transfer.export_markdown(store, args.out))
            print(f"exported {count} notes to {args.out}")
        elif action == "import":
            report = transfer.import_notes(store, args.path)
            print(f"imported from {args.path}: {report.summary()}")
            for problem in report.problems or []:
                print(f"{APP_ID}: skipped: {problem}", file=sys.stderr)
        elif action == "backup":
            print(f"backup written to {store.backup(args.out)}")
    except OSError as error:
        raise CarmmError(f"{error.filename or ''}: {error.strerror}") from None
    finally:
        store.close()
    return EXIT_OK


def _study_deck(args: argparse.Namespace, store=None) -> list:
    from carmm_desktop.content import study

    if args.count < 1:
        raise CarmmError("--count must be at least 1")
    repository = open_repository(args.content_db)
    cards = study.generate_cards(repository)
    if store is not None:
        cards += study.note_cards(store.list_notes())
    try:
        return study.deck_cards(cards, args.deck, bookmarks=store.bookmarks() if store else ())
    except KeyError:
        decks = ", ".join([*study.DECKS, "my-notes", "bookmarks", "tag:<tag>"])
        raise CarmmError(f"unknown deck '{args.deck}' (decks: {decks})") from None


def cmd_study(args: argparse.Namespace) -> int:
    if args.study_command == "cards":
        needs_store = args.deck in ("my-notes", "bookmarks")
        store = open_user_store(args) if needs_store else None
        cards = _study_deck(args, store)[: args.count]
        if args.format == "json":
            rows = [
                {
                    "id": c.id,
                    "question": c.question,
                    "answer": c.answer,
                    "distractors": list(c.distractors),
                    "entry_id": c.entry_id,
                    "reference": c.reference,
                }
                for c in cards
            ]
            print(_json(rows))
        else:
            for card in cards:
                print(f"Q: {card.question}\nA: {card.answer}\n")
        return EXIT_OK
    return run_quiz(args)


def run_quiz(args: argparse.Namespace) -> int:
    """Ask due cards on stdin/stdout; multiple choice by number, otherwise reveal and self-grade."""
    from carmm_desktop.userdata import study as schedule

    store = open_user_store(args)
    try:
        deck = {card.id: card for card in _study_deck(args, store)}
        order = schedule.due_card_ids(store, deck, new_limit=args.count)[: args.count]
        if not order:
            print("Nothing due in this deck. Well done.")
            return EXIT_OK
        score = 0
        for number, card_id in enumerate(order, start=1):
            card = deck[card_id]
            print(f"\n[{number}/{len(order)}] {card.question}")
            if card.distractors:
                options = card.options()
                for index, option in enumerate(options, start=1):
                    print(f"  {index}. {option}")
                reply = input("Your answer (number, blank to stop): ").strip()
                if not reply:
                    break
                correct = reply.isdigit() and 1 <= int(reply) <= len(options) and options[int(reply) - 1] == card.answer
                print("Correct." if correct else f"Not quite: {card.answer}")
                rating = 3 if correct else 1
            else:
                if input("Press Enter to see the answer (q to stop): ").strip().lower() == "q":
                    break
                print(f"Answer: {card.answer}")
                reply = input("How well did you know it? 1 again, 2 hard, 3 good, 4 easy: ").strip()
                rating = int(reply) if reply in ("1", "2", "3", "4") else 1
                correct = rating > 1
            score += int(correct)
            if card.reference:
                print(f"Source: {card.reference}")
            due = schedule.review(store, card.id, rating)
            print(f"Next review: {due.astimezone().strftime('%Y-%m-%d %H:%M')}")
        print(f"\n{score} of {number} right.")
    except EOFError:
        print()
    finally:
        store.close()
    return EXIT_OK


COMMANDS = {
    "build-db": cmd_build_db,
    "search": cmd_search,
    "show": cmd_show,
    "export": cmd_export,
    "compare": cmd_compare,
    "notes": cmd_notes,
    "study": cmd_study,
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = gui_options(argv) or build_parser().parse_args(argv)
    try:
        if args.bench_startup:
            from carmm_desktop.ui.app import run_bench_startup

            return run_bench_startup(lambda: open_repository(args.content_db), args.profile)
        if args.smoke:
            if args.command:
                build_parser().error("--smoke takes no subcommand")
            return cmd_smoke(args)
        if args.command is None:
            return cmd_gui(args)
        return COMMANDS[args.command](args)
    except CarmmError as error:
        message = str(error)
        first, _, rest = message.partition("\n")
        print(f"{APP_ID}: error: {first}", file=sys.stderr)
        if rest:
            print(rest, file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # a bug: say so in one line; CARMM_DEBUG=1 shows the traceback
        if os.environ.get("CARMM_DEBUG"):
            raise
        print(
            f"{APP_ID}: internal error: {type(error).__name__}: {error} (set CARMM_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_ERROR
