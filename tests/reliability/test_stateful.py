"""One truth for both indexes: random sequences of ingest, update, remove, re-ingest, a new
process's view and crashes at any write step, against an embedded store and a Chroma server.
After every step the store holds each article exactly once, whole, in the version a model of
the sequence says (either side of a crashed write), and the keyword index holds exactly the
store's chunks, none marked deleted.

The stand-in embedder gives vectors: what is tested is storage, not meaning.
"""

from __future__ import annotations

import itertools
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from bot.engine import Engine
from bot.settings import Settings
from tests.chroma_server import ChromaServer
from tests.standin import StandInEmbedder

pytestmark = pytest.mark.slow
ARTICLES = ["alpha", "bravo", "charlie"]
EDITIONS = 3
# 120 runs of up to 6 writes, crashes and reads each (set more to search longer; CI's whole suite has 10 minutes)
EXAMPLES = int(os.environ.get("NEWSBOT_STATEFUL_EXAMPLES", "120"))
COUNTER = itertools.count()


class Crash(Exception):
    """A write dying half-way."""


def text(article: str, edition: int) -> str:
    """Several sentences, so an article has several chunks; each edition its own words."""
    return " ".join(f"The {article} report, edition {edition}, part {i}, says the word {article}{edition}x{i} "
                    f"and more words about the harbour and the council budget." for i in range(12))


# Where a write can die: (object, method, before or after the real call).
CRASH_POINTS = [("store", "add", "after"), ("store", "drop_other_versions", "before"),
                ("store", "drop_other_versions", "after"), ("store", "bump", "before"),
                ("lexical", "stored", "before"), ("lexical", "dropped", "after"), ("store", "remove", "after")]


class Indexes(RuleBasedStateMachine):
    """The store and its keyword index under a random sequence of writes."""

    where: Path
    url: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self.collection = f"stateful-{next(COUNTER)}"
        self.settings = Settings(home=self.where, chroma_url=self.url, collection=self.collection, chunk_chars=400,
                                 embedding_cache=False)
        self.embedder = StandInEmbedder()
        self.engine = self.open()
        self.model: dict[str, set[int | None]] = {a: {None} for a in ARTICLES}  # allowed editions (None: absent)
        self.files = self.where / "files" / self.collection
        self.files.mkdir(parents=True, exist_ok=True)

    def open(self) -> Engine:
        return Engine(self.settings, embedder=self.embedder)  # type: ignore[arg-type]

    def file(self, article: str, edition: int) -> str:
        path = self.files / f"{article}-{edition}.jsonl"
        path.write_text(json.dumps({"id": article, "title": article.title(), "text": text(article, edition)}) + "\n")
        return str(path)

    @rule(article=st.sampled_from(ARTICLES), edition=st.integers(0, EDITIONS - 1))
    def ingest(self, article: str, edition: int) -> None:
        report = self.engine.ingest([self.file(article, edition)])
        assert not report.failed
        self.model[article] = {edition}

    @rule(article=st.sampled_from(ARTICLES))
    def remove(self, article: str) -> None:
        self.engine.remove([article])
        self.model[article] = {None}

    @rule(article=st.sampled_from(ARTICLES), edition=st.integers(0, EDITIONS - 1),
          point=st.sampled_from(CRASH_POINTS), removing=st.booleans())
    def crash(self, article: str, edition: int, point: tuple[str, str, str], removing: bool) -> None:
        """A write dies at ``point``; the article ends either side of it."""
        owner = self.engine.store if point[0] == "store" else self.engine.lexical
        real: Callable[..., Any] = getattr(owner, point[1])
        fired = []

        def dying(*args: Any, **kwargs: Any) -> Any:
            if fired:
                return real(*args, **kwargs)
            fired.append(True)
            if point[2] == "after":
                real(*args, **kwargs)
            raise Crash(point)

        setattr(owner, point[1], dying)
        before = self.model[article]
        try:
            if removing:
                self.engine.remove([article])
            else:
                self.engine.ingest([self.file(article, edition)])
        except Crash:
            pass
        finally:
            delattr(owner, point[1])
        after: set[int | None] = {None} if removing else {edition}
        self.model[article] = before | after if fired else after

    @rule()
    def another_process(self) -> None:
        """What another process sees (its own view of both indexes on the same files)."""
        self.engine = self.open()

    @invariant()
    def one_truth(self) -> None:
        engine = self.engine
        engine.indexes._checked = (float("-inf"), -1)  # look now, as a second later would
        engine.indexes.current()
        ids: list[str] = []
        versions: dict[str, Counter[str]] = {}
        expected: dict[str, int] = {}
        words: dict[str, str] = {}
        for cid, document, meta in engine.store.iter_chunks():  # one read of the whole store
            article = str(meta["article_id"])
            ids.append(cid)
            versions.setdefault(article, Counter())[str(meta["content_hash"])] += 1
            expected[article] = int(meta["n_chunks"])
            words[article] = words.get(article, "") + " " + document
        for article, allowed in self.model.items():
            if article not in versions:
                assert None in allowed, f"{article} lost"
                self.model[article] = {None}
                continue
            [present] = versions[article].values()  # one version ...
            assert present == expected[article]  # ... whole
            [edition] = [e for e in range(EDITIONS) if f"{article}{e}x0" in words[article]]
            assert edition in allowed, f"{article}: edition {edition}, allowed {allowed}"
            self.model[article] = {edition}
        assert set(versions) <= set(ARTICLES)
        assert sorted(engine.lexical.ids()) == sorted(ids)
        assert engine.lexical.unsearchable() == []
        for article, allowed in self.model.items():  # found by keyword, in the version stored
            if allowed != {None}:
                found = engine.lexical.search(f"{article}{next(iter(allowed))}x3", 3)
                assert {p.article_id for p in found} == {article}


RUN = settings(max_examples=EXAMPLES, stateful_step_count=6, deadline=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def test_embedded_store(tmp_path_factory: pytest.TempPathFactory) -> None:
    class Embedded(Indexes):
        where = tmp_path_factory.mktemp("stateful-embedded")

    run_state_machine_as_test(Embedded, settings=RUN)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    running = ChromaServer(tmp_path_factory.mktemp("stateful-chroma")).start()
    try:
        yield running
    finally:
        running.stop()


def test_chroma_server_store(tmp_path_factory: pytest.TempPathFactory, server: ChromaServer) -> None:
    class OnServer(Indexes):
        where = tmp_path_factory.mktemp("stateful-server")
        url = server.url

    # Half the examples: the machine's logic ran whole on the embedded store above; here it is the
    # client of a server that is tested, at about twice the cost of each step.
    run_state_machine_as_test(OnServer, settings=settings(RUN, max_examples=max(1, EXAMPLES // 2)))
