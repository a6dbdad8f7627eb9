"""The peer: LangChain's RAG-tutorial pipeline, as the tutorial builds it.

``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)`` over title + text,
``HuggingFaceEmbeddings`` with the same all-MiniLM-L6-v2 model, ``Chroma.from_documents`` and
``similarity_search(question, k)``. With no LLM, the tutorial's answer is the retrieved context:
here the top chunk stands as the answer and as its single citation, so the answer metrics
compare like for like with newsbot's extractive answerer. It never abstains.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.corpus import records
from bot.engine import Answer, Citation, Passage

TUTORIAL_CHUNK = 1000  # the tutorial's RecursiveCharacterTextSplitter settings
TUTORIAL_OVERLAP = 200


class Peer:
    """Builds (or reuses) the tutorial's vector store and answers like the evaluation needs."""

    def __init__(self, persist_dir: Path, model_path: Path, batch: int = 2000) -> None:
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_huggingface import HuggingFaceEmbeddings

        self.embeddings = HuggingFaceEmbeddings(
            model_name=str(model_path), model_kwargs={"device": "cpu", "local_files_only": True}
        )
        self.persist_dir = persist_dir
        self.batch = batch
        self.store = Chroma(
            collection_name="peer", embedding_function=self.embeddings, persist_directory=str(persist_dir),
            client_settings=ChromaSettings(anonymized_telemetry=False, is_persistent=True),
        )
        self.ingest_seconds = 0.0

    def ingest(self, corpus: Path) -> float:
        """Split and embed the corpus unless this folder already holds it; returns seconds."""
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        if self.count() > 0:
            return 0.0
        started = time.perf_counter()
        splitter = RecursiveCharacterTextSplitter(chunk_size=TUTORIAL_CHUNK, chunk_overlap=TUTORIAL_OVERLAP)
        docs: list[Document] = []
        for rec in records(corpus):
            docs.append(Document(page_content=f"{rec.get('title', '')}\n{rec['text']}",
                                 metadata={"article_id": str(rec["id"]), "title": rec.get("title", "")}))
        chunks = splitter.split_documents(docs)
        # The tutorial's Chroma.from_documents is add_documents on a new store; done in slices
        # because Chroma caps the size of one call.
        for i in range(0, len(chunks), self.batch):
            self.store.add_documents(chunks[i : i + self.batch])
        self.ingest_seconds = time.perf_counter() - started
        return self.ingest_seconds

    def count(self) -> int:
        """Chunks stored."""
        return int(self.store._collection.count())

    def ask_ranked(self, question: str, as_of: object = None, k: int = 10) -> Answer:
        """The top chunk as the answer, the top ``k`` as the ranking (what the evaluation judges).

        The tutorial pipeline has no notion of time: ``as_of`` is ignored, as it would be there.
        """
        docs = self.store.similarity_search(question, k=k)
        passages = [
            Passage(chunk_id=f"peer-{i}", article_id=str(d.metadata["article_id"]), text=d.page_content,
                    start=0, end=len(d.page_content), position=0, sentences=[], speakers=[],
                    title=str(d.metadata.get("title", "")))
            for i, d in enumerate(docs)
        ]
        if not passages:
            return Answer(question=question, text="", citations=[], abstained=False)
        top = passages[0]
        citation = Citation(1, top.article_id, top.title, "", "", "", top.text, 0, len(top.text), top.chunk_id)
        return Answer(question=question, text=top.text + " [1]", citations=[citation], abstained=False,
                      passages=passages, answerer="langchain-tutorial")
