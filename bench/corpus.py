"""Reading a question set's ``corpus.jsonl``: one JSON record per non-empty line.

The bench scripts each need the records (their texts, their ids, their size); one reader keeps
them agreeing on what a record is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def records(path: Path) -> Iterator[dict[str, Any]]:
    """The corpus's records in file order, blank lines skipped."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
