"""Print and PDF export of whatever the entry view shows (the same sanitised HTML)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter


def export_pdf(document: QTextDocument, path: Path, title: str) -> Path:
    """Write `document` to a PDF at `path` (A4, 15 mm margins), titled `title` in its metadata."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setDocName(title)
    printer.setCreator("CARMM Desktop")
    printer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, _margins(15))
    )
    document.print_(printer)
    return path


def _margins(millimetres: float):
    from PySide6.QtCore import QMarginsF

    return QMarginsF(millimetres, millimetres, millimetres, millimetres)
