"""An article is its text, not its location: the same text from another path or URL is one
article with that location recorded; moving a folder adds nothing; --prune drops only what is
gone from everywhere."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.httpserver import serve
from tests.test_cli import newsbot  # noqa: F401  (the CLI fixture)


def listed(newsbot) -> list[dict]:  # noqa: F811
    return json.loads(newsbot("sources", "--json").stdout)


def ingest(newsbot, *args: str) -> dict:  # noqa: F811
    result = newsbot("ingest", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_copied_then_moved_folder_adds_nothing_and_prune_drops_what_is_gone(newsbot, tmp_path: Path) -> None:  # noqa: F811
    first, copy, moved = tmp_path / "first", tmp_path / "copy", tmp_path / "moved"
    shutil.copytree(SEEDS, first)
    assert ingest(newsbot, str(first))["added"] == 1
    [article] = listed(newsbot)

    shutil.copytree(first, copy)
    again = ingest(newsbot, str(copy))
    assert (again["added"], again["elsewhere"], again["chunks_written"]) == (0, 1, 0)
    [same] = listed(newsbot)
    assert same["id"] == article["id"] and same["chunks"] == article["chunks"]
    assert any(p.startswith(str(copy)) for p in same["aliases"])

    first.rename(moved)  # the folder first ingested moves away
    assert ingest(newsbot, str(moved))["added"] == 0
    [after_move] = listed(newsbot)
    locations = [after_move["source"], *after_move["aliases"]]
    assert not any(p.startswith(str(first)) for p in locations)  # the vanished place is forgotten
    assert any(p.startswith(str(moved)) for p in locations) and any(p.startswith(str(copy)) for p in locations)

    shutil.rmtree(copy)  # still found in moved/: pruning the copy keeps it
    assert ingest(newsbot, "--prune", str(moved))["removed"] == 0 and len(listed(newsbot)) == 1
    for file in moved.iterdir():
        file.unlink()
    assert ingest(newsbot, "--prune", str(moved))["removed"] == 1
    assert listed(newsbot) == []


def test_an_edited_file_is_updated_in_place_not_aliased(newsbot, tmp_path: Path, seed_text: str) -> None:  # noqa: F811
    file = tmp_path / "story.txt"
    file.write_text(seed_text, encoding="utf-8")
    ingest(newsbot, str(file))
    file.write_text(seed_text + "\n\nLavrov later said the talks would go on next week.", encoding="utf-8")
    report = ingest(newsbot, str(file))
    assert report["updated"] == 1 and report["elsewhere"] == 0
    assert len(listed(newsbot)) == 1


def test_records_with_their_own_ids_stay_apart_even_with_the_same_text(newsbot, tmp_path: Path) -> None:  # noqa: F811
    """A publisher's id says which article it is: two wire copies with one text are two articles."""
    text = "The city council voted on Tuesday to rebuild the old bridge over the river by 2026."
    corpus = tmp_path / "wire.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": text, "title": f"Bridge {i}"}) + "\n" for i in ("a", "b")))
    assert ingest(newsbot, str(corpus))["added"] == 2


@pytest.fixture
def allow_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_ALLOW_NETWORKS", "127.0.0.0/8")


def test_the_same_page_at_two_urls_is_one_article(newsbot, allow_local: None) -> None:  # noqa: F811
    page = (b"<html><head><title>Bridge vote</title></head><body><article><h1>Bridge vote</h1>"
            + b"<p>The city council voted on Tuesday to rebuild the old bridge over the river by 2026, "
            + b"after engineers warned that its steel had rusted through in three places.</p>" * 4
            + b"</article></body></html>")
    routes = {"/news/bridge": (200, "text/html", page), "/amp/bridge": (200, "text/html", page)}
    with serve(routes) as base:
        assert ingest(newsbot, f"{base}/news/bridge")["added"] == 1
        again = ingest(newsbot, f"{base}/amp/bridge")
    assert (again["added"], again["elsewhere"]) == (0, 1)
    [article] = listed(newsbot)
    assert [article["source"], *article["aliases"]] == [f"{base}/news/bridge", f"{base}/amp/bridge"]
