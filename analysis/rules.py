"""Rule-based claim extractor: exact on the scripted templates, and reads how LLM players talk.

It reads one sentence at a time, tries patterns from the most specific (an inspection result)
to the least (a bare suspicion), and lets each stretch of text yield at most one claim, so
"I checked player_2, she's a wolf" is one inspection claim rather than also an accusation.
One pattern reads whatever is said after a subject: a run of link words ("is", "seems",
"kinda", "probably just a plain") then a predicate (wolf words, clean words, a role), with
negation and hedges read from the link words. Subjects are players as written (player_3, P3,
"Player 3"), lists of them (one claim each), pronouns (the player, or the players listed,
named last) and "you" (the player addressed). The sentences' claims are then joined: a result
in the next sentence completes its inspection, "so is X" repeats the claim for X. Questions,
conditionals, reported speech, quotations and sarcasm assert nothing. notes/
extraction_readme.md says what the rules read and miss, with their measured agreement.

Linear time on any input (speech is capped at 4,000 characters, and LLMs repeat themselves):
whitespace runs are folded to one space first, so no two adjacent whitespace quantifiers can
split a run between them; every repeated group is possessive (`*+`, Python 3.11) and its
alternatives are disjoint, so a failing match never retries a repetition another way (the old
adverb group held "confirmed" in two alternatives: 2^n ways to fail, 18 s for 224 characters);
runs that can start at every name of a list are bounded (six players), so a run of names costs
a bounded scan per name; a pattern is tried only on sentences holding one of its key words;
everything a claim needs from the rest of its sentence (clause breaks, hedge and negation
words, the inspection result) is found by one scan of the sentence and looked up by bisection;
and the steps across sentences look at a bounded window of claims.
tests/test_analysis_rules_fuzz.py holds every input up to the cap to 50 ms.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from functools import cached_property, lru_cache

from analysis.claims import NOT_WOLF, WOLF, ExtractedClaim, Utterance

SELF = -1  # placeholder subject for the speaker, filled in per utterance
_SOME_DAY = "some day"  # a vote claim naming no day; RuleExtractor maps it by phase
_PRONOUN = -2  # placeholder subject for "she/he/they": the last player named before it
MAX_CHARS = 4000  # the env's speech cap: the fuzz test holds every input up to it to 50 ms

_SPACE = re.compile(r"\s+")
_WOLF = (
    r"(?:a\s+|the\s+|one\s+of\s+the\s+|on\s+the\s+)?"
    r"(?:(?:second|last|other|third|final|real|actual)\s+)?(?:were)?wol(?:f|ves)(?:\s+team)?"
)
_NOT_WOLF = (
    r"(?:not\s+(?:a\s+|the\s+|one\s+of\s+the\s+)?(?:were)?wol(?:f|ves)|clean|innocent|"
    r"village(?:r)?(?:\s+team|\s+side)?|on\s+the\s+village\s+(?:team|side)|town|good|not\s+evil)"
)
_RESULT = re.compile(rf"\b(?P<clean>{_NOT_WOLF})\b|\b(?P<wolf>{_WOLF}|evil)\b", re.I)
_HEDGE = re.compile(
    r"\b(think|thinking|believe|feel|suspect|guess|probably|maybe|perhaps|might|may|could|"
    r"seems?|looks?|likely|possibly|gut|sense|wonder|suspicious|sus|bet|imo|leaning)\b",
    re.I,
)
_NEGATED = re.compile(
    r"\b(don'?t|do\s+not|doesn'?t|didn'?t|can'?t|cannot|couldn'?t|wouldn'?t|won'?t|"
    r"(?<!no )doubt|no\s+way|not\s+sure|hard\s+to\s+believe|never)\b",
    re.I,
)
# A hedge just after the claim ("player_2 is the wolf, I think"); anchored at the claim's end.
_AFTER_HEDGE = re.compile(
    r"[^.;!?]{0,40}?\b(I'?m\s+pretty\s+sure|as\s+far\s+as\s+I\s+can\s+tell|I\s+think|"
    r"in\s+my\s+(?:book|opinion|view)|I\s+guess|probably|I\s+feel)\b",
    re.I,
)
# A quotation: an opening quote after a non-word character, apostrophes inside words (I'm)
# allowed, closed by a quote before a non-word character; bounded and possessive.
_QUOTED = re.compile(r"(?<!\w)(?:'(?:[^'\n]|'(?=\w)){1,160}+'|\"[^\"\n]{1,200}+\")(?!\w)")
_CONDITIONAL = re.compile(
    r"\b(if(?!\s+(?:I\s+had\s+to\s+(?:guess|pick|bet|choose)|you\s+ask\s+me|I'?m\s+(?:being\s+)?"
    r"honest|anything|you\s+made\s+me\s+(?:pick|choose)))|whether|unless|suppose|what\s+if|"
    r"in\s+case|assuming)\b",
    re.I,
)
_CLAUSE = re.compile(r",\s*(?:but|and|while|whereas|so)\s+|;|\s+but\s+|\s+[—–-]\s+|:\s+")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_HEDGEABLE = ("accusation", "defence", "plan", "role_claim", "night_claim")

Claim = tuple[str, int | None, str, bool]
Make = Callable[[re.Match[str], "_Scan"], list[tuple]]


def _names_alternatives(names: tuple[str, ...], groups: bool = True) -> str:
    """A seat's name as written: player_3, Player 3, player3, p3, P3, or the table's name."""
    alts = "|".join(sorted({re.escape(_SPACE.sub(" ", n)) for n in names}, key=len, reverse=True))
    words = "|".join(_NUMBER_WORDS)
    if not groups:  # inside a repeated list, where a named group may not appear
        return rf"player[\s_]?\d+|player\s+(?:{words})|p_?\d+|{alts}"
    return rf"player[\s_]?(?P<num>\d+)|player\s+(?P<word>{words})|p_?(?P<pnum>\d+)|(?P<name>{alts})"


_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    )
}


class _Spans:
    """Non-overlapping matches of one pattern in a sentence, queried by position."""

    __slots__ = ("ends", "starts")

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        found = [m.span() for m in pattern.finditer(text)]
        self.starts = [a for a, _ in found]
        self.ends = [b for _, b in found]

    def covers(self, pos: int) -> bool:
        """Whether a match spans position `pos`."""
        i = bisect_right(self.starts, pos)
        return i > 0 and self.ends[i - 1] > pos

    def inside(self, lo: int, hi: int) -> bool:
        """Whether a match lies wholly within text[lo:hi]."""
        # Matches do not overlap, so ends grow with starts: the first match starting at or
        # after `lo` is the one that ends first.
        i = bisect_left(self.starts, lo)
        return i < len(self.starts) and self.ends[i] <= hi


class _Scan:
    """One sentence with what claims look up in it, each found by a single pass on first use."""

    def __init__(self, text: str) -> None:
        self.text = text

    # Most sentences hold no claim at all: each pass runs only once a match needs it.
    @cached_property
    def cuts(self) -> list[int]:
        """Where each clause break ends."""
        return [m.end() for m in _CLAUSE.finditer(self.text)]

    @cached_property
    def cond(self) -> _Spans:
        """Conditional words ("if", "unless")."""
        return _Spans(_CONDITIONAL, self.text)

    @cached_property
    def neg(self) -> _Spans:
        """Negations ("don't", "doubt")."""
        return _Spans(_NEGATED, self.text)

    @cached_property
    def quoted(self) -> _Spans:
        """Quotations ('I'm the doctor', "clean")."""
        return _Spans(_QUOTED, self.text)

    @cached_property
    def reported(self) -> _Spans:
        """Words that report someone's saying ("says", "claims", "told us")."""
        return _Spans(_REPORTED, self.text)

    @cached_property
    def hedge(self) -> _Spans:
        """Hedge words ("think", "probably")."""
        return _Spans(_HEDGE, self.text)

    @cached_property
    def results(self) -> list[tuple[int, int, bool]]:
        """Inspection results (start, end, clean?)."""
        return [(m.start(), m.end(), m.group("clean") is not None)
                for m in _RESULT.finditer(self.text)]  # fmt: skip

    def when(self, pos: int) -> str:
        """The day a vote claim at `pos` names, from its clause: yesterday, today, or last."""
        i = bisect_right(self.cuts, pos)
        lo = self.cuts[i - 1] if i else 0
        hi = self.cuts[i] if i < len(self.cuts) else len(self.text)
        for low in (self.text[lo:hi].lower(), self.text.lower()):
            if "yesterday" in low:
                return "yesterday"
            if "today" in low or "this morning" in low:
                return "today"
        return _SOME_DAY

    def clause_start(self, pos: int) -> int:
        """Where the clause holding `pos` begins (after the last break that ends before it)."""
        i = bisect_right(self.cuts, pos)
        return self.cuts[i - 1] if i else 0

    def result_from(self, pos: int) -> tuple[int, int, bool] | None:
        """The first inspection result (start, end, clean?) at or after `pos`."""
        i = bisect_left(self.results, (pos, -1, False))
        return self.results[i] if i < len(self.results) else None


_YOU = -3  # placeholder subject for "you": the player addressed
_THEY = -4  # "they/them": the players named together just before (a list), or the last one
# Kinds that live only inside one reading: an inspection whose result is in a neighbouring
# sentence ("I checked player_4 last night. She's a werewolf."), a bare result ("p6, wolf"),
# and "so is X" (the claim just made, about X too).
_PENDING, _RESULT_KIND, _DITTO = "_pending", "_result", "_ditto"

# Words that may stand between a subject and what is said of it ("player_3 is probably just a
# plain villager", "p2 seems kinda sus", "you're definitely the wolf"). One whole word per
# repetition, each alternative a distinct word, the repetition possessive: no way to split a
# run between alternatives, so a failing match never retries it. None of them is a predicate
# word below (a possessive run would swallow the predicate and never give it back).
_LINK = (
    r"is|isn'?t|'s|are|aren'?t|'re|was|wasn'?t|were|weren'?t|be|been|must|has|have|to|"
    r"gotta|definitely|def|clearly|obviously|certainly|absolutely|surely|really|actually|"
    r"probably|prob|likely|possibly|maybe|totally|just|so|very|super|pretty|kinda|sorta|quite|"
    r"highly|most|seems?|seemed|looks?|looked|feels?|felt|reads?|sounds?|smells?|giving|gives|"
    r"like|as|might|could|may|would|also|too|both|all|still|not|never|no|"
    r"the|a|an|our|your|their|my|his|her|real|true|actual|confirmed|known|proven|plain|simple|"
    r"humble|ordinary|regular|vanilla|loyal|basic|another|other|second|third|last|final|only|"
    r"flipped|turned|out|literally|kind\s+of|sort\s+of|bit|well|for\s+sure|certain|100%|"
    r"gonna|going|showing|acting|coming|came|up|sooo|hella|mega|genuinely|truly|honestly|"
    r"basically|clearly|surely|deffo|def|100\s+percent"
)

_WOLF_PRED = (
    r"(?:were)?wol(?:f|ves|fy|fie)|evil|sus(?:sy)?|suspicious|shady|scummy|scum|fishy|sketchy|"
    r"guilty(?:\s+as\s+sin)?|bad\s+news|"
    r"off|mafia|partners?|pack|pair|baddies|bad\s+guys?|working\s+together|in\s+cahoots|"
    r"one\s+of\s+(?:the\s+)?(?:were)?wol(?:f|ves)|one\s+of\s+them|"
    r"one\s+I'?m\s+(?:watching|eyeing|worried\s+about|most\s+suspicious\s+of)"
)
_CLEAN_PRED = (
    r"clean|innocent|town(?:ie|y)?|good(?:\s+guys?)?|village(?!r)|legit|solid|trustworthy|honest|"
    r"genuine|reliable|fine|harmless|reasonable|one\s+of\s+us|one\s+of\s+the\s+good\s+(?:guys|ones)|"
    r"on\s+(?:our|my|the\s+(?:village|good|town))"
    r"\s+(?:side|team)|not\s+evil"
)
_ROLE_PRED = r"seer|doctor|doc|medic|healer|villager"
# Words one of which every branch after a subject needs (see `need` in _Reader.__init__).
_AFTER_SUBJECT_WORDS = (
    "wol|evil|sus|shady|scum|fishy|sketchy|off|mafia|partner|pack|pair|bad|together|cahoots|guilty|"
    "one of|clean|innocent|town|good|village|legit|solid|trust|honest|genuine|reliable|fine|"
    "harmless|reasonable|seer|doc|medic|healer|too|as well|for me|it is|my vote|goes today|"
    "guess|out|will|'ll|going|gonna|survived|target|attacked|fake|dead|not a|evil|go|trusted|"
    "side|team|watching|eyeing|worried|kill|taken|eaten"
)
_ASIDE = (
    r"\s*,\s*(?:on\s+the\s+other\s+hand|though|however|honestly|frankly|imo|tbh|in\s+my\s+"
    r"(?:view|opinion|eyes|book))\s*,"
)
# One link word, "'s"/"'re", an aside set off by commas, or "<word> and" ("chill and town").
_PRED_WORD = rf"(?:{_WOLF_PRED}|{_CLEAN_PRED}|{_ROLE_PRED})\b"
# "<word> and": the word is read whole (possessive) and checked against the predicates only
# once " and" is seen to follow, so the common failing case costs one word, not a lookahead.
_LINK_RE = (
    rf"(?:'s|'re|{_ASIDE}|(?:\s+(?:{_LINK}|(?=[a-z]++\s+and\b)(?!{_PRED_WORD})[a-z]++\s+and))"
    r"(?![\w']))"
)
_NOT_A_PRED = (
    r"(?!\s+(?:list|result|results|claim|claims|call|check|checks|story|vote|votes|talk|hunt|"
    r"hunting|pick|role|card|reveal|flip|counter|power|chat|move|behaviou?r|logic|kill))"
)
# One free word before a role or wolf ("a bluffing villager"), unless it undoes the role.
_FREE_WORD = (
    r"(?:\s+(?=[a-z-]++\s+(?:seer|doctor|doc|medic|healer|villager|(?:were)?wolf)\b)"
    r"(?!(?:fake|false|claimed|supposed|alleged|pretend|wannabe|so-called|counter|self|"
    r"not|no|never)\b)[a-z-]++)?"
)
_HEDGE_LINK = re.compile(
    r"\b(?:seems?|seemed|looks?|looked|feels?|felt|reads?|sounds?|smells?|giving|gives|"
    r"probably|prob|likely|possibly|maybe|might|could|may|kinda|sorta|like)\b",
    re.I,
)
_SUS_WORDS = re.compile(r"^(?:sus|sussy|suspicious|shady|scummy|fishy|sketchy|off|wolfy)$", re.I)
_SINGULAR = re.compile(
    r"\s*(?:is|'s|was|isn'?t|wasn'?t|seems|looks|feels|reads|sounds|has)\b", re.I
)
_KILLED = re.compile(r"[^.;]{0,40}?\b(?:killed|taken|eaten|murdered)\b", re.I)
_AND = re.compile(r"\b(?:and|&)\b", re.I)
_SARCASM = re.compile(r"\b(?:oh,?\s+(?:sure|yeah|right)|yeah,?\s+right|sure,?\s+sure)\b", re.I)
_NOT = re.compile(r"\b(?:not|never|no)\b|n'?t\b", re.I)
_REPORTED = re.compile(
    r"\b(?:(?<!gut )(?<!heart )says?|said|claims|claimed|told|tells|thinks|according\s+to|"
    r"accus(?:ed|es|ing)|"
    r"calling|called|insists?|insisted|swears?|swore|pretending|pretends?|asks?|asked|"
    r"thought)\b",
    re.I,
)
# "one of p0 and p6 is a wolf", "at least one of them": no single subject.
_NO_SINGLE = re.compile(r"(?:\bone\s+of(?:\s+the)?|\beither|\bbetween)\s*$", re.I)
_INSPECT_CONTEXT = re.compile(
    r"\b(?:checked|inspected|inspect|check|investigated|n\d|night\s+\d|results?|seer)\b", re.I
)


class _Reader:
    """The patterns of one table's names, compiled once."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.lookup = {_SPACE.sub(" ", n).lower(): i for i, n in enumerate(names)}
        alternatives = _names_alternatives(names)
        self.name_re = re.compile(rf"\b(?:{alternatives})\b", re.I)
        self.element_re = re.compile(rf"\b(?:{alternatives}|(?P<me>me|myself))\b", re.I)
        plain = _names_alternatives(names, groups=False)
        name = rf"(?:{plain})\b"
        one = rf"(?:{plain}|me)\b"
        # A list of players: "p6 and p0", "player_1, player_2 and player_4", "p2 p7 and me"
        # (a comma-only list is sorted out by its reader: `_comma_list_object`, `_SINGULAR`).
        # Runs are bounded (longer lists are not said), so a match starting at each name of a
        # long run of names scans a bounded stretch: linear, not quadratic, in its length; and a
        # list does not start just after "/", "&", "<digit> " or "<digit> and " (it started at
        # the name before), which spares re-reading the runs of player_N names.
        listed = (
            rf"(?<![/&])(?<![/&]\s)(?<!\d\s)(?<!\d\sand\s){name}"
            rf"(?:(?:\s*[,/]\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+(?:then\s+)?|\s+){one}){{0,4}}+"
        )
        who = rf"(?P<who>{listed}|me|myself|she|he|they|her|him|them|you|u)\b"
        self.who = who
        # Whom "you" addresses: a name set off by commas or a dash, or followed by "you".
        self.vocative_re = re.compile(
            r"(?:^\W*(?:(?:and|but|so|ok|okay|well|oh|also|look|listen|hey|sorry|thanks|thank\s+you|"
            r"ty|honestly|wait|yes|no|nah|yeah)\W+)?|[,;:—–]\s*)"
            rf"(?P<v>(?:{plain})(?:\s*,\s*(?:{plain})){{0,3}})\s*"
            r"(?=,|:|—|–|\s+-|\s+you\b|\s+u\b|\s+sorry\b|\s*[.!?]*$|"
            r"\s+I\s+(?:think|know|bet|guess|reckon|swear|feel)\s+you)",
            re.I,
        )
        pats: list[tuple[re.Pattern[str], Make, bool]] = []

        needs: list[tuple[str, ...]] = []

        def add(pattern: str, make: Make, *, rest: bool = False, need: str = "") -> None:
            # `rest`: the claim reaches to a result later in the sentence, and the pattern
            # reads one claim per sentence. `need`: words (|-separated, lower case) of which a
            # sentence must hold one for the pattern to be tried at all: a substring test
            # costs far less than a regular expression tried at every word.
            pats.append((re.compile(pattern, re.I), make, rest))
            needs.append(tuple(need.split("|")) if need else ())

        inspect_verb = (
            r"(?:inspected|inspect|checked|investigated|scanned|looked\s+(?:at|into)|peeked\s+at|"
            r"read|used\s+my\s+(?:power|ability|vision|check)\s+on|saw\s+into|probed)"
        )
        # Inspection with a result later in the sentence: "I checked player_4 ... clean".
        inspected = (
            "check|inspect|investigat|scan|look|peek|read|used|saw|probe|result|vision|"
            "came back|showed up|turned up"
        )
        add(
            rf"\bI(?:\s+\w+ly)?\s+{inspect_verb}\s+{who}",
            self._inspection,
            rest=True,
            need=inspected,
        )
        add(
            r"\b(?:my|last\s+night'?s)\s+(?:first\s+|second\s+|third\s+|last\s+|latest\s+|own\s+)?"
            r"(?:inspection|check|result|vision|reading)\s+(?:last\s+night\s+|yesterday\s+)?"
            r"(?:was\s+|is\s+|showed\s+|shows\s+|revealed\s+|confirmed\s+|came\s+back\s+on\s+)?"
            rf"(?:that\s+)?(?:on\s+|of\s+|for\s+|into\s+)?{who}",
            self._inspection,
            rest=True,
            need=inspected,
        )
        add(
            rf"\b{who}\s+(?:came\s+back|checked\s+out|showed\s+up|turned\s+up)\s+(?:as\s+)?",
            self._inspection_back,
            rest=True,
            need="came back|checked out|showed up|turned up",
        )
        # Casual result lists: "n1: p8, clean", "night 1 I checked p1, clean", "last night p6".
        add(
            r"^\W*(?:n\d+|night\s+(?:\d+|one|two|three)|(?:the\s+)?first\s+night|last\s+night)"
            rf"\s*[:,-]?\s*{who}",
            self._result_cue,
            rest=True,
        )
        # Role claims about oneself, team-only claims and "I'm not a wolf".
        role = r"(?P<role>seer|doctor|doc|medic|healer|villager|werewolf|wolf)"
        mods = (
            r"(?:(?:actually|really|just|only|simply|definitely|honestly|truly|the|a|an|one|real|but|"
            r"true|humble|simple|plain|ordinary|regular|loyal|your|confirmed|innocent|still|"
            r"literally|basically|genuinely|obviously|clearly|also|certainly|100%|totally|"
            r"vanilla|boring|lowly|normal|btw|last|other|second|third|final|lone)\s+){0,8}+"
        )
        i_am = r"\bI(?:'m|\s+am|m)"
        add(rf"{i_am}\s+not\s+{_WOLF}\b", lambda m, s: [("defence", SELF, NOT_WOLF)])
        add(rf"\bI(?:'m|\s+am|m|\s+was)\s+{mods}{role}\b", self._role)
        add(r"^\s*(?P<role>seer|doctor)\s+here\b", self._role)  # "Seer here."
        # "p5 wasn't the doc, I am", "player_2 can't be the doctor, because I am."
        add(
            r"\b(?:the|a|our)\s+(?P<role>seer|doctor|doc)\s*(?:[,;—–-]|,?\s+(?:because|since|as|"
            r"cause|cuz))\s*I\s+am\b(?!\s+(?:not|a|an|the|just|\w+ing)\b)",
            self._role,
        )
        add(
            r"\b(?:somebody|someone)\s+(?:here\s+)?(?:is|'s)\s+(?:the\s+|our\s+)?"
            r"(?P<role>seer|doctor|doc)\b",
            lambda m, s: [("role_claim", None, _ROLE_WORDS[m.group("role").lower()])],
        )
        add(rf"{i_am}\s+not(?=\s*[;.!—–]|\s*$)", lambda m, s: [("defence", SELF, NOT_WOLF)])
        add(rf"\bme\s+(?:and|&)\s+{who}(?=\s*(?:both|too)?\W*$)", self._ditto,
            need="me and|me &")  # fmt: skip
        add(
            r"(?:^|[,;:—–])\s*(?:and\s+|but\s+|so\s+|well\s+)?as\s+(?:the|a|an)\s+"
            rf"(?:humble\s+|simple\s+|plain\s+)?{role}\b",
            self._role,
        )
        add(rf"\bmy\s+role\s*(?:is|:)\s*(?:the\s+|a\s+)?{role}\b", self._role)
        add(rf"\bI\s+(?:hold|have|got)\s+(?:the\s+)?{role}\s+(?:role|card)\b", self._role)
        add(
            rf"\bI(?:'m|\s+am)?\s+claim(?:ing)?\s+(?:to\s+be\s+)?(?:the\s+|a\s+)?{role}\b",
            self._role,
        )
        add(
            rf"{i_am}\s+(?P<team>town|village|innocent|clean)\s*,\s*{mods}{role}\b",
            lambda m, s: [
                ("defence", SELF, NOT_WOLF) if m.group("team").lower() in ("innocent", "clean")
                else ("role_claim", SELF, "village"), *self._role(m, s)],
        )  # fmt: skip
        add(
            rf"{i_am}\s+{mods}(?:on\s+the\s+)?(?:village|town)(?:\s+team|\s+side)?\b",
            lambda m, s: [("role_claim", SELF, "village")],
        )
        add(
            rf"{i_am}\s+(?:completely\s+|totally\s+|100%\s+)?(?:innocent|clean)\b",
            lambda m, s: [("defence", SELF, NOT_WOLF)],
        )
        # Night events.
        add(
            r"\bI\s+was\s+(?:attacked|targeted|the\s+(?:were)?wol(?:f|ves)'?s?\s+target|"
            r"(?:the|their)\s+target|the\s+one\s+(?:attacked|targeted|(?:they|the\s+wolves)\s+"
            r"(?:\w+\s+)?(?:attacked|targeted|went\s+(?:for|after)|came\s+(?:for|after))))|"
            r"\bI\s+survived\s+(?:an|the|their)\s+attack|\b(?:the\s+)?doctor\s+saved\s+me\b|"
            r"\b(?:someone|somebody)\s+(?:tried\s+to\s+kill|attacked|went\s+after|came\s+for)\s+me\b|"
            r"\bit\s+was\s+me\s+(?:they|the\s+wolves)\s+(?:\w+\s+)?(?:attacked|targeted|"
            r"went\s+(?:for|after)|came\s+(?:for|after))",
            lambda m, s: [("night_claim", SELF, "attacked")],
            need="attack|target|survived|saved|went|came|kill",
        )
        add(
            r"\b(?:(?:the\s+)?(?:were)?wol(?:f|ves)|they|the\s+pack)\s+"
            r"(?:(?:must|might|may)\s+have\s+)?(?:\w+\s+)?"
            r"(?:attacked|targeted|(?:went|gone)\s+(?:after|for)|came\s+(?:after|for)|tried\s+to\s+kill|"
            rf"got|killed|took|picked|ate|hit)\s+{who}",
            self._attacked,
            need="wol|they|pack",
        )
        add(rf"\bI\s+(?:protected|saved|healed|shielded|guarded|covered)\s+{who}", self._protected,
            need="protected|saved|healed|shielded|guarded|covered")  # fmt: skip
        # Votes cast (past tense; "I will vote for X" is a plan, below).
        add(
            r"\bI\s+(?:\w+\s+)?voted\s+(?:for\s+|against\s+|to\s+(?:eliminate|lynch|exile)\s+|"
            rf"out\s+)?{who}",
            self._vote,
            need="voted",
        )
        add(rf"(?:^\W*|[,;]\s*|\band\s+)(?:(?:gg|ok|so|and|also|yeah|well|yes|just)\W+){{0,3}}+"
            rf"voted\s+(?:for\s+)?{who}",
            self._vote, need="voted")  # fmt: skip
        add(rf"\bI\s+was\s+on\s+{who}", self._vote, need="was on")
        add(rf"\bI\s+(?:\w+\s+)?cast\s+my\s+vote\s+(?:for|on|against)\s+{who}", self._vote,
            need="cast")  # fmt: skip
        add(rf"\b(?:switched|changed|moved)\s+(?:my\s+vote\s+)?(?:over\s+)?to\s+{who}", self._vote,
            need="switched|changed|moved")  # fmt: skip
        add(
            r"\bmy\s+(?P<lastvote>last\s+|first\s+|final\s+)?(?:vote|ballot)\s+(?:\w+\s+)?"
            rf"(?:went\s+to|was\s+(?:for|on|against))\s+{who}",
            self._vote,
            need="vote|ballot",
        )
        add(rf"\bmy\s+(?P<lastvote>last\s+)vote\s*,\s*(?:on|for|against)\s+{who}", self._vote,
            need="vote")  # fmt: skip
        # Plans (intentions, proposals) and predictions: claims the ground truth never decides.
        will = (
            r"(?:'ll|\s+will|\s+shall|'m\s+going\s+to|\s+am\s+going\s+to|'m\s+gonna|\s+plan\s+to|"
            r"\s+intend\s+to|\s+want\s+to|'d\s+like\s+to|\s+would\s+like\s+to|m\s+gonna|"
            r"\s+am\s+gonna)"
        )
        act = (
            r"(?:vot(?:e|ing)(?:\s+(?:for|against|out|on|to\s+(?:eliminate|lynch|exile|remove)))?|"
            r"lynch|eliminate|exile|remove|get\s+rid\s+of|kick\s+out|take\s+out|"
            r"cast\s+my\s+vote\s+(?:for|on|against)|put\s+my\s+vote\s+on|"
            r"protect|save|heal|guard|inspect|check|investigate|kill|target|"
            r"start\s+(?:on|with)|go\s+with|stick\s+with|push)"
        )
        intends = "'ll|will|shall|going|gonna|plan|intend|want|like"
        add(rf"\bI{will}\s+(?:\w+\s+)?{act}\s+{who}", self._intent, need=intends)
        add(
            rf"\bI{will}\s+(?:\w+\s+)?(?:check|inspect|protect|investigate|save)\s+"
            r"(?:someone|somebody|another|a\s+new|a\s+different)\b",
            lambda m, s: [("plan", None, "intent")],
            need=intends,
        )
        add(
            rf"\bI(?:'m|\s+am|m)\s+(?:\w+\s+)?(?:voting|going\s+with|sticking\s+with|"
            r"putting\s+my\s+vote\s+(?:on|towards?|behind))\s+"
            rf"(?:for\s+|against\s+|out\s+|to\s+(?:eliminate|lynch|exile|remove)\s+)?{who}",
            self._intent,
            need="voting|going with|sticking|putting",
        )
        add(rf"\bI\s+(?:\w+\s+)?vote\s+(?:for\s+|against\s+|out\s+)?{who}", self._intent,
            need="vote")  # fmt: skip
        # Proposals: "let's vote out X", "we should vote X", "the doctor should protect X",
        # and a bare imperative opening the sentence ("Vote player_5.", "voting p6 too").
        add(
            r"\b(?:let'?s|let\s+us|I'?d\s+like\s+(?:everyone|everybody|us|you\s+all|y'all)\s+to|"
            r"(?:we|you|y'all|everyone|everybody|(?:the\s+)?(?:doctor|doc|seer))"
            r"\s*,?\s+(?:should|must|need\s+to|have\s+to|ought\s+to|better))\s+(?:all\s+)?"
            rf"(?:just\s+)?{act}\s+{who}",
            self._intent,
            need="let|should|must|need|have to|ought|better|like",
        )
        add(
            r"(?:^|[—–;]\s*)\W*(?:(?:please|so|now|ok|okay|then|and|fine|alright|anyway|just|same)"
            r"\W+){0,4}+(?:(?:gonna|going\s+to)\s+)?(?:vote|voting|lynch|eliminate)\s+"
            r"(?:with\s+me\s+)?"
            rf"(?:for\s+|out\s+|on\s+)?{who}",
            self._intent,
            need="vot|lynch|eliminat",
        )
        add(
            r"\bmy\s+vote(?:'s|\s+(?:\w+\s+)?(?:goes\s+(?:to|on)|is\s+going\s+(?:to|on)|is|"
            r"will\s+(?:go\s+(?:to|on)|be)))\s+"
            rf"(?:for\s+|on\s+|against\s+|to\s+)?{who}",
            self._intent,
            need="vote",
        )
        add(rf"\b(?:put\s+me\s+down|count\s+me\s+in)\s+(?:for|on)\s+{who}", self._intent,
            need="put me|count me")  # fmt: skip
        add(rf"\btoday\s*,?\s+it'?s\s+{who}", self._intent, need="today")
        add(rf"(?:[,;]\s*|\band\s+)(?:still\s+|also\s+|now\s+)?vot(?:ing|e)\s+(?:for\s+)?{who}",
            self._intent, need="vot")  # fmt: skip
        add(rf"^\W*(?P<who>{name})\W*$", self._intent)  # "p5." alone: a vote named
        # A sentence opening on a player and closing on a verdict: "P7 jumping on me first
        # thing is sus", "player 2 was weirdly chill about p7 dying, kinda scummy".
        add(
            r"^\W*(?:(?:ok|okay|so|and|also|honestly|idk|tbh|imo|yeah|but|if\s+anything)\W+){0,4}+"
            rf"(?P<who>{name}(?:\s+(?:and|&)\s+{name})?)\s+(?:both\s+)?[a-z]"
            r"[^.;!?]{0,160}?(?:\b(?:is|'s|that'?s|reads|feels|seems|looks)\s+|,\s*)"
            r"(?:kinda\s+|so\s+|pretty\s+|really\s+|super\s+|very\s+|a\s+)?"
            r"(?:sus|suspicious|scummy|shady|fishy|sketchy|wolfy|telling|classic\s+wolf)\b"
            r"(?:\s+(?:in\s+itself|to\s+me|imo|tbh|ngl|tho|lol|honestly|af|fr))*+\W*$",
            self._accuse_hedged,
            need="sus|scum|shady|fishy|sketchy|wolf|telling",
        )
        add(
            r"\b(?:one|either)\s+of\s+(?:those|these|the|you|them)(?:\s+(?:two|three))?\s+"
            r"(?:is|must\s+be|has\s+to\s+be|'s)\s+(?:a\s+|the\s+)?(?:were)?wol(?:f|ves)\b",
            lambda m, s: [("accusation", None, WOLF)],
            need="one of|either of",
        )  # "one of those two is a wolf": no single subject
        # "One wolf left and it's player_1"
        add(
            rf"\bwol(?:f|ves)\b(?:\s+[\w']+){{0,5}}?\s+(?:and\s+)?it'?s\s+{who}",
            self._accuse,
            need="it",
        )
        add(rf"\balong\s+with\s+{who}(?=\W*$)", self._ditto, need="along")
        add(rf"(?:^\W*(?:and\s+|then\s+)?|,\s*){who}\s+(?:today|tomorrow|next)\b", self._intent,
            need="today|tomorrow|next")  # fmt: skip
        add(
            r"\b(?:(?:the\s+)?(?:were)?wol(?:f|ves)|they)\s+(?:will|'ll|are\s+going\s+to|"
            r"are\s+gonna|'re\s+gonna|'re\s+going\s+to)\s+(?:\w+\s+)?(?:go\s+(?:after|for)|"
            r"attack|target|kill|hit|eat|get|take|come\s+(?:after|for))\s+"
            rf"(?:{who}|(?:the|our)\s+\w+)",
            self._prediction_of_attack,
            need="will|'ll|going|gonna",
        )
        # Accusations and defences: what is said of a subject after any run of link words.
        add(
            rf"\bI\s+(?:\w+\s+)?(?:suspect|distrust|don'?t\s+trust|do\s+not\s+trust)\s+{who}"
            r"(?!\s*(?:is|was|'s|'re|are|were|know|knew|think|want|have|had|will|would|did|do|"
            r"does|can|could|might|may|of)\b)",
            self._accuse_hedged,
            need="trust|believe|vouch|suspect|suspicious|distrust",
        )
        add(
            rf"\bI(?:'m|\s+am|m)\s+(?:very\s+|really\s+|a\s+bit\s+|quite\s+|most\s+|super\s+)?"
            rf"suspicious\s+of\s+{who}",
            self._accuse_hedged,
            need="suspicious",
        )
        add(rf"\bmy\s+money(?:'s|\s+is)\s+on\s+{who}", self._accuse_hedged, need="money")
        # Idioms of suspicion: "I'd stake a lot on p5 being bad news", "p2 rubs me the wrong way".
        add(
            r"\bI(?:'d|\s+would)\s+(?:bet|stake|put\s+(?:good\s+|my\s+)?money)\s+"
            rf"(?:(?:a\s+lot|anything|good\s+money|my\s+life)\s+)?on\s+{who}"
            r"(?!\s+being\s+(?:clean|innocent|town|good|village|honest|the\s+(?:seer|doctor)))",
            self._accuse_hedged,
            need="bet|stake|money",
        )
        add(rf"\b{who}\s+rubs\s+me\s+the\s+wrong\s+way", self._accuse_hedged, need="rubs")
        # "I'd call her town", "I'd call player_0 clean": a verdict given as one's own read.
        add(
            rf"\bI(?:'d|\s+would)\s+(?:\w+\s+)?call\s+{who}\s+(?:a\s+)?(?P<verdict>"
            r"clean|town|innocent|village|good|(?:a\s+)?(?:were)?wolf|evil|sus|suspicious)\b",
            self._called,
            need="call",
        )
        add(
            rf"\b(?:put|putting|place|placing)\s+{who}\s+in\s+(?:the|my)\s+"
            r"(?:clean|town|village|trusted|safe)\s+(?:pile|column|list|camp|bucket)",
            self._defence_hedged,
            need="pile|column|list|camp|bucket",
        )
        add(
            rf"\b{who}'s\s+(?:behaviou?r|voting|vote|story|claim|defen[cs]e|reaction|silence|logic|"
            r"play|tone|push|energy|vibe)\s+(?:is|has\s+been|was|seems|looks|feels)\s+"
            r"(?:\w+\s+)?(?:suspicious|sus|shady|fishy|off|wolfy|sketchy|scummy)\b",
            self._accuse_hedged,
            need="sus|shady|fishy|off|wolfy|sketchy|scummy",
        )
        add(
            rf"\bmy\s+(?:top|main|prime|biggest|number\s+one)\s+suspect\s+is\s+{who}",
            self._accuse_hedged,
            need="suspect",
        )
        # "I don't not trust p4": a double negation, a (grudging) defence.
        add(rf"\bI\s+(?:do\s+not|don'?t)\s+not\s+(?:trust|believe)\s+{who}", self._defence_hedged,
            need="not trust|not believe")  # fmt: skip
        add(
            rf"\bI(?:'d|\s+would)?\s+(?:\w+\s+)?(?:trust|vouch\s+for|believe\s+in|believe)\s+{who}"
            r"(?!\s*(?:is|was|'s|'re|are|were|might|could|may|must|when|that|will|would)\b)",
            self._defence_hedged,
            need="trust|believe|vouch|suspect|suspicious|distrust",
        )
        # Everything said after a subject, in one pattern so a run of names is scanned once
        # per start, not once per kind of claim: the first branch that fits decides.
        after = {
            "survived": r"\s+survived\s+(?:an|the|their)\s+attack",
            "target": r"\s+was\s+(?:the\s+target|their\s+target|attacked|targeted|"
            r"(?:killed|taken|eaten)\s+(?:last\s+night|overnight|in\s+the\s+night))\b",
            "forme": r"\s+(?:for\s+me|it\s+is|gets\s+my\s+vote|has\s+my\s+vote|goes\s+today|"
            r"(?:has|needs)\s+to\s+go\b|must\s+go\b|"
            r"i\s+guess(?=\W*$)|out(?=\s*[,.!;]|\s*$|\s+gg|\s+today))",
            "predict": r"\s+(?:will|'ll|is\s+going\s+to|'s\s+going\s+to|is\s+gonna)\s+(?:\w+\s+)?"
            r"(?:be|die|get|flip|turn\s+out|end\s+up|come\s+out)\b",
            "fake": r"\s+(?:is|'s|was|are|'re)\s+(?:a\s+|the\s+)?fake\s+\w+\s*,?\s*(?:so|and|hence|"
            r"therefore|meaning|which\s+makes\s+\w+)\s+(?:a\s+|the\s+)?(?:were)?wolf",
            "status": rf"(?P<link>{_LINK_RE}{{0,12}}+){_FREE_WORD}\s*"
            rf"(?P<pred>{_WOLF_PRED}|{_CLEAN_PRED}|{_ROLE_PRED})\b{_NOT_A_PRED}"
            r"(?:\s+(?:vibes|energy))?",
            # An appositive at a clause's end: "rip p0, plain villager", "p4, our doctor."
            "appos": r"\s*,\s*(?:the\s+|our\s+)?(?:plain\s+|simple\s+|just\s+a\s+)?"
            rf"(?P<apred>{_ROLE_PRED})\b(?=\s*(?:[.;!—–-]|$))",
            "result": rf"\s*[,:(=]\s*(?P<res>{_NOT_WOLF}|{_WOLF}|evil)\b",
            "partner": rf"\s+(?:is|'s|was)\s+(?:{plain}|her|his|their)'s\s+(?:partner|buddy)",
            "dead": r"\s+(?:is|was)\s+(?:dead|gone)\s*[—–,:-]+\s*(?:(?:she|he|they)\s+was\s+)?"
            r"(?:our|the)\s+"
            rf"(?P<dpred>{_ROLE_PRED})\b",
            "untrusted": r"\s+(?:can'?t|cannot|shouldn'?t)\s+be\s+trusted\b",
            "toobe": r"(?:'s|\s+is|\s+was|\s+seems)\s+(?:way\s+|far\s+|much\s+)?too\s+\w+\s+"
            r"to\s+be\s+(?:a\s+|the\s+)?(?:were)?wolf",
            "too": r"(?:\s+(?:probably|prob|maybe|likely|definitely|also|surely))?"
            r"(?:\s+(?:is|was|are|were|does))?\s+(?:too|as\s+well)\b",
        }
        branches = "|".join(f"(?P<{k}>{v})" for k, v in after.items())
        objects = r"(?<!\bon\s)(?<!\babout\s)(?<!\bwith\s)(?<!\bat\s)(?<!\bagainst\s)"
        add(rf"\b{objects}{who}(?:{branches})", self._after_subject, need=_AFTER_SUBJECT_WORDS)
        add(
            r"\b(?:the\s+(?:\w+\s+)?(?:were)?wol(?:f|ves)(?:\s+[\w']+){0,4}?|"
            r"(?:my|your|her|his|their)\s+(?:partner|buddy|teammate))\s+(?:is|are|was|were|'s)\s+"
            rf"{who}",
            self._accuse,
            need="wol|partner|buddy|teammate",
        )
        add(rf"\b(?:and\s+)?so\s+(?:is|was|are|were)\s+{who}", self._ditto, need="so ")
        add(
            r"^\W*(?:and\s+)?(?P<res>clean|innocent|not\s+a\s+wolf|(?:a\s+)?(?:were)?wol(?:f|ves)|"
            r"evil|town)\W*$",
            self._bare_result,
        )
        add(r"^\W*(?:and\s+)?I\s+(?:checked|inspected)(?:\s+(?P<who>him|her|them|it))?"
            r"(?:\s+myself)?\W*$", self._pending)  # fmt: skip
        self.patterns = pats
        self.needs = needs
        # Sentences repeat far more than whole utterances do: cache at that level.
        self.sentence = lru_cache(maxsize=100_000)(self._read_sentence)

    # ----- claim builders (return (type, subject, value[, hedged][, end]) tuples) ----------
    def _subjects(self, m: re.Match[str], s: _Scan | None = None) -> list[int | None]:
        """Every player the `who` group names (SELF, _PRONOUN, _YOU placeholders included)."""
        text = m.group("who")
        if text is None:
            return [None]
        at = m.start("who")
        if s is not None and _NO_SINGLE.search(s.text, max(0, at - 16), at):
            return [None]
        low = text.lower()
        if low in ("they", "them"):
            return [_THEY]
        if low in ("she", "he", "her", "him"):
            return [_PRONOUN]
        if low in ("you", "u"):
            return [_YOU]
        out: list[int | None] = []
        for e in self.element_re.finditer(text):
            seat = SELF if e.group("me") else self._subject_of_name(e)
            if seat not in out:
                out.append(seat)
        return out or [None]

    def _subject(self, m: re.Match[str]) -> int | None:
        return self._subjects(m)[0]

    def _subject_of_name(self, m: re.Match[str]) -> int | None:
        for group in ("num", "pnum", "word"):
            if m.group(group) is not None:
                word = m.group(group).lower()
                n = _NUMBER_WORDS[word] if group == "word" else int(word)
                return n if n < len(self.names) else None
        return self.lookup.get(_SPACE.sub(" ", m.group("name")).lower())

    def _inspection(self, m: re.Match[str], s: _Scan) -> list[tuple]:
        found = s.result_from(m.end())
        subjects = self._subjects(m)
        if found is None:  # the result may come in the next sentence, or came before
            return [(_PENDING, subjects[-1], None, False, m.end())]
        value = NOT_WOLF if found[2] else WOLF
        return [("inspection_claim", subjects[0], value, False, found[1])]

    def _inspection_back(self, m: re.Match[str], s: _Scan) -> list[tuple]:
        found = s.result_from(m.end())
        if found is None or found[0] != m.end():  # "came back clean", not "came back. …"
            return []
        value = NOT_WOLF if found[2] else WOLF
        return [("inspection_claim", self._subject(m), value, False, found[1])]

    def _result_cue(self, m: re.Match[str], s: _Scan) -> list[tuple]:
        found = s.result_from(m.end())
        subject = self._subjects(m)[0]
        if found is None:
            return [(_PENDING, subject, "cue", False, m.end())]
        value = NOT_WOLF if found[2] else WOLF
        return [(_RESULT_KIND, subject, value, False, found[1])]

    def _bare_result(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        clean = _RESULT.fullmatch(m.group("res"))
        value = NOT_WOLF if clean is not None and clean.group("clean") else WOLF
        subject = self._subjects(m)[0] if "who" in m.re.groupindex else None
        return [(_RESULT_KIND, subject, value)]

    def _pending(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [(_PENDING, _PRONOUN if m.group("who") else None, None)]

    def _ditto(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [(_DITTO, s, None) for s in self._subjects(m)]

    def _role(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("role_claim", SELF, _ROLE_WORDS[m.group("role").lower()])]

    def _status(self, m: re.Match[str], s: _Scan) -> list[tuple]:
        """What a run of link words says of its subjects: wolf, not a wolf, or a role."""
        subjects = self._subjects(m, s)
        if subjects == [SELF]:
            return []  # "calling me a wolf": someone else's word; self claims have their own
        # An appositive ("rip p0, plain villager") links by its comma.
        link = m.group("link") if m.group("apred") is None else ","
        pred = _SPACE.sub(" ", (m.group("pred") or m.group("apred")).lower())
        sus = _SUS_WORDS.match(pred) is not None or pred.startswith("one i")  # I'm watching
        if not (link or "").strip() and not sus:
            return []  # "p1 clean" with no verb: only the casual "p2 sus" reads without one
        if link == "'s" and pred.startswith("partner"):
            return []  # "p2's partner": a possessive, not "p2 is"
        if len(subjects) > 1 and _SINGULAR.match(link) and not _AND.search(m.group("who")):
            subjects = subjects[-1:]  # "I agree with p7, p4 is sus": only p4 is
        negated = _NOT.search(link) is not None
        hedged = sus or _HEDGE_LINK.search(link) is not None
        if _SARCASM.search(s.text, 0, m.start()):
            # The speaker means the opposite: "oh sure, player_3 is *totally* innocent" (or
            # "just a confused villager") accuses; "oh sure, p6 is totally the seer" only
            # denies a role, which asserts nothing (GUIDELINES.md, DECISIONS.md).
            village = pred in ("villager",) or re.fullmatch(_CLEAN_PRED, pred, re.I) is not None
            if village and not negated:
                return [("accusation", x, WOLF, True) for x in subjects]
            return []
        if re.fullmatch(_ROLE_PRED, pred, re.I):
            if negated:
                return []  # "player_2 is not the real seer": no role asserted
            value = _ROLE_WORDS[pred]
            return [("role_claim", x, value, hedged) for x in subjects]
        wolf = re.fullmatch(_WOLF_PRED, pred, re.I) is not None
        if wolf == negated:  # "not a wolf", or "clean"
            return [("defence", x, NOT_WOLF, hedged) for x in subjects]
        # "p2 p7 and me were the pack": a confession for the speaker, accusations for the rest
        return [("role_claim" if x == SELF else "accusation", x, WOLF, hedged) for x in subjects]

    def _after_subject(self, m: re.Match[str], s: _Scan) -> list[tuple]:
        """The claim a subject-first branch makes (see `after` in __init__)."""
        if m.group("status") is not None or m.group("appos") is not None:
            return self._status(m, s)
        if m.group("fake") is not None or m.group("partner") is not None:
            return self._accuse(m, s)  # "player_2 is a fake seer, so a wolf", "X is Y's partner"
        if m.group("dead") is not None:
            subjects = self._subjects(m)
            out = [("role_claim", x, _ROLE_WORDS[m.group("dpred").lower()]) for x in subjects]
            if _KILLED.match(s.text, m.end()):  # "…, killed the night after she claimed"
                out += [("night_claim", x, "attacked") for x in subjects]
            return out
        if m.group("result") is not None:  # "he named me: wolves love..." is about nobody
            return [x for x in self._bare_result(m, s) if x[1] != SELF]
        if m.group("untrusted") is not None:  # "X can't be trusted"
            return self._accuse_hedged(m, s)
        if m.group("toobe") is not None:  # "he's too quiet to be a wolf"
            return self._defence_hedged(m, s)
        if m.group("too") is not None:  # "p4 feels off to me too": "me" is no new subject
            return [x for x in self._ditto(m, s) if x[1] != SELF]
        if m.group("forme") is not None:
            # "you've thrown me out" is no plan of the speaker's about itself
            return [x for x in self._intent(m, s) if x[1] != SELF]
        if m.group("predict") is not None:
            return self._prediction(m, s)
        return self._attacked(m, s)

    def _attacked(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("night_claim", x, "attacked") for x in self._subjects(m)]

    def _protected(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("night_claim", x, "protected") for x in self._subjects(m)]

    def _vote(self, m: re.Match[str], s: _Scan) -> list[tuple]:
        last = "lastvote" in m.re.groupindex and (m.group("lastvote") or "").strip() == "last"
        when = "last" if last else s.when(m.start())
        return [("vote_claim", x, when) for x in self._subjects(m)]

    def _intent(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        # "fine, vote me": a dare, not a plan about oneself
        return [("plan", x, "intent") for x in self._subjects(m) if x != SELF]

    def _prediction(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("plan", x, "prediction") for x in self._subjects(m)]

    def _prediction_of_attack(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        # "the wolves will go for the seer": a prediction about no player in particular.
        return [("plan", x, "prediction") for x in self._subjects(m)]

    def _called(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        wolf = re.search(r"wol|evil|sus", m.group("verdict"), re.I) is not None
        kind, value = ("accusation", WOLF) if wolf else ("defence", NOT_WOLF)
        return [(kind, s, value, True) for s in self._subjects(m)]

    def _accuse(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("accusation", x, WOLF) for x in self._subjects(m)]

    def _accuse_hedged(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("accusation", x, WOLF, True) for x in self._subjects(m)]

    def _defence_hedged(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("defence", x, NOT_WOLF, True) for x in self._subjects(m)]

    # ----- reading ------------------------------------------------------------------------
    def read(self, text: str) -> tuple[Claim, ...]:
        """Claims in `text` with placeholders (pronouns, "you") resolved within the utterance."""
        text = normalise(text)
        sentences = [(m.start(), m.group()) for m in _SENTENCE.finditer(text)]
        mentions: list[tuple[int, int, int | None]] | None = None
        addressed: list[list[int | None]] | None = None
        found: list[tuple[int, int, Claim]] = []
        for k, (offset, sent) in enumerate(sentences):
            for start, (kind, subject, value, hedged) in self.sentence(sent):
                at = offset + start
                seats: list[int | None] = [subject]
                if subject in (_PRONOUN, _THEY):  # the player (or list) named last before it
                    if mentions is None:
                        mentions = self._mentions(text)
                    seats = _antecedent(mentions, at, text, plural=subject == _THEY)
                    if not seats and kind != _PENDING:
                        continue  # nobody named before it: no claim we could place
                    seats = seats or [None]
                elif subject == _YOU:  # the player addressed in this sentence, or last addressed
                    if addressed is None:
                        addressed = self._addressed(sentences)
                    seats = addressed[k]
                for seat in seats:
                    found.append((at, k, (kind, seat, value, hedged)))
        found.sort(key=lambda x: x[0])
        claims = _combine(found, text)
        # A claim repeated within one utterance ("X is innocent, he seems genuine") is one claim.
        seen: set[tuple[str, int | None, str]] = set()
        out = []
        for claim in claims:
            if claim[:3] not in seen:
                seen.add(claim[:3])
                out.append(claim)
        return tuple(out)

    def _mentions(self, text: str) -> list[tuple[int, int, int | None]]:
        """Every player named in the utterance: (start, end, seat)."""
        return [(m.start(), m.end(), self._subject_of_name(m)) for m in self.name_re.finditer(text)]

    def _addressed(self, sentences: list[tuple[int, str]]) -> list[list[int | None]]:
        """Whom each sentence addresses: a vocative in it, else the last one before it."""
        out: list[list[int | None]] = []
        last: list[int | None] = []
        for _offset, sent in sentences:
            v = self.vocative_re.search(sent)
            if v is not None:
                last = [self._subject_of_name(n) for n in self.name_re.finditer(v.group("v"))]
            out.append(last)
        return out

    def _read_sentence(self, sentence: str) -> tuple[tuple[int, Claim], ...]:
        """(offset, claim) pairs of one sentence; placeholder subjects left unresolved."""
        if not sentence.strip():
            return ()
        scan = _Scan(sentence)
        # A question asserts nothing, but "I voted p2 yesterday, and this is my reward?" asks
        # only in its last clause.
        asked = len(sentence) + 1
        if sentence.rstrip().endswith("?"):
            asked = scan.clause_start(len(sentence.rstrip()) - 1)
            if asked == 0:
                return ()
        found: list[tuple[int, Claim]] = []
        # Stretches already claimed, disjoint and sorted: overlap is a bisection, not a scan.
        starts: list[int] = []
        ends: list[int] = []
        low = sentence.lower()
        for (pattern, make, rest), need in zip(self.patterns, self.needs, strict=True):
            if need and not any(word in low for word in need):
                continue
            for m in pattern.finditer(sentence):
                start, end = m.start(), m.end()
                if start >= asked:
                    break
                items = make(m, scan)
                if rest:
                    # The claim ends where its result was found, so later clauses stay
                    # readable; with none it ends with the match (the result may come later).
                    end = items[0][4] if items else len(sentence)
                elif (listed := self._comma_list_object(m)) is not None:
                    # "voting p0, p0 is a fake seer": a list with commas and no "and" ending
                    # the match is the first name, and the rest is another clause's subject.
                    seat, end = listed
                    items = [it for it in items if it[1] == seat]
                i = bisect_right(starts, start)
                if (i and ends[i - 1] > start) or (i < len(starts) and starts[i] < end):
                    if rest:
                        break
                    continue
                cut = scan.clause_start(start)
                if not (
                    scan.cond.inside(cut, start)
                    or scan.reported.inside(cut, start)
                    or (("'" in sentence or '"' in sentence) and scan.quoted.covers(start))
                ):
                    for item in items:
                        claim = self._finish(item, scan, cut, start, end)
                        if claim is not None:
                            found.append((start, claim))
                    starts.insert(i, start)
                    ends.insert(i, end)
                if rest:
                    break
        return tuple(found)

    def _comma_list_object(self, m: re.Match[str]) -> tuple[int | None, int] | None:
        """(first seat, its end) when the match ends on a comma-only list of names, else None."""
        if "who" not in m.re.groupindex or m.group("who") is None or m.end("who") != m.end():
            return None
        who = m.group("who")
        if "," not in who or _AND.search(who):
            return None
        first = self.element_re.search(who)
        if first is None:
            return None
        return self._subject_of_name(first), m.start("who") + first.end()

    def _finish(self, item: tuple, scan: _Scan, cut: int, start: int, end: int) -> Claim | None:
        kind, subject, value = item[:3]
        hedged = bool(item[3]) if len(item) > 3 else False
        negated = scan.neg.inside(cut, start)
        if kind in ("accusation", "defence") and negated:
            # "I don't think X is a wolf" defends X, with the speaker's own hedge.
            kind = "defence" if kind == "accusation" else "accusation"
            value = NOT_WOLF if kind == "defence" else WOLF
            hedged = True
        elif kind == "role_claim" and negated and subject != SELF:
            return None  # "I don't think X is the seer" asserts no role
        elif kind in _HEDGEABLE and (
            scan.hedge.inside(cut, start) or _AFTER_HEDGE.match(scan.text, end) is not None
        ):
            hedged = True
        return (kind, subject, value, hedged)


_WINDOW = 8  # claims looked at on each side of an inspection waiting for its result
_MAX_LIST = 6  # players named together at most (the patterns' list runs are as short)


def _antecedent(
    mentions: list[tuple[int, int, int | None]], at: int, text: str, *, plural: bool
) -> list[int | None]:
    """The player named last before `at`; for "they", with the names listed together with it."""
    i = bisect_left(mentions, (at, -1, -1))
    if not i:
        return []
    out = [mentions[i - 1][2]]
    while plural and i > 1 and len(out) < _MAX_LIST:  # bounded, as lists are in the patterns
        gap = _LIST_GAP.fullmatch(text, mentions[i - 2][1], mentions[i - 1][0])
        if gap is None:
            break
        out.insert(0, mentions[i - 2][2])
        i -= 1
    return out


def _combine(found: list[tuple[int, int, Claim]], text: str) -> list[Claim]:
    """Claims across sentences: results joined to their inspections, "so is X" filled in."""
    items = [[k, *claim] for _at, k, claim in found]  # [sentence, kind, subject, value, hedged]
    status = ("accusation", "defence", _RESULT_KIND)
    # "X is a wolf, and so is Y": Y gets the claim just made about X (one pass, the last such
    # claim carried along, so many "so is" stay linear).
    prev: list | None = None
    for it in items:
        if it[1] in (*status, "role_claim", "inspection_claim"):
            prev = it
            continue
        if it[1] != _DITTO:
            continue
        if prev is None:
            it[1] = ""
            continue
        kind, value = prev[1], prev[3]
        if kind in ("inspection_claim", _RESULT_KIND):
            kind = "accusation" if value == WOLF else "defence"
        if kind == "role_claim" and value == WOLF and it[2] != SELF:
            kind = "accusation"
        it[1], it[3], it[4] = kind, value, prev[4]
        prev = it
    context = _INSPECTED.search(text) is not None or any(
        it[1] == "inspection_claim" or (it[1] == "role_claim" and it[2] == SELF
                                        and it[3] == "seer") for it in items
    )  # fmt: skip
    # An inspection named without its result takes the result said of that player in the
    # next sentence ("I checked player_4. She's a wolf."), or just before ("p8 is the wolf. I
    # checked.").
    for i, it in enumerate(items):
        if it[1] != _PENDING:
            continue
        if it[3] == "cue" and not context:
            continue

        def fits(other: list, near: tuple[int, ...], it: list = it) -> bool:
            return (other[1] in status and other[0] in near
                    and (it[2] is None or other[2] in (it[2], None)))  # fmt: skip

        # Only the neighbouring sentences are looked at, and they hold few claims (items are
        # in reading order): a bounded window, not the whole utterance.
        window = items[max(0, i - _WINDOW) : i + 1 + _WINDOW]
        j = min(i, _WINDOW)
        after = next((p for p in window[j + 1 :] if fits(p, (it[0], it[0] + 1))), None)
        before = next((p for p in reversed(window[:j]) if fits(p, (it[0] - 1, it[0]))), None)
        hit = after or before
        if hit is not None:
            hit[1] = "inspection_claim"
            hit[2] = hit[2] if it[2] is None else it[2]
            hit[4] = False
    out: list[tuple[int, Claim]] = []
    for k, kind, subject, value, hedged in items:
        if kind == _RESULT_KIND and subject is not None:
            # "p6, wolf": a reported result where the speaker speaks of inspections.
            kind = "inspection_claim" if context else (
                "accusation" if value == WOLF else "defence")  # fmt: skip
        if kind in CLAIM_KINDS:
            out.append((k, (kind, subject, value, hedged)))
    # A reported inspection is one claim, not also an accusation or defence saying the same
    # in the same sentence (a separate sentence repeating it is a claim of its own, as the
    # scripted agents' "I inspected player_2: werewolf. player_2 is a werewolf." records).
    inspected = {(k, c[1], c[2]) for k, c in out if c[0] == "inspection_claim"}
    same = {"accusation": WOLF, "defence": NOT_WOLF}
    return [c for k, c in out if (k, c[1], same.get(c[0])) not in inspected]


def normalise(text: str) -> str:
    """Whitespace folded, typographic quotes made plain, emphasis marks dropped, and casual
    spellings made standard: apostrophe-less contractions ("im", "youre", "isnt"), misspelt
    "villager", "player-3" / "player #3"."""
    text = _SPACE.sub(" ", text.translate(_PLAIN))
    text = _CASUAL.sub(lambda m: _CASUAL_FORMS[m.group().lower()], text)
    return _PLAYER_DASH.sub(r"\1_\2", text)


_CASUAL_FORMS = {
    "im": "I'm", "ive": "I've", "youre": "you're", "hes": "he's", "shes": "she's",
    "theyre": "they're", "thats": "that's", "dont": "don't", "doesnt": "doesn't",
    "didnt": "didn't", "isnt": "isn't", "wasnt": "wasn't", "arent": "aren't", "cant": "can't",
    "wont": "won't", "havent": "haven't", "hasnt": "hasn't", "whos": "who's",
    "teh": "the", "vilager": "villager", "viliager": "villager", "villiager": "villager",
    "villger": "villager", "villagr": "villager", "villiger": "villager",
}  # fmt: skip
_CASUAL = re.compile(rf"\b(?:{'|'.join(_CASUAL_FORMS)})\b(?!')", re.I)
_PLAYER_DASH = re.compile(r"\b(player)\s*(?:-|#)\s*#?(\d+)\b", re.I)


_PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "*": None})
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|&\s+)?|(?:and|&)\s+|/\s*)?\s*", re.I)
_INSPECTED = re.compile(r"\b(?:checked|inspected|n\d|night\s+\d)\b", re.I)
CLAIM_KINDS = frozenset(
    ("role_claim", "accusation", "defence", "inspection_claim", "vote_claim", "night_claim",
     "plan")
)  # fmt: skip


_ROLE_WORDS = {
    "seer": "seer",
    "doctor": "doctor",
    "doc": "doctor",
    "medic": "doctor",
    "healer": "doctor",
    "villager": "villager",
    "werewolf": WOLF,
    "wolf": WOLF,
}


@lru_cache(maxsize=64)
def _reader(names: tuple[str, ...]) -> _Reader:
    return _Reader(names)


@lru_cache(maxsize=200_000)
def read_text(text: str, names: tuple[str, ...]) -> tuple[Claim, ...]:
    """Claims in one utterance with speaker-relative subjects (SELF = the speaker); cached."""
    return _reader(names).read(text)


class RuleExtractor:
    """Regular-expression reading of claims; deterministic, offline, linear-time."""

    name = "rules"

    def extract(self, utterances: Sequence[Utterance]) -> list[list[ExtractedClaim]]:
        """Claims for each utterance, in order."""
        return [self.extract_one(u) for u in utterances]

    def extract_one(self, u: Utterance) -> list[ExtractedClaim]:
        """Claims of one utterance."""
        out = []
        # A vote named with no day ("I voted p5") is the speaker's latest: today's in last
        # words, yesterday's in a day's speech, "last" where the phase is not known.
        some_day = {"last_words": "today", "day_speech": "yesterday"}.get(u.phase or "", "last")
        for kind, subject, value, hedged in read_text(u.text, tuple(u.names)):
            seat = u.speaker if subject == SELF else subject
            if value == _SOME_DAY:
                value = some_day
            out.append(ExtractedClaim(kind, seat, value, hedged))
        return out
