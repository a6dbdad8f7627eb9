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
