"""`newsbot check` finds a damaged keyword index and `--repair` mends it from the store."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.settings import load_settings
from retrieval.index.indexes import index_file
from retrieval.index.store import Store
from tests.conftest import FIXTURES, SEED_FILE
from tests.test_cli import newsbot  # noqa: F401  (the CLI fixture)
from tests.test_lexical import lose_words


def keyword_file() -> Path:
    settings = load_settings()
    path = index_file(Store(settings.store_path, None, settings.collection), settings.cache_path)
    assert path is not None and path.exists()
    return path


def sql(statement: str) -> None:
    db = sqlite3.connect(keyword_file())
    db.execute(statement)
    db.commit()
    db.close()


def delete_rows() -> None:
    sql("DELETE FROM chunks WHERE n IN (SELECT n FROM chunks ORDER BY n LIMIT 3)")


def words_lost() -> None:
    """The full-text index loses a chunk's document and holds one for no chunk: the counts still
    agree, so only a check finds it."""
    db = sqlite3.connect(keyword_file())
    first = int(db.execute("SELECT min(n) FROM chunks").fetchone()[0])
    db.close()
    lose_words(keyword_file(), first, stray="lavrov demand")


def copy(source: Path, target: Path) -> None:
    """A file or (the full-text index) a folder."""
    shutil.copytree(source, target) if source.is_dir() else shutil.copy(source, target)


DAMAGE: dict[str, Callable[[], None]] = {"rows deleted": delete_rows, "words lost": words_lost}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_check_finds_and_repair_fixes_damage(newsbot, damage: str) -> None:  # noqa: F811
    assert newsbot("ingest", str(SEED_FILE)).exit_code == 0
    healthy = newsbot("check")
    assert healthy.exit_code == 0 and "agree with the store" in healthy.stdout
    DAMAGE[damage]()
    found = newsbot("check", "--json")
    assert found.exit_code == 1
    report = json.loads(found.stdout)["found"]
    assert not report["clean"] and (report["missing"] or report["unsearchable"])
    repaired = newsbot("check", "--repair")
    assert repaired.exit_code == 0 and "repaired" in repaired.stdout, repaired.output
    assert newsbot("check").exit_code == 0
    answer = json.loads(newsbot("ask", "--json", "What did Lavrov demand?").stdout)
    assert not answer["abstained"]


def test_check_finds_a_stale_copy_of_the_keyword_index(newsbot, tmp_path: Path) -> None:  # noqa: F811
    newsbot("ingest", str(SEED_FILE))
    index = keyword_file()
    saved = tmp_path / "saved"
    saved.mkdir()
    for file in index.parent.glob(index.name + "*"):
        copy(file, saved / file.name)
    newsbot("ingest", str(FIXTURES / "lavrov-delhi.txt"))
    for file in index.parent.glob(index.name + "*"):
        shutil.rmtree(file) if file.is_dir() else file.unlink()
    for file in saved.iterdir():
        copy(file, index.parent / file.name)  # yesterday's copy put back
    found = newsbot("check")
    assert found.exit_code == 1 and "keyword index lacks" in found.stdout
    assert newsbot("check", "--repair").exit_code == 0 and newsbot("check").exit_code == 0


def test_check_finds_a_half_written_article(newsbot) -> None:  # noqa: F811
    newsbot("ingest", str(SEED_FILE))
    settings = load_settings()
    store = Store(settings.store_path, None, settings.collection)
    some = sorted(store.ids())[0]
    store.collection.delete(ids=[some])  # a chunk lost outside newsbot: the article is incomplete
    found = newsbot("check")
    assert found.exit_code == 1 and "half-written" in found.stdout
    assert newsbot("check", "--repair").exit_code == 0
