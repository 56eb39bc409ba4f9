"""The user's own data (no Qt): notes, bookmarks, history, saved comparisons, in a per-profile DB."""
