"""Characters of the seed fics (skipped when ../shared/seeds is absent).

The seed bar of the characters work is a careful reader's cast: everyone named in the
story, no place and no author or beta reader, a gender for all. Checked here in general
terms: every canon character the story names by a name of theirs is in the cast (a
canon place such as "Luke's" does not count), every cast member has a gender and a
mention in the story proper (not only in an author's note), no cast name is a canon
place, and every attributed speaker is in the cast.
"""

from __future__ import annotations

import re
from pathlib import Path

import ficlens
from ficlens.fandoms import detect_fandom, load_knowledge_base

#: A run of capitalised words: "James Dean" is one name (a film star's, nobody canon's).
_NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*\b")


def test_seed_casts_are_what_a_reader_would_list(seed_paths: list[Path]) -> None:
    kb = load_knowledge_base()
    for path in seed_paths:
        a = ficlens.analyze_file(path)
        fandom = [detect_fandom(a, kb)[0].fandom]
        story = [(s.start, s.end) for s in a.segments if s.kind == "story"]
        forms = {form for c in a.characters for form in (c.name, *c.aliases)}
        words = {w for form in forms for w in form.split()}
        for c in a.characters:
            assert c.gender != "unknown", (path.name, c.name)
            assert not any(kb.is_non_person(form) for form in (c.name, *c.aliases)), c.name
            starts = [m.start for m in a.mentions if m.character == c.id]
            assert any(s <= x < e for x in starts for s, e in story), (path.name, c.name)
        assert {q.speaker for q in a.quotes if q.speaker} <= {c.id for c in a.characters}
        for s, e in story:
            for m in _NAME.finditer(a.text, s, e):
                name = m.group(0)
                possessive = a.text.startswith("'s", m.end())
                if kb.is_non_person(name + "'s" * possessive, fandom):
                    continue  # "Luke's", the diner
                if kb.find_characters(name, fandom):
                    assert set(name.split()) & words, (path.name, name, m.start())
