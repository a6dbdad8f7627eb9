"""Stories: articles grouped as they are stored, one event or thread reported by several outlets.

Each article is kept once more, beside its chunks, as a "lead" record: the mean vector of its
first chunks (what the article is about, before a page's tail wanders) and the id of its story.
A new article joins the story of the closest stored lead when the two are close enough
(``JOIN``) and the article is close to the story as a whole (``CENTRE``: its lead against the
mean of the story's leads), else it starts a story of its own. Without the second test stories
chained: each article close to one member, the story as a whole about nothing (a year's local
news, weather and politics in three stories of 700-1,000 articles whose members' leads were as
unrelated as random pairs). Nothing is ever re-clustered: a feed poll adds a
few records, and a story keeps its id (the id of the article that started it). The records live
in a Chroma collection next to the chunks, so every process on the store, embedded or through a
Chroma server, sees the same stories.

``JOIN`` and ``CENTRE`` were chosen on training years' pages (see docs/quality.md): pages that a
search returned for one quiz question and that state its answer should share a story, while pages
published more than a month apart on unrelated news should not, nor should pages of one story be
as far apart as random ones. Days apart are not a feature:
pages about one thread (an election, a war, a trial) are often months apart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from retrieval.dates import day_of
from retrieval.index.store import ID_BATCH, PAGE, WIDE, Store, day_number, search_widely, translated
from retrieval.models import Article, Chunk

log = logging.getLogger("newsbot.stories")
JOIN = 0.46  # cosine of two leads at or above which the newer article joins the older's story
CENTRE = 0.5  # cosine of an article's lead to a story's mean lead below which it does not join that story
PLACEMENT = 2  # the placement rule a lead collection was made by (1, unmarked: without CENTRE)
LEAD_CHUNKS = 3  # chunks averaged into an article's lead vector
NEIGHBOURS = 10  # stored leads looked at for each new article
VOTE, VOTES = 0.06, 5  # a story's bonus for each of its close leads among the neighbours, and their cap
Placing = Callable[[int, int], None]  # told (articles placed now, articles to place in all)
SUFFIX = ".stories"  # the lead collection's name after the chunks' (a library name cannot hold '.')


@dataclass(frozen=True)
class Member:
    """One article as its story knows it."""

    article_id: str
    story: str
    title: str
    outlet: str
    url: str
    published: str  # YYYY-MM-DD, or "" when unknown

    @property
    def day(self) -> date | None:
        return day_of(self.published)


def _member(article_id: str, story: str, meta: Mapping[str, Any]) -> Member:
    """A member from stored metadata (a chunk's or a lead record's)."""
    return Member(article_id, story, str(meta.get("title") or ""), str(meta.get("outlet") or ""),
                  str(meta.get("url") or ""), str(meta.get("published") or ""))


def lead_vector(chunk_vectors: np.ndarray) -> np.ndarray:
    """The unit-length mean of an article's first ``LEAD_CHUNKS`` chunk vectors (in position order)."""
    lead = np.asarray(chunk_vectors[:LEAD_CHUNKS], dtype=np.float32).mean(axis=0)
    norm = float(np.linalg.norm(lead))
    return lead / norm if norm > 0 else lead


def choose(candidates: list[tuple[str, float]], join: float = JOIN,
           centred: Mapping[str, float] | None = None, centre: float = CENTRE) -> str | None:
    """The story to join from (story, closeness) of the nearest leads: among the stories with a
    lead at ``join`` or closer, the one whose closest lead is closest, with a bonus for each
    further close lead (up to ``VOTES``), so an article between a big story and a stray
    neighbour joins the story it is close to many times over. A story whose mean lead the
    article is further from than ``centre`` (``centred``: story -> that closeness; a story not
    in it is not tested) is not joined, however close one of its members is. None: start a new
    story."""
    close: dict[str, list[float]] = {}
    for story, closeness in candidates:
        close.setdefault(story, []).append(closeness)
    centred = centred or {}
    scored = [(max(c) + VOTE * min(VOTES, sum(x >= join for x in c)), story)
              for story, c in close.items() if max(c) >= join and centred.get(story, 1.0) >= centre]
    return max(scored)[1] if scored else None


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


class StoryIndex:
    """The lead records of one store's articles, and the stories they form."""

    def __init__(self, store: Store, join: float = JOIN, centre: float = CENTRE) -> None:
        self.store = store
        self.join = join
        self.centre = centre
        self.collection = self._open()
        self.seconds = 0.0  # spent placing articles in stories by this process (what clustering costs)

    @property
    def location(self) -> str:
        """Where the store is (named by a failure's one-line error)."""
        return self.store.location

    @property
    def lock_path(self) -> Any:
        return self.store.lock_path

    @translated("open")
    def _open(self) -> Any:
        collection = self.store.client.get_or_create_collection(
            self.store.collection.name + SUFFIX, embedding_function=None, configuration=WIDE,
            metadata={"placement": PLACEMENT})  # kept by a new collection only: an older one is unmarked
        search_widely(collection)  # the same breadth as the chunks': a story's neighbours found alike every run
        return collection

    def reopen(self) -> None:
        """Open the lead collection again by name: another process may have made it afresh."""
        self.collection = self._open()

    @property
    def outdated(self) -> bool:
        """Whether the stories were placed by an earlier rule (and are better placed again)."""
        return int((self.collection.metadata or {}).get("placement", 1)) < PLACEMENT

    # -- writing ---------------------------------------------------------------------------------
    def stored(self, items: list[tuple[Article, list[Chunk]]], embeddings: np.ndarray) -> dict[str, str]:
        """Place freshly stored articles (their chunk vectors in ``embeddings``, in order) in
        stories; returns article id -> story id."""
        leads, at = [], 0
        for _, chunks in items:
            leads.append(lead_vector(embeddings[at : at + len(chunks)]))
            at += len(chunks)
        members = [Member(a.id, "", a.title, a.outlet, a.url, a.published) for a, _ in items]
        return self._place(members, np.array(leads, dtype=np.float32))

    @translated("write to")
    def _place(self, members: list[Member], leads: np.ndarray) -> dict[str, str]:
        """Join each member to a story (the stored ones, and the ones placed before it in this
        call), then write the lead records in one call."""
        if not members:
            return {}
        started = time.perf_counter()
        ids = [m.article_id for m in members]
        found: Any = {"ids": [[] for _ in ids], "distances": [[] for _ in ids], "metadatas": [[] for _ in ids]}
        if self.collection.count():
            found = self.collection.query(query_embeddings=leads.tolist(), n_results=NEIGHBOURS + 1,
                                          include=["distances", "metadatas"])
        stories: dict[str, str] = {}
        placed: list[int] = []
        sums = self._sums({str(meta["story"]) for metas in found["metadatas"] for meta in metas})
        for i, member in enumerate(members):
            candidates = [(str(meta["story"]), 1.0 - float(d))
                          for cid, d, meta in zip(found["ids"][i], found["distances"][i], found["metadatas"][i])
                          if cid != member.article_id and cid not in stories]
            if placed:
                close = leads[placed] @ leads[i]
                candidates += [(stories[ids[j]], float(c)) for j, c in zip(placed, close)]
            centred = {s: float(_unit(sums[s]) @ leads[i]) for s, _ in candidates if s in sums}
            story = choose(candidates, self.join, centred, self.centre) or member.article_id
            stories[member.article_id] = story
            sums[story] = sums.get(story, np.zeros_like(leads[i])) + leads[i]
            placed.append(i)
        self.collection.upsert(
            ids=ids, embeddings=leads.tolist(),
            metadatas=[{"story": stories[m.article_id], "title": m.title, "outlet": m.outlet, "url": m.url,
                        "published": m.published, "published_day": day_number(m.published)} for m in members])
        self.seconds += time.perf_counter() - started
        return stories

    def _sums(self, story_ids: set[str]) -> dict[str, np.ndarray]:
        """The sum of each stored story's leads (its mean's direction), read in one call a few
        hundred stories at a time."""
        sums: dict[str, np.ndarray] = {}
        wanted = sorted(story_ids)
        for i in range(0, len(wanted), ID_BATCH):
            got = self.collection.get(where={"story": {"$in": wanted[i : i + ID_BATCH]}},
                                      include=["embeddings", "metadatas"])
            for vector, meta in zip(got["embeddings"], got["metadatas"]):
                story = str(meta["story"])
                lead = np.asarray(vector, dtype=np.float32)
                sums[story] = sums.get(story, np.zeros_like(lead)) + lead
        return sums

    @translated("write to")
    def reset(self) -> None:
        """Forget every story at once: the lead collection dropped and made again. Deleting every
        record instead left Chroma's graph with their traces, and placing the same articles again
        over them gave other stories from one run to the next; a fresh collection gives the same."""
        self.store.client.delete_collection(self.collection.name)
        self.collection = self._open()

    @translated("write to")
    def forget(self, article_ids: list[str]) -> None:
        """Drop removed articles from their stories (a story of none left is gone)."""
        for i in range(0, len(article_ids), ID_BATCH):
            self.collection.delete(ids=article_ids[i : i + ID_BATCH])

    def catch_up(self, stored: set[str], progress: Placing | None = None, order: list[str] | None = None) -> int:
        """Place the ``stored`` articles that have no lead record yet (a store built before stories
        existed, or a write interrupted between the chunks and the leads), oldest first or in
        the ``order`` of their ids given, and forget members no longer stored; the caller holds
        the store's write lock. Returns how many were placed."""
        missing, orphans = self.differences(stored)
        if orphans:
            self.forget(orphans)
        if not missing:
            return 0
        batch: list[tuple[Member, np.ndarray]] = []
        done = 0
        rank = {a: i for i, a in enumerate(order or [])}
        def first(t: tuple[Member, np.ndarray]) -> tuple[int, str]:
            return (rank.get(t[0].article_id, len(rank)), t[0].published or "9999")
        for member, lead in sorted(self._leads_of(missing), key=first):
            batch.append((member, lead))
            if len(batch) >= 200:
                done += self._place_batch(batch, progress, len(missing))
                batch = []
        done += self._place_batch(batch, progress, len(missing))
        log.info("placed %d stored article(s) in stories", done)
        return done

    def _place_batch(self, batch: list[tuple[Member, np.ndarray]], progress: Placing | None, total: int) -> int:
        if batch:
            self._place([m for m, _ in batch], np.array([v for _, v in batch], dtype=np.float32))
            if progress:
                progress(len(batch), total)
        return len(batch)

    @translated("read")
    def differences(self, stored: set[str]) -> tuple[list[str], list[str]]:
        """(``stored`` articles in no story, story members not among them)."""
        have = set(self._ids())
        return sorted(stored - have), sorted(have - stored)

    def _ids(self) -> Iterator[str]:
        offset = 0
        while True:
            got = self.collection.get(include=[], offset=offset, limit=20000)
            if not got["ids"]:
                return
            yield from got["ids"]
            offset += len(got["ids"])

    def _leads_of(self, article_ids: list[str]) -> Iterator[tuple[Member, np.ndarray]]:
        """Each article's member record and lead vector, from its stored chunks."""
        for i in range(0, len(article_ids), 100):
            part = article_ids[i : i + 100]
            got = self.store.collection.get(
                where={"$and": [{"article_id": {"$in": part}}, {"position": {"$lt": LEAD_CHUNKS}}]},
                include=["embeddings", "metadatas"])
            chunks: dict[str, list[tuple[int, np.ndarray, dict[str, Any]]]] = {}
            for vector, meta in zip(got["embeddings"], got["metadatas"]):
                chunks.setdefault(str(meta["article_id"]), []).append((int(meta["position"]), vector, meta))
            for article_id, rows in chunks.items():
                rows.sort(key=lambda r: r[0])
                yield _member(article_id, "", rows[0][2]), lead_vector(np.array([r[1] for r in rows], dtype=np.float32))

    # -- reading ---------------------------------------------------------------------------------
    @translated("read")
    def story_of(self, article_id: str) -> list[Member]:
        """Every member of the story ``article_id`` is in (none when it is in no story yet)."""
        got = self.collection.get(ids=[article_id], include=["metadatas"])
        if not got["ids"]:
            return []
        story = str(got["metadatas"][0].get("story") or article_id)
        found = self.collection.get(where={"story": story}, include=["metadatas"])
        return [_member(cid, story, meta) for cid, meta in zip(found["ids"], found["metadatas"])]

    @translated("read")
    def members(self, with_vectors: bool = False) -> tuple[list[Member], np.ndarray | None]:
        """Every placed article (and, when asked, their lead vectors in the same order)."""
        out: list[Member] = []
        vectors: list[Any] = []
        offset = 0
        include: Any = ["metadatas", "embeddings"] if with_vectors else ["metadatas"]
        while True:
            got = self.collection.get(include=include, offset=offset, limit=PAGE)
            if not got["ids"]:
                break
            for cid, meta in zip(got["ids"], got["metadatas"]):
                out.append(_member(cid, str(meta.get("story") or cid), meta))
            if with_vectors:
                vectors.extend(got["embeddings"])
            offset += len(got["ids"])
        return out, (np.array(vectors, dtype=np.float32) if with_vectors else None)

