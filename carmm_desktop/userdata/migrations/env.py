"""Alembic environment for the user DB: always run on the connection the app hands over."""

from alembic import context

from carmm_desktop.userdata.models import USER_METADATA

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=USER_METADATA,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies the table
    include_name=lambda name, type_, parent: not (name or "").startswith("notes_fts"),
)
with context.begin_transaction():
    context.run_migrations()
