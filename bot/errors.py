"""The answer engine's errors, on top of retrieval's (re-exported so front ends import one place)."""

from __future__ import annotations

from retrieval.errors import InputError, NewsbotError, SourceError, StoreError

__all__ = ["ConfigError", "InputError", "LLMError", "NewsbotError", "SourceError", "StoreError"]


class ConfigError(NewsbotError):
    """A setting is missing or invalid."""


class LLMError(NewsbotError):
    """The language model is unreachable, too slow or answered garbage."""
