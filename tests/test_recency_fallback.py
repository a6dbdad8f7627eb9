"""The freshness prior breaks ties; it never turns an answer into an abstention."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SEED_FILE
from tests.test_cli import newsbot  # noqa: F401  (the CLI fixture)

# Fresh reports that share a word or two with the question and answer nothing.
FRESH = [
    ("Gas prices hit a record", "Demand for gasoline rose as the summer travel season began, analysts said."),
    ("Airlines add flights", "Airlines said demand for summer flights is the strongest since 2019."),
    ("Union demands a raise", "The union demanded a raise of 8 percent for rail workers on Monday."),
    ("Chip makers expand", "Chip makers plan new plants as demand for cars and phones recovers."),
    ("Housing market cools", "Buyers pulled back and demand for new homes fell in May, builders said."),
    ("Heat wave strains grid", "Power demand hit a record as a heat wave spread across Texas."),
    ("Coffee costs climb", "Coffee prices climbed as demand outpaced a shrinking harvest in Brazil."),
    ("Moscow ballet tour", "The Bolshoi said demand for tickets to its summer tour was high."),
]


def test_an_undated_article_that_alone_answers_is_not_pushed_out_by_fresh_ones(newsbot, tmp_path: Path) -> None:  # noqa: F811
    fresh = tmp_path / "fresh.jsonl"
    fresh.write_text("".join(json.dumps({"id": f"fresh-{i}", "title": title, "outlet": "Daily Wire Service",
                                         "published": f"2022-06-{15 + i % 2:02d}",
                                         "text": f"{text} Russia and its demands were not part of it. " * 12}) + "\n"
                             for i, (title, text) in enumerate(FRESH)), encoding="utf-8")
    assert newsbot("ingest", str(SEED_FILE), str(fresh)).exit_code == 0
    for args in (["--as-of", "2022-06-16"], []):
        data = json.loads(newsbot("ask", "--json", *args, "What did Lavrov demand?").stdout)
        assert not data["abstained"], args
        assert data["citations"][0]["title"].startswith("Russia-US Talks"), data["answer"]
    nonsense = json.loads(newsbot("ask", "--json", "--as-of", "2022-06-16", "Who won the Martian chess cup?").stdout)
    assert nonsense["abstained"]  # a second look finds nothing where nothing answers
