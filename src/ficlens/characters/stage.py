"""The characters stage: inventory, name and pronoun mentions, gender, narrator.

Reads the story segments, the spaCy layer and the quotation spans (``analysis.quotes``,
when the quotes stage ran); writes ``analysis.characters``, ``analysis.mentions`` and the
working layer ``doc.layers["characters"]`` (a :class:`CharacterLayer`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from ficlens.characters import gender as gender_mod
from ficlens.characters import narrator as narrator_mod
from ficlens.characters.canon import CanonMatcher, matcher_for
from ficlens.characters.clustering import cluster_names, domain_title, name_tokens, title_of
from ficlens.characters.coref import (
    SUBJECT_ROLES,
    CorefProblem,
    shipped_scorer,
    shipped_weights,
)
from ficlens.characters.kin import KIN_NOUNS, kin_table
from ficlens.characters.layer import CharacterLayer, MentionRef, alias_key
from ficlens.characters.letters import LetterCast, letter_pronouns
from ficlens.characters.lexicon import (
    FOREIGN_HONORIFICS,
    MOSTLY_MALE_RANKS,
    PRONOUNS,
    SPEECH_VERBS,
    TITLES,
)
from ficlens.characters.mentions import (
    DETERMINERS,
    alias_owners,
    find_name_mentions,
    is_description,
)
from ficlens.characters.names import (
    NameOccurrence,
    QuoteIndex,
    find_occurrences,
    score_names,
)
from ficlens.characters.nominals import NamedIndex, find_nominal_characters, noun_gender
from ficlens.characters.number import is_quantified, plural_characters
from ficlens.fandoms.schema import plain_name
from ficlens.language.layer import LanguageLayer, Token, verb_objects
from ficlens.model import PARATEXT_KINDS, Analysis, Character, Gender
from ficlens.pipeline import Document

#: A surface needs this much person evidence (and more than its place evidence).
MIN_PERSON = 1.5


def slug(name: str) -> str:
    """A stable id from a name: "Rory Gilmore" → "rory-gilmore"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "character"


class CharactersStage:
    """Fill characters and mentions; keep the CharacterLayer for the dialogue stage."""

    name = "characters"
    requires: tuple[str, ...] = ("language",)

    def run(self, doc: Document) -> None:
        a = doc.analysis
        characters, problem = self.prepare(doc)
        mentions = problem.solve(shipped_weights(), shipped_scorer())
        # a kinship nominal whose relative the cast does not pin down is no one's mention
        mentions = [m for m in mentions if m.character or m.kind != "nominal"]
        mentions = _protagonist_fallback(mentions, characters, problem.narrator, problem.plural)
        story = sorted((s.start, s.end) for s in a.segments if s.kind == "story")
        owners = {alias_key(form): ids for form, ids in alias_owners(characters).items()}
        written = [(q.start, q.end) for q in a.quotes if not q.speech]
        mentions = letter_pronouns(
            a.text, story, mentions, LetterCast(owners, written, problem.narrator)
        )
        counts = Counter(m.character for m in mentions if m.character)
        for c in characters:
            c.mention_count = counts.get(c.id, 0)
        a.characters = characters
        a.mentions = [m.to_model() for m in mentions if m.character]
        doc.layers["characters"] = CharacterLayer(
            characters=characters,
            mentions=mentions,
            narrator=problem.narrator,
            given=doc.options.characters is not None,
            plural=problem.plural,
        )

    def prepare(self, doc: Document) -> tuple[list[Character], CorefProblem]:
        """The inventory (with genders) and the pronoun-resolution problem over it."""
        a = doc.analysis
        layer: LanguageLayer = doc.layer("language")
        story = sorted((s.start, s.end) for s in a.segments if s.kind == "story")
        quotes = QuoteIndex((q.start, q.end) for q in a.quotes)
        given = doc.options.characters
        common = _lowercase_counts(layer)
        if given is not None:
            characters = [c.model_copy() for c in given]
            ambiguous_surfaces: dict[str, list[str]] = {}
            canon_gender: dict[str, Gender] = {}
            canon: CanonMatcher | None = None
        else:
            canon = matcher_for(a, doc.options.fandom_dirs)
            characters, ambiguous_surfaces, canon_gender = _discover(layer, quotes, common, canon)
        pronouns = _pronoun_mentions(layer, quotes)
        first_person = narrator_mod.is_first_person(pronouns)
        declared = (
            self._declared_narrator(a, characters, story, quotes, adding=given is None)
            if first_person
            else None
        )
        if given is not None and first_person and declared is None:
            declared = _listed_narrator(characters)
        owners = alias_owners(characters)
        owned = {alias_key(a) for a in owners}
        for surface, ids in ambiguous_surfaces.items():
            if alias_key(surface) in owned and surface not in owners:
                continue  # "MR EMERSON" when "Mr. Emerson" is a character's alias
            owners.setdefault(surface, []).extend(i for i in ids if i not in owners[surface])
        common_words = frozenset(w for w, n in common.items() if n >= 2)
        found = find_name_mentions(a.text, story, owners, layer, quotes, common_words)
        if canon is not None:
            found = [(m, ids) for m, ids in found if not _names_a_place(a.text, m, layer, canon)]
        names = _disambiguate(found)
        if given is None:  # a discovered name whose every use turned out a place is no one
            named = {m.character for m in names}
            characters = [c for c in characters if c.id in named or c.id == declared]
            _add_resolved_aliases(characters, names)
        mentions = sorted(names + pronouns, key=lambda m: m.start)
        sentences = [(s, e) for s, e, _ in layer.iter_sentences()]
        plural = plural_characters(names, layer)
        _assign_gender(characters, sentences, mentions, canon_gender, plural)
        if given is None:
            unnamed, nominal = find_nominal_characters(
                layer,
                quotes,
                NamedIndex(
                    names,
                    {c.id: c.gender for c in characters},
                    {c.id: _name_words(c) for c in characters},
                    a.text,
                ),
                [s for s, _ in sentences],
                {c.id for c in characters},
            )
            characters.extend(unnamed)
            mentions = sorted(mentions + nominal, key=lambda m: m.start)
        narrator = declared
        if first_person and narrator is None:
            narrator = narrator_mod.identify(
                mentions,
                a.text,
                exchange=narrator_mod.answerer(a.text, story, layer, quotes),
                sentence_starts=[s for s, _ in sentences],
            )
            if narrator is None:
                characters.append(Character(id="narrator", name="Narrator"))
                narrator = "narrator"
        kin, kin_nouns = _kin_mentions(layer, mentions)
        mentions = sorted(mentions + kin, key=lambda m: (m.start, m.end))
        subjects, governors = _syntax(layer, mentions)
        problem = CorefProblem(
            mentions=mentions,
            genders={c.id: c.gender for c in characters},
            sentence_starts=[s for s, _ in sentences],
            paragraph_starts=_paragraph_starts(a.text, story),
            scene_starts=[s.start for s in a.scenes],
            narrator=narrator,
            subjects=subjects,
            governors=governors,
            descriptions=frozenset(c.id for c in characters if is_description(c)),
            plural=plural,
            excluded=_merge(
                _tag_quote_names(a.text, layer, quotes, mentions),
                _clause_object_names(layer, mentions),
            ),
            kin=kin_nouns,
            relatives=kin_table(characters) if kin_nouns else {},
            quantified=frozenset(
                c.id
                for c in characters
                if all(is_quantified(f) for f in (c.name, *c.aliases) if f.strip())
            ),
        )
        return characters, problem

    def _declared_narrator(
        self,
        a: Analysis,
        characters: list[Character],
        story: Sequence[tuple[int, int]],
        quotes: QuoteIndex,
        *,
        adding: bool,
    ) -> str | None:
        """The narrator named in the paratext ("from Rory's POV"), added when not yet known,
        else the name the narration gives its "I" ("I, Allan Quatermain, of Durban"), added
        only when discovering (a name used once is too rare for discovery to keep)."""
        paratext = [a.text[s.start : s.end] for s in a.segments if s.kind in PARATEXT_KINDS]
        if a.metadata.summary:
            paratext.append(a.metadata.summary)
        declared = narrator_mod.declared_pov_names(paratext)
        names = declared or [
            name for at, name in narrator_mod.self_names(a.text, story) if not quotes.contains(at)
        ]
        if not names:
            return None
        known = _known_as(names[0], characters)
        if known is not None or not (declared or adding):
            return known
        narrator = Character(id=slug(names[0]), name=names[0], aliases=[names[0]])
        characters.append(narrator)
        return narrator.id


def _known_as(name: str, characters: list[Character]) -> str | None:
    """The character one of whose forms (or whose given name) is ``name``."""
    for c in characters:
        forms = {alias_key(x) for x in (c.name, *c.aliases)}
        forms |= {name_tokens(x)[0] for x in (c.name, *c.aliases) if name_tokens(x)}
        if alias_key(name) in forms:
            return c.id
    return None


#: Names a caller's character list gives the first-person narrator.
NARRATOR_NAMES = frozenset({"narrator", "the narrator", "i", "me"})


def _listed_narrator(characters: list[Character]) -> str | None:
    """The given character listed as the narrator ({"name": "Narrator"} or alias "I")."""
    for c in characters:
        if any(alias_key(x) in NARRATOR_NAMES for x in (c.name, *c.aliases)):
            return c.id
    return None


#: Share of a gender's resolved mentions one character needs to take the unresolved ones.
PROTAGONIST_SHARE = 0.6


def _protagonist_fallback(
    mentions: list[MentionRef],
    characters: list[Character],
    narrator: str | None,
    plural: frozenset[str] = frozenset(),
) -> list[MentionRef]:
    """A "she" no antecedent explains (a fic often opens with "She taps the table" and
    names no one for pages) is the story's dominant character of that gender, when one
    clearly dominates, as a reader would assume; never a group."""
    gender = {c.id: c.gender for c in characters if c.id not in plural}
    resolved = Counter(m.character for m in mentions if m.character and m.character != narrator)
    dominant: dict[str, str] = {}
    for g in ("female", "male"):
        same = {c: n for c, n in resolved.items() if gender.get(c) == g}
        total = sum(same.values())
        if total:
            top, n = max(same.items(), key=lambda kv: kv[1])
            if n / total >= PROTAGONIST_SHARE:
                dominant[g] = top
    return [
        replace(m, character=dominant[m.pronoun])
        if m.kind == "pronoun" and m.character is None and not m.in_quote and m.pronoun in dominant
        else m
        for m in mentions
    ]


def _lowercase_counts(layer: LanguageLayer) -> Counter[str]:
    """How often each word occurs in lower case (to tell "Hope" the name from "hope")."""
    counts: Counter[str] = Counter()
    for chunk in layer.chunks:
        for token in chunk.doc:
            if token.is_alpha and token.text.islower():
                counts[token.text] += 1
    return counts


def _discover(
    layer: LanguageLayer, quotes: QuoteIndex, common: Counter[str], canon: CanonMatcher
) -> tuple[list[Character], dict[str, list[str]], dict[str, Gender]]:
    """Characters found in the text, ambiguous surfaces, and canon genders by id."""
    occurrences = [_drop_stray_first_word(o) for o in find_occurrences(layer, quotes)]
    occurrences = _drop_stray_adjectives(occurrences, common)
    occurrences = _drop_type_names(occurrences, layer)
    plain = score_names(occurrences, common)
    canon = canon.restricted(
        {s: st.count for s, st in plain.items() if st.person >= MIN_PERSON and st.person > st.place}
    )
    stats = score_names(occurrences, common, canon) if canon.fandoms else plain
    kept = {
        s: st.count for s, st in stats.items() if st.person >= MIN_PERSON and st.person > st.place
    }
    # A full name whose given name or surname is a known character is kept with it.
    words = {w for s in kept for w in name_tokens(s)}
    for s, st in stats.items():
        tokens = name_tokens(s)
        if len(tokens) >= 2 and (tokens[0] in words or tokens[-1] in words) and st.place < 3:
            kept.setdefault(s, st.count)
    # … and so is the given name that opens a kept full name ("Rosamond" of "Rosamond
    # Gregory"), however rarely it is used alone
    firsts = {name_tokens(s)[0] for s in kept if len(name_tokens(s)) >= 2 and not title_of(s)}
    for s, st in stats.items():
        own = name_tokens(s)
        if len(s.split()) == 1 and own and own[0] in firsts and st.place < 3:
            kept.setdefault(s, st.count)
    kept = {s: n for s, n in kept.items() if not _family_plural(s, kept)}
    together = _together(occurrences, [s for s, _, _ in layer.iter_sentences()])
    surnames = Counter(name_tokens(s)[-1] for s in kept if len(name_tokens(s)) >= 2)
    kept = {s: n for s, n in kept.items() if not _two_people(s, n, together, surnames)}
    unsorted, ambiguous = cluster_names(kept, canon.key, together)
    clusters = sorted(unsorted, key=lambda c: -c.count)  # ``ambiguous`` indexes ``unsorted``
    characters: list[Character] = []
    canon_gender: dict[str, Gender] = {}
    used: set[str] = set()
    for cluster in clusters:
        known = canon.by_tag(cluster.canon) if cluster.canon else None
        name = plain_name(known.tag) if known else cluster.best_name()
        cid = base = slug(name)
        n = 2
        while cid in used:
            cid, n = f"{base}-{n}", n + 1
        used.add(cid)
        characters.append(
            Character(
                id=cid,
                name=name,
                aliases=sorted({*cluster.surfaces, *_domain_aliases(cluster.surfaces)}),
                canon=known is not None,
                ao3_tag=known.tag if known else None,
            )
        )
        if known is not None:
            canon_gender[cid] = known.gender
    by_cluster = {id(c): ch.id for c, ch in zip(clusters, characters, strict=True)}
    ambiguous_ids = {s: [by_cluster[id(unsorted[i])] for i in idx] for s, idx in ambiguous.items()}
    return characters, ambiguous_ids, canon_gender


def _domain_aliases(surfaces: Iterable[str]) -> list[str]:
    """ "the Duchess of Wexmoor" and "the Duchess" for "Duchess of Wexmoor": how the text
    goes on to name her (the bare rank is shared, and resolved by recency, when the text
    has two duchesses)."""
    out: list[str] = []
    for surface in surfaces:
        if domain_title(surface):
            out += [f"the {surface}", f"the {surface.split()[0]}"]
    return out


def _names_a_place(text: str, m: MentionRef, layer: LanguageLayer, canon: CanonMatcher) -> bool:
    """ "from Luke's." is the diner, not Luke: a possessive that a canon place is named by,
    with no noun after it."""
    tail = text[m.end : m.end + 2].replace("\u2019", "'")
    if tail != "'s" or not canon.non_person(m.text + "'s"):
        return False
    token = layer.token_at(m.end + 2)
    while token is not None and token.is_space and token.i + 1 < len(token.doc):
        token = token.doc[token.i + 1]
    return token is None or token.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM")


def _family_plural(surface: str, names: Mapping[str, int]) -> bool:
    """ "the Bennets", "Miss Bennets", "the Gardiners": a family, not a character. A name
    that only looks plural ("De Griers") is used far more often than its "singular"."""
    words = name_tokens(surface)
    if not words or not words[-1].endswith("s"):
        return False
    last = words[-1]
    stems = {last[:-1], last[:-2]} if last.endswith("es") else {last[:-1]}
    singular = sum(
        n
        for other, n in names.items()
        if other != surface and name_tokens(other)[-1:] and name_tokens(other)[-1] in stems
    )
    return singular > 0 and names[surface] <= PLURAL_SHARE * singular


def _two_people(
    surface: str,
    count: int,
    together: Mapping[str, Mapping[str, int]],
    surnames: Counter[str],
) -> bool:
    """ "…followed Bellamy and Ruth Bellamy in her apron": a rare "full name" whose two
    words the text uses as two people side by side ("Bellamy and Ruth"),
    and whose second word is no other full name's surname."""
    words = surface.split()
    if len(words) != 2 or title_of(surface) or count > RARE_FULL_NAME:
        return False
    if surnames[name_tokens(surface)[-1]] > 1:
        return False
    met = together.get(words[0], {})
    return met.get(words[1], 0) >= TWO_PEOPLE_SENTENCES


#: A two-word name used at most this often may be two people written side by side.
RARE_FULL_NAME = 2
#: Sentences where the two words of such a name appear apart, as two names.
TWO_PEOPLE_SENTENCES = 2


#: A family plural is used at most this many times as often as its singular forms.
PLURAL_SHARE = 2


def _drop_stray_first_word(occ: NameOccurrence) -> NameOccurrence:
    """ "…," Whined Rory → "Rory": right after a quotation, a capitalised word before a
    name that is no given name is a speech verb wrongly capitalised (a common fic error);
    elsewhere "Happy Jack" stays a name."""
    words = occ.surface.split()
    if not occ.after_quote or occ.title or len(words) < 2 or gender_mod.is_known_name(words[0]):
        return occ
    offset = occ.surface.index(words[1])
    return replace(occ, start=occ.start + offset, surface=" ".join(words[1:]))


#: A surface this often, under this share of its tail's count, may lose a stray first word.
STRAY_MIN_TAIL = 3


def _drop_stray_adjectives(
    occurrences: Sequence[NameOccurrence], common: Counter[str]
) -> list[NameOccurrence]:
    """ "Stupid Harriet", "Whatever Harriet", "Certainly De Griers": a sentence-initial
    word the text also uses in lower case, before a name used more often alone, is not
    part of the name. "Happy Jack", used as a whole, keeps its first word."""
    counts = Counter(o.surface for o in occurrences)
    out: list[NameOccurrence] = []
    for occ in occurrences:
        words = occ.surface.split()
        if len(words) >= 2 and not occ.title:
            first = words[0].lower()
            tail = " ".join(words[1:])
            if (
                common.get(first, 0) >= 2
                and not gender_mod.is_known_name(words[0])
                and counts.get(tail, 0) >= max(STRAY_MIN_TAIL, counts[occ.surface] + 1)
            ):
                offset = occ.surface.index(words[1])
                occ = replace(occ, start=occ.start + offset, surface=tail)
        out.append(occ)
    return out


#: Articles that make a full name a type ("the local Marlon Brando", "a regular Romeo").
TYPE_ARTICLES = frozenset({"a", "an", "the"})


def _drop_type_names(
    occurrences: Sequence[NameOccurrence], layer: LanguageLayer
) -> list[NameOccurrence]:
    """A full name the text only ever uses after an article and a describing word ("the
    local Marlon Brando", "a regular Sherlock Holmes") is a figure of speech about someone,
    not a person in the story. Title forms stay ("a Mr. Collins" introduces one), and so
    do names right after the article ("the Baron Wurm" is a rank, not a type)."""
    typed: Counter[str] = Counter()
    counts = Counter(o.surface for o in occurrences)
    for occ in occurrences:
        head, first = layer.token_at(occ.end - 1), layer.token_at(occ.start)
        if occ.title or len(occ.surface.split()) < 2 or head is None or first is None:
            continue
        noun = head.head  # "the local Marlon Brando": the name in apposition to a noun
        if not (noun.pos_ == "NOUN" and noun.i == first.i - 1):
            noun = head
        for det in noun.children:
            between = first.doc[det.i + 1 : first.i]
            if (
                det.dep_ == "det"
                and det.lower_ in TYPE_ARTICLES
                and len(between) > 0
                and all(t.is_alpha and t.is_lower for t in between)
            ):
                typed[occ.surface] += 1
    return [o for o in occurrences if typed[o.surface] < counts[o.surface]]


def _together(
    occurrences: Sequence[NameOccurrence], sentence_starts: Sequence[int]
) -> dict[str, Counter[str]]:
    """For each name form, the sentences it shares with each other form ("Mr. Emerson
    and George" is evidence of two people)."""
    by_sentence: dict[int, set[str]] = {}
    for occ in occurrences:
        i = bisect_right(sentence_starts, occ.start) - 1
        by_sentence.setdefault(i, set()).add(occ.surface)
    out: dict[str, Counter[str]] = {}
    for surfaces in by_sentence.values():
        if len(surfaces) < 2:
            continue
        for a in surfaces:
            met = out.setdefault(a, Counter())
            for b in surfaces:
                if b != a:
                    met[b] += 1
    return out


def _add_resolved_aliases(characters: list[Character], names: Sequence[MentionRef]) -> None:
    """A shared form that every time resolves to the same character in context ("Miss.
    Gilmore" said to Rory) is one of the surface forms the text uses for that character,
    so it joins the aliases; a form that went to several characters is nobody's alias."""
    owners: dict[str, set[str]] = {}
    surface: dict[str, str] = {}
    for m in names:
        if m.character:
            owners.setdefault(alias_key(m.text), set()).add(m.character)
            surface.setdefault(alias_key(m.text), " ".join(m.text.split()))  # "Mrs.\nAshby"
    for c in characters:
        known = {alias_key(x) for x in c.aliases}
        extra = [surface[k] for k, ids in owners.items() if ids == {c.id} and k not in known]
        if extra:
            c.aliases = sorted([*c.aliases, *extra])


def _disambiguate(found: Sequence[tuple[MentionRef, list[str]]]) -> list[MentionRef]:
    """A shared surname goes to whichever candidate was named most recently."""
    last_seen: dict[str, int] = {}
    out: list[MentionRef] = []
    for mention, ids in found:
        if mention.character is None and ids:
            best = max(ids, key=lambda i: last_seen.get(i, -1))
            mention = replace(mention, character=best)
        if mention.character:
            last_seen[mention.character] = mention.start
        out.append(mention)
    return out


def _pronoun_mentions(layer: LanguageLayer, quotes: QuoteIndex) -> list[MentionRef]:
    out: list[MentionRef] = []
    for start, end, token in layer.tokens():
        cls = PRONOUNS.get(token.lower_)
        if cls is None or token.pos_ not in ("PRON", "DET"):
            continue
        out.append(
            MentionRef(
                start=start,
                end=end,
                text=token.text,
                kind="pronoun",
                character=None,
                in_quote=quotes.contains(start),
                role=token.dep_,
                pronoun=cls,
            )
        )
    return out


def _kin_mentions(
    layer: LanguageLayer, mentions: Sequence[MentionRef]
) -> tuple[list[MentionRef], dict[int, str]]:
    """Kinship nominals of the narration owned by a possessive mention ("her father",
    "Mr. Bennet's wife"), with each one's noun: the resolver makes them the relative once
    it knows whom the owner's mention, which starts where they start, means
    (``characters/kin.py``)."""
    nominals = [(m.start, m.end) for m in mentions if m.kind == "nominal"]
    found: list[MentionRef] = []
    nouns: dict[int, str] = {}
    for m in mentions:
        owner = layer.token_at(m.end - 1) if m.role == "poss" and not m.in_quote else None
        if owner is None or owner.dep_ != "poss":
            continue
        noun = owner.head  # one relative: "her aunts" is no one in particular
        if noun.lower_ not in KIN_NOUNS or noun.pos_ != "NOUN" or noun.i < owner.i:
            continue
        end = layer.token_offsets(noun)[1]
        if layer.token_offsets(owner.left_edge)[0] != m.start or any(
            s < end and m.start < e for s, e in nominals
        ):
            continue  # the owner is more than the mention, or a nominal character is there
        text = noun.doc.text[owner.left_edge.idx : noun.idx + len(noun)]
        found.append(MentionRef(m.start, end, text, "nominal", None, role=noun.dep_))
        nouns[m.start] = noun.lower_
    return found, nouns


#: White space inside a paragraph (a wrapped line, never a blank one): a quotation in the
#: paragraph before is someone else's ('"Rory?"' / 'She doesn't answer.').
_GAP = r"(?:[^\S\n]|\n(?![^\S\n]*\n))"
#: Between a quotation and the subject pronoun of its tag: '"…," he said', '"…," said he'.
_TAG_AFTER = re.compile(rf"(?:{_GAP}|,)*(?:\w+{_GAP}+)?")
#: Between a tag's subject pronoun and the quotation it opens: 'he said, "…"'.
_TAG_BEFORE = re.compile(rf"{_GAP}+\w+(?:{_GAP}+\w+)?[,:]?{_GAP}*")


def _speech_subject(layer: LanguageLayer, m: MentionRef) -> bool:
    """A narration he/she that is the subject of a speech verb ("he said"), not a negated
    one ("she doesn't answer": a silence, no tag)."""
    if m.kind != "pronoun" or m.in_quote or m.pronoun not in ("male", "female"):
        return False
    token = layer.token_at(m.start)
    if token is None or token.dep_ != "nsubj":
        return False
    verb = token.head
    return verb.lemma_.lower() in SPEECH_VERBS and not any(c.dep_ == "neg" for c in verb.children)


def _tag_quote_names(
    text: str, layer: LanguageLayer, quotes: QuoteIndex, mentions: Sequence[MentionRef]
) -> dict[int, frozenset[str]]:
    """Subject he/she of a quotation's tag -> characters named inside that quotation:
    whom a speaker names ("Tom is late," he said) is seldom the speaker."""
    names = sorted(
        (m.start, m.character) for m in mentions if m.kind == "name" and m.in_quote and m.character
    )
    name_starts = [start for start, _ in names]
    out: dict[int, frozenset[str]] = {}
    for m in mentions:
        if not _speech_subject(layer, m):
            continue
        i = bisect_right(quotes.starts, m.start)
        spans = []
        if i > 0 and _TAG_AFTER.fullmatch(text, quotes.spans[i - 1][1], m.start):
            spans.append(quotes.spans[i - 1])
        if i < len(quotes.spans) and _TAG_BEFORE.fullmatch(text, m.end, quotes.spans[i][0]):
            spans.append(quotes.spans[i])
        named = frozenset(
            c
            for s, e in spans
            for _, c in names[bisect_left(name_starts, s) : bisect_left(name_starts, e)]
        )
        if named:
            out[m.start] = named
    return out


def _clause_object_names(
    layer: LanguageLayer, mentions: Sequence[MentionRef]
) -> dict[int, frozenset[str]]:
    """Subject he/she -> characters named as an object of its own verb: "He smiled at
    Paul" is never Paul (a pronoun does not refer to a name it governs)."""
    names = {m.start: m.character for m in mentions if m.kind == "name" and m.character}
    out: dict[int, frozenset[str]] = {}
    for m in mentions:
        if m.pronoun not in ("male", "female"):
            continue
        token = layer.token_at(m.start)
        if token is None or token.dep_ not in SUBJECT_ROLES:
            continue
        objects = verb_objects(token.head)
        starts = {layer.token_offsets(t)[0] for o in objects for t in (o, o.left_edge)}
        named = frozenset(names[s] for s in starts if s in names)
        if named:
            out[m.start] = named
    return out


def _merge(*maps: Mapping[int, frozenset[str]]) -> dict[int, frozenset[str]]:
    out: dict[int, frozenset[str]] = {}
    for mapping in maps:
        for key, values in mapping.items():
            out[key] = out.get(key, frozenset()) | values
    return out


def _paragraph_starts(text: str, story: Sequence[tuple[int, int]]) -> list[int]:
    starts: list[int] = []
    for s, e in story:
        starts.append(s)
        starts.extend(m.end() for m in re.finditer(r"\n\s*\n|\n(?=\S)", text[s:e]))
    return sorted(starts)


#: Relative pronouns: a relative clause's subject is the noun the clause is about.
RELATIVES = frozenset({"who", "whom", "that", "which"})
#: Clause links across which a subjectless verb shares its head's subject: "He faced about
#: and blessed", "Ada began scolding", "gurgling in his throat, he bent".
SHARED_SUBJECT = frozenset({"conj", "xcomp", "advcl"})


def _clause_verb(token: Token) -> Token:
    """The verb of the clause ``token`` sits in ("his" in "Ada took one of his hats":
    took), or the highest word reached."""
    head = token.head
    for _ in range(8):
        if head.pos_ in ("VERB", "AUX") or head.head.i == head.i:
            break
        head = head.head
    return head


def _subject_token(verb: Token, skip: Token) -> Token | None:
    """The subject of ``verb``'s clause: its own, else (for a subjectless participle,
    infinitive or second verb) its head's; a relative "who" stands for its noun."""
    for _ in range(4):
        for child in verb.children:
            if child.dep_ in SUBJECT_ROLES and child.i != skip.i:
                if child.lower_ in RELATIVES and verb.dep_ == "relcl":
                    return verb.head
                return child
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head  # "a man carrying his bag"
        if verb.dep_ not in SHARED_SUBJECT or verb.head.i == verb.i:
            return None
        if verb.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in verb.head.children):
            return None  # "asked him to go": the object is the one who goes
        verb = verb.head
    return None


def _governing_verb(verb: Token) -> Token | None:
    """The verb of the clause that embeds ``verb``'s ("Ada said that he left": said;
    "when he came in, the doctor opened": opened)."""
    while verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
        verb = verb.head
    if verb.head.i == verb.i:
        return None
    return _clause_verb(verb)


def _syntax(
    layer: LanguageLayer, mentions: Sequence[MentionRef]
) -> tuple[dict[int, int], dict[int, int]]:
    """For each pronoun: the start of the mention that is its clause's subject, and of
    the mention that is the subject of the clause embedding it (when a mention)."""
    starts = [m.start for m in mentions]

    def mention_at(token: Token | None) -> int | None:
        if token is None:
            return None
        offset = layer.token_offsets(token)[0]
        i = bisect_right(starts, offset) - 1
        if i >= 0 and mentions[i].start <= offset < mentions[i].end:
            return mentions[i].start
        return None

    subjects: dict[int, int] = {}
    governors: dict[int, int] = {}
    for m in mentions:
        if m.kind != "pronoun":
            continue
        token = layer.token_at(m.start)
        if token is None:
            continue
        verb = token.head if token.dep_ in SUBJECT_ROLES else _clause_verb(token)
        if token.dep_ not in SUBJECT_ROLES:
            subject = mention_at(_subject_token(verb, token))
            if subject is not None and subject != m.start:
                subjects[m.start] = subject
        upper = _governing_verb(verb)
        if upper is not None:
            governor = mention_at(_subject_token(upper, token))
            if governor is not None and governor != m.start:
                governors[m.start] = governor
    return subjects, governors


def _assign_gender(
    characters: list[Character],
    sentences: list[tuple[int, int]],
    mentions: list[MentionRef],
    canon: dict[str, Gender],
    plural: frozenset[str] = frozenset(),
) -> None:
    """Gender from this text's pronouns, then honorifics, then the first-name lexicon.

    A given character keeps a gender its caller supplied; a group's ("the girls") comes
    from its name alone, since a he/she after it is someone else's.
    """
    votes = gender_mod.pronoun_votes(sentences, mentions)
    for group in plural:
        votes.pop(group, None)
    for c in characters:
        if c.gender != "unknown":
            continue
        cores = {_name_core(f) for f in (c.name, *c.aliases) if f.strip()}
        forms = sorted(cores, key=lambda f: (-len(name_tokens(f)), f))
        title = _title_gender(forms)
        if title == "unknown" and is_description(c):
            title = _noun_gender(c.name)
        first = next(
            (g for f in forms if (g := _given_name(f)) and gender_mod.is_known_name(g)), None
        )
        rank = any(_opening(f) in MOSTLY_MALE_RANKS for f in forms)
        c.gender, _source = gender_mod.decide(
            votes.get(c.id), title, canon.get(c.id), first, rank=rank
        )


def _name_core(form: str) -> str:
    """The name without the words a description puts before it ("young Tobias Fenn" →
    "Tobias Fenn", "the gallant Corwin" → "Corwin"): the name lexicon takes "young"
    and "the" for women's names."""
    words = form.split()
    i = 0
    while i < len(words) - 1 and (words[i][:1].islower() or words[i].lower() in DETERMINERS):
        i += 1
    return " ".join(words[i:])


def _opening(form: str) -> str:
    """The first word of a form, lower case, without a full stop ("M. Valdec" → "m")."""
    words = form.split()
    return words[0].rstrip(".").lower() if words else ""


def _title_gender(forms: Sequence[str]) -> Gender:
    """The gender the forms' honorifics agree on ("Mrs.", "Citoyen"), else unknown."""
    titles = {TITLES[t] for t in (title_of(f) for f in forms) if t}
    titles |= {FOREIGN_HONORIFICS[w] for f in forms if (w := _opening(f)) in FOREIGN_HONORIFICS}
    titles.discard("unknown")
    return titles.pop() if len(titles) == 1 else "unknown"


#: Words after which a description's head noun has been passed ("the daughter of a man").
_HEAD_ENDS = frozenset({"of", "who", "whom", "whose", "that", "which", "with", "in", "at", "from"})


def _noun_gender(description: str) -> Gender:
    """Gender of a description's head noun ("a young woman", "his elder brother, one of
    the clerks"): the first gendered noun before a clause or phrase about it."""
    for raw in description.split():
        word = raw.strip(",;:.!?\"'()").lower()
        if word in _HEAD_ENDS:
            break
        if (g := noun_gender(word)) != "unknown":
            return g
        if raw.endswith(","):
            break
    return "unknown"


def _name_words(c: Character) -> set[str]:
    """Lower-case words of a character's names ("Dr. Grimes" → dr, doctor, grimes)."""
    words = {w.lower().rstrip(".") for f in (c.name, *c.aliases) for w in f.split()}
    if "dr" in words:
        words.add("doctor")
    return words


def _given_name(form: str) -> str | None:
    """The given name a name form opens with, after any honorifics ("Captain John Good"
    → "john"); None for a lone word after an honorific ("Captain Good")."""
    tokens = name_tokens(form)
    i = 0
    while i < len(tokens) and tokens[i] in TITLES:
        i += 1
    titled = i > 0 or bool(title_of(form))
    if i == len(tokens) or (titled and len(tokens) - i < 2):
        return None
    return tokens[i]
