"""CARMM Desktop: an offline reference on CAR T-cell therapy in multiple myeloma."""

__version__ = "0.1.0"
APP_NAME = "CARMM Desktop"
APP_ID = "carmm-desktop"
