"""Who speaks in each sentence of an article, found at ingest; a pronoun inherits the last speaker."""

from retrieval.index.speakers import attribute, sentence_speakers


def test_names_before_and_after_the_verb_and_according_to() -> None:
    assert "Sergei Lavrov" in sentence_speakers("Sergei Lavrov said Moscow wants guarantees.", [])
    assert "Blinken" in " ".join(sentence_speakers("“We are ready,” said Antony Blinken.", []))
    assert "Maria Zakharova" in sentence_speakers("Talks will go on, according to Maria Zakharova.", [])


def test_a_pronoun_speaker_is_the_one_named_before() -> None:
    speakers = attribute(["Sergei Lavrov said Moscow wants guarantees.", "He added that NATO must not expand.",
                          "The weather was cold."])
    assert speakers[1] == speakers[0] and speakers[0] and speakers[2] == []


def test_no_speaker_is_invented() -> None:
    assert attribute(["Prices rose in June.", "Markets fell."]) == [[], []]


def test_a_possessive_or_an_act_called_is_no_speaker() -> None:
    assert "Varga" not in " ".join(sentence_speakers("A driver, 56, said Varga’s removal was justified.", []))
    assert sentence_speakers("Talks failed, according to Varga's aides.", []) == []  # the aides speak
    assert sentence_speakers("Varga called a House vote to table the motion.", []) == []  # an act, not words
    assert sentence_speakers("Varga called the vote a disgrace.", []) == ["Varga"]


def test_a_place_in_a_description_or_after_in_is_no_speaker() -> None:
    said = "Ana Varga, a truck driver in Danbury, New Hampshire, said the roads were icy."
    assert sentence_speakers(said, []) == ["Ana Varga"]  # the person described, not the town
    assert sentence_speakers("A truck driver in Danbury, New Hampshire, said the roads were icy.", []) == []
    assert sentence_speakers("Officials in Kyiv said the strike hit a school.", []) == []
    assert sentence_speakers("Kyiv said the strike hit a school.", []) == ["Kyiv"]  # the government speaks


def test_a_place_named_in_words_after_in_is_no_speaker_and_a_who_clause_is_skipped() -> None:
    assert sentence_speakers("The weather service office in Rapid City said snow would fall.", []) == []
    said = "Biden, who is vacationing in Lake Tahoe, Nevada, told reporters he would watch."
    assert sentence_speakers(said, []) == ["Biden"]
    listed = "Reps Tim Burchett, R-Tenn., and Nancy Mace, R-S.C., said they would accept it."
    assert "Nancy Mace" in sentence_speakers(listed, [])
