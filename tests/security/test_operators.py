"""What an operator needs: a version, ``python -m``, a health check, a log that says why, a
bounded stop, and a home folder left as its owner set it."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import threading
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from bot.frontends import discord_app, logfile
from tests.conftest import ROOT

ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}


def newsbot(*args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "--home", str(home), *args], capture_output=True, text=True,
                          cwd=ROOT, env=ENV, timeout=120)


@pytest.mark.slow
def test_version_python_m_and_status(tmp_path: Path) -> None:
    home = tmp_path / "home"
    version = newsbot("--version", home=home)
    assert version.returncode == 0 and version.stdout.startswith("newsbot ")
    healthy = newsbot("status", home=home)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    discord_app.write_state(home, connected=False)
    down = newsbot("status", home=home)
    assert down.returncode == 1 and "disconnected" in down.stdout
    discord_app.write_state(home, connected=True)
    assert newsbot("status", home=home).returncode == 0
    state = (home / discord_app.STATE_FILE).read_text().replace(f'"pid": {os.getpid()}', '"pid": 999999999')
    (home / discord_app.STATE_FILE).write_text(state)  # the bot that said "connected" is gone
    assert newsbot("status", home=home).returncode == 1


def test_an_existing_home_keeps_its_mode(tmp_path: Path) -> None:
    from retrieval.index.store import private_folder

    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    private_folder(shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    fresh = private_folder(tmp_path / "fresh")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700


def test_the_bots_info_lines_reach_a_rotating_log(tmp_path: Path) -> None:
    handler = discord_app.log_to_file(tmp_path)
    try:
        logging.getLogger("newsbot.discord").info("/ingest could not add %s: %s", "https://x.example", "HTTP 404")
        handler.flush()
        assert "HTTP 404" in (tmp_path / logfile.LOG_FILE).read_text()
        assert isinstance(handler, RotatingFileHandler)
        assert handler.maxBytes == logfile.LOG_BYTES and handler.backupCount == logfile.LOG_BACKUPS
    finally:
        for name in ("newsbot", "discord"):
            logging.getLogger(name).removeHandler(handler)
        handler.close()


@pytest.mark.serial
def test_a_stuck_worker_does_not_hold_the_stop() -> None:
    release = threading.Event()
    stuck = threading.Thread(target=release.wait, name="newsbot-worker-test-0", daemon=True)
    stuck.start()
    started = time.monotonic()
    assert not discord_app.wait_for_workers("newsbot-worker-test", 0.5)
    assert time.monotonic() - started < 2
    release.set()
    stuck.join()
    assert discord_app.wait_for_workers("newsbot-worker-test", 0.5)


def test_deployment_files_have_a_health_check() -> None:
    unit = (ROOT / "docs" / "newsbot.service").read_text()
    container = (ROOT / "docs" / "Containerfile").read_text()
    assert "newsbot discord" in unit and "TimeoutStopSec" in unit
    assert "HEALTHCHECK" in container and "newsbot status" in container
