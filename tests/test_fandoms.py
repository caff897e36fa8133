"""The fandom knowledge base: shipped files, Gilmore Girls contents, errors, user folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficlens.errors import FicError
from ficlens.fandoms import (
    DATA_DIR,
    FandomFileError,
    KnowledgeBase,
    load_knowledge_base,
    read_fandom_dir,
    read_fandom_file,
)
from ficlens.fandoms.schema import plain_name

GG = "Gilmore Girls"
SHIPPED = sorted(DATA_DIR.glob("*.toml"))


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


# ------------------------------------------------------------------ shipped files


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_file_loads_and_is_consistent(path: Path) -> None:
    f = read_fandom_file(path)
    assert f.name and f.characters, path.name
    tags = {c.tag for c in f.characters}
    assert len(tags) == len(f.characters)
    for s in f.ships:
        assert set(s.members) <= tags and len(s.members) >= 2
    for r in f.relations:
        assert r.a in tags and r.b in tags
    for c in f.characters:
        assert c.gender in {"female", "male", "nonbinary", "unknown"}
        assert c.name


def test_shipped_ship_tags_follow_ao3_alphabetical_order(kb: KnowledgeBase) -> None:
    for f in kb:
        for s in f.ships:
            sep = " & " if s.kind == "platonic" else "/"
            head = plain_name(s.tag)  # "Keith/Lance (Voltron)" → "Keith/Lance"
            parts = [p.strip() for p in head.split(sep)]
            assert parts == sorted(parts, key=str.casefold), s.tag


def test_builtin_knowledge_base_holds_every_file_once(kb: KnowledgeBase) -> None:
    assert len(kb.fandoms) == len(SHIPPED) >= 2
    assert len({f.name for f in kb.fandoms}) == len(kb.fandoms)
    assert load_knowledge_base() is kb  # cached per process
    assert kb.sources[GG].name == "gilmore_girls.toml"


def test_fandom_names_and_aliases_are_unambiguous(kb: KnowledgeBase) -> None:
    owner: dict[str, str] = {}
    for f in kb.fandoms:
        for n in (f.name, *f.aliases):
            key = n.casefold()
            assert owner.setdefault(key, f.name) == f.name, f"{n!r} names two fandoms"
    for f in kb.fandoms:
        assert kb.fandom(f.name) is f
        for alias in f.aliases:
            assert kb.fandom(alias) is f


def test_data_files_ship_in_the_wheel() -> None:
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert '"**/*.toml"' in pyproject


# ----------------------------------------------------------------- Gilmore Girls


def test_gilmore_girls_is_thorough(kb: KnowledgeBase) -> None:
    gg = kb.fandom(GG)
    assert gg is not None and gg.name == GG
    assert len(gg.characters) >= 30
    tags = {c.tag for c in gg.characters}
    for tag in (
        "Rory Gilmore",
        "Lorelai Gilmore",
        "Jess Mariano",
        "Luke Danes",
        "Paris Geller",
        "Logan Huntzberger",
        "Tristan Dugray",
        "Dean Forester",
        "Lane Kim",
        "Kirk Gleason",
    ):
        assert tag in tags
    rory = gg.character("Rory Gilmore")
    assert rory is not None and rory.gender == "female"
    assert rory.name == "Lorelai Leigh Gilmore"
    assert {"Rory", "Ror", "Mary"} <= set(rory.aliases)
    jess = gg.character("Jess Mariano")
    assert jess is not None and jess.gender == "male" and "Dodger" in jess.aliases


def test_gilmore_girls_ships_and_relations(kb: KnowledgeBase) -> None:
    found = kb.ship_by_name("Literati")
    assert found is not None
    fandom, ship = found
    assert fandom.name == GG and ship.tag == "Jess Mariano/Rory Gilmore"
    assert ship.kind == "romantic" and set(ship.members) == {"Jess Mariano", "Rory Gilmore"}
    for name, tag in [
        ("Java Junkie", "Lorelai Gilmore/Luke Danes"),
        ("Rogan", "Logan Huntzberger/Rory Gilmore"),
        ("Trory", "Rory Gilmore/Tristan Dugray"),
        ("literati", "Jess Mariano/Rory Gilmore"),
    ]:
        hit = kb.ship_by_name(name)
        assert hit is not None and hit[1].tag == tag, name
    gg = kb.fandom(GG)
    assert gg is not None
    rel = {(r.a, r.b): r for r in gg.relations}
    assert rel[("Lorelai Gilmore", "Rory Gilmore")].label == "mother"
    assert rel[("Luke Danes", "Jess Mariano")].label == "uncle"
    assert rel[("Liz Danes", "Jess Mariano")].kind == "family"
    assert rel[("Richard Gilmore", "Lorelai Gilmore")].label == "father"


def test_canon_relations_either_way(kb: KnowledgeBase) -> None:
    ties = kb.canon_relations("Jess Mariano", "Luke Danes")
    assert [(f.name, r.label) for f, r in ties] == [(GG, "uncle")]
    assert kb.canon_relations("Luke Danes", "Jess Mariano", [GG]) == ties
    assert kb.canon_relations("Jess Mariano", "Luke Danes", "Supernatural (TV 2005)") == []
    assert kb.canon_relations("Jess Mariano", "Kirk Gleason") == []


def test_pairings_written_by_first_name_find_the_ship(kb: KnowledgeBase) -> None:
    for name in ("Rory/Jess", "Jess/Rory", "jess mariano/rory gilmore"):
        hit = kb.ship_by_name(name, [GG])
        assert hit is not None and hit[1].tag == "Jess Mariano/Rory Gilmore", name
    platonic = kb.ship_by_name("Lorelai & Rory", [GG])
    assert platonic is not None and platonic[1].kind == "platonic"
    assert kb.ship_by_name("Rory/Kirk", [GG]) is None
    assert kb.ship_by_name("Nobody/Else") is None


def test_gilmore_girls_episodes(kb: KnowledgeBase) -> None:
    gg = kb.fandom(GG)
    assert gg is not None
    titles = {e.title: e for e in gg.episodes}
    assert len(gg.episodes) >= 150
    for t in (
        "Last Week Fights, This Week Tights",
        "Nag Hammadi Is Where They Found the Gnostic Gospels",
        "Those Are Strings, Pinocchio",
        "Teach Me Tonight",
        "I Can't Get Started",
        "Keg! Max!",
        "Say Goodnight, Gracie",
        "Here Comes the Son",
        "Raincoats and Recipes",
        "Bon Voyage",
    ):
        assert t in titles, t
    assert (titles["Keg! Max!"].season, titles["Keg! Max!"].number) == (3, 19)
    numbered = [(e.season, e.number) for e in gg.episodes]
    assert len(set(numbered)) == len(numbered)


def test_gilmore_girls_places_are_not_people(kb: KnowledgeBase) -> None:
    for place in (
        "Stars Hollow",
        "Luke's",
        "Luke's Diner",
        "Chilton",
        "Yale",
        "Hartford",
        "Doose's Market",
        "the Dragonfly Inn",
        "Independence Inn",
        "Miss Patty's",
    ):
        assert kb.is_place(place, [GG]), place
    assert not kb.is_place("Rory", [GG])
    assert not kb.is_place("Stars Hollow", ["Supernatural (TV 2005)"])
    assert kb.is_non_person("Hep Alien", [GG]) and not kb.is_place("Hep Alien", [GG])


def test_the_documented_example_file_is_valid(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "architecture.md").read_text()
    section = doc.split("### The file format", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    f = read_fandom_file(_write(tmp_path, "example.toml", example))
    assert f.name == GG and f.ships[0].members == ["Jess Mariano", "Rory Gilmore"]
    assert f.episodes[1].aliases == ["Nag Hammadi"]
    merged = load_knowledge_base([tmp_path])
    gg = merged.fandom("GG")
    assert gg is not None and len(gg.characters) == 3  # the example replaced the built-in


# ------------------------------------------------------------------ broken files

GOOD = """\
name = "Tiny Show"
aliases = ["TS"]
characters = [
  { tag = "Ann Able", gender = "female", aliases = ["Annie"] },
  { tag = "Bob Baker", gender = "male" },
]
ships = [ { tag = "Ann Able/Bob Baker", names = ["Annbob"] } ]
relations = [ { a = "Ann Able", b = "Bob Baker", label = "sister" } ]
places = ["Tinytown"]
episodes = ["The First One", { title = "Second", season = 1, number = 2 }]
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_small_file_reads(tmp_path: Path) -> None:
    f = read_fandom_file(_write(tmp_path, "tiny.toml", GOOD))
    assert [c.tag for c in f.characters] == ["Ann Able", "Bob Baker"]
    assert f.ships[0].members == ["Ann Able", "Bob Baker"] and f.ships[0].kind == "romantic"
    assert [e.title for e in f.episodes] == ["The First One", "Second"]
    assert f.episodes[1].season == 1


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (GOOD.replace('name = "Tiny Show"', 'name = "Tiny Show'), ["TOML syntax error", "line 1"]),
        (
            GOOD.replace('gender = "male"', 'gender = "boy"'),
            ["characters[1].gender", "'boy' is not one of female, male, nonbinary, unknown"],
        ),
        (
            GOOD.replace('tag = "Ann Able/Bob Baker"', 'tag = "Ann Able/Carl Cole"'),
            ["ships[0].members", "'Carl Cole' is not a character tag of Tiny Show"],
        ),
        (
            GOOD.replace('tag = "Bob Baker"', 'tag = "Ann Able"').replace("Bob Baker", "Ann Able"),
            ["characters[1].tag", "duplicate tag 'Ann Able'"],
        ),
        (
            GOOD.replace('b = "Bob Baker"', 'b = "Nobody"'),
            ["relations[0].b", "'Nobody' is not a character tag"],
        ),
        (
            GOOD.replace('label = "sister"', 'label = "sister", kind = "enemies"'),
            ["relations[0].kind", "'enemies' is not one of romantic, platonic, family"],
        ),
        (
            GOOD.replace('aliases = ["Annie"]', 'nickname = ["Annie"]'),
            ["characters[0].nickname", "unknown field"],
        ),
        (GOOD.replace('name = "Tiny Show"\n', ""), ["name", "field required"]),
    ],
    ids=[
        "syntax",
        "gender",
        "ship-member",
        "duplicate-tag",
        "relation-end",
        "relation-kind",
        "unknown-field",
        "missing-name",
    ],
)
def test_broken_files_name_file_and_field(tmp_path: Path, broken: str, expected: list[str]) -> None:
    path = _write(tmp_path, "tiny.toml", broken)
    with pytest.raises(FandomFileError) as info:
        read_fandom_file(path)
    message = str(info.value)
    assert message.startswith("tiny.toml: ")
    for part in expected:
        assert part in message
    assert "\n" not in message
    assert isinstance(info.value, FicError)


def test_errors_name_the_line_of_the_bad_value(tmp_path: Path) -> None:
    lines = GOOD.splitlines()
    bad_gender = next(i for i, line in enumerate(lines, 1) if "Bob Baker" in line)
    path = _write(tmp_path, "tiny.toml", GOOD.replace('gender = "male"', 'gender = "boy"'))
    with pytest.raises(FandomFileError, match=rf"\(line {bad_gender}\)$"):
        read_fandom_file(path)
    bad_ship = next(i for i, line in enumerate(lines, 1) if line.startswith("ships"))
    path = _write(tmp_path, "tiny.toml", GOOD.replace("Ann Able/Bob Baker", "Ann Able/Zed"))
    with pytest.raises(FandomFileError, match=rf"'Zed' .*\(line {bad_ship}\)$"):
        read_fandom_file(path)


def test_non_utf8_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(GOOD.replace("Tinytown", "Tinyt\u00f6wn").encode("latin-1"))
    with pytest.raises(FandomFileError, match=r"^latin\.toml: not UTF-8"):
        read_fandom_file(path)


def test_broken_user_folder_fails_the_whole_load(tmp_path: Path) -> None:
    _write(tmp_path, "tiny.toml", GOOD.replace('gender = "male"', 'gender = "girl"'))
    with pytest.raises(FandomFileError, match=r"tiny\.toml: characters\[1\]\.gender: 'girl'"):
        load_knowledge_base([tmp_path])


def test_missing_folder_and_two_files_for_one_fandom(tmp_path: Path) -> None:
    with pytest.raises(FandomFileError, match="not found"):
        read_fandom_dir(tmp_path / "nope")
    _write(tmp_path, "a.toml", GOOD)
    _write(tmp_path, "b.toml", GOOD)
    with pytest.raises(FandomFileError, match=r"b\.toml: .*already defined in a\.toml"):
        read_fandom_dir(tmp_path)


# ------------------------------------------------------------------ user folders


def test_user_folder_adds_a_fandom(tmp_path: Path, kb: KnowledgeBase) -> None:
    _write(tmp_path, "tiny.toml", GOOD)
    merged = load_knowledge_base([str(tmp_path)])
    assert merged is not kb
    assert len(merged.fandoms) == len(kb.fandoms) + 1
    assert merged.fandom("TS") is not None
    assert [c.tag for _, c in merged.find_characters("Annie")] == ["Ann Able"]
    assert merged.fandom(GG) is kb.fandom(GG)
    assert kb.fandom("Tiny Show") is None  # the cached built-in set is untouched


def test_one_folder_may_be_passed_bare(tmp_path: Path) -> None:
    _write(tmp_path, "tiny.toml", GOOD)
    assert load_knowledge_base(tmp_path).fandom("Tiny Show") is not None
    assert load_knowledge_base(str(tmp_path)).fandom("Tiny Show") is not None


def test_user_file_with_same_name_replaces_builtin(tmp_path: Path, kb: KnowledgeBase) -> None:
    text = GOOD.replace('name = "Tiny Show"', 'name = "gilmore girls"').replace('["TS"]', '["GG"]')
    path = _write(tmp_path, "my_gg.toml", text)
    merged = load_knowledge_base([tmp_path])
    assert len(merged.fandoms) == len(kb.fandoms)
    gg = merged.fandom(GG)
    assert gg is not None and [c.tag for c in gg.characters] == ["Ann Able", "Bob Baker"]
    assert merged.sources[gg.name] == path
    assert merged.find_characters("Rory", [GG]) == []


def test_a_folder_is_read_once_and_a_broken_one_fails_every_time(tmp_path: Path) -> None:
    good = tmp_path / "good"
    _write(good, "tiny.toml", GOOD)
    kb = load_knowledge_base([good])
    assert kb.fandom("Tiny Show") is not None
    assert load_knowledge_base([str(good)]) is kb  # every stage gets the same one
    assert load_knowledge_base([]) is load_knowledge_base()  # the built-in one
    bad = tmp_path / "bad"
    _write(bad, "tiny.toml", 'name = "Tiny Show"\ncharacters = 3\n')
    for _ in range(2):
        with pytest.raises(FandomFileError):
            load_knowledge_base([bad])
