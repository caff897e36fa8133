"""The cue lexicons (ours, written for ficlens): ``kind → [(weight, regex fragment)]``.

Fragments are matched case-insensitively between word boundaries; ``(?-i:…)`` marks the
few that must keep their case ("dick" the word, not Dick the name). Weights say how sure a
single match is: 1 for an unambiguous cue, less for words with innocent senses ("moaned"
in grief, "breast" as chest, "blood" in "blood pressure"). Figurative uses that would
otherwise read as violence ("this heat is killing me", "she could have strangled him", "kicking
myself") are simply not in the lists: every violence cue needs a victim or a wound.
"""

from __future__ import annotations

from typing import Final

from ficlens.tagging.cues import Lexicon

_PRON = r"(?:him|her|them|me|us|you|it|himself|herself|themselves)"
_HIS = r"(?:his|her|their|my|your|our)"
_NOT_KIN = (
    r"(?!,?\s+(?:mom|mum|mommy|mummy|mama|mother|dad|daddy|papa|father|grandma|grandpa"
    r"|granny|nana|gran|sis|bro|auntie|aunt|uncle)\b)"
)
""""I love you, Mom" is no confession."""
_AGE = (
    r"(?:[1-9]|1[0-7]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen)"
)

STORY_CUES: Final[list[tuple[str, list[tuple[float, str]]]]] = [
    # ---------------------------------------------- phrases first (first match wins)
    (
        "noncon",
        [
            (
                1.0,
                r"sexual(?:ly)?\s+assault\w*|forced\s+(?:himself|herself|themselves)\s+(?:on|upon)",
            ),
            (1.0, r"rap(?:e|ed|es|ing|ist)|non-?con(?:sensual)?|molest\w*"),
            (0.8, r"against\s+" + _HIS + r"\s+will|(?:didn't|did\s+not|couldn't)\s+consent"),
        ],
    ),
    (
        "violence_graphic",
        [
            (
                1.0,
                r"blood\s+(?:sprayed|spurted|gushed|poured|pooled|splattered|spattered|everywhere)",
            ),
            (1.0, r"(?:pool|puddle|spray|splatter|river)s?\s+of\s+blood|blood-?soaked"),
            (
                1.0,
                r"(?:skull|bones?|ribs?|jaw|nose)\s+(?:cracked|crunched|shattered|snapped|splintered)",
            ),
            (1.0, r"slit\s+" + _HIS + r"\s+throat|bled\s+out|brains?\s+(?:splattered|spilled)"),
            (
                1.0,
                r"gore|gory|entrails|intestines|disembowel\w*|dismember\w*|decapitat\w+|behead\w*",
            ),
            (1.0, r"mutilat\w+|impal\w+|eviscerat\w+|gouged"),
            (0.5, r"tortur(?:e|ed|ing|es)"),  # often figurative ("tortured by doubt")
            (0.8, r"flesh\s+(?:tore|ripped|torn|split)|severed"),
        ],
    ),
    (
        "violence|death",
        [
            (
                1.0,
                r"(?:killed|murdered)\s+(?:him|her|them)|shot\s+(?:him|her|them)\s+dead|shot\s+dead",
            ),
            (1.0, r"murder(?:ed|ing|s)?"),
        ],
    ),
    (
        "death",
        [
            (1.0, r"passed\s+away|(?:last|final|dying)\s+breath|stopped\s+breathing|no\s+pulse"),
            (
                1.0,
                r"bod(?:y|ies)\s+(?:was|were)\s+found"
                r"|(?:at|to|by|beside|over|on|visited)\s+(?:his|her|their)\s+grave"
                r"(?!\s+(?:look|face|voice|tone|express|manner|air|smile|eye)\w*)",
            ),
        ],
    ),
    (
        "violence",
        [
            (1.0, r"punch(?:ed|es|ing)?\s+" + _PRON),
            (1.0, r"slapp?(?:ed|ing)?\s+" + _PRON),
            (1.0, r"(?:kicked|kicking)\s+(?:him|her|them|me|us)(?!self)"),
            (1.0, r"stab\s+wounds?|stabb(?:ed|ing)|stabs?\s+(?:him|her|them)"),
            (1.0, r"shot\s+(?:him|her|them|me)|gunshot\w*|gun\s?fire|strangl\w+"),
            (1.0, r"(?:kills|killing)\s+(?:him|her|them)"),
            (
                0.8,
                r"beat(?:en|ing)?\s+(?:him|her|them|me)\s+up|beat\s+(?:him|her|them)\s+(?:senseless|to)",
            ),
            (0.8, r"(?:guns?|pistol|rifle|knife|knives|blade|sword)\s+(?:to|at|against|into)\s"),
            (0.6, r"blood(?!\s+(?:pressure|type|relative|test))|bleed(?:ing|s)?|bled|bloodied"),
            (0.6, r"wounded|bruised|bruises|injur(?:ed|ies|y)"),
        ],
    ),
    (
        "sex_explicit",
        [
            (
                1.0,
                r"thrust(?:s|ed|ing)?\s+(?:into|inside)\s+(?:him|her|me)|thrust(?:s|ed|ing)?\s+deeper",
            ),
            (0.8, r"inside\s+(?:him|her)\s+(?:hard|deep|slowly)|grind(?:ed|ing)?\s+against"),
            (1.0, r"blow\s?jobs?|finger(?:ed|ing)\s+(?:him|her)(?:self)?|masturbat\w+|lube"),
            (1.0, r"(?:his|my|your|hard|thick)\s+(?:cock|dick)s?|balls\s+deep"),
            (1.0, r"fuck(?:ed|ing|s)?\s+(?:her|him|me|you)\s+(?:hard\w*|deep\w*|slow\w*|into)"),
            (1.0, r"penis|vagina|clit\w*|puss(?:y|ies)|erection|hard-on"),
            (0.5, r"(?-i:cock)s?"),  # a hat is cocked, a cock crows
            (1.0, r"orgasm\w*|climax(?:ed|ing)|semen|cum(?:ming|s)?"),
        ],
    ),
    (
        "sex_implied|virginity",
        [
            (1.0, r"(?:lost|lose|losing)\s+" + _HIS + r"\s+virginity"),
        ],
    ),
    (
        "sex_implied",
        [
            (0.65, r"(?:made|make|making|makes)\s+love"),  # also courting, in older novels
            (1.0, r"(?:slept|sleep|sleeping)\s+together"),
            (0.7, r"(?:slept|sleeping)\s+with\s+(?:him|her|them)"),
            (1.0, r"(?:had|have|having)\s+sex"),
            (1.0, r"tangled\s+(?:in|among)\s+(?:the\s+)?sheets|afterglow"),
            (
                0.8,
                r"(?:pulled|dragged|led|carried|pushed)\s+"
                + _PRON
                + r"\s+(?:down\s+)?(?:on\s*to|onto|into|to|towards?)\s+(?:the|"
                + _HIS
                + r")\s+(?:bed|bedroom)",
            ),
            (
                0.8,
                r"(?:took|pulled|tugged|stripped)\s+off\s+"
                + _HIS
                + r"\s+(?:shirt|dress|bra|pants|jeans|clothes|underwear|boxers)",
            ),
            (0.5, r"(?:unbutton|unzipp?|unhook)(?:ed|ing|s)?"),
            (0.6, r"nipples?|bare\s+(?:chest|skin|breasts?)|condoms?"),
            (0.3, r"breasts?"),
        ],
    ),
    ("sex_suggestive|virginity", [(1.0, r"deflower\w*"), (0.6, r"virginity")]),
    # "the Virgin", "virgin snow": weak, and only in lower case
    ("virginity", [(0.3, r"(?-i:virgins?)")]),
    ("virginity", [(0.6, r"(?:first\s+time|first\s+night)\s+(?:together|with\s+(?:him|her))")]),
    (
        "sex_suggestive",
        [
            (1.0, r"made\s+out\s+with|mak(?:es|ing)\s+out\s+with|make-?out\s+session"),
            (0.6, r"mak(?:e|es|ing)\s+out"),  # also "discern", in older novels
            (
                0.8,
                r"(?:roam(?:ed|ing)?|wander(?:ed|ing)?)\s+(?:"
                + _HIS
                + r"\s+)?hands|hands\s+roam\w*",
            ),
            (1.0, r"turned\s+(?:him|her|me|them)\s+on"),
            (1.0, r"lust(?:ful|ed|ing)?|seductive(?:ly)?|provocative(?:ly)?|flirtatious(?:ly)?"),
            (
                1.0,
                r"arous(?:ed|al|ing)|horny|sexy|sexual(?:ly)?(?!\s+(?:harassment|orientation|identity))",
            ),
            (0.5, r"sex"),  # "the fair sex" in a classic novel: weak alone, counted by density
            (0.6, r"(?:half-)?naked|nude|undress(?:ed|ing)?|lingerie|hickeys?"),
            (0.4, r"moan(?:ed|s|ing)?"),
            (1.0, r"straddl\w+|grop(?:ed|ing)"),
        ],
    ),
    (
        "minor_age",
        [
            (1.0, _AGE + r"[- ]years?[- ]olds?"),
            (
                1.0,
                r"underage|under-age|a\s+minor(?!\s+(?:character|detail|injury|problem|role|key))",
            ),
            (0.6, r"(?:high|middle|junior\s+high)\s+school(?:ers?)?|freshman|sophomore"),
        ],
    ),
    (
        "first_kiss",
        [
            (1.0, r"first\s+kiss|kiss(?:ed)?\s+(?:him|her|them)\s+for\s+the\s+first\s+time"),
            (1.0, r"(?:our|their|his|her)\s+lips\s+(?:met|touched)\s+for\s+the\s+first\s+time"),
        ],
    ),
    (
        "established",
        [
            (1.0, r"I\s+love\s+you\s+too|love\s+you\s+too"),
            (1.0, r"told\s+each\s+other\s+(?:that\s+)?they\s+loved\s+each\s+other"),
            (
                1.0,
                r"(?:our|their)\s+anniversary|(?:been|were)\s+(?:dating|together)\s+for",
            ),
            (
                1.0,
                r"(?:our|their)\s+(?:last|first)\s+(?:night|date|time)\s+together|(?:our|their)\s+first\s+date",
            ),
            (1.0, r"moved\s+in\s+together|(?:my|your)\s+(?:boyfriend|girlfriend|husband|wife)"),
        ],
    ),
    (
        "love_said",
        [
            (
                1.0,
                r"(?:I\s+love\s+you|I'm\s+in\s+love\s+with\s+you|I\s+(?:have\s+|'ve\s+)?"
                r"(?:always\s+)?loved\s+you|I'll\s+always\s+love\s+you)" + _NOT_KIN,
            ),
            (
                1.0,
                r"(?:said|told\s+(?:her|him|me))\s+(?:that\s+)?(?:he|she|I)\s+loved\s+(?:her|him|me)",
            ),
            (1.0, r"confess(?:ed|es|ing|ion)?\s+(?:" + _HIS + r"\s+)?(?:love|feelings)"),
        ],
    ),
    (
        "together",
        [
            (
                1.0,
                r"(?:start|beginning)\s+of\s+(?:a\s+|their\s+|that\s+|our\s+|the\s+)?(?:new\s+)?relationship",
            ),
            (
                1.0,
                r"(?:asked|ask|asking)\s+(?:her|him|me|you)\s+out|be\s+my\s+(?:girlfriend|boyfriend)|go\s+out\s+with\s+me",
            ),
            (
                1.0,
                r"(?:finally|are\s+now)\s+together|(?:are|were)\s+together\s+now|belong(?:ed)?\s+together"
                r"|it\s+was\s+a\s+beginning",
            ),
        ],
    ),
    (
        "breakup",
        [
            (1.0, r"(?:broke|break|breaking|broken)\s+up|break-?up"),
            (1.0, r"dump(?:ed|ing)\s+(?:him|her|me|you)|split\s+up|divorc\w+"),
            (0.8, r"(?:we're|we\s+are)\s+over(?=[.!])|ended\s+(?:it|things)\s+with"),
        ],
    ),
    (
        "reunion",
        [
            (
                1.0,
                r"after\s+(?:all\s+)?(?:these|those|so\s+many)\s+years|first\s+time\s+in\s+(?:weeks|months|years)",
            ),
            (
                1.0,
                r"(?:hadn't|haven't|had\s+not|have\s+not)\s+seen\s+(?:him|her|you|each\s+other|them)",
            ),
            (
                1.0,
                r"(?:came|come|coming|comes)\s+back|(?:you're|you\s+are|he's|she's|you\s+were|I'm)\s+back",
            ),
            (1.0, r"return(?:ed|ing|s)?|reunit\w+|reunion"),
            (
                0.6,
                r"(?:in|for)\s+(?:almost\s+|nearly\s+|over\s+)?(?:a|one|two|three|four|five|\d+)\s+(?:years?|months)",
            ),
        ],
    ),
    (
        "phone",
        [
            (
                1.0,
                r"(?:over|on|down)\s+the\s+line|(?:end|side)\s+of\s+the\s+line|the\s+line\s+(?:went|goes|deaden\w*|clicked)|line\s+(?:went|goes)\s+dead",
            ),
            (1.0, r"(?:tele|cell\s?|mobile\s)?phones?|cellphones?|voicemail|answering\s+machine"),
            (1.0, r"dial(?:ed|led|ing)\s+(?:the|" + _HIS + r")\s+number|dial\s+tone"),
        ],
    ),
    (
        # words with other senses (a hat is hung up, bells ring): only beside a strong cue
        "phone_weak",
        [
            (1.0, r"dial(?:ed|led|ing|s)?|hung\s+up|hang(?:s|ing)?\s+up|receiver"),
            (0.7, r"(?:the\s+)?ringing|(?:it)\s+rang|put(?:ting)?\s+it\s+to\s+(?:his|her)\s+ear"),
        ],
    ),
    (
        "comfort",
        [
            (
                1.0,
                r"(?:pulled|wrapped|took|gathered)\s+(?:her|him|them)\s+in(?:to)?\s+"
                + _HIS
                + r"\s+arms",
            ),
            (
                1.0,
                r"(?:held|holding|hold)\s+(?:her|him|them)(?:\s+(?:close|tight\w*|until|in\s+"
                + _HIS
                + r"\s+(?:strong\s+)?arms))?",
            ),
            (
                1.0,
                r"(?:wiped|wipes|brushed|kissed)\s+(?:away\s+)?" + _HIS + r"\s+tears(?:\s+away)?",
            ),
            (1.0, r"strok(?:ed|ing)\s+" + _HIS + r"\s+(?:back|hair|cheek)"),
            (
                1.0,
                r"(?:it's|it\s+is|everything(?:'s|\s+is|\s+will\s+be|\s+would\s+be))\s+(?:going\s+to\s+be\s+)?(?:okay|ok|alright|all\s+right|fine)",
            ),
            (0.8, r"there\s+for\s+(?:her|him|them|you)|help\s+(?:her|him)\s+heal"),
            (0.8, r"(?:please\s+)?don't\s+cry|shh+|make\s+(?:the|your|her|his)\s+pain\s+go\s+away"),
            (1.0, r"comfort\w*|sooth\w*|consol(?:e|ed|ing)|reassur\w+"),
            (1.0, r"hug(?:ged|ging|s)?|embrac(?:e|ed|ing)"),
        ],
    ),
    (
        "romance",
        [
            (
                1.0,
                r"(?:fallen|fell|falling|be|being|was|is|am|I'm)\s+in\s+love|love\s+of\s+"
                + _HIS
                + r"\s+life",
            ),
            (1.0, r"(?:boy|girl)friends?|romantic\w*|(?:first|a|our|their|on\s+a)\s+date"),
            (0.8, r"hand\s+in\s+hand|held\s+hands|holding\s+hands"),
        ],
    ),
    ("kiss", [(1.0, r"kiss(?:ed|es|ing)?")]),
    # ---------------------------------------------------------------- single words
    ("hurt", [(1.0, r"injur(?:ed|ies|y)|wounds?|bleed\w*|bruis\w+|fever\w*|hospital\w*")]),
    (
        "death",
        [
            (1.0, r"died|dies|death|killed|lifeless"),
            (
                1.0,
                r"dead(?!\s+(?:tired|serious|silen\w+|end|set|of\s+night|giveaway|cent(?:er|re)"
                r"|still|quiet|asleep|wrong|right|last|on|ahead|straight|meat|drunk|weight|beat"
                r"|to\s+(?:me|him|her|us|them|the\s+world)))",
            ),
            (1.0, r"funeral|graveside|gravestone|headstone|coffin|casket"),
        ],
    ),
    (
        "swear_strong",
        [
            (1.0, r"(?:mother)?fuck\w*|f(?:[-—–*]+)(?:c?k|in[g']?|ing)\w*"),
            (1.0, r"shit\w*|bullshit|sh[*]+t|goddamn(?:ed|it)?"),
            (1.0, r"son\s+of\s+a\s+bitch|bitch(?:es|y|ing)?|asshole\w*|arsehole\w*"),
            (1.0, r"cunts?|(?-i:dick)(?:head)?s?|twat"),
        ],
    ),
    (
        "swear_mild",
        [
            (1.0, r"damn(?:ed|it|s)?|hell\s+(?:no|yes)|crap(?:py)?|bastards?"),
            (0.8, r"(?:the|to|like|bloody|what|go)\s+hell"),
            (1.0, r"(?:half|dumb|bad|jack|smart|kick)-?ass(?:es|ed)?"),
            (0.6, r"(?-i:ass)(?:es)?"),
            (1.0, r"piss(?:ed|es|ing)?|(?:bugger|sod)(?:\s+off)?|screw\s+(?:you|it|this|that)"),
            (0.8, r"bloody(?=\s+(?:hell|idiot|stupid|fool|git|brilliant))"),
        ],
    ),
    ("laugh", [(1.0, r"laugh(?:ed|s|ing|ter)?|chuckl\w+|giggl\w+|snicker\w*")]),
    (
        "humor",
        [
            (1.0, r"jok(?:e|es|ed|ing)|sarcas(?:m|tic\w*)|tease[ds]?|teasing\w*|amused|amusement"),
            (1.0, r"funny|hilarious"),
            (0.7, r"smirk\w*|wink(?:ed|s)?|roll(?:s|ed)?\s+" + _HIS + r"\s+eyes"),
        ],
    ),
    (
        "joy",
        [
            (1.0, r"smil(?:e|ed|es|ing)|grin(?:s|ned|ning)?|happ(?:y|ily|iness)|joy\w*|delight\w*"),
            (
                0.8,
                r"beam(?:ed|ing)|cute|sweet(?:ly|ness)?|adorabl\w+|cuddl\w+|snuggl\w+|playful(?:ly)?",
            ),
        ],
    ),
    (
        "sad",
        [
            (
                1.0,
                r"cri(?:ed|es)|cry(?:ing)?|tears?|tear-streaked|sob(?:s|bed|bing)?|wept|weep(?:ing|s)?",
            ),
            (1.0, r"heartbr\w+|grie(?:f|v\w*)|mourn\w*|despair\w*|miser(?:able|y)|sorrow\w*"),
            (0.7, r"hurt(?:s|ing)?|pain(?:ful)?|broken|ache|aching|lonely|regret\w*|sniffl\w+"),
            (0.7, r"devastat\w+|wretched|alone"),
            (
                1.0,
                r"heart\w*\s+(?:to\s+)?(?:break|broke|shatter\w*)|hate[sd]?\s+(?:him|her|my)self",
            ),
            (0.6, r"angry|anger|furious|guilt\w*|haunt\w*|defeat(?:ed)?"),
        ],
    ),
    (
        "fear",
        [
            (1.0, r"afraid|scared|terrified|terror|fear(?:ed|ful|s)?|panic\w*|dread\w*"),
            (0.6, r"anxi(?:ety|ous\w*)|nervous\w*|trembl\w+"),
        ],
    ),
]

NOTE_CUES: Final[list[tuple[str, list[tuple[float, str]]]]] = [
    (
        "au",
        [
            (
                1.0,
                r"(?-i:AU)|alternat(?:e|ive)\s+universe|(?:modern|college|high\s+school|coffee\s+shop|human|no\s+powers)\s+(?-i:AU)",
            ),
        ],
    ),
    (
        "divergence",
        [
            (
                1.0,
                r"what\s+if|canon\s+divergen\w+|diverg(?:es|ed|ence)\s+from|alternat(?:e|ive)\s+ending",
            ),
            (
                1.0,
                r"(?:never|didn't|did\s+not)\s+happen(?:ed)?|instead\s+of\s+(?:what\s+happened|in\s+the\s+show)",
            ),
        ],
    ),
    (
        "missing",
        [
            (
                1.0,
                r"missing\s+(?:scene|moment)s?|coda|(?:a\s+|an\s+)?(?:episode\s+)?tag\s+(?:to|for)",
            ),
            (
                1.0,
                r"takes?\s+place\s+(?:right\s+|directly\s+|just\s+|sometime\s+)?(?:after|during|between|before)",
            ),
            (1.0, r"set\s+(?:right\s+|directly\s+|just\s+|sometime\s+)?(?:after|during|between)"),
            (
                1.0,
                r"what\s+(?:happened|happens|might\s+have\s+happened)\s+(?:after|next|between)|post-?ep(?:isode)?",
            ),
        ],
    ),
    ("rewrite", [(1.0, r"re-?writ(?:e|es|ten|ing)|rewrote|re-?telling|my\s+version\s+of")]),
    (
        "postcanon",
        [
            (
                1.0,
                r"post-?canon|post-?series|post-?finale|after\s+the\s+(?:series|show|finale|revival)",
            ),
            (0.8, r"(?:series|show)\s+finale|(?:years|decade)\s+later"),
        ],
    ),
]

STORY_LEXICON: Final = Lexicon(STORY_CUES)
"""Everything read in the story text, compiled once: one pass over a novel."""
NOTE_LEXICON: Final = Lexicon(NOTE_CUES)
"""What authors' notes and summaries say about the work's relation to canon."""
