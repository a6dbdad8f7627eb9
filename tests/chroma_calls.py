"""Counting what a store asks of Chroma, for tests that bound it (a warm question, an ingest batch)."""

from __future__ import annotations

import inspect
from collections import Counter
from typing import Any

import pytest

from retrieval.index.store import Store


def count_chroma_calls(monkeypatch: pytest.MonkeyPatch, store: Store) -> Counter[str]:
    """From now on, every call of a public method of the store's Chroma client and collection
    classes, counted by name (a collection fetched again is of the same class, so it counts too)."""
    calls: Counter[str] = Counter()
    for owner in (type(store.collection), type(store.client)):
        for name in dir(owner):
            real = getattr(owner, name)
            if name.startswith("_") or not inspect.isfunction(real):
                continue

            def counted(*args: Any, _name: str = name, _real: Any = real, **kwargs: Any) -> Any:
                calls[_name] += 1
                return _real(*args, **kwargs)

            monkeypatch.setattr(owner, name, counted)
    return calls
