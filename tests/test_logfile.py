"""The rotating log file in the data folder: bounded in size, kept private to the process's user."""

import logging
from pathlib import Path

from bot.frontends.logfile import LOG_BACKUPS, LOG_BYTES, LOG_FILE, log_file


def test_the_log_file_rotates_within_its_bounds(tmp_path: Path) -> None:
    handler = log_file(tmp_path)
    try:
        assert Path(handler.baseFilename) == tmp_path / LOG_FILE
        assert handler.maxBytes == LOG_BYTES and handler.backupCount == LOG_BACKUPS
        logger = logging.getLogger("newsbot.test-logfile")
        logger.addHandler(handler)
        logger.warning("a line that must reach the file")
        handler.flush()
        assert "a line that must reach the file" in (tmp_path / LOG_FILE).read_text()
    finally:
        logging.getLogger("newsbot.test-logfile").removeHandler(handler)
        handler.close()
