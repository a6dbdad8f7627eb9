"""Who holds an office ("Who is the governor of Hawaii?"): the question read, the holders the
reports name, the newest of them; and the answer end to end."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.answering import offices
from bot.answering.offices import Office, asked_office, holders, left_office, newest_holder, titled
from retrieval.index.embeddings import Embedder
from tests.conftest import ingested
from tests.passages import passage


@pytest.mark.parametrize(("question", "office"), [
    ("Who is the governor of Hawaii?", Office("governor", "Hawaii")),
    ("Who is Hawaii's governor?", Office("governor", "Hawaii")),
    ("who is the Hawaii governor", Office("governor", "Hawaii")),
    ("who is the governor of hawaii", Office("governor", "hawaii")),  # a place after "of" however typed
    ("Who's the current CEO of Boeing?", Office("ceo", "Boeing")),
    ("Who is the prime minister of the United Kingdom?", Office("prime minister", "United Kingdom")),
    ("Who is the director of the FBI?", Office("director", "FBI")),
    ("Who is the secretary-general of the UN?", Office("secretary-general", "UN")),
    ("Who is Iran's supreme leader?", Office("supreme leader", "Iran")),
    ("Who is the leader of Hamas?", None),  # "a Hamas leader" is any of several: searched as asked
    ("Who is the new governor?", None),  # of nowhere: searched as asked
    ("Who is the new UK prime minister?", Office("prime minister", "UK")),
    ("Who is Argentina's president-elect?", Office("president-elect", "Argentina")),
    ("Who is the current French prime minister?", Office("prime minister", "French")),
    ("Who is Lavrov?", None),
    ("Who won the governor race in Ohio?", None),
])
def test_the_office_a_question_asks_the_holder_of(question: str, office: Office | None) -> None:
    assert asked_office(question) == office


def test_the_holder_is_the_name_after_the_title_in_a_report_naming_the_place() -> None:
    hawaii = Office("governor", "Hawaii")
    reports = [
        passage("Fires burned on Maui in Hawaii. Governor Josh Green said shelters were open. Lieutenant Governor "
                "Sylvia Luke visited Lahaina.",
                article_id="fires", title="Maui fires: what we know", published="2023-08-12"),
        passage("Governor Gavin Newsom signed the bill.", article_id="ca", title="California budget",
                published="2023-08-13"),  # another state's governor: Hawaii is nowhere in the report
        passage("Hawaii's Lieutenant Governor Josh Green spoke on Monday.", article_id="old",
                title="Hawaii reopens", published="2021-06-01"),  # what he was then: no governor
        passage("Former Governor David Ige of Hawaii praised the crews.", article_id="ige", published="2023-08-14"),
        passage("The former Hawaii Governor Neil Abercrombie spoke.", article_id="neil", published="2023-08-15"),
    ]
    found = holders(hawaii, reports)
    assert [h.name for h in found] == ["Josh Green"]  # not Luke, Newsom, nor the former governor
    held = newest_holder(found)
    assert held is not None and held.passage.article_id == "fires"
    assert reports[0].text[held.start : held.end] == "Governor Josh Green said shelters were open."


def test_the_newest_day_names_the_holder() -> None:
    mayor = Office("mayor", "Riverton")
    reports = [passage("Riverton Mayor Ann Cole opened the bridge.", article_id="a", published="2022-01-05"),
               passage("Riverton Mayor Ann Cole spoke.", article_id="b", published="2022-01-06"),
               passage("Riverton Mayor Ben Ruiz was sworn in on Monday.", article_id="c", published="2023-01-09")]
    held = newest_holder(holders(mayor, reports))
    assert held is not None and held.name == "Ben Ruiz"
    assert newest_holder(holders(mayor, reports[:2])).name == "Ann Cole"  # type: ignore[union-attr]
    assert newest_holder([]) is None
    fed = [passage("Markets followed Fed Chair Jerome Powell’s testimony closely.", article_id="f", published="2023-03-13")]
    assert [h.name for h in holders(Office("chair", "Federal Reserve"), fed)] == ["Jerome Powell"]  # "Fed", his own
    typed = [passage("The city's mayor, Riverton Mayor Ann Cole, spoke.", article_id="a", published="2022-01-05")]
    assert [h.name for h in holders(Office("mayor", "riverton"), typed)] == ["Ann Cole"]  # a name, typed small
    assert holders(Office("mayor", "city"), typed) == []  # "the mayor of the city": no place


GOVERNORS = [
    {"id": "ige", "title": "Hawaii budget passes", "published": "2022-05-03", "outlet": "Island Post",
     "text": "Hawaii Gov. David Ige signed the state budget on Tuesday, which funds new schools on Oahu."},
    {"id": "green", "title": "Maui fire shelters fill", "published": "2023-08-12", "outlet": "Island Post",
     "text": "More than 1,600 people are being housed in shelters on Maui, Hawaii Gov. Josh Green said on Friday. "
             "Search teams combed the burned streets of Lahaina."},
    {"id": "tourism", "title": "Visitors asked to stay away from Maui", "published": "2023-08-14",
     "outlet": "Island Post",
     "text": "James Tokioka, director of the state tourism department, said the governor had asked visitors to "
             "postpone trips to Maui. Hawaii's governor asked for patience."},
]


def test_who_holds_an_office_is_answered_from_the_newest_report_giving_the_title(
        home: Path, embedder: Embedder, tmp_path: Path) -> None:
    engine = ingested(home, embedder, tmp_path, GOVERNORS)
    now = engine.ask("Who is the governor of Hawaii?", as_of=date(2023, 8, 20))
    assert now.lead == "Josh Green" and now.text.startswith("Josh Green — ")
    assert [c.article_id for c in now.citations] == ["green"] and "Gov. Josh Green" in now.citations[0].quote
    then = engine.ask("Who is the governor of Hawaii?", as_of=date(2022, 6, 1))
    assert then.lead == "David Ige" and then.citations[0].article_id == "ige"
    none = engine.ask("Who is the mayor of Lahaina?", as_of=date(2023, 8, 20))
    assert none.answerer != "office"  # no report gives the title: searched as asked
    assert now.notice == ""  # its report is 8 days old
    later = engine.ask("Who is the governor of Hawaii?", as_of=date(2023, 12, 20))
    assert later.lead == "Josh Green" and later.notice == ("The newest report naming the governor is from 2023-08-12, "
                                                           "130 days before 2023-12-20; the office may have changed "
                                                           "hands since")


def test_a_title_that_says_where_comes_before_one_the_passage_only_surrounds() -> None:
    france = Office("president", "France")
    reports = [passage("President Joe Biden welcomed the visitors from France on Friday.", article_id="visit",
                       published="2023-04-02"),
               passage("French President Emmanuel Macron spoke in Paris.", article_id="paris", published="2023-03-30")]
    found = holders(france, reports)
    assert [(h.name, h.bound) for h in found] == [("Joe Biden", False), ("Emmanuel Macron", True)]
    assert newest_holder(found).name == "Emmanuel Macron"  # type: ignore[union-attr]


def test_a_holder_told_from_old_news_says_how_old(home: Path, embedder: Embedder, tmp_path: Path) -> None:
    """Only a report a year older than the latest news gives the title: the holder it names is
    given with the notice that newer reports may say otherwise."""
    engine = ingested(home, embedder, tmp_path, [a for a in GOVERNORS if a["id"] != "green"])
    old = engine.ask("Who is the governor of Hawaii?", as_of=date(2023, 8, 20))
    assert old.lead == "David Ige" and old.notice.startswith("The newest cited report is from 2022-05-03")


def test_a_holder_a_newer_report_calls_former_has_left() -> None:
    house = Office("speaker", "House")
    reports = [passage("House Speaker Kevin McCarthy was ousted on Tuesday.", article_id="out", published="2023-10-04"),
               passage("There is no clear successor to ousted former Speaker Kevin McCarthy in the House.",
                       article_id="race", published="2023-10-24"),
               passage("House Speaker Mike Johnson proposed aid on Thursday.", article_id="new", published="2023-11-02")]
    before = titled(house, reports[:2])
    held = newest_holder([h for h in before if not h.former])
    assert held is not None and held.name == "Kevin McCarthy"
    gone = left_office(held, before)
    assert gone is not None and gone.passage.article_id == "race"
    after = titled(house, reports)
    held = newest_holder([h for h in after if not h.former])
    assert held is not None and held.name == "Mike Johnson" and left_office(held, after) is None
    draft = offices.answer(house, reports[:2])
    assert draft is not None and not draft.lead and "calls Kevin McCarthy the former speaker" in draft.text
    assert draft.citations[0].article_id == "race"  # quoted: the report saying he left
    assert offices.answer(house, reports).lead == "Mike Johnson"  # type: ignore[union-attr]


SPEAKERS = [
    *({"id": f"ouster{i}", "title": f"Speaker fight, day {i}", "published": f"2023-06-0{i}", "outlet": "Hill Post",
       "text": f"House Speaker Kevin McCarthy faced a vote on day {i}. Speaker Kevin McCarthy said the House speaker "
               f"keeps the gavel. The speaker of the House, Speaker Kevin McCarthy, spoke again."} for i in range(1, 4)),
    {"id": "passing", "title": "Aid bill moves ahead", "published": "2023-11-02", "outlet": "Hill Post",
     "text": "The Senate weighed the aid package on Thursday. House Speaker Mike Johnson proposed a bill of his own."},
]


def test_a_new_holder_named_in_passing_is_found_beside_months_of_reports_on_the_old(
        home: Path, embedder: Embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reports writing the title most are all about the old holder; the last month's reports
    are read apart, so the new one named once is found."""
    monkeypatch.setattr(offices, "OFFICE_CHUNKS", 2)
    monkeypatch.setattr(offices, "RECENT_CHUNKS", 2)
    engine = ingested(home, embedder, tmp_path, SPEAKERS)
    now = engine.ask("Who is the speaker of the House?", as_of=date(2023, 11, 10))
    assert now.lead == "Mike Johnson" and now.citations[0].article_id == "passing"


@pytest.mark.parametrize(("sentence", "holder"), [
    ("Javier Milei, Argentina's president, said on Monday that taxes would fall.", ("Javier Milei", True, False)),
    ("On Monday Javier Milei, the Argentine president, spoke in Buenos Aires.", ("Javier Milei", True, False)),
    ("Argentina's president, Javier Milei, said taxes would fall.", ("Javier Milei", True, False)),
    ("The president of Argentina, Javier Milei, spoke.", ("Javier Milei", True, False)),
    ("Alberto Fernandez, the former president of Argentina, spoke.", ("Alberto Fernandez", True, True)),
])
def test_the_office_written_beside_a_name_between_commas(sentence: str, holder: tuple[str, bool, bool]) -> None:
    found = titled(Office("president", "Argentina"), [passage(sentence, published="2024-01-02")])
    assert [(h.name, h.bound, h.former) for h in found] == [holder]


def test_a_name_a_title_gives_another_place_holds_no_office_here() -> None:
    """"President Joe Biden" in a report on Argentina is no Argentine president when reports write
    "American President Joe Biden"; nor is the first name of a list whose next title is Argentina's."""
    argentina = Office("president", "Argentina")
    visit = passage("President Joe Biden landed in Argentina on Monday.", article_id="visit", published="2023-08-02")
    listed = passage("Joe Biden, Argentine President Alberto Fernandez and others met in Argentina.",
                     article_id="list", published="2023-08-01")
    home = passage("American President Joe Biden spoke in Ohio.", article_id="home", published="2023-08-03")
    assert [(h.name, h.bound) for h in holders(argentina, [listed])] == [("Alberto Fernandez", True)]
    assert offices.answer(argentina, [visit, home]) is None  # searched as asked instead
    assert offices.answer(argentina, [visit]).lead == "Joe Biden"  # type: ignore[union-attr]  # nothing says otherwise
    assert offices.answer(argentina, [visit, home, listed]).lead == "Alberto Fernandez"  # type: ignore[union-attr]


def test_a_supreme_leader_is_read_from_the_title_that_says_where() -> None:
    reports = [passage("A niece of Iran’s Supreme Leader Ayatollah Ali Khamenei was arrested.", published="2023-01-16")]
    assert [(h.name, h.bound) for h in holders(Office("supreme leader", "Iran"), reports)] == [
        ("Ayatollah Ali Khamenei", True)]


def test_former_is_read_only_where_it_governs_the_title() -> None:
    """"former Argentine President X" held it; "the former ambassador met President X" does not
    say that of X (read as former, a newer such report would say X had left)."""
    usa = Office("president", "United States")
    reports = [passage("Former American President Barack Obama spoke in the United States.", article_id="a",
                       published="2023-08-01"),
               passage("In the United States, the former ambassador met President Joe Biden.", article_id="b",
                       published="2023-08-02")]
    assert [(h.name, h.former) for h in titled(usa, reports)] == [("Barack Obama", True), ("Joe Biden", False)]


def test_a_title_with_another_place_after_the_name_holds_no_office_here() -> None:
    """"Prime Minister Donald Tusk of Poland" in a report that names France is Poland's."""
    france = Office("prime minister", "France")
    reports = [passage("Prime Minister Donald Tusk of Poland said troops would not go, at a French summit.",
                       article_id="tusk", published="2024-02-27"),
               passage("In France, Prime Minister Gabriel Attal visited a farm.", article_id="attal",
                       published="2024-02-20")]
    assert [(h.name, h.elsewhere) for h in titled(france, reports)] == [("Donald Tusk", True), ("Gabriel Attal", False)]
    assert offices.answer(france, reports).lead == "Gabriel Attal"  # type: ignore[union-attr]


def test_a_sentence_telling_of_years_long_past_names_no_holder() -> None:
    """A photo caption from 1972 in a 2022 report names the prime minister then, not the report's."""
    bangladesh = Office("prime minister", "Bangladesh")
    caption = passage("Bangladesh Prime Minister Sheikh Mujibur Rahman landed in Kolkata on February 6, 1972.",
                      article_id="old", published="2022-08-14")
    recent = passage("Bangladesh Prime Minister Sheikh Hasina met the envoys in 2021, and again in 2022.",
                     article_id="new", published="2022-08-10")
    assert [h.name for h in titled(bangladesh, [caption, recent])] == ["Sheikh Hasina"]


@pytest.mark.parametrize(("sentence", "name"), [
    ("Syrian President Bashar al-Assad fled.", "Bashar al-Assad"),
    ("In Syria, European Commission President Ursula von der Leyen spoke.", "Ursula von der Leyen"),
    ("Syrian President Ahmed Hussein Sharaa Monday spoke.", "Ahmed Hussein Sharaa"),  # not the weekday
    ("Syria's President Andrés Manuel López Obrador spoke.", "Andrés Manuel López Obrador"),
])
def test_a_holder_is_named_in_full(sentence: str, name: str) -> None:
    assert [h.name for h in titled(Office("president", "Syria"), [passage(sentence, published="2024-12-01")])] == [name]


def test_a_president_elect_is_read_from_the_title_and_is_no_president() -> None:
    usa = [passage("In the United States, President Joe Biden will meet President-elect Donald Trump on Wednesday.",
                   article_id="meet", published="2024-11-09")]
    assert [h.name for h in holders(Office("president-elect", "United States"), usa)] == ["Donald Trump"]
    assert [h.name for h in holders(Office("president", "United States"), usa)] == ["Joe Biden"]


def test_a_holder_the_newest_report_says_is_leaving_is_not_given_as_the_holder() -> None:
    """"Prime Minister Boris Johnson announced he would resign", and no newer report names a
    successor: the answer says so instead of naming him; resigning another post is no leaving."""
    uk = Office("prime minister", "UK")
    resigns = passage("British Prime Minister Boris Johnson announced he would resign on Thursday.",
                      article_id="resign", published="2022-07-08")
    before = passage("British Prime Minister Boris Johnson spoke in London.", article_id="before", published="2022-07-01")
    draft = offices.answer(uk, [before, resigns])
    assert draft is not None and draft.lead == ""
    assert draft.text.startswith("The newest report naming the prime minister (2022-07-08) says Boris Johnson is "
                                 "leaving the office, and none names who holds it since")
    successor = passage("British Prime Minister Liz Truss took office on Tuesday.", article_id="truss",
                        published="2022-09-06")
    assert offices.answer(uk, [before, resigns, successor]).lead == "Liz Truss"  # type: ignore[union-attr]
    party = passage("British Prime Minister Boris Johnson resigned as the leader of his party on Thursday.",
                    article_id="party", published="2022-07-08")
    assert offices.answer(uk, [before, party]).lead == "Boris Johnson"  # type: ignore[union-attr]
    urged = passage("Critics urged British Prime Minister Boris Johnson to resign.", article_id="urged",
                    published="2022-07-08")
    assert offices.answer(uk, [before, urged]).lead == "Boris Johnson"  # type: ignore[union-attr]
    outgoing = passage("Outgoing British Prime Minister Boris Johnson called his successor.", article_id="outgoing",
                       published="2022-07-08")  # leaving, said before the title
    assert offices.answer(uk, [before, outgoing]).lead == ""  # type: ignore[union-attr]
