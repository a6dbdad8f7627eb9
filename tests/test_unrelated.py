"""The store's closeness for unrelated questions: its median, and the file it is kept in."""

from __future__ import annotations

from pathlib import Path

from bot.answering.unrelated import PROBES, remember, remembered, typical


def test_the_median_of_the_probes_is_the_stores_closeness() -> None:
    assert typical([0.1, 0.9, 0.2]) == 0.2  # one probe the store happens to be about moves nothing
    assert typical([]) is None  # an empty store
    assert len(PROBES) == len(set(PROBES)) >= 30 and all(p.endswith("?") for p in PROBES)


def test_it_is_kept_for_its_key_only_and_a_bad_file_is_measured_again(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "store.unrelated.json"
    key: dict[str, object] = {"generation": "g1", "embedder": "m:int8", "probes": 40, "exact": False}
    assert remembered(path, key) is None
    remember(path, key, 0.21)
    assert remembered(path, key) == 0.21
    assert remembered(path, {**key, "generation": "g2"}) is None  # a write since: measured again
    assert remembered(path, {**key, "embedder": "m:fp32"}) is None
    path.write_text("{not json", encoding="utf-8")
    assert remembered(path, key) is None
    path.write_text('{"key": {"generation": "g1"}, "value": true}', encoding="utf-8")
    assert remembered(path, {"generation": "g1"}) is None  # not a number
    assert not list(path.parent.glob("*.part"))  # nothing half-written left behind
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    remember(blocked / "x.json", key, 0.3)  # cannot be written: no error, measured again next time
    assert remembered(None, key) is None
