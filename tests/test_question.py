"""What a question asks about (read once) and what a sentence offers it: names, speech, expected
answer types, new information. Pure functions: no model, no store."""

import pytest

from bot.answering.question import entities, entity_runs, mentions, mentions_name, read, script


def test_entities_skip_question_words() -> None:
    assert entities("What did Lavrov demand?") == ["Lavrov"]
    assert entities("How many troops has Russia massed near Ukraine's border?") == ["Russia", "Ukraine"]
    assert entities("what happened today?") == []


def test_content_words_and_scripts() -> None:
    def has_content(text: str) -> bool:
        return read(text).has_content

    assert has_content("What did Lavrov demand?") and has_content("NATO?")
    assert not has_content("?!?!...,,;;") and not has_content("🤔❓") and not has_content("x") \
        and not has_content("What is it?")
    assert script("What did Lavrov demand?") == "LATIN" and script("Что потребовал Лавров?") == "CYRILLIC"
    assert script("拉夫罗夫要求什么？") == "CJK" and script("ماذا طالب لافروف؟") == "ARABIC" and script("?!") == ""


def test_names_written_together_are_one_name() -> None:
    assert entity_runs("How many people died in Hurricane Ian?") == [("Hurricane", "Ian")]
    assert len(entity_runs("Did the Los Angeles Lakers win?")) == 1  # a name ending in "s" goes on
    assert entity_runs("What is Joe Biden's Ukraine policy?") == [("Joe", "Biden"), ("Ukraine",)]  # a possessive ends one
    assert entity_runs("Where did Blinken meet Lavrov, and did Lavrov leave?") == [("Blinken",), ("Lavrov",)]
    assert read("What did the US Supreme Court rule on Monday?").phrases == (("Supreme", "Court"),)  # qualifier, day out
    assert [len(p) for p in read("Who was elected to the United States Congress?").phrases] == [1]  # "Congress"
    assert read("Which dish did a Campbell Soup Company cook invent?").phrases == (("Campbell", "Soup"),)
    assert read("Why were Hyundai SUVs recalled?").phrases == (("Hyundai",), ("SUV",))  # a kind after a name
    assert read("Did the US box office grow?").phrases == ()  # "US" alone qualifies, names nothing
    assert read("What share of Brits suffer from Misophonia?").phrases == (("Misophonia",),)  # "Brits": a people


@pytest.mark.parametrize(("text", "phrase", "expected"), [
    ("Hurricane Ian made landfall", ("Hurricane", "Ian"), True),
    ("HURRICANE IAN: what we know", ("Hurricane", "Ian"), True),
    ("the Golden Globes were handed out", ("Golden", "Globe"), True),
    ("President Joe Biden said", ("President", "Biden"), True),  # its words in order inside one name
    ("said Surgeon General Dr. Vivek Murthy", ("Surgeon", "General", "Vivek", "Murthy"), True),  # by its last two
    ("the Copa America final", ("Copa", "América"), True),
    ("Hurricane Ida flooded New Jersey. Ian Smith said", ("Hurricane", "Ian"), False),
    ("They won the Stanley Cup, and the Fed Cup World Group", ("World", "Cup"), False),
    ("Biden said", ("Joe", "Biden"), False),
    ("Lavrov said", ("Lavrov",), True),
    ("an Alaska Airlines flight landed", read("What plane was it (Alaska Airlines Flight)?").phrases[0], True),  # "Airline"
    ("the Alaska Airline Flight Academy", ("Alaska", "Airlines", "Flight"), False),  # a word cut in the text is not
])
def test_a_name_of_several_words_is_named_as_one(text: str, phrase: tuple[str, ...], expected: bool) -> None:
    assert mentions_name(text, phrase) is expected


@pytest.mark.parametrize(("text", "entity", "expected"), [
    ("prices in the U.S. rose", "US", True),
    ("the United States said", "US", True),
    ("the US said", "US", True),
    ("tell us more", "US", False),  # the pronoun is no country
    ("a USB drive", "US", False),
    ("the U.K. heat wave", "UK", True),
    ("the European Union agreed", "EU", True),
    ("Lavrov said", "Lavrov", True),
])
def test_a_country_abbreviation_matches_its_other_spellings(text: str, entity: str, expected: bool) -> None:
    assert mentions(text, entity) is expected


@pytest.mark.parametrize(("question", "expected"), [
    ("What did Lavrov demand?", True),
    ("How did Zelensky respond to talk of a minor incursion?", True),
    ("Who warned of an invasion?", True),
    ("The CDC announced it has activated an emergency center to respond to which outbreak?", False),
    ("Which automaker announced a recall this week?", False),
])
def test_only_questions_asking_for_words_favour_what_someone_said(question: str, expected: bool) -> None:
    assert read(question).words_asked is expected


def test_a_question_is_read_once_into_what_every_rule_needs() -> None:
    q = read("How many troops has Russia massed near Ukraine's border, the US said this week?")
    assert q.wants == "number" and q.figure and not q.why
    assert q.entities == ("Russia", "Ukraine", "US") and q.names == ("Russia", "Ukraine")  # "US" qualifies
    assert "troop" in q.words and "how" not in q.words and q.has_content and q.script == "LATIN"
    said = read("What did Lavrov demand?")
    assert said.speech and said.what_said and said.words_asked and said.act == "deman" and said.wants is None
    assert read("Which country did she visit?").region == "country" and read("Which show was renewed?").work == "show"
    assert read("Who is he?").pronoun == "he" and read("Who wrote the article?").about_article == "author"


def test_a_pronoun_the_question_itself_names_is_no_reason_to_ask_back() -> None:
    assert read("Why did she resign?").pronoun == "she"
    for question in ("Which prime minister announced that she will resign within weeks?",
                     "Which grocery chain recalled cookies over concerns they may contain rocks?",
                     "What did he say to Lavrov?"):  # a name asked about: searched as asked
        assert read(question).pronoun == "", question


@pytest.mark.parametrize(("question", "wants"), [
    ("How big was the fire?", "number"),  # read alike for scoring and for the lead
    ("Which player signed the biggest contract?", "person"),
    ("Loans were paused. When are payments set to restart?", "date"),  # "When" opening a later sentence
    ("What happened when the dam failed?", None),  # "when" inside a sentence asks for no date
    ("Which island nation plunged into chaos?", "region"),
    ("Which age group can now get the shot?", "age"),
    ("What NFL star announced his retirement?", "person"),  # "what" followed by the kind reads as "which"
    ("What US state saw the most damage?", "region"),
    ("The couple said they were chased in what city?", "place"),
    ("Whom did the US send to the talks?", "person"),
    ("What do officials believe the objects were?", None),  # "do" is no describing word
    ("What is the state of the economy?", None),
    ("What state of emergency was declared?", None),
    ("Which U.S. state saw its governor sign the bill?", "region"),  # initials with full stops describe the kind
    ("Which major U.S. city will host the Final Four?", "place"),
    ("Which U.S. President once founded a bike race?", "person"),
    ("What is the name of the U.K. minister who resigned?", "person"),
    ("Whose album became the most streamed of all time?", "person"),
    ("She has served as prime minister since when?", "date"),  # asked after a preposition, at the end
    ("The rocket launched from where?", "place"),
    ("Which title did King Charles give Prince Edward?", "name"),  # an auxiliary is no describing word:
    ("Which restaurant did President Joe Biden hire?", "name"),  # the kind asked comes before it
    ("Which measure did lawmakers leave out?", "name"),
    ("Which US leader did the pope meet?", "person"),
    ("Which public figure filed paperwork to run for president?", "person"),  # a person the public knows
    ("Which US historical figure was awarded the rank of general?", "person"),
    ("Which figure skater won gold?", "person"),
    ("US household debt passed which massive figure this week?", "number"),  # a figure to state
    ("Drugmakers capped insulin costs at which amount?", "number"),
    ("Insulin is now sold to more Americans at what price?", "number"),
    ("Which music legend turned 80 this week?", "person"),
    ("Which Republican suffered a string of defeats?", "person"),  # a party's member
    ("Which Republican-led state sued the administration?", "region"),
    ("Which member of the royal family will take on his duties?", "person"),
    ("Which member of NATO objected?", "name"),  # a member state
    ("What was the magnitude of the quake?", "number"),  # a measure asked after "what was the"
    ("What is the current debt limit?", "number"),
    ("What is the starting price of the new truck?", "number"),
    ("What was the price-fixing scheme called?", "name"),  # a compound, no measure
    ("How soon could vaccines be available for young children?", "date"),
    ("A congresswoman lost her seat this week. What is her name?", "person"),
    # a quiz's sentence to finish, or one that names what it asks for as "this"
    ("Marta Ruiz became the first rower to win three straight titles since:", "date"),
    ("The club has been in the top flight since at least:", "date"),
    ("The record for most goals in a season was previously held by:", "person"),
    ("At the summit, the chancellor held talks with this leader, her Polish counterpart:", "person"),
    ("This senator is set to lead the new committee.", "person"),
    ("The Hawks beat this rival on Sunday to reach the final.", "name"),
    ("What did this governor say about the budget?", None),  # a question asking for words, no name
    ("Scammers used software to clone the voice of who?", "person"),
    ("Which professional dancer will host the show?", "person"),  # more words for a person
    ("The committee recommended suspending which MP?", "person"),
    ("In which year did the bridge first open?", "date"),  # "which" asks a time as "what" does
    ("The trial is set to begin in which month?", "date"),
    ("Which day this week marked the holiday?", "date"),
    # a measure asked another way
    ("Her win brought the team's tally of medals to what?", "number"),
    ("She won the race by what margin?", "number"),
    ("What could soon be the minimum voting age in the state?", "number"),
    ("What is the legal drinking age in Canada?", "number"),
])
def test_one_reading_of_what_kind_of_answer_is_wanted(question: str, wants: str | None) -> None:
    assert read(question).wants == wants


@pytest.mark.parametrize(("question", "kind"), [
    ("Which comedian announced he will return to late-night TV?", "comedian"),
    ("Which NFL team became the first franchise valued at $10 billion?", "team"),
    ("Dominion settled with which TV network in a defamation lawsuit?", "network"),
    ("Which company?", "company"),
    ("Which college sport is seeing record audiences?", ""),  # "college" is no head: "sport" is
    ("How many moons does Jupiter have?", ""),
])
def test_the_kind_of_named_thing_asked_for(question: str, kind: str) -> None:
    assert read(question).kind == kind


@pytest.mark.parametrize(("text", "to_come"), [
    ("When will the next total solar eclipse occur?", True),
    ("When is the next Super Bowl?", True),
    ("When does early voting start in Georgia?", True),
    ("What date is the vote scheduled for?", True),
    ("When was the last total solar eclipse?", False),
    ("When did the game end?", False),
    ("Feinstein said she will not run again. What year was she first elected?", False),  # the future is before
    ("Who will host the Oscars?", False),  # asks for no day
])
def test_a_question_asking_for_a_day_to_come(text: str, to_come: bool) -> None:
    assert read(text).to_come is to_come
