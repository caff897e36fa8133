"""Quotation detection on short hand-written texts, one case per convention or trap."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ficlens.dialogue.paragraphs import paragraphs, uses_blank_lines
from ficlens.dialogue.quotes import QuoteSpan, find_quotes


def spans(text: str, speech_only: bool = False) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text).quotes if q.speech or not speech_only]


def quotes(text: str) -> list[QuoteSpan]:
    return find_quotes(text).quotes


# ------------------------------------------------------------------ conventions


def test_straight_double_quotes() -> None:
    text = '"Put the kettle on," said Mara.\n"It\'s already on," Tobin said.\n'
    result = find_quotes(text)
    assert result.convention == "double"
    assert spans(text) == ['"Put the kettle on,"', '"It\'s already on,"']
    q = result.quotes[0]
    assert text[q.inner_start : q.inner_end] == "Put the kettle on,"
    assert q.opened and q.closed and q.speech


def test_curly_double_quotes() -> None:
    text = "“Where to?” asked the driver.\n\n“North,” she said. “Always north.”\n"
    result = find_quotes(text)
    assert result.convention == "curly_double"
    assert spans(text) == ["“Where to?”", "“North,”", "“Always north.”"]


def test_curly_single_quotes_british() -> None:
    text = (
        "‘You can’t stay here,’ said the warden.\n"
        "‘I’ll stay where I like,’ Pell answered. ‘It’s my mother’s house.’\n"
    )
    result = find_quotes(text)
    assert result.convention == "curly_single"
    assert spans(text) == [
        "‘You can’t stay here,’",
        "‘I’ll stay where I like,’",
        "‘It’s my mother’s house.’",
    ]


def test_straight_single_quotes_with_apostrophes() -> None:
    text = (
        "'I'm not going 'cause it's late,' said Jess.\n"
        "'We'll be back by six o'clock,' said Ravi. 'Rock 'n' roll, remember?'\n"
        "'Leave 'em be. The boys' room is a mess,' Jess's aunt said.\n"
        "'Stay 'til dawn,' she said.\n"
    )
    result = find_quotes(text)
    assert result.convention == "single"
    assert spans(text) == [
        "'I'm not going 'cause it's late,'",
        "'We'll be back by six o'clock,'",
        "'Rock 'n' roll, remember?'",
        "'Leave 'em be. The boys' room is a mess,'",
        "'Stay 'til dawn,'",
    ]


def test_single_quote_text_treats_double_as_nested() -> None:
    text = "'She wrote \"never\" on the wall,' said Ada.\n'Did she?' asked Bo.\n"
    assert find_quotes(text).convention == "single"
    assert spans(text) == ["'She wrote \"never\" on the wall,'", "'Did she?'"]


def test_double_quote_text_treats_single_as_nested() -> None:
    text = '"He said \'run\' and I ran," Ida told me.\n"Good," I said.\n'
    assert find_quotes(text).convention == "double"
    assert spans(text) == ["\"He said 'run' and I ran,\"", '"Good,"']


def test_guillemets_both_directions() -> None:
    text = "«Bonjour», dit-il.\n«Entrez», répondit Marie.\n"
    result = find_quotes(text)
    assert result.convention == "guillemets"
    assert spans(text) == ["«Bonjour»", "«Entrez»"]
    text = "»Guten Tag«, sagte er.\n»Kommen Sie herein«, sagte sie.\n"
    result = find_quotes(text)
    assert result.convention == "guillemets"
    assert spans(text) == ["»Guten Tag«", "»Kommen Sie herein«"]


def test_em_dash_dialogue_runs_to_paragraph_end() -> None:
    text = (
        "The tower stood over the bay.\n\n"
        "—Come down, Finn! Breakfast is ready.\n\n"
        "—In a minute, he called back.\n\n"
        "—Now, Finn! The tea is getting cold, she shouted. Come down this minute.\n"
    )
    result = find_quotes(text)
    assert result.convention == "dash"
    got = [(text[q.start : q.end], q.group, q.opened) for q in result.quotes]
    assert got[0] == ("—Come down, Finn! Breakfast is ready.", 0, True)
    assert got[1][0] == "—In a minute,"
    assert got[2][0] == "—Now, Finn! The tea is getting cold,"
    assert got[3][0] == "Come down this minute."
    assert got[3][1] == got[2][1] and not got[3][2]


def test_double_hyphen_dash_dialogue() -> None:
    text = "--What is your name?\n\n--Tom.\n\n--And your father?\n\nHe looked away.\n"
    result = find_quotes(text)
    assert result.convention == "dash"
    assert spans(text) == ["--What is your name?", "--Tom.", "--And your father?"]


def test_no_quotes_is_none() -> None:
    result = find_quotes("The rain fell all night.\nNobody spoke.\n")
    assert result == type(result)("none", [])


# ------------------------------------------------------------------ structure


def test_speech_interrupted_by_tag_shares_group() -> None:
    text = '"No," he said, "wait for me."\n"Why?" she asked.\n'
    qs = quotes(text)
    assert [text[q.start : q.end] for q in qs] == ['"No,"', '"wait for me."', '"Why?"']
    assert qs[0].group == qs[1].group != qs[2].group


def test_long_narration_between_quotes_starts_new_group() -> None:
    text = (
        '"Fine." She picked up the lantern, checked the wick, trimmed it twice with her '
        "small brass scissors and finally set it back on the hook by the door. "
        '"Let\'s go."\n'
    )
    qs = quotes(text)
    assert len(qs) == 2
    assert qs[0].group != qs[1].group


def test_multi_paragraph_speech() -> None:
    text = (
        '"It began in the winter of the flood. Nobody believed the river could rise so far.\n'
        "\n"
        '"By spring the mill was gone. We never rebuilt it."\n'
        "\n"
        "The fire crackled.\n"
    )
    qs = quotes(text)
    assert len(qs) == 2
    assert not qs[0].closed and qs[1].closed
    assert qs[0].group == qs[1].group
    assert qs[0].paragraph == 0 and qs[1].paragraph == 1
    assert text[qs[0].end - 1] == "."


def test_nested_straight_quotes_stay_one_span() -> None:
    text = '"They used the word "deflower" for sex. Imagine that," said Lou.\n'
    assert spans(text) == ['"They used the word "deflower" for sex. Imagine that,"']


def test_nested_curly_single_inside_curly_double() -> None:
    text = "“He told me ‘never again’ and left,” said Kay.\n"
    assert spans(text) == ["“He told me ‘never again’ and left,”"]


def test_unbalanced_mark_recovers_at_paragraph_end() -> None:
    text = '"Where were you? she asked.\n\nHe did not answer.\n\n"Fine," she said.\n'
    qs = quotes(text)
    assert text[qs[0].start : qs[0].end] == '"Where were you? she asked.'
    assert not qs[0].closed
    assert text[qs[1].start : qs[1].end] == '"Fine,"'
    assert qs[1].closed


def test_hard_wrapped_text_continues_quote_across_lines() -> None:
    body = (
        "The road ran on for miles between the hedges, and the\n"
        "carter kept his eyes on the horse the whole long way.\n"
        "\n"
        '"We shall be there before the dark comes down on the\n'
        'fields," said the carter, "if the mare holds out."\n'
        "\n"
        "The boy said nothing at all, but watched the sky grow\n"
        "grey above the line of the far hills and the river.\n"
        "\n"
    )
    text = body * 3
    assert uses_blank_lines(text)
    qs = quotes(text)
    assert len(qs) == 6
    assert (
        text[qs[0].start : qs[0].end]
        == '"We shall be there before the dark comes down on the\nfields,"'
    )
    assert qs[0].group == qs[1].group


def test_one_line_per_paragraph_text() -> None:
    text = 'He knocked.\n"Come in," she said.\nHe came in.\n"Sit down.\n'
    assert not uses_blank_lines(text)
    qs = quotes(text)
    assert [q.paragraph for q in qs] == [1, 3]
    assert text[qs[1].start : qs[1].end] == '"Sit down.'


def test_spans_limit_search_and_quotes_never_cross_them() -> None:
    text = 'Note: "ignore me"\n\n"Hello," she said. "Bye\n\nnow," he said.\n'
    story = (text.index('"Hello'), text.index("\n\nnow"))
    qs = find_quotes(text, [story]).quotes
    got = [text[q.start : q.end] for q in qs]
    assert got == ['"Hello,"', '"Bye']
    assert all(story[0] <= q.start and q.end <= story[1] for q in qs)


def test_text_is_not_altered_and_offsets_are_absolute() -> None:
    text = 'Intro.\r\n\r\n"Yes," said Al.\r\n'
    qs = quotes(text)
    assert text[qs[0].start : qs[0].end] == '"Yes,"'


# ------------------------------------------------------------------ speech flag


def test_scare_quotes_and_titles_are_not_speech() -> None:
    text = (
        'He had "borrowed" the car again.\n'
        'She was reading "The Long Road" on the train.\n'
        'The word "home" meant nothing to her now.\n'
    )
    qs = quotes(text)
    assert len(qs) == 3
    assert not any(q.speech for q in qs)


def test_a_title_with_its_own_full_stop_is_not_speech() -> None:
    text = (
        'That night they went to see "The Miller of Dee." It was long.\n'
        'The case bore the initials "R. M." in gold.\n'
        'They stopped before the fresco of the "Flight into Egypt." Then they left.\n'
        'Then a loud "Mr. Ross." came from the study.\n'
        'He shouted "Mr. Ross." twice.\n'
        'Then she yelled "GET OUT NOW." and slammed the door.\n'
    )
    assert [q.speech for q in quotes(text)] == [False, False, False, True, True, True]


def test_short_quotes_that_are_speech() -> None:
    text = (
        '"No," he said.\n'
        'He said "no" and left.\n'
        '"Yes" she whispered.\n'
        'Then, quietly: "Run."\n'
        '"Stop!"\n'
    )
    qs = quotes(text)
    assert len(qs) == 5
    assert all(q.speech for q in qs)


def test_quote_in_deeper_indented_paragraph_is_not_speech() -> None:
    text = (
        "She opened the letter.\n\n"
        '     "Dear Ann, the garden is well and we all miss you very much."\n\n'
        '"Well?" asked Tom.\n\n'
        "She folded it.\n"
    )
    qs = quotes(text)
    assert [q.speech for q in qs] == [False, True]


def test_stage_direction_in_parentheses_splits_speech() -> None:
    text = '"I cannot say (turning to the window) that I ever liked him."\n'
    qs = quotes(text)
    assert [text[q.start : q.end] for q in qs] == ['"I cannot say', 'that I ever liked him."']
    assert qs[0].group == qs[1].group and not qs[1].opened
    text = '"I liked him (I think) at first."\n'
    assert spans(text) == [text.strip()]


def test_stage_direction_keeps_its_trailing_comma_or_stop() -> None:
    text = '"And you, (to Priya), will carry the lamp."\n'
    assert spans(text) == ['"And you,', 'will carry the lamp."']
    text = '"We won the vote (cheers). Now we build the bridge."\n'
    assert spans(text) == ['"We won the vote', 'Now we build the bridge."']
    text = '"Wait (pulling on her boots)...for me."\n'
    assert spans(text) == ['"Wait', '...for me."']
    text = '"I am (in an undertone) not staying."\n'
    assert spans(text) == ['"I am', 'not staying."']


def test_written_words_introduced_with_a_colon_are_not_speech() -> None:
    text = (
        'Mika unfolded the napkin and read: "Meet me at the pier. Come alone."\n\n'
        '"Who wrote this?" she asked.\n\n'
        "Below the lamp hung a hand-painted sign:\n\n"
        '"Beware of the geese. They bite."\n\n'
        'Then Theo said: "Nobody reads signs."\n'
    )
    assert spans(text, speech_only=True) == ['"Who wrote this?"', '"Nobody reads signs."']
    text = 'She read the letter twice, then said: "Fine."\n'
    assert spans(text, speech_only=True) == ['"Fine."']


def test_words_a_writing_verb_tags_are_not_speech() -> None:
    text = (
        '"Back by six," wrote Priya on the fridge, "do not touch the cake."\n\n'
        'Sam texted, "running late, save me a slice"\n\n'
        '"Fine," said Priya when she came home. "Who ate it?"\n\n'
        'She showed him the postscript: "The cake is a lie."\n\n'
        '"I never touched it." He had written the note himself.\n\n'
        '"Gone fishing," read Sam from the door.\n\n'
        '"For Mo, with love," was engraved on the lid.\n'
    )
    assert spans(text, speech_only=True) == [
        '"Fine,"',
        '"Who ate it?"',
        '"I never touched it."',
    ]


def test_a_speaker_who_goes_on_to_read_or_write_still_said_the_words() -> None:
    text = (
        '"Fine," she said and read on.\n\n'
        '"Later," he murmured and texted Jess.\n\n'
        '"Soon," she said, then wrote it down.\n'
    )
    assert spans(text, speech_only=True) == ['"Fine,"', '"Later,"', '"Soon,"']


def test_a_tag_after_the_quote_can_say_it_was_never_spoken() -> None:
    text = (
        '"Too late," he felt like answering, "far too late."\n\n'
        '"Take me along," her eyes implored.\n\n'
        '"I\'m fine." Her eyes said otherwise.\n'
    )
    assert spans(text, speech_only=True) == ['"I\'m fine."']


def test_a_quoted_word_a_sentence_talks_about_is_not_speech() -> None:
    text = (
        "Ruth stared at the form.\n\n"
        '"Occupation" was the field she hated most.\n\n'
        '"Yes" was all she said.\n\n'
        '"Fine." Was it, though?\n\n'
        '"Not again" is what everyone says.\n'
    )
    assert spans(text, speech_only=True) == ['"Yes"', '"Fine."', '"Not again"']


def test_words_never_spoken_are_not_speech() -> None:
    text = (
        'Juno wanted to say, "Take me with you," but the bus pulled away.\n\n'
        'Her brother shrugged as much as to say, "Your loss."\n\n'
        "\"I would say, 'Not again,' every time,\" Juno said.\n\n"
        'Every morning he would say, "Coffee first."\n\n'
        'Nell felt like answering: "Then make your own."\n\n'
        'Her eyes said: "Please don\'t."\n\n'
        'Instead of saying, "I missed you," he asked about the weather.\n\n'
        'Ivo nearly said, "Stay." His look which meant, "Go on," was lost on her.\n'
    )
    assert spans(text, speech_only=True) == [
        "\"I would say, 'Not again,' every time,\"",
        '"Coffee first."',
    ]


# ------------------------------------------------------------------ paragraphs


def test_paragraphs_respect_regions() -> None:
    text = "one\ntwo\n\nthree"
    assert paragraphs(text, None, blank_lines=False) == [(0, 3, 0), (4, 7, 0), (9, 14, 0)]
    assert paragraphs(text, [(4, 14)], blank_lines=True) == [(4, 7, 0), (9, 14, 0)]


# ------------------------------------------------------------------ properties

_ALPHABET = st.sampled_from([*"ab .,!?\n'\"“”‘’«»—-() ", "\n\n", "said ", "'em ", "s' "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_spans_are_sorted_disjoint_and_inside_text(text: str) -> None:
    result = find_quotes(text)
    prev_end = 0
    for q in result.quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert q.start <= q.inner_start <= q.inner_end <= q.end
        assert q.start >= prev_end
        prev_end = q.end
    assert result.convention in {
        "double",
        "curly_double",
        "single",
        "curly_single",
        "dash",
        "guillemets",
        "none",
    }


@settings(max_examples=100, deadline=None)
@given(
    st.lists(_ALPHABET, max_size=60).map("".join),
    st.integers(0, 60),
    st.integers(0, 60),
)
def test_quotes_stay_inside_given_spans(text: str, a: int, b: int) -> None:
    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    for q in find_quotes(text, [(lo, hi)]).quotes:
        assert lo <= q.start < q.end <= hi


def test_quoted_letter_is_not_speech() -> None:
    text = (
        '"Read it," said Ann.\n\n'
        '"My dear Tom,\n\n'
        '"The weather is fine and the hens are laying. Come home soon.\n\n'
        '"Yours ever,\n\n'
        '"MOTHER."\n\n'
        '"Well?" he asked.\n'
    )
    qs = quotes(text)
    assert [q.speech for q in qs] == [True, False, False, False, False, True]


def test_letter_salutation_with_a_title_is_a_letter() -> None:
    text = (
        '"Dear Mrs. Okafor,"\n\n'
        '"The pony is sold and the cart with it. I shall send the money on Monday."\n\n'
        '"Yours truly,"\n\n'
        '"R. BELL."\n\n'
        '"Good riddance," said Ada.\n'
    )
    assert [q.speech for q in quotes(text)] == [False, False, False, False, True]


def test_a_salutation_tagged_as_written_opens_a_quoted_letter() -> None:
    text = (
        "Nell wrote that night.\n\n"
        '"Dearest Pip" [wrote Nell],\n\n'
        '"The fair was grand and I won a ribbon for the jam. Mother sends her love.\n\n'
        '"Yours ever,"\n\n'
        '"Nell."\n\n'
        '"Darling, I wrote you," she said later.\n'
    )
    assert [q.speech for q in quotes(text)] == [False, False, False, False, True]


def test_letter_heading_and_two_line_sign_off_are_the_letter() -> None:
    text = (
        "A letter came for Wren.\n\n"
        '"Larch Lane,"\n\n'
        '"Thursday."\n\n'
        '"Dear Wren,"\n\n'
        '"The roof leaks again and the cat has kittens. Do come."\n\n'
        '"Believe me,"\n\n'
        '"Your loving aunt,"\n\n'
        '"Hester."\n\n'
        '"Thursday," said Wren. "Then I go today."\n'
    )
    assert [q.speech for q in quotes(text)] == [False] * 7 + [True, True]
    text = '"Monday."\n\n"Dear me," said Ann.\n\n"Yes, dear," said Tom.\n'
    assert all(q.speech for q in quotes(text))


def test_dear_me_is_not_a_letter() -> None:
    text = '"Dear me!" said Ann.\n\n"Your turn," said Tom.\n'
    assert all(q.speech for q in quotes(text))


def test_overlapping_regions_are_merged_touching_ones_kept_apart() -> None:
    text = '"One," said A. "Two," said B.'
    cut = text.index(' "Two')
    merged = find_quotes(text, [(0, cut + 3), (cut - 2, len(text)), (50, 60)]).quotes
    assert [text[q.start : q.end] for q in merged] == ['"One,"', '"Two,"']
    apart = find_quotes(text, [(0, cut + 3), (cut + 3, len(text))]).quotes
    assert [text[q.start : q.end] for q in apart] == ['"One,"', '"T']
    assert not apart[1].closed


def test_mixed_curly_and_straight_marks_pair_up() -> None:
    text = '“Hello," he said. "Are you there?”\n"Yes,” she said.\n'
    assert spans(text) == ['“Hello,"', '"Are you there?”', '"Yes,”']


def test_convention_is_decided_by_dialogue_not_apostrophes() -> None:
    text = "It's Jess's and Tom's. 'Rock 'n' roll' isn't dead.\n\"Right,\" said Tom.\n"
    assert find_quotes(text).convention == "double"


def test_letter_sign_off_alone_is_not_speech_but_dialogue_after_it_is() -> None:
    text = (
        '"Come home soon."\n\n'
        '"Yours affectionately,"\n\n'
        '"ANN."\n\n'
        "Tom put the letter down.\n\n"
        '"Well," cried Tom at this moment, "I shall go."\n'
    )
    assert [q.speech for q in quotes(text)] == [True, False, False, True, True]


def test_crlf_wrapped_text_with_one_speech_per_line() -> None:
    body = (
        "The road ran on for miles between the hedges, and the\r\n"
        "carter kept his eyes on the horse.\r\n\r\n"
        '"We shall be there soon,"\r\n'
        '"Good," said the boy, "very\r\ngood."\r\n\r\n'
    ) * 4
    qs = quotes(body)
    assert [body[q.start : q.end] for q in qs[:3]] == [
        '"We shall be there soon,"',
        '"Good,"',
        '"very\r\ngood."',
    ]
    assert [q.paragraph for q in qs[:3]] == [1, 2, 2]


def test_dialect_elisions_in_single_quote_text() -> None:
    text = (
        "'I'm goin' 'ome now,' said Alf.\n"
        "He said 'ello to the cat and left.\n"
        "'Right you are,' said Bet.\n"
    )
    assert spans(text) == ["'I'm goin' 'ome now,'", "'Right you are,'"]


def test_a_quoted_nickname_ending_a_narration_sentence_is_not_speech() -> None:
    text = 'The night she had called him "Sparrow". He sighs and turns over.\n'
    [q] = find_quotes(text).quotes
    assert text[q.start : q.end] == '"Sparrow"' and not q.speech
    tagged = '"Stop." He sighs and turns over.\n'
    [t] = find_quotes(tagged).quotes
    assert t.speech


def test_quoted_chapter_title_under_a_heading_is_not_speech() -> None:
    text = (
        "IV\n\n"
        '"A KETTLE FOR TWO"\n\n'
        "The kitchen was cold.\n\n"
        '"NO!"\n\n'
        '"GET OUT"\n\n'
        '"FINE," she said.\n'
    )
    assert spans(text, speech_only=True) == ['"NO!"', '"GET OUT"', '"FINE,"']


def test_words_the_narration_names_are_not_speech() -> None:
    text = (
        'The bar was, as Jo put it, "a dump!" She went anyway.\n\n'
        'He kept the nickname "Ace," Jo added, for luck.\n\n'
        'She found a jar labelled, "Best Jam."\n\n'
        '"I hate the word," she said. Then she said, "Cosy."\n'
    )
    assert spans(text, speech_only=True) == ['"I hate the word,"', '"Cosy."']
