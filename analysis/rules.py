"""Rule-based claim extractor: exact on the scripted templates, decent on plain English.

It reads one sentence at a time, tries patterns from the most specific (an inspection result)
to the least (a bare suspicion), and lets each stretch of text yield at most one claim, so
"I checked player_2, she's a wolf" is one inspection claim rather than also an accusation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from analysis.claims import NOT_WOLF, WOLF, ExtractedClaim, Utterance

SELF = -1  # placeholder subject for the speaker, filled in per utterance
_PRONOUN = -2  # placeholder subject for "she/he/they": the last player named before it

_WOLF = (
    r"(?:a\s+|the\s+|one\s+of\s+the\s+|on\s+the\s+)?"
    r"(?:(?:second|last|other|third|final|real|actual)\s+)?(?:were)?wol(?:f|ves)(?:\s+team)?"
)
_NOT_WOLF = (
    r"(?:not\s+(?:a\s+|the\s+|one\s+of\s+the\s+)?(?:were)?wol(?:f|ves)|clean|innocent|"
    r"village(?:r)?(?:\s+team|\s+side)?|on\s+the\s+village\s+(?:team|side)|town|good|not\s+evil)"
)
_RESULT = re.compile(rf"\b(?P<clean>{_NOT_WOLF})\b|\b(?P<wolf>{_WOLF}|evil)\b", re.I)
_STRONG = (
    r"(?:definitely|clearly|obviously|certainly|absolutely|surely|100%|for\s+sure|"
    r"confirmed|actually|really|100\s+percent)"
)
_ADV = rf"(?:{_STRONG}\s+|(?:a\s+)?(?:confirmed|known|proven)\s+)*"
_HEDGE = re.compile(
    r"\b(think|thinking|believe|feel|suspect|guess|probably|maybe|perhaps|might|may|could|"
    r"seems?|looks?|likely|possibly|gut|sense|wonder|suspicious|sus|bet|imo|leaning)\b",
    re.I,
)
_NEGATED = re.compile(
    r"\b(don'?t|do\s+not|doubt|no\s+way|not\s+sure|hard\s+to\s+believe|never)\b", re.I
)
_AFTER_HEDGE = re.compile(
    r"^[^.;!?]{0,40}?\b(I'?m\s+pretty\s+sure|as\s+far\s+as\s+I\s+can\s+tell|I\s+think|"
    r"in\s+my\s+(?:book|opinion|view)|I\s+guess|probably|I\s+feel)\b",
    re.I,
)
_CONDITIONAL = re.compile(r"\b(if|whether|unless|suppose|what\s+if|in\s+case|assuming)\b", re.I)
_CLAUSE = re.compile(r",\s*(?:but|and|while|whereas|so)\s+|;|\s+but\s+|\s+[—–-]\s+|:\s+")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def _names_alternatives(names: tuple[str, ...]) -> str:
    alts = sorted({re.escape(n) for n in names}, key=len, reverse=True)
    return rf"player[\s_]?(?P<num>\d+)|p(?P<pnum>\d+)|(?P<name>{'|'.join(alts)})"


class _Reader:
    """The patterns of one table's names, compiled once."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.lookup = {n.lower(): i for i, n in enumerate(names)}
        alternatives = _names_alternatives(names)
        self.name_re = re.compile(rf"\b(?:{alternatives})\b", re.I)
        who = rf"(?:{alternatives}|(?P<me>me|myself)|(?P<pron>she|he|they|her|him|them))\b"
        self.who = who
        pats: list[tuple[re.Pattern[str], Callable[[re.Match[str], str], list[tuple]]]] = []

        def add(pattern: str, make: Callable[[re.Match[str], str], list[tuple]]) -> None:
            pats.append((re.compile(pattern, re.I), make))

        inspect_verb = (
            r"(?:inspected|inspect|checked|investigated|scanned|looked\s+(?:at|into)|peeked\s+at|"
            r"read|used\s+my\s+(?:power|ability|vision|check)\s+on|saw\s+into|probed)"
        )
        # Inspection with a result later in the sentence: "I checked player_4 ... clean".
        add(rf"\bI(?:\s+\w+ly)?\s+{inspect_verb}\s+{who}(?P<rest>.*)", self._inspection)
        add(
            rf"\bmy\s+(?:inspection|check|result|vision|reading)\s+(?:on|of|for)\s+{who}(?P<rest>.*)",
            self._inspection,
        )
        add(
            rf"\b{who}\s+(?:came\s+back|checked\s+out|showed\s+up|turned\s+up)\s+(?:as\s+)?(?P<rest>.*)",
            self._inspection_back,
        )
        # Role claims about oneself, team-only claims and "I'm not a wolf".
        role = r"(?P<role>seer|doctor|doc|medic|healer|villager|werewolf|wolf)"
        mods = (
            r"(?:(?:actually|really|just|only|simply|definitely|honestly|truly|the|a|an|one|real|"
            r"true|humble|simple|plain|ordinary|regular|loyal|your|confirmed|innocent|still)\s+)*"
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
        # Votes (past tense only: "I will vote for X" is a plan, not a checkable claim).
        add(
            rf"\bI\s+voted\s+(?:for\s+|against\s+|to\s+(?:eliminate|lynch|exile)\s+)?{who}",
            self._vote,
        )
        add(rf"\bmy\s+vote\s+(?:\w+\s+)?(?:went\s+to|was\s+(?:for|on|against))\s+{who}", self._vote)
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

    # ----- claim builders (return (type, subject, value[, hedged]) tuples) -------------------
    def _subject(self, m: re.Match[str]) -> int | None:
        if m.group("me"):
            return SELF
        if m.group("pron"):
            return _PRONOUN
        if m.group("num") is not None:
            n = int(m.group("num"))
            return n if n < len(self.names) else None
        if m.group("pnum") is not None:
            n = int(m.group("pnum"))
            return n if n < len(self.names) else None
        return self.lookup.get(m.group("name").lower())

    def _inspection(self, m: re.Match[str], _s: str) -> list[tuple]:
        found = _RESULT.search(m.group("rest"))
        if not found:
            return []
        value = NOT_WOLF if found.group("clean") else WOLF
        return [("inspection_claim", self._subject(m), value)]

    def _inspection_back(self, m: re.Match[str], s: str) -> list[tuple]:
        found = _RESULT.match(m.group("rest").lstrip())
        if not found:
            return []
        value = NOT_WOLF if found.group("clean") else WOLF
        return [("inspection_claim", self._subject(m), value)]

    def _role(self, m: re.Match[str], _s: str) -> list[tuple]:
        return [("role_claim", SELF, _ROLE_WORDS[m.group("role").lower()])]

    def _role_of_other(self, m: re.Match[str], _s: str) -> list[tuple]:
        value = _ROLE_WORDS[m.group("role").lower()]
        if value == WOLF:
            return [("accusation", self._subject(m), WOLF)]
        return [("role_claim", self._subject(m), value)]

    def _attacked(self, m: re.Match[str], _s: str) -> list[tuple]:
        return [("night_claim", self._subject(m), "attacked")]

    def _protected(self, m: re.Match[str], _s: str) -> list[tuple]:
        return [("night_claim", self._subject(m), "protected")]

    def _vote(self, m: re.Match[str], s: str) -> list[tuple]:
        low = s.lower()
        when = "yesterday" if "yesterday" in low else "today" if "today" in low else "last"
        return [("vote_claim", self._subject(m), when)]

    def _accuse(self, m: re.Match[str], _s: str) -> list[tuple]:
        return [("accusation", self._subject(m), WOLF)]

    def _accuse_hedged(self, m: re.Match[str], _s: str) -> list[tuple]:
        return [("accusation", self._subject(m), WOLF, True)]

    def _defence(self, m: re.Match[str], _s: str) -> list[tuple]:
        return [("defence", self._subject(m), NOT_WOLF)]

    def _defence_hedged(self, m: re.Match[str], _s: str) -> list[tuple]:
        return [("defence", self._subject(m), NOT_WOLF, True)]

    # ----- reading ------------------------------------------------------------------------
    def read(self, text: str) -> tuple[tuple[str, int | None, str, bool], ...]:
        """Claims in `text` with SELF / pronoun subjects resolved against earlier names."""
        mentions: list[tuple[int, int | None]] | None = None
        found: list[tuple[int, tuple[str, int | None, str, bool]]] = []
        for sent in _SENTENCE.finditer(text):
            for start, (kind, subject, value, hedged) in self.sentence(sent.group()):
                at = sent.start() + start
                if subject == _PRONOUN:  # "she", "him": the last player named before it
                    if mentions is None:
                        mentions = [(m.start(), self._subject_of_name(m))
                                    for m in self.name_re.finditer(text)]  # fmt: skip
                    before = [seat for pos, seat in mentions if pos < at]
                    subject = before[-1] if before else None
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

    def _read_sentence(self, sentence: str) -> tuple[tuple[int, tuple], ...]:
        """(offset, claim) pairs of one sentence; pronoun subjects left unresolved."""
        if not sentence.strip() or sentence.rstrip().endswith("?"):
            return ()  # questions assert nothing
        found: list[tuple[int, tuple]] = []
        taken: list[tuple[int, int]] = []
        for pattern, make in self.patterns:
            for m in pattern.finditer(sentence):
                start, end = m.start(), _claim_end(m)
                if any(start < b and a < end for a, b in taken):
                    continue
                prefix = _clause_prefix(sentence, start)
                if _CONDITIONAL.search(prefix):
                    continue
                after = sentence[end:]
                for item in make(m, sentence):
                    found.append((start, self._finish(item, prefix, after)))
                taken.append((start, end))
        return tuple(found)

    def _subject_of_name(self, m: re.Match[str]) -> int | None:
        if m.group("num") is not None:
            return int(m.group("num"))
        if m.group("pnum") is not None:
            return int(m.group("pnum"))
        return self.lookup.get(m.group("name").lower())

    def _finish(self, item: tuple, prefix: str, after: str) -> tuple[str, int | None, str, bool]:
        kind, subject, value = item[:3]
        hedged = bool(item[3]) if len(item) > 3 else False
        if kind in ("accusation", "defence"):
            if _NEGATED.search(prefix):
                # "I don't think X is a wolf" defends X, with the speaker's own hedge.
                kind = "defence" if kind == "accusation" else "accusation"
                value = NOT_WOLF if kind == "defence" else WOLF
                hedged = True
            elif _HEDGE.search(prefix) or _AFTER_HEDGE.search(after):
                hedged = True
        return (kind, subject, value, hedged)


def _claim_end(m: re.Match[str]) -> int:
    # Inspection patterns swallow the rest of the sentence to find the result; the claim
    # itself ends where the result was found, so later clauses stay readable.
    if "rest" in m.re.groupindex and m.group("rest") is not None:
        found = _RESULT.search(m.group("rest"))
        if found:
            return m.start("rest") + found.end()
    return m.end()


def _clause_prefix(sentence: str, start: int) -> str:
    head = sentence[:start]
    cut = 0
    for b in _CLAUSE.finditer(head):
        cut = b.end()
    return head[cut:]


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
def read_text(text: str, names: tuple[str, ...]) -> tuple[tuple[str, int | None, str, bool], ...]:
    """Claims in one utterance with speaker-relative subjects (SELF = the speaker); cached."""
    return _reader(names).read(text)


class RuleExtractor:
    """Regular-expression reading of claims; deterministic, offline, fast."""

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
