"""The one place that talks to qtawesome, so icon names and colours are chosen in one file.

qtawesome goes through QtPy, which must be told to use PySide6 before it is first imported.
"""

from __future__ import annotations

import functools
import os

os.environ.setdefault("QT_API", "pyside6")

from PySide6.QtGui import QIcon

KIND_ICONS = {
    "overview": "mdi6.map-outline",
    "antigen": "mdi6.target",
    "product": "mdi6.needle",
    "agent": "mdi6.pill",
    "trial": "mdi6.chart-line",
    "mechanism": "mdi6.cog-outline",
    "risk-factor": "mdi6.alert-outline",
    "toxicity": "mdi6.alert-octagon-outline",
    "safety-switch": "mdi6.toggle-switch-off-outline",
    "salvage": "mdi6.lifebuoy",
    "design": "mdi6.flask-outline",
}
ACTION_ICONS = {
    "search": "mdi6.magnify",
    "close": "mdi6.close",
    "info": "mdi6.information-outline",
    "app": "mdi6.book-open-page-variant-outline",
}


def icon(name: str, color: str | None = None) -> QIcon:
    """An icon by our short name (see the tables above) or by a qtawesome name, drawn in the
    theme's text colour unless `color` is given (qtawesome's own default is a fixed dark grey)."""
    if color is None:
        from PySide6.QtGui import QGuiApplication, QPalette

        color = QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name()
    return _icon(ACTION_ICONS.get(name) or KIND_ICONS.get(name) or name, color)


@functools.cache
def _icon(full_name: str, color: str) -> QIcon:
    # Cached: building an icon is costly and a tree shows the same few icons many times.
    import qtawesome

    return qtawesome.icon(full_name, color=color)


def kind_icon(kind: str, color: str | None = None) -> QIcon:
    return icon(KIND_ICONS.get(kind, "mdi6.file-document-outline"), color)
