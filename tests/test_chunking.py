from retrieval.index.chunking import chunk_article, split_sentences
from retrieval.models import Article
from retrieval.sources.cleaning import clean_text


def sentences(text: str) -> list[str]:
    """``text`` as the chunker splits it into sentences."""
    return [text[s:e] for s, e in split_sentences(text, 0, len(text))]


def test_sentences_know_abbreviations_and_keep_offsets() -> None:
    text = "The U.S. envoy met Dr. Smith in Geneva. They talked\nfor hours. Nothing was agreed."
    spans = split_sentences(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == [
        "The U.S. envoy met Dr. Smith in Geneva.",
        "They talked\nfor hours.",
        "Nothing was agreed.",
    ]


def test_chunks_hold_whole_sentences_within_size(seed_text: str) -> None:
    cleaned = clean_text(seed_text)
    article = Article(id="seed", text=seed_text, title=cleaned.title, spans=cleaned.spans)
    chunks = chunk_article(article, max_chars=400, overlap=1)
    assert len(chunks) > 5
    for chunk in chunks:
        assert chunk.text == seed_text[chunk.start : chunk.end]
        assert chunk.sentences[0][0] == chunk.start and chunk.sentences[-1][1] == chunk.end
        assert len(chunk.text) <= 400 or len(chunk.sentences) == 1
        assert any(s <= chunk.start and chunk.end <= e for s, e in _groups(seed_text, cleaned.spans))
    # neighbouring chunks of one section share a sentence
    shared = [a for a, b in zip(chunks, chunks[1:]) if a.sentences[-1] == b.sentences[0]]
    assert shared
    assert [c.position for c in chunks] == list(range(len(chunks)))


def _groups(text, spans):
    from retrieval.index.chunking import groups

    return [(g[0][0], g[-1][1]) for g in groups(text, spans)]


def test_speakers_are_attributed(seed_text: str) -> None:
    cleaned = clean_text(seed_text)
    article = Article(id="seed", text=seed_text, spans=cleaned.spans)
    pairs = {
        seed_text[s:e]: speakers
        for chunk in chunk_article(article, 600, 1)
        for (s, e), speakers in zip(chunk.sentences, chunk.speakers)
    }
    lavrov = next(t for t in pairs if t.startswith("Russian Foreign Minister Sergei Lavrov said"))
    assert any("Lavrov" in name for name in pairs[lavrov])
    added = next(t for t in pairs if t.startswith("He added that Moscow"))
    assert any("Lavrov" in name for name in pairs[added])  # "He" resolved to the previous speaker
    told = next(t for t in pairs if "Blinken told Lavrov" in t)
    assert pairs[told] == ["Blinken"]  # the addressee is not a speaker


def test_sentence_search_matches_pysbd_own() -> None:
    """The regex-free sentence search returns what pysbd's own would, repeats and all."""
    import pysbd

    from retrieval.index.chunking import _Segmenter

    texts = [
        "Yes. Yes.  No. Yes. The U.S. Sen. Jones (D-Ohio) said so at 5 p.m. on Jan. 3. Why? Because.",
        'He said "Stop." Then he left.   "Stop."  And 1.5 million people ... waited. Yes.',
        "No sentence end here",
    ]
    plain = pysbd.Segmenter(language="en", clean=False, char_span=True)
    ours = _Segmenter(language="en", clean=False, char_span=True)
    for text in texts:
        got = [(s.sent, s.start, s.end) for s in ours.segment(text)]
        assert got == [(s.sent, s.start, s.end) for s in plain.segment(text)]
        assert got


def test_a_piece_no_sentence_opens_with_joins_the_one_before() -> None:
    # pysbd ends a sentence at a state's abbreviation; the quote of what follows would lose its subject
    text = ("Sen. Marco Rubio, R-Fla., one of the candidates who lost in 2016, said Sunday he liked it. "
            "Prices rose by 2027. according to the firm. Then it rose sharply. iPhone sales fell.\n\nlower case opens this line.")
    assert sentences(text) == [
        "Sen. Marco Rubio, R-Fla., one of the candidates who lost in 2016, said Sunday he liked it.",
        "Prices rose by 2027. according to the firm.",
        "Then it rose sharply.",
        "iPhone sales fell.",
        "lower case opens this line.",
    ]


def test_a_day_cut_from_its_month_goes_back_to_it() -> None:
    # pysbd takes "26." and "27." for a numbered list's items when the days follow each other
    text = ("Protesters marched in Hong Kong on October 26. Police fired tear gas at a rally on October 27. "
            "The city was quiet by Monday.")
    assert sentences(text) == [
        "Protesters marched in Hong Kong on October 26.",
        "Police fired tear gas at a rally on October 27.",
        "The city was quiet by Monday.",
    ]
    listed = "Top picks: 1. Kirby Smart, 2. Nick Saban, 3. Dabo Swinney."  # a list stays a list
    assert sentences(listed) == [
        "Top picks:",
        "1. Kirby Smart,",
        "2. Nick Saban,",
        "3. Dabo Swinney.",
    ]


def test_accents_written_as_combining_marks_are_composed_at_ingest() -> None:
    from bot.answering.spans import names
    from bot.engine import _checked
    from retrieval.sources.articles import article_from_text

    raw = "Argentina won the Copa Ame\u0301rica final, and Beyonce\u0301 sang.\n\nFans cheered in Buenos Aires."
    article = article_from_text(raw, id="copa", source="copa", title="Copa Ame\u0301rica final")
    assert "Copa América" in article.text and article.title == "Copa América final"  # composed: "é", one character
    assert "Copa América" in names(article.text, trimmed=True)  # not "Copa Ame", cut at the loose accent
    assert _checked("Who won the Copa Ame\u0301rica?") == "Who won the Copa América?"  # a question is read alike
