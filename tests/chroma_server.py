"""A real `chroma run` (shipped with chromadb) on 127.0.0.1 that a test can stop and start again."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """One server process over one data folder, on one port across restarts."""

    def __init__(self, data: Path) -> None:
        exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
        if exe is None:
            pytest.fail("the chroma command (from chromadb) is not installed")
        self.exe = exe
        self.data = data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> ChromaServer:
        self.proc = subprocess.Popen([self.exe, "run", "--path", str(self.data), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                pytest.fail("chroma run did not start")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        self.proc = None
