"""Constants of the compiled content DB that readers need without importing SQLAlchemy."""

SCHEMA_VERSION = "3"

# Porter stemming: "relapse", "relapsed" and "relapsing" meet. Column order matters: bm25() weights and snippet() column numbers follow it.
FTS_COLUMNS = ("title", "aliases", "keywords", "attributes", "summary", "body")
FTS_WEIGHTS = (10.0, 8.0, 6.0, 3.0, 2.0, 1.0)
FTS_DDL = (
    "CREATE VIRTUAL TABLE entry_fts USING fts5("
    "entry_id UNINDEXED, " + ", ".join(FTS_COLUMNS) + ", "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)
FTS_VOCAB_DDL = "CREATE VIRTUAL TABLE entry_fts_vocab USING fts5vocab(entry_fts, 'row')"
