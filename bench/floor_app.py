"""The floor for start-up benchmarks: a bare PySide6 QMainWindow, built with the app's spec options.

Prints `shown` once the window has been shown and painted, then exits.
"""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1366, 800)
    window.show()

    def report() -> None:
        print("shown", flush=True)
        app.quit()

    QTimer.singleShot(0, report)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
