"""The Qt layer: windows and widgets, thin over `content`, `render` and `userdata`."""

from carmm_desktop.ui.app import create_main_window

__all__ = ["create_main_window"]
