"""Rule-based claim extractor: exact on the scripted templates, decent on plain English.

It reads one sentence at a time, tries patterns from the most specific (an inspection result)
to the least (a bare suspicion), and lets each stretch of text yield at most one claim, so
"I checked player_2, she's a wolf" is one inspection claim rather than also an accusation.

Linear time on any input (speech is capped at 4,000 characters, and LLMs repeat themselves):
whitespace runs are folded to one space first, so no two adjacent whitespace quantifiers can
split a run between them; every repeated group is possessive (`*+`, Python 3.11) and its
alternatives are disjoint, so a failing match never retries a repetition another way (the old
adverb group held "confirmed" in two alternatives: 2^n ways to fail, 18 s for 224 characters);
and everything a claim needs from the rest of its sentence (clause breaks, hedge and negation
words, the inspection result) is found by one scan of the sentence and looked up by bisection,
never by rescanning the text before or after each match. tests/test_analysis_rules_fuzz.py
holds every pattern to 50 ms on adversarial input.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from functools import cached_property, lru_cache

from analysis.claims import NOT_WOLF, WOLF, ExtractedClaim, Utterance

SELF = -1  # placeholder subject for the speaker, filled in per utterance
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
# Intensifiers before a role word. "confirmed" is in the second alternative only: in both,
# a run of them could be split between the alternatives in 2^n ways when the match failed.
_STRONG = (
    r"(?:definitely|clearly|obviously|certainly|absolutely|surely|100%|for\s+sure|"
    r"actually|really|100\s+percent)"
)
_ADV = rf"(?:{_STRONG}\s+|(?:a\s+)?(?:confirmed|known|proven)\s+)*+"
_HEDGE = re.compile(
    r"\b(think|thinking|believe|feel|suspect|guess|probably|maybe|perhaps|might|may|could|"
    r"seems?|looks?|likely|possibly|gut|sense|wonder|suspicious|sus|bet|imo|leaning)\b",
    re.I,
)
_NEGATED = re.compile(
    r"\b(don'?t|do\s+not|doubt|no\s+way|not\s+sure|hard\s+to\s+believe|never)\b", re.I
)
# A hedge just after the claim ("player_2 is the wolf, I think"); anchored at the claim's end.
_AFTER_HEDGE = re.compile(
    r"[^.;!?]{0,40}?\b(I'?m\s+pretty\s+sure|as\s+far\s+as\s+I\s+can\s+tell|I\s+think|"
    r"in\s+my\s+(?:book|opinion|view)|I\s+guess|probably|I\s+feel)\b",
    re.I,
)
_CONDITIONAL = re.compile(r"\b(if|whether|unless|suppose|what\s+if|in\s+case|assuming)\b", re.I)
_CLAUSE = re.compile(r",\s*(?:but|and|while|whereas|so)\s+|;|\s+but\s+|\s+[—–-]\s+|:\s+")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_HEDGEABLE = ("accusation", "defence", "plan")

Claim = tuple[str, int | None, str, bool]
Make = Callable[[re.Match[str], "_Scan"], list[tuple]]


def _names_alternatives(names: tuple[str, ...]) -> str:
    alts = sorted({re.escape(_SPACE.sub(" ", n)) for n in names}, key=len, reverse=True)
    return rf"player[\s_]?(?P<num>\d+)|p(?P<pnum>\d+)|(?P<name>{'|'.join(alts)})"


class _Spans:
    """Non-overlapping matches of one pattern in a sentence, queried by position."""

    __slots__ = ("ends", "starts")

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        found = [m.span() for m in pattern.finditer(text)]
        self.starts = [a for a, _ in found]
        self.ends = [b for _, b in found]

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
        self._when: str | None = None

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
    def hedge(self) -> _Spans:
        """Hedge words ("think", "probably")."""
        return _Spans(_HEDGE, self.text)

    @cached_property
    def results(self) -> list[tuple[int, int, bool]]:
        """Inspection results (start, end, clean?)."""
        return [(m.start(), m.end(), m.group("clean") is not None)
                for m in _RESULT.finditer(self.text)]  # fmt: skip

    def when(self) -> str:
        """The day a vote claim in this sentence names: yesterday, today, or the last one."""
        if self._when is None:
            low = self.text.lower()
            self._when = "yesterday" if "yesterday" in low else "today" if "today" in low else ""
            self._when = self._when or "last"
        return self._when

    def clause_start(self, pos: int) -> int:
        """Where the clause holding `pos` begins (after the last break that ends before it)."""
        i = bisect_right(self.cuts, pos)
        return self.cuts[i - 1] if i else 0

    def result_from(self, pos: int) -> tuple[int, int, bool] | None:
        """The first inspection result (start, end, clean?) at or after `pos`."""
        i = bisect_left(self.results, (pos, -1, False))
        return self.results[i] if i < len(self.results) else None


class _Reader:
    """The patterns of one table's names, compiled once."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.lookup = {_SPACE.sub(" ", n).lower(): i for i, n in enumerate(names)}
        alternatives = _names_alternatives(names)
        self.name_re = re.compile(rf"\b(?:{alternatives})\b", re.I)
        who = rf"(?:{alternatives}|(?P<me>me|myself)|(?P<pron>she|he|they|her|him|them))\b"
        self.who = who
        pats: list[tuple[re.Pattern[str], Make, bool]] = []

        def add(pattern: str, make: Make, *, rest: bool = False) -> None:
            # `rest`: the claim reaches to a result later in the sentence (or, with none, to
            # the sentence's end), and the pattern reads one claim per sentence.
            pats.append((re.compile(pattern, re.I), make, rest))

        inspect_verb = (
            r"(?:inspected|inspect|checked|investigated|scanned|looked\s+(?:at|into)|peeked\s+at|"
            r"read|used\s+my\s+(?:power|ability|vision|check)\s+on|saw\s+into|probed)"
        )
        # Inspection with a result later in the sentence: "I checked player_4 ... clean".
        add(rf"\bI(?:\s+\w+ly)?\s+{inspect_verb}\s+{who}", self._inspection, rest=True)
        add(
            rf"\bmy\s+(?:inspection|check|result|vision|reading)\s+(?:on|of|for)\s+{who}",
            self._inspection,
            rest=True,
        )
        add(
            rf"\b{who}\s+(?:came\s+back|checked\s+out|showed\s+up|turned\s+up)\s+(?:as\s+)?",
            self._inspection_back,
            rest=True,
        )
        # Role claims about oneself, team-only claims and "I'm not a wolf".
        role = r"(?P<role>seer|doctor|doc|medic|healer|villager|werewolf|wolf)"
        mods = (
            r"(?:(?:actually|really|just|only|simply|definitely|honestly|truly|the|a|an|one|real|"
            r"true|humble|simple|plain|ordinary|regular|loyal|your|confirmed|innocent|still)\s+)*+"
        )
        add(rf"\bI(?:'m|\s+am)\s+not\s+{_WOLF}\b", lambda m, s: [("defence", SELF, NOT_WOLF)])
        add(rf"\bI(?:'m|\s+am|\s+was)\s+{mods}{role}\b", self._role)
        add(r"^\s*(?P<role>seer|doctor)\s+here\b", self._role)  # "Seer here."
        add(rf"\bas\s+(?:the|a|an)\s+(?:humble\s+|simple\s+|plain\s+)?{role}\b", self._role)
        add(rf"\bmy\s+role\s+is\s+(?:the\s+|a\s+)?{role}\b", self._role)
        add(
            rf"\bI(?:'m|\s+am)?\s+claim(?:ing)?\s+(?:to\s+be\s+)?(?:the\s+|a\s+)?{role}\b",
            self._role,
        )
        add(
            r"\bI(?:'m|\s+am)\s+(?:on\s+the\s+)?(?:village|town)(?:\s+team|\s+side)?\b",
            lambda m, s: [("role_claim", SELF, "village")],
        )
        add(
            r"\bI(?:'m|\s+am)\s+(?:completely\s+|totally\s+)?innocent\b",
            lambda m, s: [("defence", SELF, NOT_WOLF)],
        )
        # Night events.
        add(
            r"\bI\s+was\s+(?:attacked|targeted|the\s+(?:were)?wol(?:f|ves)'?s?\s+target)|"
            r"\bI\s+survived\s+(?:an|the|their)\s+attack|\b(?:the\s+)?doctor\s+saved\s+me\b",
            lambda m, s: [("night_claim", SELF, "attacked")],
        )
        add(
            rf"\b(?:the\s+)?(?:were)?wol(?:f|ves)\s+(?:attacked|targeted|went\s+(?:after|for)|"
            rf"came\s+for|tried\s+to\s+kill)\s+{who}",
            self._attacked,
        )
        add(rf"\b{who}\s+survived\s+(?:an|the|their)\s+attack", self._attacked)
        add(rf"\bI\s+(?:protected|saved|healed|shielded|guarded)\s+{who}", self._protected)
        # Votes cast (past tense; "I will vote for X" is a plan, below).
        add(
            rf"\bI\s+voted\s+(?:for\s+|against\s+|to\s+(?:eliminate|lynch|exile)\s+)?{who}",
            self._vote,
        )
        add(rf"\bmy\s+vote\s+(?:\w+\s+)?(?:went\s+to|was\s+(?:for|on|against))\s+{who}", self._vote)
        # Plans (intentions, proposals) and predictions: claims the ground truth never decides.
        will = (
            r"(?:'ll|\s+will|\s+shall|'m\s+going\s+to|\s+am\s+going\s+to|'m\s+gonna|\s+plan\s+to|"
            r"\s+intend\s+to|\s+want\s+to|'d\s+like\s+to|\s+would\s+like\s+to)"
        )
        act = (
            r"(?:vote(?:\s+(?:for|against|out|on|to\s+(?:eliminate|lynch|exile)))?|lynch|"
            r"eliminate|exile|protect|save|heal|guard|inspect|check|investigate|kill|target)"
        )
        add(rf"\bI{will}\s+(?:\w+\s+)?{act}\s+{who}", self._intent)
        add(
            rf"\bI(?:'m|\s+am)\s+(?:\w+\s+)?voting\s+(?:for\s+|against\s+|out\s+)?{who}",
            self._intent,
        )
        add(rf"\bI\s+(?:\w+\s+)?vote\s+(?:for\s+|against\s+|out\s+)?{who}", self._intent)
        # Proposals: "let's vote out X", "we should vote X", "the doctor should protect X",
        # and a bare imperative opening the sentence ("Vote player_5.").
        add(
            r"\b(?:let'?s|let\s+us|(?:we|you|y'all|everyone|everybody|(?:the\s+)?(?:doctor|doc|seer))"
            r"\s*,?\s+(?:should|must|need\s+to|have\s+to|ought\s+to|better))\s+(?:all\s+)?"
            rf"(?:just\s+)?{act}\s+{who}",
            self._intent,
        )
        add(rf"^\s*(?:please\s+|so\s+|now\s+)?(?:vote|lynch|eliminate)\s+(?:for\s+|out\s+)?{who}",
            self._intent)  # fmt: skip
        add(
            r"\bmy\s+vote\s+(?:\w+\s+)?(?:goes\s+to|is\s+(?:for|on|against)|"
            rf"will\s+(?:go\s+to|be\s+(?:for|on|against)))\s+{who}",
            self._intent,
        )
        add(
            rf"\b{who}\s+(?:will|'ll|is\s+going\s+to|'s\s+going\s+to|is\s+gonna)\s+(?:\w+\s+)?"
            r"(?:be|die|get|flip|turn\s+out|end\s+up|come\s+out)\b",
            self._prediction,
        )
        add(
            r"\b(?:the\s+)?(?:were)?wol(?:f|ves)\s+(?:will|'ll|are\s+going\s+to|are\s+gonna)\s+"
            r"(?:\w+\s+)?(?:go\s+(?:after|for)|attack|target|kill|hit|come\s+(?:after|for))\s+"
            rf"(?:{who}|(?:the|our)\s+\w+)",
            self._prediction_of_attack,
        )
        # Accusations and defences, flat or hedged.
        be = r"(?:is|'s|was|must\s+be|has\s+to\s+be|is\s+definitely)"
        hedge_be = (
            r"(?:might\s+be|could\s+be|may\s+be|seems?\s+(?:to\s+be\s+)?|looks?\s+(?:like\s+)?|"
            r"is\s+probably|is\s+likely|feels?\s+like)"
        )
        add(
            rf"\b{who}\s+(?:is|'s|was)?\s*{_ADV}(?:is\s+not|isn'?t|'s\s+not|not|was\s+not|wasn'?t)\s+"
            rf"{_ADV}(?:a\s+|the\s+|one\s+of\s+the\s+)?(?:were)?wol(?:f|ves)\b",
            self._defence,
        )
        add(rf"\b{who}\s+{hedge_be}\s*(?:an?\s+)?{_ADV}{_WOLF}\b", self._accuse_hedged)
        add(rf"\b{who}\s+{be}\s+{_ADV}{_WOLF}\b", self._accuse)
        add(
            rf"\b{who}\s+{hedge_be}\s*{_ADV}(?:innocent|clean|trustworthy|honest|fine|town|village)\b",
            self._defence_hedged,
        )
        add(
            rf"\b{who}\s+{be}\s+{_ADV}(?:innocent|clean|town|village|good|one\s+of\s+us|"
            r"on\s+the\s+village\s+(?:team|side)|on\s+our\s+side|(?:a\s+)?good\s+guy|"
            r"one\s+of\s+the\s+good\s+guys)\b",
            self._defence,
        )
        add(
            rf"\b{who}\s+{be}\s+{_ADV}(?:our\s+|the\s+|a\s+|an\s+)?(?:real\s+|true\s+)?{role}\b",
            self._role_of_other,
        )
        add(
            rf"\bthe\s+(?:real\s+|other\s+|second\s+|last\s+|actual\s+)?(?:were)?wolf\s+is\s+{who}",
            self._accuse,
        )
        add(
            rf"\b{who}\s+(?:is|seems|looks|'s|feels)\s+(?:very\s+|really\s+|quite\s+)?"
            r"(?:trustworthy|honest|genuine|reliable)\b",
            self._defence_hedged,
        )
        add(
            rf"\bI\s+believe\s+{who}(?!\s+(?:is|was|'s|might|could|may|must))", self._defence_hedged
        )
        add(
            rf"\bI\s+(?:strongly\s+|really\s+)?(?:suspect|distrust|don'?t\s+trust|do\s+not\s+trust)\s+{who}",
            self._accuse_hedged,
        )
        add(
            rf"\bI(?:'m|\s+am)\s+(?:very\s+|really\s+|a\s+bit\s+|quite\s+)?suspicious\s+of\s+{who}",
            self._accuse_hedged,
        )
        add(
            rf"\bmy\s+(?:top|main|prime|biggest|number\s+one)\s+suspect\s+is\s+{who}",
            self._accuse_hedged,
        )
        add(
            rf"\b{who}\s+(?:is|seems|looks|'s|feels)\s+(?:very\s+|really\s+|super\s+|pretty\s+|kind\s+of\s+|"
            r"a\s+bit\s+|quite\s+|highly\s+)?(?:suspicious|sus|shady|fishy|wolfy|scummy|off)\b",
            self._accuse_hedged,
        )
        add(
            rf"\bI\s+(?:fully\s+|completely\s+|really\s+)?(?:trust|vouch\s+for|believe\s+in)\s+{who}",
            self._defence_hedged,
        )
        self.patterns = pats
        # Sentences repeat far more than whole utterances do: cache at that level.
        self.sentence = lru_cache(maxsize=100_000)(self._read_sentence)

    # ----- claim builders (return (type, subject, value[, hedged][, end]) tuples) ----------
    def _subject(self, m: re.Match[str]) -> int | None:
        if m.group("me"):
            return SELF
        if m.group("pron"):
            return _PRONOUN
        return self._subject_of_name(m)

    def _subject_of_name(self, m: re.Match[str]) -> int | None:
        for group in ("num", "pnum"):
            if m.group(group) is not None:
                n = int(m.group(group))
                return n if n < len(self.names) else None
        return self.lookup.get(m.group("name").lower())

    def _inspection(self, m: re.Match[str], s: _Scan) -> list[tuple]:
        found = s.result_from(m.end())
        if found is None:
            return []
        value = NOT_WOLF if found[2] else WOLF
        return [("inspection_claim", self._subject(m), value, False, found[1])]

    def _inspection_back(self, m: re.Match[str], s: _Scan) -> list[tuple]:
        found = s.result_from(m.end())
        if found is None or found[0] != m.end():  # "came back clean", not "came back. …"
            return []
        value = NOT_WOLF if found[2] else WOLF
        return [("inspection_claim", self._subject(m), value, False, found[1])]

    def _role(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("role_claim", SELF, _ROLE_WORDS[m.group("role").lower()])]

    def _role_of_other(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        value = _ROLE_WORDS[m.group("role").lower()]
        if value == WOLF:
            return [("accusation", self._subject(m), WOLF)]
        return [("role_claim", self._subject(m), value)]

    def _attacked(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("night_claim", self._subject(m), "attacked")]

    def _protected(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("night_claim", self._subject(m), "protected")]

    def _vote(self, m: re.Match[str], s: _Scan) -> list[tuple]:
        return [("vote_claim", self._subject(m), s.when())]

    def _intent(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("plan", self._subject(m), "intent")]

    def _prediction(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("plan", self._subject(m), "prediction")]

    def _prediction_of_attack(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        # "the wolves will go for the seer": a prediction about no player in particular.
        named = any(m.group(g) is not None for g in ("num", "pnum", "name", "me", "pron"))
        return [("plan", self._subject(m) if named else None, "prediction")]

    def _accuse(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("accusation", self._subject(m), WOLF)]

    def _accuse_hedged(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("accusation", self._subject(m), WOLF, True)]

    def _defence(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("defence", self._subject(m), NOT_WOLF)]

    def _defence_hedged(self, m: re.Match[str], _s: _Scan) -> list[tuple]:
        return [("defence", self._subject(m), NOT_WOLF, True)]

    # ----- reading ------------------------------------------------------------------------
    def read(self, text: str) -> tuple[Claim, ...]:
        """Claims in `text` with SELF / pronoun subjects resolved against earlier names."""
        text = _SPACE.sub(" ", text)
        mentions: tuple[list[int], list[int | None]] | None = None
        found: list[tuple[int, Claim]] = []
        for sent in _SENTENCE.finditer(text):
            for start, (kind, subject, value, hedged) in self.sentence(sent.group()):
                at = sent.start() + start
                if subject == _PRONOUN:  # "she", "him": the last player named before it
                    if mentions is None:
                        named = list(self.name_re.finditer(text))
                        mentions = ([m.start() for m in named],
                                    [self._subject_of_name(m) for m in named])  # fmt: skip
                    i = bisect_left(mentions[0], at)
                    subject = mentions[1][i - 1] if i else None
                found.append((at, (kind, subject, value, hedged)))
        found.sort(key=lambda x: x[0])
        # A claim repeated within one utterance ("X is innocent, he seems genuine") is one claim.
        seen: set[tuple[str, int | None, str]] = set()
        out = []
        for _, claim in found:
            if claim[:3] not in seen:
                seen.add(claim[:3])
                out.append(claim)
        return tuple(out)

    def _read_sentence(self, sentence: str) -> tuple[tuple[int, Claim], ...]:
        """(offset, claim) pairs of one sentence; pronoun subjects left unresolved."""
        if not sentence.strip() or sentence.rstrip().endswith("?"):
            return ()  # questions assert nothing
        scan = _Scan(sentence)
        found: list[tuple[int, Claim]] = []
        # Stretches already claimed, disjoint and sorted: overlap is a bisection, not a scan.
        starts: list[int] = []
        ends: list[int] = []
        for pattern, make, rest in self.patterns:
            for m in pattern.finditer(sentence):
                start, end = m.start(), m.end()
                items = make(m, scan) if rest else None
                if rest:
                    # The claim ends where its result was found, so later clauses stay
                    # readable; with no result it holds the rest of the sentence.
                    end = items[0][4] if items else len(sentence)
                i = bisect_right(starts, start)
                if (i and ends[i - 1] > start) or (i < len(starts) and starts[i] < end):
                    if rest:
                        break
                    continue
                cut = scan.clause_start(start)
                if not scan.cond.inside(cut, start):
                    for item in items if items is not None else make(m, scan):
                        found.append((start, self._finish(item, scan, cut, start, end)))
                    starts.insert(i, start)
                    ends.insert(i, end)
                if rest:
                    break
        return tuple(found)

    def _finish(self, item: tuple, scan: _Scan, cut: int, start: int, end: int) -> Claim:
        kind, subject, value = item[:3]
        hedged = bool(item[3]) if len(item) > 3 else False
        if kind in ("accusation", "defence") and scan.neg.inside(cut, start):
            # "I don't think X is a wolf" defends X, with the speaker's own hedge.
            kind = "defence" if kind == "accusation" else "accusation"
            value = NOT_WOLF if kind == "defence" else WOLF
            hedged = True
        elif kind in _HEDGEABLE and (
            scan.hedge.inside(cut, start) or _AFTER_HEDGE.match(scan.text, end) is not None
        ):
            hedged = True
        return (kind, subject, value, hedged)


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
        for kind, subject, value, hedged in read_text(u.text, tuple(u.names)):
            seat = u.speaker if subject == SELF else subject
            out.append(ExtractedClaim(kind, seat, value, hedged))
        return out
