"""Articles written for the stories, digest and quotes tests: a few stories, several outlets,
several days. Nothing here is real news."""

from __future__ import annotations

import json
from pathlib import Path

FLOOD_DAY1 = [
    {"id": "flood-cnn", "outlet": "CNN", "published": "2024-03-04", "url": "https://cnn.example/flood",
     "title": "Flash floods sweep through the Ardena valley",
     "text": "Flash floods swept through towns in the Ardena valley on Sunday after two days of torrential rain. "
             "At least 12 people were killed and hundreds of homes were flooded, regional officials said. "
             "Rescue teams used boats to reach villages cut off by the rising river. "
             "The regional governor declared a state of emergency and asked the army for help."},
    {"id": "flood-reuters", "outlet": "Reuters", "published": "2024-03-04", "url": "https://reuters.example/flood",
     "title": "Ardena valley floods kill 15 as river bursts its banks",
     "text": "Floods in the Ardena valley killed 15 people on Sunday after the river burst its banks following "
             "two days of torrential rain. Rescue teams in boats searched flooded villages for survivors. "
             "The regional governor declared a state of emergency, and the army sent trucks and helicopters."},
]
FLOOD_DAY2 = [
    {"id": "flood-bbc", "outlet": "BBC", "published": "2024-03-05", "url": "https://bbc.example/flood",
     "title": "Ardena valley flood: rescuers search for the missing",
     "text": "Rescuers in the Ardena valley searched on Monday for people still missing after Sunday's flash "
             "floods, as the river began to fall. The floods destroyed bridges and flooded hundreds of homes "
             "in the valley's towns. The regional governor said the state of emergency would last a week."},
]
TALKS = [
    {"id": "talks-ap", "outlet": "AP", "published": "2024-03-05", "url": "https://ap.example/talks",
     "title": "Lavrov says Moscow still waits for written answers",
     "text": "Russian Foreign Minister Sergei Lavrov said Moscow was still waiting for written answers to its "
             "proposals on security in Europe. “We will not wait forever for a serious answer,” Lavrov told "
             "reporters in Geneva after the talks. Secretary of State Antony Blinken said the talks were frank "
             "and useful. Blinken said Lavrov was wrong about the alliance's plans. "
             "The foreign minister said the next round would be held in Vienna."},
    {"id": "talks-dw", "outlet": "DW", "published": "2024-03-06", "url": "https://dw.example/talks",
     "title": "Geneva talks end without a breakthrough",
     "text": "The talks in Geneva ended without a breakthrough on Tuesday. “We will not wait forever for a "
             "serious answer,” Lavrov told reporters after the meeting. Diplomats said another round was "
             "likely next month. Weather in the city was cold and clear."},
]
CHESS = [
    {"id": "chess-guardian", "outlet": "Guardian", "published": "2024-03-05", "url": "https://guardian.example/chess",
     "title": "Teenager wins the Northern chess open",
     "text": "A sixteen-year-old from Tromso won the Northern chess open on Monday, beating three grandmasters "
             "in the final rounds. She said she had prepared for a year with her coach. The tournament drew "
             "players from twenty countries."},
]


def write_jsonl(path: Path, articles: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path
