"""Prompt templates as text files shipped with the package, rendered strictly.

A missing variable fails loudly (Jinja ``StrictUndefined``) instead of sending a broken prompt.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

# The tags that fence data in the templates (``<passage n="1">``, ``<conversation>``, ``<message>``):
# text from an article or a user must never open or close one.
FENCE_TAGS = ("passage", "message", "conversation")


@lru_cache(maxsize=1)
def _env() -> Environment:
    # imported only when a prompt is rendered: the extractive answer path needs none
    from jinja2 import Environment, StrictUndefined

    return Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)


def template_text(name: str) -> str:
    """The raw text of ``prompts/<name>.txt``."""
    return resources.files(__name__).joinpath(f"{name}.txt").read_text(encoding="utf-8")


def render(name: str, **variables: Any) -> str:
    """``prompts/<name>.txt`` rendered with ``variables``."""
    return _env().from_string(template_text(name)).render(**variables)
