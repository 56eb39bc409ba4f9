"""The Qt binding itself must be safe to use for a whole working day.

PySide6 6.12.0 releases a reference to None on every call of a method that returns nothing. On
Python 3.11, where None is an ordinary counted object, a session of typing and clicking (a few
thousand such calls) drives its count to zero and the interpreter aborts ("none_dealloc"). The
project pins a binding without the fault; this test fails if one comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QLineEdit


def test_void_qt_calls_do_not_drain_the_reference_count_of_none(qapp) -> None:
    field, label = QLineEdit(), QLabel()
    before = sys.getrefcount(None)
    for _ in range(500):
        field.setText("BCMA")
        label.setText("result")
        field.clear()
        qapp.processEvents()
    assert sys.getrefcount(None) - before > -100  # a leak would be about -2000 here
