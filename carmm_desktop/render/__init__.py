"""Markdown and entries to safe HTML (no Qt): the entry view, print and PDF export share it."""
