"""Find the citable body of a plain-text article, and the metadata around it.

The text itself is never rewritten: cleaning returns spans (offsets into the original text),
so every quote stays an exact substring of what the user gave. What is left out of the spans:
the title line, image captions and credits, photo galleries and video labels, headings in
capitals, the byline, the dateline prefix, the site footer (share appeals, copyright and
syndication lines) and the publisher's furniture anywhere (the writer's contacts, sign-up
appeals, disclosures, promotions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.models import Span

_BLOCK_SPLIT = re.compile(r"\n[ \t\r\f\v]*\n")
_BYLINE = re.compile(r"^\s*by\s+(?P<names>[^\n]{2,150})$", re.IGNORECASE)
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Za-z/.,' \-]{1,60}?)\s*(?:\((?P<outlet>[^)]{2,60})\)|(?P<outlet2>CNN|AP|Reuters|AFP))?"
    r"\s*[–—]\s*|(?P<place3>[A-Z][A-Z/.,' \-]{2,40})\s*\((?P<outlet3>[^)]{2,60})\)\s*-\s*"
)
_PLACE_PARTICLES = frozenset({"de", "del", "da", "do", "dos", "la", "le", "el", "al", "upon", "on", "au", "sur", "am"})
_FOOTER = re.compile(
    r"CENSORED|copyright\s|©|all rights reserved|syndication|sydication|SHARE!!!|"
    r"sign up for (?:our|the) newsletter|subscribe to our|follow us on",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’')\]]\s*$")
_ADDRESS = r"(?:[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}|(?<![\w@])@\w{2,30}|\(?\d{3}\)?[ .-]\d{3}-\d{4}|\btwitter\.com/)"
_CONTACT = r"(?:[Cc]ontact|[Rr]each|[Ff]ollow|(?:E-?|e)mail|Send (?:story )?tips|Got a tip|To contact|Call)\b"
_WRITER = re.compile(r"\b(?:reporter|writer|columnist|editor|correspondent|producer|analyst|covers|Twitter|on X\b|Instagram|TikTok|Threads|social media)")
_CONTACT_LINE = re.compile(r"(?:^|[.!?]\s{1,3})(?:You can (?:also )?)?" + _CONTACT + r"[^\n]{0,200}?" + _ADDRESS)
_FURNITURE = re.compile(
    # appeals to sign up, subscribe, download or listen
    r"\b(?:[Ss]ign(?:ing)?[ -]?up|[Ss]ubscribe)\b[^.\n]{0,40}?\b(?:here|now|today)\b"
    r"|(?:^|[.!?]\s{0,3})(?:Sign(?:ing)?[ -]?up|Subscribe) (?:to|for) (?:our|[Tt]he|CNN|his|her|their|\w{1,20}[’']s)\b"
    r"|\bdelivered (?:right |daily )?to your inbox|\bin your inbox\b|\b[Nn]ewsletter (?:here|now|today)\b"
    r"|\b(?:our|free) (?:\w{1,20} ){0,3}newsletter\b|\bBecome a subscriber\b|\bThese articles are for \w[^\n]{0,30} subscribers\b"
    r"|(?:^|[.!?]\s{1,3})Download (?:for|the|our)\b|\bPlay the [^\n]{0,40}[Cc]rossword|\bwherever you get your podcasts\b"
    r"|\bpodcasts? (?:right )?here\b|\bClick here\b|\bCheck your local forecast\b|\bVideo player was slow to load\b"
    r"|\bbecome a (?:\w{1,20} ){0,3}subscriber\b|\bFollow us on\b|\bis on (?:Twitter|X)\b[^\n]{0,20}@"
    r"|\b(?:receive|get) (?:the|our|The) [^\n]{0,30}\bnewsletter\b|\bnewsletter (?:provides|gives|brings) you\b"
    # affiliate, partner and funding disclosures; a newsletter's consent box
    r"|\baffiliate (?:fee|commission|link)|\bmay earn (?:a |an )?(?:commission|revenue|fee)|\bis a [^\n]{0,40} content partner\b"
    r"|\bPrices were accurate at the time\b|\bThe product experts at Reviewed\b"
    r"|\bis made possible (?:in part )?(?:by|through) (?:a grant|the generous support)"
    r"|\byou have shared\b|^We will use the (?:details|information) you\b|\bobject to the use of your data\b"
    r"|\bincludes The Week and other\b"
    # notes on the page itself: its updates, its credits, its player
    r"|^\(?This (?:story|article)(?: and headline)? (?:has been|was) updated\b|\bcontributed to this (?:report|story|article)\b"
    r"|^Contributing:|\bHit play on the player\b|^Story continues below\b"
    # a promotion's label and its pitch: "NFL STATS CENTRAL: The latest ...", "READ MORE: ..."
    r"|^(?:[A-Z0-9'’&.-]{1,20} ){0,4}(?:READ|MORE|CENTRAL|HUB|COVERAGE|UPDATES|ALERTS?|NEWSLETTER|SUBSCRIBE|FOLLOW"
    r"|WATCH|LISTEN|RELATED|SIGN|STAY|DEALS?|SALE|LATEST|PREVIOUS|INFORMATION)(?: [A-Z0-9'’&.-]{1,20}){0,4}:"
    r"|\b[Ss]cores, (?:stats, )?[Ss]chedules\b"
    r"|\bcurated by our editors\b|\bin our [A-Z]\w{1,20} [Gg]uide\b|\bFollow (?:USA TODAY|our|along)\b"
)
_OPENING_FURNITURE_CHARS = 600  # a longer block is the article's own prose, whatever it opens with
_FURNITURE_CHARS = 400  # a block furniture ends (a writer's note: "... is a reporter for ... Reach her at ...")
_FURNITURE_LINE = 160  # a line with an appeal anywhere ("Get daily updates in your inbox: Sign up ...")
_GALLERY_OPENS = re.compile(r"(?:Photos:|Hide Caption)\s")
_GALLERY_MARK = re.compile(r"Hide Caption \d{1,4} of \d{1,4}\b")
_VIDEO_OPENS = re.compile(r"(?:JUST WATCHED|Video Ad Feedback)\s")


@dataclass
class Cleaned:
    """The citable spans of a text, plus the metadata found around them."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    dateline: str = ""
    outlet: str = ""
    spans: list[Span] = field(default_factory=list)


def blocks(text: str) -> list[Span]:
    """Paragraph blocks (separated by blank lines) as stripped spans."""
    out: list[Span] = []
    pos = 0
    for match in [*_BLOCK_SPLIT.finditer(text), None]:
        end = match.start() if match else len(text)
        s, e = _strip(text, pos, end)
        if e > s:
            out.append((s, e))
        if match:
            pos = match.end()
    return out


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def is_heading(block: str) -> bool:
    """A one-line block in capitals ("UNITED RESPONSE")."""
    letters = [c for c in block if c.isalpha()]
    return "\n" not in block and len(letters) >= 3 and all(c.isupper() for c in letters)


def is_fragment(block: str) -> bool:
    """A short one-line block that is not a sentence: a caption, a photo credit, a label."""
    return (
        "\n" not in block.strip()
        and len(block.split()) <= 12
        and not _SENTENCE_END.search(block)
    )


def is_media(block: str) -> bool:
    """A photo gallery's captions run together ("Photos: Deadly flooding in western Europe Two
    brothers embrace ... Hide Caption 1 of 38 Photos: ...") or a video player's label ("JUST
    WATCHED <title> Replay More Videos ... MUST WATCH <title> 03:50", "Video Ad Feedback <title>
    01:48 - Source: CNN"): the page's media around the article, quoted with their markers."""
    if _VIDEO_OPENS.match(block):
        return True
    return bool(_GALLERY_OPENS.match(block)) and _GALLERY_MARK.search(block) is not None


def is_furniture(block: str) -> bool:
    """A publisher's line around the article, not its reporting: how to reach the writer ("Contact
    Jane Doe at jdoe@example.com. Follow her on X @jdoe"), an appeal to sign up, subscribe,
    download or listen, an affiliate or partner disclosure, a promotion ("NFL STATS CENTRAL: The
    latest scores ..."). Repeated on hundreds of an outlet's pages, it matched questions about
    elections or sports on pages about neither, and was quoted as if reported."""
    if len(block) > _OPENING_FURNITURE_CHARS:
        return False
    found = [m.start() for m in (_FURNITURE.search(block), _CONTACT_LINE.search(block)) if m is not None]
    if not found or min(found) == 0:
        return bool(found)
    # later in the block: news that ends "Follow our live coverage here" stays; a note about the writer goes
    return len(block) <= _FURNITURE_LINE or (len(block) <= _FURNITURE_CHARS and _WRITER.search(block) is not None)


def parse_byline(block: str) -> list[str]:
    """Author names from "By NAME, Job Title" or "By A and B"."""
    match = _BYLINE.match(block)
    if not match:
        return []
    names = match.group("names")
    first = names.split(",")[0]
    parts = re.split(r"\s+and\s+|\s*&\s*", first)
    return [p.strip() for p in parts if p.strip()]


def clean_text(text: str, *, has_title_line: bool = True) -> Cleaned:
    """Split ``text`` into citable spans and metadata (see the module docstring)."""
    result = Cleaned()
    found = blocks(text)
    lone_line = len(found) == 1 and "\n" not in text[found[0][0] : found[0][1]]
    if has_title_line and found and not lone_line:  # a text of one line is all body, no title
        s, e = found[0]
        newline = text.find("\n", s, e)
        title_end = newline if newline != -1 else e
        result.title = " ".join(text[s:title_end].split())
        rest = _strip(text, title_end, e)
        found = ([rest] if rest[1] > rest[0] else []) + found[1:]

    footer_at = _footer_start(text, found)
    body: list[Span] = []
    media: list[Span] = []
    for s, e in found[:footer_at]:
        block = text[s:e]
        if not result.authors and not body and (names := parse_byline(block)):
            result.authors = names
            continue
        if is_media(block):
            media.append((s, e))
            continue
        if is_heading(block) or is_fragment(block) or is_furniture(block):
            continue
        if not body and not result.dateline:
            s = _take_dateline(text, s, e, result)
        if s < e:  # a block that was all dateline ("AA\n–") leaves no text to cite
            body.append((s, e))
    result.spans = body or media  # a page that is only a gallery is its captions
    return result


def _footer_start(text: str, found: list[Span]) -> int:
    """Index of the first footer block in the last part of the article (or len(found))."""
    half = len(found) // 2
    for i in range(half, len(found)):
        s, e = found[i]
        if _FOOTER.search(text[s:e]) and len(text[s:e]) < 400:
            return i
    return len(found)


def _is_place(place: str, outlet: str) -> bool:
    """A dateline's city is in capitals ("ST. PETERSBURG, Fla."), or an outlet follows a capitalised place.

    A sentence that opens with a clause and a dash matches the dateline's shape too, and cutting
    it would drop the opening of the article, which is the part a news question is most about
    ("Kyiv, Ukraine (CNN) –" is a dateline, "An October report from BlackRock (BLK) –" is not).
    """
    city = place.split(",", 1)[0]
    if city.strip() and not any(c.islower() for c in city):
        return True
    return bool(outlet) and all(w[0].isupper() or w in _PLACE_PARTICLES for w in place.replace(",", " ").split())


def _take_dateline(text: str, s: int, e: int, result: Cleaned) -> int:
    """Record a leading dateline ("KYIV (Worthy News) – ") and return where the prose starts."""
    match = _DATELINE.match(text, s, e)
    if not match or match.end() - s > 80:
        return s
    place = match.group("place") or match.group("place3") or ""
    outlet = match.group("outlet") or match.group("outlet2") or match.group("outlet3") or ""
    if not _is_place(place, outlet):
        return s  # an opening clause before a dash ("Pilots are in high demand lately –") is prose
    result.dateline = " ".join(text[s : match.end()].split()).rstrip(" –—-")
    if outlet and not result.outlet:
        result.outlet = outlet.strip()
    return match.end()  # the pattern's place opens with a capital: never empty
