"""A small OpenAI-compatible chat server on 127.0.0.1, so the real LangChain client is exercised.

``reply`` decides each answer from the request's messages; ``mode`` makes the server fail the
ways real servers do: ``"500"``, ``"hang"`` (never answers in time) or ``"garbage"``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.httpserver import QuietHandler, running


@dataclass
class FakeLLM:
    reply: Callable[[list[dict]], str] = lambda messages: "Nothing [1]."
    mode: str = "ok"
    requests: list[dict] = field(default_factory=list)
    hang_seconds: float = 30.0


def _chunk(content: str | None, finish: str | None = None) -> bytes:
    delta = {"role": "assistant", "content": content} if content is not None else {}
    body = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "fake",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(body)}\n\n".encode()


@contextmanager
def serve_llm(fake: FakeLLM) -> Iterator[str]:
    """Run the fake; yields its base URL (``http://127.0.0.1:PORT/v1``)."""

    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            request = json.loads(self.rfile.read(length) or b"{}")
            fake.requests.append(request)
            if fake.mode == "hang":
                time.sleep(fake.hang_seconds)
                return
            if fake.mode == "500":
                self.send_body(500, "application/json", b'{"error": {"message": "internal error"}}')
                return
            if fake.mode == "garbage":
                self.send_body(200, "application/json", b"<html>not json at all")
                return
            text = fake.reply(request.get("messages", []))
            if request.get("stream"):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                for word in text.split(" "):
                    self.wfile.write(_chunk(word + " "))
                    self.wfile.flush()
                self.wfile.write(_chunk(None, "stop"))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True
                return
            body = {"id": "c1", "object": "chat.completion", "created": 0, "model": "fake",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
            self.send_body(200, "application/json", json.dumps(body).encode())

    with running(Handler) as base:
        yield f"{base}/v1"


def user_message(messages: list[dict]) -> str:
    return next(m["content"] for m in reversed(messages) if m["role"] == "user")


def passage_number(messages: list[dict], needle: str) -> int:
    """The number the prompt gave the passage containing ``needle`` (0 if none)."""
    text = user_message(messages)
    for block in text.split("<passage ")[1:]:
        n = int(block.split('n="', 1)[1].split('"', 1)[0])
        if needle in " ".join(block.split()):
            return n
    return 0
