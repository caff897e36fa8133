"""The narrative stage: person, tense, focal character, viewpoint splits and slips.

Every text here is written for the test; each assertion could fail on a wrong stage.
"""

from __future__ import annotations

from itertools import pairwise

import ficlens
from ficlens import pipeline
from ficlens.model import Analysis
from ficlens.narrative.spans import Cursor


def _name(a: Analysis, cid: str) -> str:
    return next(c.name for c in a.characters if c.id == cid)


def _slips(a: Analysis, kind: str) -> list[str]:
    return [a.text[s.start : s.end] for s in a.narrative.slips if s.kind == kind]


def test_stage_runs_right_after_dialogue() -> None:
    order = pipeline.STAGE_ORDER
    assert order.index("narrative") == order.index("dialogue") + 1
    names = [s.name for s in pipeline.build_stages(disable=["characters"])]
    assert "narrative" not in names  # it needs the characters stage


def test_cursor_answers_membership_for_growing_offsets() -> None:
    cursor = Cursor([(10, 20), (15, 30), (40, 45)])
    got = [cursor.inside(x) for x in (0, 10, 19, 25, 30, 39, 44, 45)]
    assert got == [False, True, True, True, False, False, True, False]


FIRST_PRESENT = (
    "I walk into the kitchen before anyone else is awake. My coffee is cold, so I pour it "
    "out and start again.\n\n"
    "I sit by the window and watch the street. I know the bus is late. My sister comes "
    "down the stairs and I wave at her.\n\n"
    "She ignores me, as usual, and I laugh at her."
)


def test_first_person_present() -> None:
    a = ficlens.analyze(FIRST_PRESENT)
    assert (a.narrative.person, a.narrative.tense) == ("first", "present")
    assert a.narrative.person_share is not None and a.narrative.person_share > 0.5
    assert any(e.cue.startswith("first person") for e in a.narrative.evidence)
    assert any(e.cue.startswith("present") for e in a.narrative.evidence)
    for e in a.narrative.evidence:
        assert a.text[e.start : e.end] in e.cue
    # The focal character of first-person narration is the narrator the characters
    # stage found (unnamed here).
    assert [_name(a, c) for c in a.narrative.focal] == ["Narrator"]
    assert all(s.pov.focal == a.narrative.focal for s in a.scenes)


SECOND_PRESENT = (
    "You wake before dawn. You pull on your boots and step into the yard, where the frost "
    "bites your fingers.\n\n"
    "You watch your breath rise. You know the day will be long, and you do not mind."
)


def test_second_person_present() -> None:
    a = ficlens.analyze(SECOND_PRESENT)
    assert (a.narrative.person, a.narrative.tense) == ("second", "present")


PAST_WITH_PRESENT_DIALOGUE = (
    "Mara Quill walked into the station and looked for Tobias.\n\n"
    '"I am here, and I am tired, and you are late," he says to nobody. "We are going home '
    'now. I know the way. You are coming with me, and the train leaves soon. It is cold."\n\n'
    '"You are right, it is cold, and I hate it. I want tea. I need sleep. We are both '
    'idiots," Mara said.\n\n'
    "She took his arm."
)


def test_quotes_do_not_count_for_tense_or_person() -> None:
    a = ficlens.analyze(PAST_WITH_PRESENT_DIALOGUE)
    assert a.narrative.tense == "past"
    assert a.narrative.person == "third"


PRESENT_WITH_FLASHBACK = (
    "Nell sits on the porch and waits for the rain. She counts the cars on the road.\n\n"
    "Flashback\n\n"
    "Nell was nine. She ran through the field and fell. Her father carried her home. "
    "He laughed at her scraped knees. She cried anyway. The house smelled of bread. "
    "They ate at the long table.\n\n"
    "End Flashback\n\n"
    "She smiles at the memory. The rain comes at last, and she goes inside."
)


def test_flashback_is_not_evidence_and_not_a_slip() -> None:
    a = ficlens.analyze(PRESENT_WITH_FLASHBACK)
    assert a.flashbacks, "the structure stage should find the marked flashback"
    assert a.narrative.tense == "present"
    assert a.narrative.tense_share == 1.0  # the flashback's many past verbs are excluded
    assert _slips(a, "tense") == []


TENSE_SLIP = (
    "Nell opens the door and steps into the hall. The house is quiet. She hangs her coat "
    "on the hook.\n\n"
    "She met Owen two years ago, at a wedding. Nell hears a sound upstairs. She walked to "
    "the stairs. She listens. Nothing moves, so she climbs."
)


def test_tense_slip_found_and_backstory_spared() -> None:
    a = ficlens.analyze(TENSE_SLIP)
    assert a.narrative.tense == "present"
    assert _slips(a, "tense") == ["walked"]
    slip = next(s for s in a.narrative.slips if s.kind == "tense")
    assert "walked" in slip.message and "present" in slip.message


PRESENT_IN_PAST = (
    "Mara walked to the window and looked out at the rain. The street was empty. A dog "
    "barked somewhere, and a car passed. She turned away and picked up her coat.\n\n"
    "She waited for a long time. She opens the door. She stepped out into the cold. "
    "Rain is wet, as everyone knows. She shivered."
)


def test_present_slip_in_past_narration_but_not_commentary() -> None:
    a = ficlens.analyze(PRESENT_IN_PAST)
    assert a.narrative.tense == "past"
    assert _slips(a, "tense") == ["opens"]


def test_idiom_with_an_object_possessor_is_no_slip() -> None:
    text = (
        "Owen had fallen asleep on the floor. She shook him awake and got him to his feet. "
        "She rolled her eyes at him and sighed."
    )
    a = ficlens.analyze(text)
    assert _slips(a, "viewpoint") == []
    flipped = ficlens.analyze(text.replace("rolled her eyes", "rolled his eyes"))
    assert _slips(flipped, "viewpoint") == ["She rolled his eyes"]


def test_viewpoint_idiom_slip() -> None:
    text = (
        "Owen leans on the railing and stares at the river. He swears under her breath. "
        "He thinks about the letter.\n\nHe shakes his head and swears under his breath again."
    )
    a = ficlens.analyze(text)
    assert _slips(a, "viewpoint") == ["He swears under her breath"]
    message = a.narrative.slips[0].message
    assert "under his breath" in message


def test_named_subject_idiom_needs_a_trusted_gender() -> None:
    # Canon knowledge fixes Rory Gilmore's gender; a gender guessed for an invented name
    # from the text alone could be wrong, so such a subject is never a slip.
    canon = ficlens.analyze(
        "Rory Gilmore sat with Jess Mariano at the counter of the diner. Rory rolled his "
        "eyes at the menu. Jess laughed at her, and she laughed too."
    )
    assert _slips(canon, "viewpoint") == ["Rory rolled his eyes"]
    invented = ficlens.analyze(
        "Mara Quill sat with Tobias Wren at the counter of the diner. Mara rolled his eyes "
        "at the menu. Tobias laughed at her, and she laughed too."
    )
    assert _slips(invented, "viewpoint") == []


ALTERNATING = (
    "Nell Pryor sits at the kitchen table and stares at the phone. She wonders if Owen will "
    "call tonight. She knows he is angry. She feels the weight of every word she said, and "
    "she hates herself for it.\n\n"
    "She remembers his face when she left. She thinks about calling him first. Her heart "
    "pounds. She decides to wait, and she hopes she is right.\n\n"
    "Owen Hale walks along the dark river with his hands in his pockets. He thinks about "
    "the argument. He wonders why he said those things. He knows he was wrong, and he "
    "feels sick about it.\n\n"
    "He remembers the way her voice broke. He wants to call her. His stomach twists. He "
    "realizes that he is afraid, and he notices the cold for the first time.\n\n"
    "Nell picks up the phone and puts it down again. She wonders what she would say. She "
    "knows that pride is a poor reason to stay silent. She feels tired.\n\n"
    "She thinks of the summer they met. She wants it back. Her mind races, and she "
    "realizes she is crying."
)


def test_unmarked_viewpoint_shift_splits_the_scene() -> None:
    a = ficlens.analyze(ALTERNATING)
    opened = [s for s in a.scenes if s.opened_by == "viewpoint"]
    assert len(opened) >= 2
    focals = [_name(a, s.pov.focal[0]) for s in a.scenes]
    assert focals[:3] == ["Nell Pryor", "Owen Hale", "Nell Pryor"]
    assert a.text[opened[0].start :].startswith("Owen Hale walks")
    assert [s.index for s in a.scenes] == list(range(len(a.scenes)))
    for prev, nxt in pairwise(a.scenes):
        assert prev.end <= nxt.start
    assert all(s.pov.evidence for s in a.scenes)
    assert {_name(a, c) for c in a.narrative.focal} == {"Nell Pryor", "Owen Hale"}


SINGLE_VIEWPOINT = (
    "Nell Pryor sits at the kitchen table and stares at the phone. She wonders if Owen will "
    "call tonight. She knows he is angry.\n\n"
    "Owen comes in without knocking. He drops his keys on the counter. He takes off his "
    "coat. He pours a glass of water and drinks it.\n\n"
    '"You waited," he says.\n\n'
    "Owen sits down across from her. He folds his hands. He looks at the table.\n\n"
    "She watches him and wonders what he will say. She feels her heart race. She knows "
    "this is the moment, and she hopes he sees it too."
)


def test_single_viewpoint_is_not_split() -> None:
    a = ficlens.analyze(SINGLE_VIEWPOINT)
    assert [s.opened_by for s in a.scenes] == ["structure"]
    assert [_name(a, c) for c in a.scenes[0].pov.focal] == ["Nell Pryor"]
    assert [_name(a, c) for c in a.narrative.focal] == ["Nell Pryor"]
    assert a.scenes[0].pov.person == "third"
    assert a.scenes[0].tense == "present"


def test_camera_prose_follows_the_character_it_is_about() -> None:
    # No thoughts or feelings anywhere: the viewpoint is the clearly leading subject.
    text = (
        "Mara Quill crossed the yard at dawn. She opened the shed and took down the rope. "
        "She coiled it over her shoulder.\n\n"
        "Mara walked to the river. She tied the boat to the post and climbed in. A heron "
        "lifted off the bank. Ben Sorrel waved from the bridge.\n\n"
        "She rowed out past the reeds and let the current take her.\n"
    )
    a = ficlens.analyze(text)
    assert [_name(a, c) for c in a.scenes[0].pov.focal] == ["Mara Quill"]
    assert a.scenes[0].pov.evidence


def test_no_focal_when_two_characters_share_the_camera() -> None:
    text = (
        "Mara Quill crossed the yard. Ben Sorrel opened the gate.\n\n"
        "Mara took the rope. Ben took the oars.\n\n"
        "Mara rowed. Ben steered.\n"
    )
    a = ficlens.analyze(text)
    assert a.scenes[0].pov.focal == []


# A scene in Nell's head, then a last paragraph that is about her but thinks Owen's
# thoughts: only Owen's mind is entered there ("she had her private thoughts" describes Nell
# from outside), so it is his viewpoint.
CLOSING_SHIFT = (
    "Nell Pryor sat by the window and watched the rain. She wondered if she had been too "
    "harsh. She knew she would not sleep. She felt her chest tighten and she hoped the "
    "morning would come soon.\n\n"
    "She thought of the letter on the table. She remembered every word of it and she "
    "wished she could forget.\n\n"
    "Yet Nell should have guessed Owen Hale was not done. Nell was stubborn, and she "
    "had her private thoughts on the matter, but that had never stopped him before. He had "
    "watched her walk away once already and would not do it again. He knew the road to "
    "her town by heart. "
    "He packed a bag that night, left the city before dawn, and drove north without "
    "stopping once, the radio off and the wipers beating the whole way there. The road "
    "ran along the river for an hour and then climbed into the hills, and he took every "
    "bend faster than the signs allowed.\n"
)


def test_a_last_paragraph_in_another_mind_becomes_its_own_scene() -> None:
    a = ficlens.analyze(CLOSING_SHIFT)
    assert [s.opened_by for s in a.scenes] == ["structure", "viewpoint"]
    assert [_name(a, s.pov.focal[0]) for s in a.scenes] == ["Nell Pryor", "Owen Hale"]
    assert a.text[a.scenes[1].start :].startswith("Yet Nell should have guessed")


def test_strong_paragraph_with_one_character_or_a_sole_mind() -> None:
    from collections import defaultdict

    from ficlens.narrative.focal import Paragraph
    from ficlens.narrative.scan import Cue

    def para(words: int, scores: dict[str, float], cues: list[Cue]) -> Paragraph:
        return Paragraph(
            start=0,
            words=words,
            scores=defaultdict(float, scores),
            minds={c.character for c in cues if c.weight >= 1.5},
            cues=cues,
        )

    knew = Cue("owen", 3.0, 0, 2, "He knew", sure=True)
    alone = para(120, {"owen": 8.0}, [knew])  # nobody else in it: clear at any length
    assert alone.strong and alone.label == "owen"
    topic = para(120, {"owen": 7.0, "nell": 6.0}, [knew])  # Nell its topic, Owen its mind
    assert topic.label == "owen" and topic.strong
    short = para(70, {"owen": 7.0, "nell": 6.0}, [knew])
    assert not short.strong  # a short paragraph needs the clear lead
    unsure = para(120, {"owen": 7.0, "nell": 6.0}, [Cue("owen", 3.0, 0, 2, "He knew")])
    assert unsure.label is None  # a thinker resolved by coreference alone is not enough
