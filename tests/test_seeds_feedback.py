"""The seeds' obvious errors are all found (skipped when ../shared/seeds is absent).

Only the few-word error phrases named in issue 5 appear here; they are searched in the
seed text at test time, and an item of the expected rule must lie inside each one.
"""

from __future__ import annotations

from pathlib import Path

import ficlens
from ficlens.model import Analysis

# (phrase as it appears in a seed, rule that must flag a span inside it, its suggestion)
EXPECTED = [
    ("their are never happy endings", "confusion.their_there", "there"),
    ("your not my dad", "confusion.your_youre", "you're"),
    ("might of had", "confusion.modal_of", "might have"),
    ("immediatly", "spelling.misspelling", "immediately"),
    ("elixer", "spelling.misspelling", "elixir"),
    ("meekly,mentally", "punctuation.missing_space", "meekly, mentally"),
    ('"Please don\'t cry." He said', "dialogue.tag_full_stop", '," he said'),
    ("not falling", "confusion.not_now", "now"),
]


def test_seed_errors_are_found(seed_paths: list[Path]) -> None:
    analyses: list[Analysis] = [ficlens.analyze_file(p) for p in seed_paths]
    for phrase, rule, suggestion in EXPECTED:
        hits = [(a, a.text.find(phrase)) for a in analyses if phrase in a.text]
        assert hits, f"{phrase!r} is not in the seeds any more"
        for a, at in hits:
            inside = [
                f
                for f in a.feedback
                if f.rule == rule and at <= f.start and f.end <= at + len(phrase)
            ]
            assert [f.suggestion for f in inside] == [suggestion], (phrase, rule, inside)
            warning = rule.startswith(("dialogue", "punct")) or rule == "confusion.not_now"
            assert inside[0].severity == ("warning" if warning else "error")


def test_seed_feedback_is_in_story_text_and_sparse(seed_paths: list[Path]) -> None:
    for path in seed_paths:
        a = ficlens.analyze_file(path)
        story = [(s.start, s.end) for s in a.segments if s.kind == "story"]
        for f in a.feedback:
            assert any(s <= f.start and f.end <= e for s, e in story), (path.name, f)
            assert a.text[f.start : f.end].strip(), (path.name, f)
        # precise rather than many: at most one item per 25 story words
        assert len(a.feedback) <= max(5, a.stats.words // 25), (path.name, len(a.feedback))
