"""The floor for start-up benchmarks: a bare PySide6 QMainWindow, built with the app's spec options.

Prints `shown` (with the CPU milliseconds used so far) once the window has painted its first frame
(as the app reports it), then exits. A zero
timer after show() would fire before that paint, crediting the floor with a frame it has not drawn.
"""

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class FloorWindow(QMainWindow):
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self.reported:
            self.reported = True
            print(f"shown {1000 * time.process_time():.1f}", flush=True)  # and the CPU ms used so far
            QTimer.singleShot(0, QApplication.quit)

    reported = False


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = FloorWindow()
    window.resize(1366, 800)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
