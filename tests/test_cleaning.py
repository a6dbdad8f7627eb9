from retrieval.sources.cleaning import (
    blocks,
    clean_text,
    is_fragment,
    is_furniture,
    is_heading,
    is_media,
    parse_byline,
)

ARTICLE = """Council Approves Budget After Long Debate


photo of the city hall

By Jane Roe and John Poe, Staff Writers

SPRINGFIELD (Daily Planet) – The city council approved the budget on Tuesday after a debate that
lasted nine hours.

BUDGET DETAILS

Mayor Quimby said the plan funds three schools.

Copyright 2024 Daily Planet. All rights reserved.
Share this story!
"""


def spans_text(text: str) -> list[str]:
    cleaned = clean_text(text)
    return [text[s:e] for s, e in cleaned.spans]


def test_title_byline_dateline_and_outlet() -> None:
    cleaned = clean_text(ARTICLE)
    assert cleaned.title == "Council Approves Budget After Long Debate"
    assert cleaned.authors == ["Jane Roe", "John Poe"]
    assert cleaned.dateline.startswith("SPRINGFIELD (Daily Planet)")
    assert cleaned.outlet == "Daily Planet"


def test_citable_spans_leave_out_caption_heading_footer() -> None:
    texts = spans_text(ARTICLE)
    joined = "\n".join(texts)
    assert texts[0].startswith("The city council approved")  # dateline cut off
    assert "photo of the city hall" not in joined
    assert "BUDGET DETAILS" not in joined
    assert "Copyright" not in joined and "Share this" not in joined
    assert "By Jane Roe" not in joined
    assert texts[-1] == "Mayor Quimby said the plan funds three schools."


def test_an_opening_clause_before_a_dash_is_prose_not_a_dateline() -> None:
    opening = "Pilots are in high demand lately – such high demand that pilots are offered jobs."
    for first in (
        opening,
        "An October report from BlackRock (BLK) – the largest asset manager – warned of a slowdown.",
        "The winner – a horse named Rich Strike – paid 80 to 1 on Saturday.",
    ):
        text = f"Airlines Hire\n\n{first}\n\nThe second paragraph follows."
        cleaned = clean_text(text)
        assert spans_text(text)[0] == first
        assert cleaned.dateline == "" and cleaned.outlet == ""
    for dateline, place, outlet in (
        ("ST. PETERSBURG, Fla. (AP) — ", "ST. PETERSBURG, Fla. (AP)", "AP"),
        ("WILMINGTON – ", "WILMINGTON", ""),
        ("Kyiv, Ukraine (CNN) — ", "Kyiv, Ukraine (CNN)", "CNN"),
    ):
        text = f"Talks Resume\n\n{dateline}Talks resumed on Monday.\n\nMore followed."
        cleaned = clean_text(text)
        assert (cleaned.dateline, cleaned.outlet) == (place, outlet)
        assert spans_text(text)[0] == "Talks resumed on Monday."


def test_spans_are_exact_offsets_including_hard_wraps() -> None:
    cleaned = clean_text(ARTICLE)
    s, e = cleaned.spans[0]
    assert ARTICLE[s:e] == "The city council approved the budget on Tuesday after a debate that\nlasted nine hours."


def test_seed_article(seed_text: str) -> None:
    cleaned = clean_text(seed_text)
    joined = "\n".join(seed_text[s:e] for s, e in cleaned.spans)
    assert cleaned.title == "Russia-US Talks On Invasion Threat End Without Breakthrough"
    assert cleaned.authors == ["Stefan J. Bos"]
    assert cleaned.outlet == "Worthy News"
    for excluded in ("united states russia map", "UNITED RESPONSE", "DIFFERENT VIEWS", "CENSORED",
                     "Copyright 1999", "sydication", "Worthy Christian News", "KYIV/BUDAPEST"):
        assert excluded not in joined
    assert "security guarantees" in joined


def test_block_helpers() -> None:
    assert is_heading("UNITED RESPONSE")
    assert not is_heading("The U.S. said NATO would respond.")
    assert is_fragment("united states russia map")
    assert not is_fragment("He said so.")
    assert parse_byline("By Stefan J. Bos, Chief Correspondent") == ["Stefan J. Bos"]
    assert parse_byline("Byzantine history is long") == []
    text = "a\n\n  b\nc  \n\n\n"
    assert [text[s:e] for s, e in blocks(text)] == ["a", "b\nc"]


def test_a_photo_gallery_or_a_video_label_is_not_citable() -> None:
    text = ("Floods in Europe set a record\n\n"
            "Floods on July 14 killed more than 230 people in Germany and Belgium.\n\n"
            "Photos: Floods in Europe Two brothers embrace in front of their home. Hide Caption 1 of 3 "
            "Photos: Floods in Europe A road buckles in Euskirchen. Hide Caption 2 of 3\n\n"
            "Hide Caption 3 of 3 Photos: Floods in Europe A bridge collapsed on Sunday.\n\n"
            "Photos: the agency released them on Monday, officials said.\n\n"
            "JUST WATCHED Floods hit Europe Replay More Videos ... MUST WATCH Floods hit Europe 03:50\n\n"
            "Video Ad Feedback See the floods from the air 01:48 - Source: CNN\n\n"
            "The report was published on Thursday.")
    cleaned = clean_text(text)
    kept = [text[s:e] for s, e in cleaned.spans]
    assert kept == ["Floods on July 14 killed more than 230 people in Germany and Belgium.",
                    "Photos: the agency released them on Monday, officials said.",
                    "The report was published on Thursday."]
    gallery = "Russia invades Ukraine\n\n" + "\n\n".join(
        f"Photos: Russia invades Ukraine Smoke rises over Lysychansk on June {day}. Hide Caption {n} of 2"
        for n, day in ((1, 10), (2, 11)))
    assert len(clean_text(gallery).spans) == 2  # a page that is only a gallery keeps its captions
    assert is_media("Hide Caption 27 of 30 Photos: A mural of Griner in Phoenix.")
    assert not is_media("He said the photos would hide the caption 1 of 3 times.")
    assert not is_media("Video of the floods was shared widely, officials said.")


def test_the_publishers_furniture_is_not_citable() -> None:
    news = ["Netflix said it lost 200,000 subscribers in the first quarter of the year.",
            "“I don’t know if that lets Biden sign up for the New Hampshire primary,” Scalan said.",
            "Anyone with information is asked to contact Detective Gary Toms at 317-327-3475.",
            "Apple said iOS 18 will debut this fall as a free download for recent iPhones."]
    furniture = ["Contact Jane Doe at jdoe@example.com. Follow her on X @janedoe.",
                 "Jane Doe covers trending news for the Daily. Reach her at jdoe@example.com.",
                 "What's everyone talking about? Sign up for our trending newsletter to get the latest news of the day.",
                 "NFL STATS CENTRAL: The latest NFL scores, schedules, odds, stats and more.",
                 "Prep for the polls: See who is running for president and compare where they stand in our Voter Guide.",
                 "We may earn a commission if you buy through the links on this page.",
                 "Need a break? Play the Daily Crossword Puzzle.",
                 "We will use the details you have shared to manage your registration. You agree to the processing, "
                 "storage, sharing and use of this information for the purpose of managing your registration as "
                 "described in our Privacy Policy."]  # a consent box, longer than a line
    for block in news:
        assert not is_furniture(block), block
    for block in furniture:
        assert is_furniture(block), block
    text = "Netflix loses subscribers\n\n" + "\n\n".join(news[:2] + furniture[:3] + news[2:])
    kept = [text[s:e] for s, e in clean_text(text).spans]
    assert kept == news
    assert not is_furniture(news[0] + " " + furniture[2] + " " + "x" * 400)  # long prose is the article's
