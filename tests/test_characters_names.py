"""Scoring name forms as person or place from how the text uses them."""

from __future__ import annotations

from collections import Counter

import ficlens
from ficlens.characters.clustering import cluster_names, is_nickname_of, name_tokens
from ficlens.characters.names import NameOccurrence, QuoteIndex, find_occurrences, score_names
from ficlens.characters.stage import _two_people
from ficlens.ingest import read_text
from ficlens.pipeline import Options, run_document


def _occ(surface: str, role: str = "pobj", head: str = "in", **kw: object) -> NameOccurrence:
    fields: dict[str, object] = {
        "start": 0,
        "end": len(surface),
        "surface": surface,
        "title": "",
        "role": role,
        "head_lemma": head,
        "in_quote": False,
        "possessive": False,
        "standalone_possessive": False,
        "after_quote": False,
        "after_place_preposition": False,
        "entity": "GPE",
    }
    fields.update(kw)
    return NameOccurrence(**fields)  # type: ignore[arg-type]


def test_a_name_that_acts_is_a_person_whatever_the_parser_labels() -> None:
    occs = [
        *[_occ("Corwin", "nsubj", verb) for verb in ("stop", "take", "follow", "pause")],
        _occ("Corwin", "poss", "hand", possessive=True),
        _occ("Corwin", "poss", "brow", possessive=True),
        _occ("Corwin", "dobj", "send"),
        _occ("Corwin", "pobj", "with"),
        _occ("Corwin", after_place_preposition=True),
    ]
    s = score_names(occs, Counter())["Corwin"]
    assert s.person > s.place


def test_a_place_used_after_prepositions_stays_a_place() -> None:
    occs = [
        *[_occ("Brackley", after_place_preposition=True) for _ in range(6)],
        _occ("Brackley", "nsubj", "be"),
        _occ("Brackley", "nsubj", "lie"),
        _occ("Brackley", "poss", "street", possessive=True),
    ]
    s = score_names(occs, Counter())["Brackley"]
    assert s.place > s.person


def test_surname_particles_stay_with_the_surname() -> None:
    assert name_tokens("Mrs. van der Voort") == ["van der voort"]
    assert name_tokens("Aletta van der Voort") == ["aletta", "van der voort"]
    clusters, _ = cluster_names(
        {"Aletta van der Voort": 2, "Mrs. van der Voort": 9, "Mr. van der Voort": 7}
    )
    groups = [set(c.surfaces) for c in clusters]
    assert {"Mr. van der Voort"} in groups
    assert not any({"Mr. van der Voort", "Mrs. van der Voort"} <= g for g in groups)


def test_a_particle_name_is_found_in_the_text() -> None:
    text = (
        "Mrs. van der Voort poured the tea and passed a cup to Tobias Wren.\n\n"
        '"You are early," said Mrs. van der Voort.\n\n'
        "Mrs. van der Voort smiled at him, and Tobias Wren smiled back.\n"
    )
    a = ficlens.analyze(text)
    assert any("Mrs. van der Voort" in c.aliases for c in a.characters)


def test_a_nickname_joins_its_given_name_but_not_the_other_way_round() -> None:
    assert is_nickname_of("bill", "william") and not is_nickname_of("christopher", "kit")
    clusters, _ = cluster_names({"Kit Dawlish": 3, "Christopher": 10, "Kit": 4})
    groups = [set(c.surfaces) for c in clusters]
    assert {"Christopher"} in groups
    assert {"Kit Dawlish", "Kit"} in groups


def test_two_names_side_by_side_are_not_one_full_name() -> None:
    together = {"Ottilie": {"Brann": 3}, "Brann": {"Ottilie": 3}}
    assert _two_people("Ottilie Brann", 1, together, Counter({"brann": 1}))
    assert not _two_people("Ottilie Brann", 6, together, Counter({"brann": 1}))
    assert not _two_people("Ottilie Brann", 1, together, Counter({"brann": 2}))


def test_a_bare_form_of_address_is_no_one() -> None:
    text = (
        '"Will you walk this way, Madame?" asked Tobias Wren.\n\n'
        '"Certainly, Monsieur," said Hester Lane. "Madame is tired, Monsieur."\n\n'
        "Tobias Wren bowed to Hester Lane.\n"
    )
    a = ficlens.analyze(text)
    assert not any(c.name in ("Madame", "Monsieur") for c in a.characters)


def test_a_given_name_used_once_joins_its_full_name() -> None:
    text = (
        "Ottilie Brann came down to breakfast late, and Tobias Wren looked up.\n\n"
        '"Good morning," said Tobias Wren. "Ottilie Brann, you are late again."\n\n'
        "Tobias Wren poured a cup of coffee for Ottilie.\n"
    )
    a = ficlens.analyze(text)
    ottilie = next(c for c in a.characters if c.name == "Ottilie Brann")
    assert "Ottilie" in ottilie.aliases


def test_a_name_broken_by_a_hard_line_wrap_is_one_name() -> None:
    text = (
        '"I disagree with you," broke in Mr. Ansel\nPrewitt, who was a great talker.\n\n'
        '"Then we differ," said Tobias Wren to Ansel\nPrewitt.\n\n'
        "Ansel Prewitt laughed and Tobias Wren went out. The old\ngardener watched them.\n\n"
        '"They will be back," said the old\ngardener.\n'
    )
    a = ficlens.analyze(text)
    ansel = next(c for c in a.characters if "Ansel Prewitt" in c.aliases)
    assert "Mr. Ansel Prewitt" in ansel.aliases
    assert not any(c.name in ("Ansel", "Prewitt", "Mr. Ansel") for c in a.characters)
    assert any(c.name == "the old gardener" for c in a.characters)


def test_a_title_that_ends_a_sentence_does_not_open_the_next_one() -> None:
    text = (
        '"I shall stay," Hester Lane said to the General. Will Tobias come too?\n\n'
        '"He will," said Mr. Tobias Wren to the Colonel. Then he went out.\n'
    )
    doc = run_document(read_text(text), Options())
    a = doc.analysis
    quotes = QuoteIndex((q.start, q.end) for q in a.quotes)
    surfaces = {o.surface for o in find_occurrences(doc.layers["language"], quotes)}
    assert "Mr. Tobias Wren" in surfaces
    assert not surfaces & {"General Will", "Colonel Then"}


def test_a_rank_and_a_gendered_honorific_with_one_surname_are_two_people() -> None:
    clusters, _ = cluster_names({"Miss Orme": 5, "Captain Orme": 3})
    assert [set(c.surfaces) for c in clusters] == [{"Miss Orme"}, {"Captain Orme"}]
    clusters, _ = cluster_names({"Dr. Orme": 3, "Doctor Orme": 1})
    assert [set(c.surfaces) for c in clusters] == [{"Dr. Orme", "Doctor Orme"}]
    # the honorific, not the rank, goes with the full name
    clusters, _ = cluster_names({"Silas Orme": 2, "Colonel Orme": 8, "Mr. Orme": 3})
    groups = [set(c.surfaces) for c in clusters]
    assert {"Silas Orme", "Mr. Orme"} in groups and {"Colonel Orme"} in groups


def test_a_title_form_joins_the_bare_surname_the_text_uses_for_him() -> None:
    clusters, _ = cluster_names({"Prewitt": 8, "Mr. Prewitt": 1, "Mrs. Prewitt": 1})
    groups = [set(c.surfaces) for c in clusters]
    assert {"Prewitt", "Mr. Prewitt"} in groups and {"Mrs. Prewitt"} in groups


def test_a_given_name_used_once_as_a_vocative_is_a_person() -> None:
    occ = _occ("Martha", role="appos", head="you", in_quote=True, entity="PERSON", vocative=True)
    assert score_names([occ], Counter())["Martha"].person >= 1.5
    plain = _occ("Martha", role="appos", head="you", in_quote=True, entity="PERSON")
    assert score_names([plain], Counter())["Martha"].person < 1.5
    place = _occ("Paris", role="appos", head="you", in_quote=True, entity="GPE", vocative=True)
    assert score_names([place], Counter())["Paris"].person < 1.5


def test_a_vocative_is_found_across_a_line_wrap_but_not_at_a_quotation_opening() -> None:
    text = '"You,\nMartha, tell me the truth. Is it paid, Becky?"\n\n"Ho, there!" he called.\n'
    doc = run_document(read_text(text), Options())
    quotes = QuoteIndex((q.start, q.end) for q in doc.analysis.quotes)
    found = {o.surface: o.vocative for o in find_occurrences(doc.layers["language"], quotes)}
    assert found.get("Martha") and found.get("Becky")
    assert not found.get("Ho")


def test_a_given_cast_name_of_several_words_has_its_head_word_s_role() -> None:
    from ficlens.characters.mentions import alias_owners, find_name_mentions
    from ficlens.model import Character

    text = "Plump Abel Marsh came up the stairs. Then he called Mr. Dunstan Roe.\n"
    doc = run_document(read_text(text), Options())
    cast = [
        Character(id="1", name="Abel Marsh", aliases=["Abel Marsh"]),
        Character(id="2", name="Mr. Dunstan Roe", aliases=["Mr. Dunstan Roe"]),
    ]
    quotes = QuoteIndex((q.start, q.end) for q in doc.analysis.quotes)
    found = find_name_mentions(
        text, [(0, len(text))], alias_owners(cast), doc.layers["language"], quotes
    )
    roles = {m.text: m.role for m, _ in found}
    # the subject and the object, not "compound" (the first word's label)
    assert roles == {"Abel Marsh": "nsubj", "Mr. Dunstan Roe": "dobj"}
