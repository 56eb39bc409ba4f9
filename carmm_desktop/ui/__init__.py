"""The Qt layer: windows and widgets, thin over `content` (and later `userdata`)."""
