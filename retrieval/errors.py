"""Every error newsbot expects, in one hierarchy; each message is safe to show a user as one line.

Front ends translate them: the CLI prints the message and exits non-zero, Discord replies with
it. Anything that is not a ``NewsbotError`` is a bug: it is logged with its traceback and the
user sees a short apology.
"""

from __future__ import annotations


class NewsbotError(Exception):
    """An expected failure; ``str(error)`` says what is wrong and what to do."""


class InputError(NewsbotError):
    """The user gave something newsbot cannot use (a missing path, an empty question)."""


class ConfigError(NewsbotError):
    """A setting is missing or invalid."""


class StoreError(NewsbotError):
    """The Chroma store cannot be opened or reached."""


class BusyError(NewsbotError):
    """Another newsbot process is doing the same work right now (polling one home's feeds)."""


class NetworkError(NewsbotError):
    """A service newsbot needs (Discord) cannot be reached."""
