"""Invented fixture fics for the web UI tests (short texts written for these tests).

Three ordinary fics in two made-up fandoms, and one hostile fic whose header fields and
story carry markup that must never run: script tags, an image with ``onerror``, a
``javascript:`` link, an SVG ``onload`` and template syntax.
"""

from __future__ import annotations

from pathlib import Path


def _fic(header: dict[str, str], paragraphs: list[str]) -> str:
    head = "".join(f"{key}: {value}\n" for key, value in header.items())
    return head + "\n" + "\n\n".join(paragraphs) + "\n"


ORCHARD = _fic(
    {
        "Title": "The Orchard Ledger",
        "Author": "plumwright",
        "Fandom": "Quince Hollow",
        "Rating": "K+",
        "Pairing": "Maud/Tobin",
        "Characters": "Maud Pennick, Tobin Reyes",
    },
    [
        "Maud kept the orchard ledger in a tin box under the cider press, and every "
        "autumn she wrote the frost dates in green ink so that nobody could argue later.",
        '"You counted the russets twice," Tobin said, leaning over her shoulder with a '
        "basket of windfalls balanced on his hip.",
        '"I counted them once and then I checked," said Maud. "That is what a ledger is for."',
        "He laughed and went back out between the rows, whistling the tune the pickers "
        "used when the ladders were tall and the light was going.",
    ],
)

BELLS = _fic(
    {
        "Title": "Nine Bells Under Glass",
        "Author": "tinfoundry",
        "Fandom": "Clockwork Harbor",
        "Rating": "M",
        "Pairing": "Ada/Rook",
        "Characters": "Ada Sorrel, Rook",
    },
    [
        "The foundry stood at the end of the harbour wall, and when the tide was high the "
        "bells under the glass roof rang on their own, one after another, nine in all.",
        '"They are singing for the drowned," Rook said. "Everyone on the quay knows that."',
        "Ada did not believe in the drowned. She believed in copper, in tin, in the exact "
        "temperature at which a bell forgets it was ever a heap of scrap.",
    ],
)

LANTERNS = _fic(
    {
        "Title": "Paper Lanterns for Juno",
        "Author": "plumwright",
        "Fandom": "Quince Hollow",
        "Rating": "T",
        "Pairing": "Juno & Maud",
        "Characters": "Juno Vale, Maud Pennick",
    },
    [
        "Juno folded the paper lanterns on the kitchen table while the rain came down "
        "on the orchard, creasing each one with the back of a spoon.",
        "Maud sat across from her mending a sack and pretending not to watch, because "
        "Juno had never once in her life folded anything straight and it was a wonder "
        "to see.",
        '"For the harvest supper," Juno said, holding one up to the lamp. "Forty of them, '
        'if the paper lasts."',
        "The paper did not last, but thirty-one lanterns hung from the apple boughs on the "
        "night of the supper, and nobody counted the crooked ones.",
    ],
)

ATTACKS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)">click me</a>',
    '"><svg onload=alert(4)>',
    "</textarea></title><script>alert(5)</script>",
    "{{ 7*7 }}",
]

HOSTILE = _fic(
    {
        "Title": "Orchard <script>alert('title')</script>",
        "Author": "<img src=x onerror=alert('author')>",
        "Fandom": "Quince Hollow <svg onload=alert('fandom')>",
        "Rating": "T",
        "Pairing": "<b>Eve</b>/Mallory",
        "Characters": "Eve <img src=x onerror=alert('character')>, Mallory",
    },
    [
        f"Eve walked into the orchard at midnight and wrote {ATTACKS[0]} on the wall of the "
        f"cider shed, then {ATTACKS[1]} under it, and then {ATTACKS[2]} for good measure.",
        f'"Nothing will run," said Mallory, reading {ATTACKS[3]} aloud. {ATTACKS[4]}',
        f"The ledger said {ATTACKS[5]} and nobody ever worked out why.",
    ],
)

FICS = {
    "orchard.txt": ORCHARD,
    "bells.txt": BELLS,
    "lanterns.txt": LANTERNS,
    "hostile.txt": HOSTILE,
}
TITLES = {
    "orchard.txt": "The Orchard Ledger",
    "bells.txt": "Nine Bells Under Glass",
    "lanterns.txt": "Paper Lanterns for Juno",
    "hostile.txt": "Orchard <script>alert('title')</script>",
}


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in FICS.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
