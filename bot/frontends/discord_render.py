"""An Answer as Discord messages: content under 2,000 characters, sources as embeds in limits.

Pure functions (no network), so the splitting rules are tested directly: content is split at
paragraph, then sentence, then word boundaries, so a ``[n]`` marker or a quote is never cut in
two; each source is one entry (title linked to its URL, outlet, date, the quote shortened with
an ellipsis) packed into embeds under Discord's description and total limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import discord

from bot.citations import earlier_of_same_article, in_quotes, meta_line, same_article, shorten, split_claims
from bot.engine import Answer, Citation, Digest, NewArticle, Quotes, Timeline

CONTENT_LIMIT = 2000
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_TOTAL_LIMIT = 6000
QUOTE_LIMIT = 300
EMBED_COLOUR = 0x2B6CB0
TITLE_CHARS = 200  # of an article title in a source entry
EMBED_HEADROOM = 100  # kept free in an embed's description for the title and joins
_URL = re.compile(r"https?://[^\s<>()\[\]]+", re.IGNORECASE)


@dataclass
class Part:
    """One message to send."""

    content: str | None = None
    embed: discord.Embed | None = None


def split_text(text: str, limit: int = CONTENT_LIMIT) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut only between sentences or words."""
    units: list[tuple[str, str]] = []  # (separator before, piece)
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    for pi, paragraph in enumerate(paragraphs):
        for si, sentence in enumerate(split_claims(paragraph) or [paragraph]):
            for wi, piece in enumerate(_fit(sentence, limit)):
                units.append(("\n\n" if pi and not si and not wi else " ", piece))
    pieces: list[str] = []
    current = ""
    for sep, piece in units:
        if current and len(current) + len(sep) + len(piece) <= limit:
            current += sep + piece
        else:
            if current:
                pieces.append(current)
            current = piece
    if current:
        pieces.append(current)
    return pieces


def _fit(unit: str, limit: int) -> list[str]:
    """A sentence longer than ``limit`` cut at spaces (markers are words, so they stay whole)."""
    if len(unit) <= limit:
        return [unit]
    out: list[str] = []
    current = ""
    for word in unit.split(" "):
        while len(word) > limit:  # a single monstrous token: hard cut, nothing else works
            out.append(word[:limit])
            word = word[limit:]
        if len(current) + 1 + len(word) <= limit:
            current = f"{current} {word}" if current else word
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    return out


def source_entry(c: Citation, earlier: int | None = None) -> str:
    """``[n]`` with the article's linked title and metadata (or, with ``earlier``, a pointer to
    the number that already names the article), then its quoted passage."""
    quote = inert(shorten(c.quote, QUOTE_LIMIT))
    if earlier is not None:
        return f"**[{c.n}]** {same_article(earlier)}\n> {quote}"
    title = inert(shorten(c.title or shown_id(c.article_id), TITLE_CHARS))
    head = f"**[{c.n}]** [{title}]({c.url})" if c.url.startswith(("http://", "https://")) else f"**[{c.n}]** {title}"
    meta = meta_line(c.outlet, c.published)
    return f"{head}" + (f" — {discord.utils.escape_markdown(meta)}" if meta else "") + f"\n> {quote}"


def source_embeds(citations: list[Citation]) -> list[discord.Embed]:
    embeds: list[discord.Embed] = []
    description = ""
    for entry in (source_entry(c, e) for c, e in zip(citations, earlier_of_same_article(citations))):
        if description and len(description) + 2 + len(entry) > EMBED_DESCRIPTION_LIMIT - EMBED_HEADROOM:
            embeds.append(_embed(description, first=not embeds))
            description = ""
        description = f"{description}\n\n{entry}" if description else entry
    if description:
        embeds.append(_embed(description, first=not embeds))
    return embeds


def _embed(description: str, first: bool) -> discord.Embed:
    return discord.Embed(title="Sources" if first else "Sources (continued)", description=description,
                         colour=EMBED_COLOUR)


def inert(text: str) -> str:
    """Article text as Discord data: markdown escaped (links are left whole by the escaping), then
    every bare link wrapped in ``<>`` so it neither previews (unfurls) nor hides behind markdown."""
    return _URL.sub(lambda m: f"<{m.group(0)}>", discord.utils.escape_markdown(text))


def shown_id(article_id: str) -> str:
    """An article id as other people may see it: a URL without its query string (tokens live
    there), anything else (a file path on the bot's machine) by its last part only."""
    if article_id.startswith(("http://", "https://")):
        parts = urlsplit(article_id)
        return f"{parts.scheme}://{parts.netloc}{parts.path}"
    return article_id.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1].split("#")[-1] or "article"


def render(answer: Answer) -> list[Part]:
    """The messages for one answer: text parts, then the sources (one embed per message)."""
    text = inert(answer.text)  # article text is data: no live links, previews, spoilers, styling
    if answer.lead and answer.text.startswith(answer.lead):
        text = f"**{inert(answer.lead)}**{inert(answer.text[len(answer.lead):])}"
    if answer.notice:
        text = f"*{inert(answer.notice)}*\n\n{text}"
    return with_sources([Part(content=piece) for piece in split_text(text)], answer.citations)


def with_sources(parts: list[Part], citations: list[Citation]) -> list[Part]:
    """The text parts, the first sources embed riding on the last of them, the rest after."""
    embeds = source_embeds(citations)
    if embeds and parts:
        parts[-1].embed = embeds.pop(0)
    parts.extend(Part(embed=e) for e in embeds)
    return parts



def timeline_parts(timeline: Timeline) -> list[Part]:
    """A timeline as text lines (day, [n], outlets) with its quotes as source embeds."""
    if not timeline.events:
        return [Part(content=f"No dated articles on “{discord.utils.escape_markdown(timeline.topic)}” yet.")]
    lines = []
    for event in timeline.events:
        outlets = discord.utils.escape_markdown(", ".join(event.outlets[1:]))
        also = f" (also reported by {outlets})" if event.also and outlets else ""
        title = inert(shorten(event.citation.title or shown_id(event.citation.article_id), TITLE_CHARS))
        lines.append(f"**{event.day}** [{event.citation.n}] {title}{also}")
    return with_sources([Part(content=piece) for piece in split_text("\n\n".join(lines))],
                        [e.citation for e in timeline.events])


def digest_parts(digest: Digest, title: str = "") -> list[Part]:
    """A digest as messages: a bold headline, its outlets and reports and cited sentences per story, the
    figures outlets differ on, then the sources as embeds."""
    if not digest.items:
        return [Part(content=discord.utils.escape_markdown(digest.as_text()))]
    paragraphs = [title or f"**Top stories, {digest.since} to {digest.as_of}**"]
    for item in digest.items:
        head = inert(shorten(item.story.headline, TITLE_CHARS))
        outlets = discord.utils.escape_markdown(", ".join(item.story.outlets))
        text = f"**{head}** ({outlets} · {item.story.reported}): {inert(item.text)}"
        if item.differences:
            text += " Figures differ: " + inert("; ".join(item.differences)) + "."
        paragraphs.append(text)
    return with_sources([Part(content=piece) for piece in split_text("\n\n".join(paragraphs))], digest.citations)


def quotes_parts(quotes: Quotes) -> list[Part]:
    """A person's statements as dated lines with their citations, the quotes as source embeds."""
    if not quotes.statements:
        return [Part(content=discord.utils.escape_markdown(quotes.as_text()))]
    lines = [f"**What {inert(quotes.person)} said**"]
    for event in quotes.statements:
        outlets = discord.utils.escape_markdown(", ".join(event.outlets[1:]))
        also = f" (also reported by {outlets}: {' '.join(f'[{c.n}]' for c in event.also)})" if event.also else ""
        quote = in_quotes(inert(shorten(event.citation.quote, QUOTE_LIMIT)))
        lines.append(f"**{event.day or 'undated'}** {quote} [{event.citation.n}]{also}")
    return with_sources([Part(content=piece) for piece in split_text("\n\n".join(lines))], quotes.citations)


def notice(article: NewArticle) -> str:
    """The short notice for a new article from a feed: title, outlet and date, link (no preview)."""
    title = inert(shorten(article.title or shown_id(article.id), TITLE_CHARS))
    meta = meta_line(article.outlet, article.published)
    line = f"New: **{title}**" + (f" — {discord.utils.escape_markdown(meta)}" if meta else "")
    if article.url.startswith(("http://", "https://")):
        line += f" <{article.url}>"
    return line[:CONTENT_LIMIT]
