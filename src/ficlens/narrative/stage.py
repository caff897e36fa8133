"""The narrative stage: person, tense and focal character per scene and for the fic,
unmarked viewpoint shifts (scenes split there), and tense/viewpoint slips.

Reads the language layer (one pass, :mod:`ficlens.narrative.scan`), the quotation spans
(all of them are masked, speech or not), the characters layer (resolved mentions, the
narrator, genders) and the structure's scenes and flashbacks.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from ficlens.characters.layer import CharacterLayer
from ficlens.language.chunking import blank_line_paragraphs
from ficlens.language.layer import LanguageLayer
from ficlens.model import Analysis, Evidence, Narrative, Pov, Scene, Slip
from ficlens.narrative.decide import Decision, decide
from ficlens.narrative.focal import paragraphs, scene_focal, shift_points
from ficlens.narrative.scan import Scanner, Sentence
from ficlens.narrative.slips import tense_slips, viewpoint_slip
from ficlens.narrative.spans import paragraph_starts
from ficlens.pipeline import Document

#: A character is one of the fic's focal characters when the scenes they lead hold this
#: share of the narration's words.
FIC_FOCAL_SHARE = 0.25


class NarrativeStage:
    """Fill ``analysis.narrative`` and each scene's pov/tense; split scenes at shifts."""

    name = "narrative"
    requires: tuple[str, ...] = ("language", "quotes", "characters")

    def run(self, doc: Document) -> None:
        a = doc.analysis
        layer: LanguageLayer = doc.layer("language")
        chars: CharacterLayer = doc.layer("characters")
        sentences = _scan(a, layer, chars)
        whole = decide(sentences)
        scenes: list[Scene] = []
        groups: list[list[Sentence]] = []
        for scene, group in zip(a.scenes, _by_scene(a.scenes, sentences), strict=True):
            for part, part_sentences in _split(a.text, scene, group, whole):
                scenes.append(part)
                groups.append(part_sentences)
        slips: list[Slip] = []
        for i, (scene, group) in enumerate(zip(scenes, groups, strict=True)):
            scene.index = i
            _fill_scene(scene, group, whole, chars.narrator)
            slips += tense_slips(group, scene.tense, scene.tense_share)
        if scenes:
            a.scenes = scenes
        slips += [viewpoint_slip(idiom) for s in sentences for idiom in s.idioms]
        slips.sort(key=lambda x: (x.start, x.end))
        a.narrative = Narrative(
            person=whole.person,
            tense=whole.tense,
            person_share=whole.person_share,
            tense_share=whole.tense_share,
            focal=_fic_focal(scenes, groups, whole, chars.narrator)
            if scenes
            else _unscened_focal(sentences, whole, chars.narrator),
            evidence=whole.evidence,
            slips=slips,
        )


def _scan(a: Analysis, layer: LanguageLayer, chars: CharacterLayer) -> list[Sentence]:
    story = sorted((s.start, s.end) for s in a.segments if s.kind == "story")
    sample = a.text[story[0][0] : story[-1][1]] if story else ""
    paras = paragraph_starts(a.text, story, blank_lines=blank_line_paragraphs(sample))
    return Scanner(
        layer,
        a.text,
        quotes=[(q.start, q.end) for q in a.quotes],
        flashbacks=[(f.start, f.end) for f in a.flashbacks],
        paragraphs=paras,
        mentions=chars.mentions,
        genders={c.id: c.gender for c in chars.characters},
        lookup=chars.lookup,
        trusted=frozenset(c.id for c in chars.characters if c.canon or chars.given),
    ).run()


def _by_scene(scenes: Sequence[Scene], sentences: Sequence[Sentence]) -> list[list[Sentence]]:
    """Sentences grouped by the scene holding their start (none for a sentence outside)."""
    starts = [s.start for s in scenes]
    groups: list[list[Sentence]] = [[] for _ in scenes]
    for s in sentences:
        i = bisect_left(starts, s.start + 1) - 1
        if i >= 0 and s.start < scenes[i].end:
            groups[i].append(s)
    return groups


def _split(
    text: str, scene: Scene, group: list[Sentence], whole: Decision
) -> list[tuple[Scene, list[Sentence]]]:
    """The scene, or its parts when the viewpoint shifts without a marker (third person)."""
    if whole.person != "third" or not group:
        return [(scene, group)]
    points = [p for p in shift_points(paragraphs(group)) if scene.start < p < scene.end]
    if not points:
        return [(scene, group)]
    out: list[tuple[Scene, list[Sentence]]] = []
    bounds = [scene.start, *points, scene.end]
    for k, (lo, hi) in enumerate(pairwise(bounds)):
        end = hi
        if k + 1 < len(bounds) - 1:
            while end > lo and text[end - 1].isspace():
                end -= 1
        part = scene.model_copy(
            update={
                "start": lo,
                "end": end,
                "opened_by": scene.opened_by if k == 0 else "viewpoint",
            }
        )
        out.append((part, [s for s in group if lo <= s.start < hi]))
    return out


def _fill_scene(
    scene: Scene, group: Sequence[Sentence], whole: Decision, narrator: str | None
) -> None:
    own = decide(group)
    person = own.person or whole.person
    if person == "first":
        focal = [narrator] if narrator else []
        first = [x for s in group for x in s.first][:3]
        evidence = [Evidence(start=a, end=b, cue=f"narrator: {w}") for a, b, w in first]
    elif person == "third":
        focal, evidence = scene_focal(group)
    else:
        focal, evidence = [], []
    scene.pov = Pov(person=person, person_share=own.person_share, focal=focal, evidence=evidence)
    scene.tense = own.tense or whole.tense
    scene.tense_share = own.tense_share


def _fic_focal(
    scenes: Sequence[Scene],
    groups: Sequence[Sequence[Sentence]],
    whole: Decision,
    narrator: str | None,
) -> list[str]:
    """The narrator in first person; else the characters leading enough of the text."""
    if whole.person == "first":
        return [narrator] if narrator else []
    words: Counter[str] = Counter()
    total = 0
    for scene, group in zip(scenes, groups, strict=True):
        n = sum(s.words for s in group)
        total += n
        for c in scene.pov.focal:
            words[c] += n // len(scene.pov.focal)
    return [c for c, n in words.most_common() if total and n >= FIC_FOCAL_SHARE * total]


def _unscened_focal(
    sentences: Sequence[Sentence], whole: Decision, narrator: str | None
) -> list[str]:
    """A text the structure stage gave no scenes (no story segment) still has a focal."""
    if whole.person == "first":
        return [narrator] if narrator else []
    return scene_focal(sentences)[0] if whole.person == "third" else []
