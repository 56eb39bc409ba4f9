"""Constants of the compiled content DB that readers need without importing SQLAlchemy."""

SCHEMA_VERSION = "6"

# Porter stemming: "relapse", "relapsed" and "relapsing" meet. Column order matters: bm25() weights and snippet() column numbers follow it.
FTS_COLUMNS = ("title", "aliases", "keywords", "attributes", "summary", "body")
FTS_WEIGHTS = (10.0, 8.0, 6.0, 3.0, 2.0, 1.0)
_TOKENIZER = "tokenize = 'porter unicode61 remove_diacritics 2'"
FTS_DDL = (
    "CREATE VIRTUAL TABLE entry_fts USING fts5(entry_id UNINDEXED, " + ", ".join(FTS_COLUMNS) + ", " + _TOKENIZER + ")"
)
FTS_VOCAB_DDL = "CREATE VIRTUAL TABLE entry_fts_vocab USING fts5vocab(entry_fts, 'row')"

# The names index: title, id and aliases, keywords (tags and squashed compounds from anywhere in the
# entry) and the one-sentence summary, one row per entry with the same rowid as in entry_fts. Without
# the body its doclists are short, so ranking every entry that names a word stays cheap when the
# word is in most bodies ("BCMA", "CAR" in a corpus about BCMA CAR T).
NAME_FTS_COLUMNS = ("title", "aliases", "keywords", "summary")
NAME_FTS_WEIGHTS = (10.0, 8.0, 6.0, 2.0)
NAME_FTS_DDL = (
    "CREATE VIRTUAL TABLE name_fts USING fts5(entry_id UNINDEXED, "
    + ", ".join(NAME_FTS_COLUMNS)
    + ", "
    + _TOKENIZER
    + ")"
)
NAME_VOCAB_DDL = "CREATE VIRTUAL TABLE name_fts_vocab USING fts5vocab(name_fts, 'row')"

# The answers to one- to three-letter prefixes, ranked at build time by the same code that ranks them
# live: a prefix that short matches a large share of any corpus, and ranking all of it on every
# keystroke grows with the corpus. Reading a stored list does not.
PRECOMPUTED_PREFIX_LENGTH = 3
PRECOMPUTED_DEPTH = 60
PREFIX_DDL = (
    "CREATE TABLE prefix_top (prefix TEXT NOT NULL, position INTEGER NOT NULL, entry_rowid INTEGER NOT NULL, "
    "score REAL NOT NULL, PRIMARY KEY (prefix, position)) WITHOUT ROWID"
)
