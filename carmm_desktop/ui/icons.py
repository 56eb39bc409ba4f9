"""The one place that draws icons, so icon names and colours are chosen in one file.

The glyphs are qtawesome's Material Design Icons 6 font and charmap, drawn by a small icon engine
here the way qtawesome draws them (text at 7/8 of the icon height, centred). Importing qtawesome
itself costs about 0.2 s of start-up: it star-imports QtCore, QtGui and QtWidgets through QtPy,
which makes PySide6 build every wrapper, and it hashes and loads all thirteen of its fonts. The
package is only located here (its __init__ is not run) to read the one font the app uses.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap

ICON_FONT = ("mdi6", "materialdesignicons6-webfont-6.9.96.ttf", "materialdesignicons6-webfont-charmap-6.9.96.json")
GLYPH_SCALE = 0.875  # qtawesome's: a 16-pixel icon draws a 14-pixel glyph, leaving room for bearings
# Qt.AlignmentFlag.AlignCenter as a plain int: the first name taken from the `Qt` namespace builds all
# ~90 of its Python enums (~25 ms), and a search typed at start-up paints icons before anything else
# has needed them.
ALIGN_CENTER = 0x0084  # AlignHCenter | AlignVCenter

# Code points of the glyphs the UI draws, as in the font's charmap (tests/test_icons.py checks both
# the values and that every name used in ui/ is here), so drawing an icon parses no charmap.
GLYPHS = {
    "mdi6.alert-octagon-outline": 0xF0CE6,
    "mdi6.alert-outline": 0xF002A,
    "mdi6.arrow-left": 0xF004D,
    "mdi6.arrow-right": 0xF0054,
    "mdi6.book-open-page-variant-outline": 0xF15D6,
    "mdi6.bookmark-outline": 0xF00C3,
    "mdi6.chart-line": 0xF012A,
    "mdi6.circle-small": 0xF09DF,
    "mdi6.close": 0xF0156,
    "mdi6.cog-outline": 0xF08BB,
    "mdi6.file-document-outline": 0xF09EE,
    "mdi6.flask-outline": 0xF0096,
    "mdi6.information-outline": 0xF02FD,
    "mdi6.lifebuoy": 0xF087E,
    "mdi6.magnify": 0xF0349,
    "mdi6.map-outline": 0xF0982,
    "mdi6.needle": 0xF0391,
    "mdi6.note-plus-outline": 0xF039D,
    "mdi6.note-text-outline": 0xF11D7,
    "mdi6.pill": 0xF0402,
    "mdi6.printer-outline": 0xF1786,
    "mdi6.table-column-plus-after": 0xF04EC,
    "mdi6.target": 0xF04FE,
    "mdi6.toggle-switch-off-outline": 0xF0A19,
}
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
    """An icon by our short name (see the tables above) or by its font name ("mdi6.…"), drawn in
    the theme's text colour unless `color` is given."""
    if color is None:
        color = QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name()
    return _icon(ACTION_ICONS.get(name) or KIND_ICONS.get(name) or name, color)


@functools.cache
def _icon(full_name: str, color: str) -> QIcon:
    # Cached: a tree shows the same few icons many times.
    prefix, _, glyph_name = full_name.partition(".")
    code = GLYPHS.get(full_name)
    if code is None and prefix == ICON_FONT[0]:
        hex_code = _charmap().get(glyph_name)
        code = int(hex_code, 16) if hex_code else None
    if code is None:
        raise ValueError(f"unknown icon {full_name!r} (the app draws {ICON_FONT[0]}.* icons only)")
    return QIcon(GlyphIconEngine(_icon_font_family(), chr(code), color))


def _fonts_folder() -> Path:
    """qtawesome's font folder, found without importing the package (see the module docstring)."""
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("qtawesome is not installed: its icon font is needed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


@functools.cache
def _icon_font_family() -> str:
    """The icon font's family, loaded into Qt once (from its file: reading the 1.3 MB into Python
    and handing Qt the bytes took ~3 ms longer)."""
    path = _fonts_folder() / ICON_FONT[1]
    families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(path)))
    if not families:
        raise RuntimeError(f"the icon font {path} could not be loaded")
    return families[0]


@functools.cache
def _charmap() -> dict[str, str]:
    """The font's glyph name -> hex code point map (7,000 names, ~3 ms to parse): only for a name
    missing from GLYPHS, which tests/test_icons.py keeps complete for the names the UI uses."""
    import json

    return json.loads((_fonts_folder() / ICON_FONT[2]).read_text(encoding="utf-8"))


class GlyphIconEngine(QIconEngine):
    """Draws one font glyph in one colour at any size (disabled: the palette's disabled text).

    The glyph is drawn in the default pen and then coloured through a composition mode, never with
    `setPen`: every `setPen` overload set includes `Qt.PenStyle`, so calling it builds the `Qt` enums
    (~25 ms), and a search typed at start-up paints its results' icons before anything else has
    needed them. Drawn glyphs are kept per size, colour and pixel ratio, as views repaint icons often.
    """

    CACHE_SIZE = 32

    def __init__(self, family: str, char: str, color: str) -> None:
        super().__init__()
        self.family, self.char, self.color = family, char, color
        self._glyphs: dict[tuple[int, int, int, float], QPixmap] = {}

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        # The device transform carries the screen's pixel ratio (and any zoom of the view). Not
        # painter.device(): handed a widget made in C++, PySide6 probes it against dozens of
        # classes and builds their enums.
        ratio = abs(painter.deviceTransform().m22()) or 1.0
        size = QSize(max(1, round(rect.width() * ratio)), max(1, round(rect.height() * ratio)))
        painter.drawPixmap(rect, self._glyph(size, mode, ratio))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self._glyph(size, mode, 1.0)

    def _glyph(self, size: QSize, mode: QIcon.Mode, ratio: float) -> QPixmap:
        if mode == QIcon.Mode.Disabled:
            colour = QGuiApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        else:
            colour = QColor(self.color)
        key = (size.width(), size.height(), colour.rgba(), ratio)
        glyph = self._glyphs.get(key)
        if glyph is None:
            glyph = QPixmap(size)
            glyph.fill(QColor(0, 0, 0, 0))  # transparent
            painter = QPainter(glyph)
            font = QFont(self.family)
            font.setPixelSize(max(1, round(GLYPH_SCALE * size.height())))
            painter.setFont(font)
            painter.drawText(QRect(QPoint(0, 0), size), ALIGN_CENTER, self.char)
            # Keep the glyph's (antialiased) coverage, take the colour from a filled pixmap.
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            fill = QPixmap(size)
            fill.fill(colour)
            painter.drawPixmap(0, 0, fill)
            painter.end()
            glyph.setDevicePixelRatio(ratio)
            if len(self._glyphs) >= self.CACHE_SIZE:
                self._glyphs.clear()
            self._glyphs[key] = glyph
        return glyph


def kind_icon(kind: str, color: str | None = None) -> QIcon:
    return icon(KIND_ICONS.get(kind, "mdi6.file-document-outline"), color)
