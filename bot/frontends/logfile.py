"""``<home>/newsbot.log``: one rotating file for the CLI's unexpected errors and the Discord bot's
lines, so a long-running bot never fills the disk with its log."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE = "newsbot.log"
LOG_BYTES = 5_000_000  # the log rotates at this size, keeping LOG_BACKUPS old files
LOG_BACKUPS = 3


def log_file(home: Path) -> RotatingFileHandler:
    """A handler writing to ``<home>/newsbot.log``, rotated by size."""
    home.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(home / LOG_FILE, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler
