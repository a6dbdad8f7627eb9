"""The disk as a door: only the machine's own user opens it, and a folder stays a folder."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bot.engine import Engine
from retrieval.sources.fetch import Fetcher, FetchPolicy
from retrieval.sources.loaders import LoadFailure, load

POLICY = FetchPolicy.parse("", 10_000_000, 10)
BODY = "The harbour council approved the new ferry timetable on Monday after a long debate. " * 5


def loaded(targets: list[str], **kwargs: object) -> list:
    return list(load(targets, Fetcher(POLICY), **kwargs))  # type: ignore[arg-type]


def test_the_shared_door_takes_no_path_and_tells_nothing_about_the_disk(tmp_path: Path) -> None:
    secret = tmp_path / "config.toml"
    secret.write_text("token = 'secret'\n" + BODY)
    answers = {}
    for target in (str(secret), str(tmp_path), "~", "-", str(tmp_path / "missing.txt"), "file:///etc/passwd"):
        [item] = loaded([target], local=False)
        assert isinstance(item, LoadFailure)
        answers[target] = item.reason
    assert len(set(answers.values())) == 1, answers  # an existing path reads like a missing one
    assert "http" in next(iter(answers.values()))


def test_engine_shared_ingest_refuses_paths_and_scopes_uploads(engine: Engine, tmp_path: Path) -> None:
    secret = tmp_path / "notes.txt"
    secret.write_text(BODY)
    report = engine.ingest_shared([str(secret)], [("memo.txt", BODY.encode())], scope="discord-1")
    assert [a.id for a in engine.sources()] == ["discord-1:memo.txt"]
    assert report.failed and report.failed[0][0] == str(secret)


def test_a_link_out_of_a_folder_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "config.txt").write_text("api_key = sk-123\n" + BODY)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "story.txt").write_text(BODY)
    (folder / "notes.txt").symlink_to(outside / "config.txt")
    (folder / "more").symlink_to(outside, target_is_directory=True)
    (folder / "inside.txt").symlink_to(folder / "story.txt")  # a link that stays inside is fine
    items = loaded([str(folder)])
    read = sorted(Path(i.source).name for i in items if not isinstance(i, LoadFailure))
    failed = [i for i in items if isinstance(i, LoadFailure)]
    assert read == ["inside.txt", "story.txt"]
    assert [Path(f.item).name for f in failed] == ["notes.txt"] and "link out of the folder" in failed[0].reason
    assert not any("sk-123" in getattr(i, "text", "") for i in items)


@pytest.mark.serial
def test_special_files_are_refused_without_reading_them(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    os.mkfifo(folder / "feed.jsonl")
    (folder / "story.txt").write_text(BODY)
    started = time.monotonic()
    [pipe] = loaded([str(fifo)])  # would block forever if it were opened
    [proc] = loaded(["/proc/self/environ"])
    [dev] = loaded(["/dev/zero"])
    items = loaded([str(folder)])
    assert time.monotonic() - started < 5
    assert isinstance(pipe, LoadFailure) and "not a regular file" in pipe.reason
    assert isinstance(proc, LoadFailure) and "system file" in proc.reason
    assert isinstance(dev, LoadFailure)
    assert [Path(i.source).name for i in items] == ["story.txt"]


def test_sizes_are_counted_on_what_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(BODY * 100)
    small = FetchPolicy.parse("", 1000, 10)
    [item] = list(load([str(big)], Fetcher(small)))
    assert isinstance(item, LoadFailure) and "larger than the source size limit" in item.reason
