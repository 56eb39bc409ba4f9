"""Icons: every name the UI uses exists in the icon font and draws the same glyph as qtawesome."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QIcon

from carmm_desktop.ui.icons import ACTION_ICONS, KIND_ICONS, icon

UI = Path(__file__).resolve().parent.parent / "carmm_desktop" / "ui"
NAMES_IN_CODE = sorted(
    {name for path in UI.glob("*.py") for name in re.findall(r'"(mdi6\.[a-z0-9-]+)"', path.read_text())}
)


@pytest.mark.parametrize("name", NAMES_IN_CODE + list(ACTION_ICONS) + list(KIND_ICONS))
def test_every_icon_the_ui_names_draws_something(qapp, name: str) -> None:
    image = icon(name, "#202020").pixmap(24, 24).toImage()
    assert not image.isNull()
    assert any(image.pixelColor(x, y).alpha() > 0 for x in range(24) for y in range(24)), name


def test_glyphs_match_qtawesome(qapp) -> None:
    qtawesome = pytest.importorskip("qtawesome")
    for name in ("mdi6.magnify", "mdi6.needle", "mdi6.note-text-outline"):
        ours = icon(name, "#000000").pixmap(32, 32).toImage()
        theirs = qtawesome.icon(name, color="#000000").pixmap(32, 32).toImage()
        assert ours == theirs, name


def test_disabled_icons_are_drawn_in_the_disabled_colour(qapp) -> None:
    enabled = icon("search", "#ff0000").pixmap(24, 24, QIcon.Mode.Normal).toImage()
    disabled = icon("search", "#ff0000").pixmap(24, 24, QIcon.Mode.Disabled).toImage()
    assert enabled != disabled


def test_an_unknown_icon_name_is_a_clear_error(qapp) -> None:
    with pytest.raises(ValueError, match="unknown icon"):
        icon("mdi6.no-such-glyph-here")
    with pytest.raises(ValueError, match="mdi6"):
        icon("fa5s.search")


def test_icons_paint_at_the_devices_pixel_ratio_in_their_colour(qapp) -> None:
    """Painted straight onto a view (QIcon.paint), a glyph is drawn at device pixels, not scaled up."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QImage, QPainter

    canvas = QImage(64, 64, QImage.Format.Format_ARGB32_Premultiplied)
    canvas.setDevicePixelRatio(2.0)
    canvas.fill(QColor(0, 0, 0, 0))
    painter = QPainter(canvas)
    icon("search", "#c00000").paint(painter, QRect(0, 0, 32, 32))
    painter.end()
    canvas.setDevicePixelRatio(1.0)
    sharp = icon("search", "#c00000").pixmap(64, 64).toImage().convertToFormat(canvas.format())
    assert canvas == sharp
    opaque = [canvas.pixelColor(x, y) for x in range(64) for y in range(64) if canvas.pixelColor(x, y).alpha() == 255]
    assert opaque and all(colour.name() == "#c00000" for colour in opaque)


def test_the_glyph_table_covers_the_ui_and_matches_the_fonts_charmap() -> None:
    """Icons are drawn from GLYPHS without parsing the 7,000-name charmap: it must hold every name
    the UI uses, with the charmap's code point."""
    import json

    from carmm_desktop.ui.icons import GLYPHS, ICON_FONT, _fonts_folder

    charmap = json.loads((_fonts_folder() / ICON_FONT[2]).read_text(encoding="utf-8"))
    used = set(NAMES_IN_CODE) | set(ACTION_ICONS.values()) | set(KIND_ICONS.values())
    assert used <= set(GLYPHS), sorted(used - set(GLYPHS))
    for name, code in GLYPHS.items():
        assert int(charmap[name.removeprefix("mdi6.")], 16) == code, name


def test_a_font_name_missing_from_the_table_is_still_drawn(qapp) -> None:
    image = icon("mdi6.heart", "#202020").pixmap(24, 24).toImage()
    assert any(image.pixelColor(x, y).alpha() > 0 for x in range(24) for y in range(24))
