"""BookNLP-compatible ``.tokens``, ``.entities``, ``.quotes`` and ``.book`` files.

The goal is that research scripts written against BookNLP's English output run
unchanged, so we follow what BookNLP actually writes (``english_booknlp.py`` and
``common/pipelines.py``), not what its column names suggest:

- every id is 0-based and document-global; spans (``start_token``/``end_token``,
  ``quote_start``/``quote_end``) are *inclusive* token ids;
- ``byte_onset``/``byte_offset`` are, despite the names, ``str`` (code point) offsets into
  the text (BookNLP writes spaCy's ``token.idx`` and ``idx + len(text)``); pass
  ``offsets="bytes"`` for true UTF-8 byte offsets instead;
- phrases (entity text, quote text) are token words joined by single spaces;
- an unattributed quote has ``None`` in ``mention_*``/``char_id`` (BookNLP's ``%s`` of
  Python's None; pandas reads it as missing).

What we cannot fill yet: ``event`` is always ``O`` (we have no event tagger);
``.entities`` holds only character mentions (``cat`` is ``PER``; no places, organisations
or non-character people); ``.supersense`` and ``.book.html`` are not written.
COREF ids are 1-based positions in ``analysis.characters``; each ``.book`` entry also
carries our string ``ficlens_id``, ``name`` and ``narrator`` so the mapping is never lost.

``.quotes`` lists speech quotations only (``Quote.speech``; a title or scare quote is not
dialogue). Its mention is, as in BookNLP, a mention of the speaker near the quotation:
the nearest narration mention within 50 tokens, else the speaker's own "I" inside the
quotation, else the nearest narration mention, else the nearest inside another quote.

The first-person narrator: BookNLP's coreference puts the narration's "I/me/my" into one
entity of its own. So do we: the characters stage makes the narrator a character (the
named character it identified, or one called "Narrator"), links the narration's first
person to it, and every "I" inside a quotation to its speaker; the narrator therefore has
one COREF across ``.entities``, ``.quotes`` and ``.book``, and ``narrator: true`` in
``.book`` (see :func:`ficlens.cast.narrator_of`).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ficlens.cast import SpeechSpans, narrator_of
from ficlens.errors import StageConfigError
from ficlens.export.tokens import (
    OffsetUnit,
    TokenIndex,
    build_tokens,
    tsv_writer,
    write_tokens,
)
from ficlens.model import Analysis, Character, Mention

if TYPE_CHECKING:
    from ficlens.language import LanguageLayer

ENTITIES_HEADER = ("COREF", "start_token", "end_token", "prop", "cat", "text")
QUOTES_HEADER = (
    "quote_start",
    "quote_end",
    "mention_start",
    "mention_end",
    "mention_phrase",
    "char_id",
    "quote",
)
PROP_BY_KIND = {"name": "PROP", "nominal": "NOM", "pronoun": "PRON"}
#: BookNLP's default referential-gender categories, keyed as it keys them.
GENDER_CATS: dict[str, tuple[str, ...]] = {
    "he/him/his": ("he", "him", "his"),
    "she/her": ("she", "her"),
    "they/them/their": ("they", "them", "their"),
}
CAT_BY_GENDER = {"male": "he/him/his", "female": "she/her", "nonbinary": "they/them/their"}
#: BookNLP writes Python's None with ``%s``.
MISSING = "None"
#: How far (in tokens) BookNLP looks around a quotation for its speaker's mention.
MENTION_WINDOW = 50


def coref_ids(characters: list[Character]) -> dict[str, int]:
    """Stable integer COREF per character id: 1-based order in ``analysis.characters``."""
    return {c.id: i for i, c in enumerate(characters, start=1)}


class _Entity:
    """A mention placed on document tokens."""

    __slots__ = ("coref", "first", "in_speech", "last", "mention", "prop", "text")

    def __init__(
        self,
        mention: Mention,
        coref: int,
        first: int,
        last: int,
        text: str,
        in_speech: bool = False,
    ) -> None:
        self.mention = mention
        self.in_speech = in_speech
        self.coref = coref
        self.first = first
        self.last = last
        self.prop = PROP_BY_KIND[mention.kind]
        self.text = text


def place_mentions(analysis: Analysis, index: TokenIndex) -> list[_Entity]:
    """Mentions of known characters that fall on story tokens, in BookNLP's sort order."""
    ids = coref_ids(analysis.characters)
    speech = SpeechSpans(analysis.quotes)
    placed = []
    for m in analysis.mentions:
        span = index.span(m.start, m.end)
        if span is None or m.character not in ids:
            continue
        words = index.words(*span)
        placed.append(_Entity(m, ids[m.character], span[0], span[1], words, speech.inside(m.start)))
    placed.sort(key=lambda e: (e.first, e.last, e.coref))
    return placed


def write_entities(path: Path, entities: list[_Entity]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = tsv_writer(handle)
        writer.writerow(ENTITIES_HEADER)
        for e in entities:
            writer.writerow((e.coref, e.first, e.last, e.prop, "PER", e.text))
    return path


def _nearest(entities: list[_Entity], first: int, last: int) -> _Entity | None:
    """The speaker's mention for the quotation on tokens ``[first, last]``.

    Preference: a narration mention within :data:`MENTION_WINDOW` tokens (the tag,
    "Rory said"), then a mention inside this quotation (its "I"), then a narration mention
    further away, then one inside another quotation; nearest first within each.
    """

    def key(e: _Entity) -> tuple[int, int]:
        inside = e.first <= last and e.last >= first
        gap = 0 if inside else first - e.last if e.last < first else e.first - last
        if inside:
            rank = 1
        elif not e.in_speech:
            rank = 0 if gap <= MENTION_WINDOW else 2
        else:
            rank = 3
        return rank, gap

    return min(entities, key=key, default=None)


def write_quotes(
    path: Path, analysis: Analysis, index: TokenIndex, entities: list[_Entity]
) -> Path:
    ids = coref_ids(analysis.characters)
    by_coref: dict[int, list[_Entity]] = defaultdict(list)
    for e in entities:
        by_coref[e.coref].append(e)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = tsv_writer(handle)
        writer.writerow(QUOTES_HEADER)
        for q in sorted(analysis.quotes, key=lambda q: (q.start, q.end)):
            if not q.speech:
                continue  # a title or scare quote: not dialogue, no speaker
            span = index.span(q.start, q.end)
            if span is None:
                continue  # outside the parsed story text: BookNLP would not see it either
            coref = ids.get(q.speaker) if q.speaker is not None else None
            near = _nearest(by_coref[coref], *span) if coref is not None else None
            writer.writerow(
                (
                    span[0],
                    span[1],
                    near.first if near else MISSING,
                    near.last if near else MISSING,
                    near.text if near else MISSING,
                    coref if coref is not None else MISSING,
                    index.words(*span),
                )
            )
    return path


# ------------------------------------------------------------------------------- .book


def _gender(character: Character, pronouns: Counter[str]) -> dict[str, Any] | None:
    """BookNLP's ``g`` object from the character's pronoun mentions and our gender.

    ``inference`` is the share of each pronoun category among the character's pronoun
    mentions (BookNLP's coref fallback); ``argmax`` is our gender decision when we have
    one. Null when there is neither evidence nor a decision, as in BookNLP.
    """
    counts = {cat: sum(pronouns[w] for w in words) for cat, words in GENDER_CATS.items()}
    total = sum(counts.values())
    decided = CAT_BY_GENDER.get(character.gender)
    if total == 0 and decided is None:
        return None
    if total:
        inference = {cat: round(n / total, 3) for cat, n in counts.items()}
    else:
        inference = {cat: 1.0 if cat == decided else 0.0 for cat in GENDER_CATS}
    argmax = decided or max(inference, key=lambda cat: inference[cat])
    return {"inference": inference, "argmax": argmax, "max": inference[argmax], "total": total}


class _Syntax:
    """BookNLP's agent/patient/poss/mod relations read off the dependency parse."""

    def __init__(self, index: TokenIndex) -> None:
        self.tokens = index.tokens
        self.children: dict[int, list[int]] = defaultdict(list)
        for t in self.tokens:
            if t.head != t.id:
                self.children[t.head].append(t.id)

    def _item(self, i: int) -> dict[str, Any]:
        return {"w": self.tokens[i].word, "i": i}

    def _conjuncts(self, i: int, pos: tuple[str, ...] | None = None) -> list[int]:
        return [
            c
            for c in self.children[i]
            if self.tokens[c].dep == "conj" and (pos is None or self.tokens[c].pos in pos)
        ]

    def relations(self, first: int, last: int) -> dict[str, list[dict[str, Any]]]:
        """Roles of the mention ``[first, last]`` via its syntactic head.

        Rules (BookNLP's): ``nsubj`` of a verb is an agent (and of its conjoined verbs),
        ``pobj`` of a passive ``agent`` preposition is the verb's agent, ``dobj`` and
        ``nsubjpass`` are patients, ``poss`` owns its head (and its conjuncts), and the
        subject of "be" takes the ``attr``/``acomp`` noun or adjective as a modifier.
        A conjoined mention ("Bill and Ted ran") takes its first conjunct's role.
        """
        out: dict[str, list[dict[str, Any]]] = {"agent": [], "patient": [], "poss": [], "mod": []}
        toks = self.tokens
        head = next((i for i in range(first, last + 1) if not first <= toks[i].head <= last), None)
        if head is None:
            return out
        if toks[head].dep == "conj" and toks[head].head != head:
            head = toks[head].head
        tok, parent = toks[head], toks[toks[head].head]
        if tok.dep == "nsubj" and parent.lemma == "be":
            for s in self.children[parent.id]:
                if toks[s].dep in ("attr", "acomp") and toks[s].pos in ("NOUN", "ADJ"):
                    out["mod"].append(self._item(s))
                    out["mod"].extend(self._item(g) for g in self._conjuncts(s, ("NOUN", "ADJ")))
        elif tok.dep == "nsubj" and parent.pos == "VERB":
            out["agent"].append(self._item(parent.id))
            out["agent"].extend(self._item(s) for s in self._conjuncts(parent.id, ("VERB",)))
        elif tok.dep == "pobj" and parent.dep == "agent" and parent.head != parent.id:
            grand = toks[parent.head]
            if grand.pos.startswith("V"):
                out["agent"].append(self._item(grand.id))
        elif tok.dep in ("dobj", "nsubjpass") and parent.pos == "VERB":
            out["patient"].append(self._item(parent.id))
        elif tok.dep == "poss" and head != parent.id:
            out["poss"].append(self._item(parent.id))
            out["poss"].extend(self._item(s) for s in self._conjuncts(parent.id))
        return out


def book_json(analysis: Analysis, index: TokenIndex, entities: list[_Entity]) -> dict[str, Any]:
    """The ``.book`` document: BookNLP's character shape plus ficlens ids and names."""
    syntax = _Syntax(index)
    by_coref: dict[int, list[_Entity]] = defaultdict(list)
    for e in entities:
        by_coref[e.coref].append(e)
    characters: list[dict[str, Any]] = []
    narrator = narrator_of(analysis)
    for coref, character in enumerate(analysis.characters, start=1):
        mine = by_coref[coref]
        names: dict[str, Counter[str]] = {"PROP": Counter(), "NOM": Counter(), "PRON": Counter()}
        roles: dict[str, list[dict[str, Any]]] = {"agent": [], "patient": [], "poss": [], "mod": []}
        for e in mine:
            names[e.prop][e.text] += 1
            for role, items in syntax.relations(e.first, e.last).items():
                roles[role].extend(items)
        pronouns = Counter(text.lower() for text in names["PRON"].elements())
        characters.append(
            {
                "id": coref,
                "ficlens_id": character.id,
                "name": character.name,
                "narrator": character.id == narrator,
                "count": len(mine),
                "mentions": {
                    kind: [{"c": c, "n": n} for n, c in names[prop].most_common()]
                    for kind, prop in (("proper", "PROP"), ("common", "NOM"), ("pronoun", "PRON"))
                },
                "g": _gender(character, pronouns),
                **roles,
            }
        )
    characters.sort(key=lambda c: -c["count"])  # BookNLP lists the most mentioned first
    return {
        "characters": characters,
        "ficlens": {
            "version": analysis.ficlens_version,
            "notes": [
                "id is the COREF of .entities/.quotes: 1-based order of Analysis.characters",
                "agent/patient/poss/mod come from spaCy's parse with BookNLP's rules",
                "g.argmax is ficlens's gender decision when known; g.inference counts the "
                "character's he/she/they pronoun mentions",
                "every character is listed, including those mentioned once or never",
                "narrator is true for the first-person narrator, whose narration I/me/my "
                "and whose quoted I share its id",
            ],
        },
    }


def write_book(path: Path, analysis: Analysis, index: TokenIndex, entities: list[_Entity]) -> Path:
    path.write_text(json.dumps(book_json(analysis, index, entities)), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ public


def language_for(analysis: Analysis, model: str | None = None) -> LanguageLayer:
    """Re-run the language stage on a saved analysis (e.g. read back from JSON).

    Same segments and same model give the same chunks and tokens as the original run.
    """
    from ficlens.language import LanguageLayer, LanguageStage
    from ficlens.model import Fic
    from ficlens.pipeline import DEFAULT_MODEL, Document, Options

    scratch = analysis.model_copy(update={"stats": analysis.stats.model_copy()})
    doc = Document(
        fic=Fic(text=analysis.text, source=analysis.source),
        analysis=scratch,
        options=Options(model=model or DEFAULT_MODEL),
    )
    LanguageStage(with_ner=False).run(doc)
    layer = doc.layers["language"]
    assert isinstance(layer, LanguageLayer)
    return layer


def write_booknlp(
    analysis: Analysis,
    language: LanguageLayer | None,
    out_dir: Path,
    stem: str,
    *,
    offsets: OffsetUnit = "chars",
) -> list[Path]:
    """Write ``{stem}.tokens/.entities/.quotes/.book`` into ``out_dir``; return the paths.

    BookNLP files are token-based, so the language layer is required: pass
    ``doc.layers["language"]`` from ``run_document``, or ``language_for(analysis)`` for an
    analysis loaded from JSON. Empty layers give header-only files.
    """
    if language is None:
        raise StageConfigError(
            "the BookNLP export needs the 'language' stage (tokens, sentences, parse): "
            "enable it, or rebuild it with ficlens.export.language_for(analysis)"
        )
    if offsets not in ("chars", "bytes"):
        raise ValueError(f"offsets must be 'chars' or 'bytes', not {offsets!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    index = build_tokens(analysis, language)
    entities = place_mentions(analysis, index)
    return [
        write_tokens(out_dir / f"{stem}.tokens", analysis, index, offsets=offsets),
        write_entities(out_dir / f"{stem}.entities", entities),
        write_quotes(out_dir / f"{stem}.quotes", analysis, index, entities),
        write_book(out_dir / f"{stem}.book", analysis, index, entities),
    ]
