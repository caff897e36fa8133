"""Invented fixture fics for the library tests (short, written for these tests)."""

from __future__ import annotations

import textwrap
from pathlib import Path

SALT_ROAD_BODY = [
    "Ines walked the salt road at dawn, counting the gulls that wheeled above the marsh "
    "and the carts that creaked past her toward the harbour market.",
    '"You\'re late," said Corwin, leaning on the gate of the old customs house with his '
    "collar turned up against the wind.",
    "She laughed and handed him the lantern, still warm from the night watch, and told him "
    "that the tide had been stubborn and the ferryman more stubborn still.",
    "They walked together past the drying sheds, where the fishwives were already singing, "
    "and Corwin pretended not to notice that her boots were soaked to the ankle.",
    '"The council meets at noon," he said at last. "They will ask about the beacon."',
    "Ines looked out at the grey water and thought of her father, who had kept the beacon "
    "burning for thirty winters and had never once asked the council for anything.",
    '"Then they can ask," she said, "and I will tell them the truth about the oil."',
]

EMBER_COURT_BODY = [
    "The throne room of the Ember Court smelled of cedar smoke and old parchment, and "
    "Sarai hated every inch of it.",
    "Vell stood at the foot of the dais with his hands folded, the very picture of a loyal "
    "steward, which was how she knew he was plotting something.",
    '"Your Majesty," he said, bowing low enough to be insulting. "The envoys have arrived."',
    "Outside, the volcano grumbled in its sleep, and the glass windows hummed with it.",
]


def ffn(title: str, author: str, fandom: str, rating: str, pairing: str, chars: str) -> str:
    return (
        f"Title: {title}\nAuthor: {author}\nFandom: {fandom}\nRating: {rating}\n"
        f"Pairing: {pairing}\nCharacters: {chars}\n\n"
    )


SALT_ROAD = (
    ffn(
        "The Salt Road",
        "wrenfeather",
        "Tidewater Chronicles",
        "T",
        "Ines/Corwin",
        "Ines Marrow, Corwin Hale",
    )
    + "A/N: Thanks to my beta! Comments make my day.\n\n"
    + "\n\n".join(SALT_ROAD_BODY)
    + "\n"
)

EMBER_COURT = (
    ffn("Cinders", "ashquill", "Ember Court", "M", "Vell/Sarai", "Sarai, Vell")
    + "\n\n".join(EMBER_COURT_BODY)
    + "\n"
)


def _curly(text: str) -> str:
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        elif ch == "'":
            out.append("\u2019")
        else:
            out.append(ch)
    return "".join(out)


# The same story reposted elsewhere: curly quotes, hard-wrapped at 58 columns, another
# header and a different author's note.
SALT_ROAD_REPOST = (
    ffn(
        "Salt Road (repost)",
        "wren_archive",
        "Tidewater Chronicles",
        "Teen And Up Audiences",
        "Corwin Hale/Ines Marrow",
        "Ines Marrow",
    )
    + "Author's Note: Moving my old fics over here. Please don't repost without asking.\n\n"
    + "\n\n".join(textwrap.fill(_curly(p), 58) for p in SALT_ROAD_BODY)
    + "\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
