"""A learned second reader beside the rules: claims the patterns miss, found by a small model.

The rules are precise but read only the phrasings they were written for; out of sample they miss
a fifth of the claims (README, "Validation"). This reader looks at every (utterance, player)
pair instead of every phrasing: the sentences that name the player (or refer to it with a
pronoun or "you") are masked (that player → TGT, other players → OTH) and a one-vs-rest logistic
regression over word n-grams says which claims (type and value) the utterance makes about it.
`HybridExtractor` keeps every rule claim and adds the model's where it is confident and the
rules said nothing of that type about that player: the rules stay the precise core, the model
buys recall. The model is fitted on the dev gold sets only (never on the frozen test part).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from analysis.claims import ExtractedClaim, Utterance
from analysis.gold import GOLD_DEV_PATH, GOLD_PATH, Gold, load_gold, merge_gold
from analysis.probe import cache_root
from analysis.rules import _CONDITIONAL, RuleExtractor, _reader, normalise

THRESHOLD = 0.4  # the model's probability above which its claim is added (chosen on dev gold)
MODEL_VERSION = 3  # bump when candidates() or ClaimModel change: invalidates cached models

_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_PRONOUN = re.compile(r"\b(?:she|he|her|him|hers|his|they|them|their)\b", re.I)
_YOU = re.compile(r"\b(?:you|your|you're|u|ur)\b", re.I)
_FIRST = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|me|my|myself)\b")
_HEDGE = re.compile(
    r"\b(?:think|suspect|probably|seems?|might|maybe|perhaps|gut|feel|guess|likely|"
    r"reckon|believe|trust|sus|suspicious|fairly|pretty sure|could)\b",
    re.I,
)
_TODAY = re.compile(r"\btoday\b|\bearlier\b|\bthis (?:morning|round)\b", re.I)
_YESTERDAY = re.compile(r"\byesterday\b|\blast (?:round|day|vote)\b|\bday \d\b", re.I)
_ASKS_OR_SUPPOSES = re.compile(rf"\?\s*$|{_CONDITIONAL.pattern}", re.I).search
SELF_SLOT = "SELF"  # the candidate is the speaker: its own role, innocence, or being attacked
VOTE = "vote_claim"
# Claims about what a player is: the model adds none for a player the rules already judged
# (a reported inspection is not also an accusation; a defence read by the rules stands).
_STATUS = frozenset(("accusation", "defence", "role_claim", "inspection_claim"))


@dataclass(frozen=True)
class Candidate:
    """One (utterance, player) pair with the masked sentences that speak of that player."""

    index: int  # utterance index in the batch
    seat: int
    text: str


def candidates(u: Utterance, index: int) -> list[Candidate]:
    """Every player the utterance speaks of, with its masked sentences; and the speaker."""
    text = normalise(u.text)
    reader = _reader(tuple(u.names))
    sentences = [(m.start(), m.group()) for m in _SENTENCE.finditer(text)]
    addressed = reader._addressed(sentences)
    about: dict[int, list[str]] = {}
    last: list[int] = []
    for k, (_offset, sent) in enumerate(sentences):
        if _ASKS_OR_SUPPOSES(sent):  # questions and conditionals assert nothing
            continue
        named = [
            (m.start(), m.end(), s)
            for m in reader.name_re.finditer(sent)
            if (s := reader._subject_of_name(m)) is not None
        ]
        seats = {s for _a, _b, s in named}
        for seat in seats:
            masked = _mask(sent, named, seat)
            if seat in addressed[k]:  # "P5, you are quiet": "you" is P5 too
                masked = _YOU.sub("TGT", masked)
            about.setdefault(seat, []).append(masked)
        if not seats and last and _PRONOUN.search(sent):
            for seat in last:  # "she" / "they": the player(s) named last before
                about.setdefault(seat, []).append("PRN " + _PRONOUN.sub("TGT", sent))
        for seat in addressed[k]:
            if seat is not None and _YOU.search(sent) and seat not in seats:
                about.setdefault(seat, []).append("ADR " + _YOU.sub("TGT", sent))
        if seats:
            last = sorted(seats)
        if _FIRST.search(sent):
            about.setdefault(u.speaker, []).append("SELF " + _first_person(_mask(sent, named, -1)))
    about.pop(None, None)  # type: ignore[call-overload]
    return [
        Candidate(index, seat, _GAPS.sub(" ", " || ".join(parts) + " ## " + _window(parts)))
        for seat, parts in sorted(about.items())
    ]


_WORD = re.compile(r"[\w']+")
_GAPS = re.compile(r"\s+")
WINDOW = 5


def _window(parts: list[str]) -> str:
    """Words near each mention of the candidate, tagged by side: "L_vote R_sus"."""
    out = []
    for part in parts:
        words = _WORD.findall(part.lower())
        for i, w in enumerate(words):
            if w == "tgt":
                out += [f"L_{x}" for x in words[max(0, i - WINDOW) : i]]
                out += [f"R_{x}" for x in words[i + 1 : i + 1 + WINDOW]]
    return " ".join(out)


def _first_person(sent: str) -> str:
    """The speaker as TGT, so "I am the seer" reads like "TGT is the seer"."""
    sent = _I_AM.sub("TGT is", sent)
    return _I.sub("TGT", sent)


_I_AM = re.compile(r"\bI(?:'m|\s+am)\b", re.I)
_I = re.compile(r"\b(?:I|me|myself)\b")


def _mask(sent: str, named: list[tuple[int, int, int]], seat: int) -> str:
    out, at = [], 0
    for a, b, s in named:
        out += [sent[at:a], " TGT " if s == seat else " OTH "]
        at = b
    out.append(sent[at:])
    return "".join(out)


def _slot(claim_type: str, value: str) -> str:
    return VOTE if claim_type == VOTE else f"{claim_type}:{value}"


class ClaimModel:
    """Word n-gram logistic regressions, one per claim slot, over masked candidate text."""

    def __init__(self, c: float = 64.0) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import MultiLabelBinarizer

        self.binarizer = MultiLabelBinarizer()
        self.pipeline = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 3), min_df=2, sublinear_tf=True, lowercase=True,
                            token_pattern=r"(?u)\b\w[\w']*\b"),
            OneVsRestClassifier(LogisticRegression(C=c, solver="liblinear", max_iter=2000)),
        )  # fmt: skip

    def fit(self, gold: Gold) -> ClaimModel:
        """Fit on a gold set's utterances and claims."""
        utterances = gold.as_utterances()
        docs, targets = [], []
        for k, u in enumerate(utterances):
            want: dict[int, set[str]] = {}
            for c in gold.utterances[k]["claims"]:
                if c["subject"] is not None:
                    want.setdefault(c["subject"], set()).add(_slot(c["type"], c["value"]))
            for cand in candidates(u, k):
                docs.append(cand.text)
                targets.append(sorted(want.get(cand.seat, ())))
        y = self.binarizer.fit_transform(targets)
        self.pipeline.fit(docs, y)
        return self

    def predict(self, utterances: Sequence[Utterance]) -> list[tuple[Candidate, dict[str, float]]]:
        """Each candidate with its probability per claim slot."""
        cands = [c for k, u in enumerate(utterances) for c in candidates(u, k)]
        if not cands:
            return []
        probs = self.pipeline.predict_proba([c.text for c in cands])
        slots = list(self.binarizer.classes_)
        return [(c, dict(zip(slots, p, strict=True))) for c, p in zip(cands, probs, strict=True)]


class HybridExtractor:
    """Rule claims, plus the model's confident claims where the rules said nothing of that type."""

    name = "rules+model"

    def __init__(self, model: ClaimModel | None = None, threshold: float = THRESHOLD) -> None:
        self.rules = RuleExtractor()
        self.model = model or default_model()
        self.threshold = threshold
        # Scripted games say the same sentences a million times: read each one once.
        self._seen: dict[tuple, list[ExtractedClaim]] = {}

    def extract(self, utterances: Sequence[Utterance]) -> list[list[ExtractedClaim]]:
        """Claims for each utterance, in order."""
        keys = [(u.text, u.speaker, tuple(u.names), u.phase) for u in utterances]
        todo = {k: u for k, u in zip(keys, utterances, strict=True) if k not in self._seen}
        if todo:
            if len(self._seen) + len(todo) > _CACHE:
                self._seen.clear()
            self._seen.update(zip(todo, self._read(list(todo.values())), strict=True))
        return [list(self._seen[k]) for k in keys]

    def _read(self, utterances: list[Utterance]) -> list[list[ExtractedClaim]]:
        out = self.rules.extract(utterances)
        for cand, probs in self.model.predict(utterances):
            u = utterances[cand.index]
            have = {(c.type, c.subject) for c in out[cand.index]}
            judged = {c.subject for c in out[cand.index] if c.type in _STATUS}
            for slot, p in probs.items():
                if p < self.threshold:
                    continue
                kind, _, value = slot.partition(":")
                if (kind, cand.seat) in have or (kind in _STATUS and cand.seat in judged):
                    continue  # the rules' reading of that player's role or team stands
                if kind == VOTE:
                    value = _vote_day(cand.text, u.phase)
                hedged = bool(_HEDGE.search(cand.text))
                out[cand.index].append(ExtractedClaim(kind, cand.seat, value, hedged))
                have.add((kind, cand.seat))
        return out


_CACHE = 200_000  # utterances remembered (as the rules' own cache)


def _vote_day(text: str, phase: str | None) -> str:
    if _TODAY.search(text):
        return "today"
    if _YESTERDAY.search(text):
        return "yesterday"
    return {"last_words": "today", "day_speech": "yesterday"}.get(phase or "", "last")


def training_gold() -> Gold:
    """What the shipped model is fitted on: every dev gold set, never the frozen test part."""
    return merge_gold(load_gold(GOLD_DEV_PATH), load_gold(GOLD_PATH))


@lru_cache(maxsize=1)
def default_model() -> ClaimModel:
    """The model fitted on `training_gold()`, kept on disk by a hash of its data and sklearn."""
    import sklearn

    paths = (GOLD_DEV_PATH, GOLD_PATH)
    digest = hashlib.sha256(f"{MODEL_VERSION}/{sklearn.__version__}".encode())
    for path in paths:
        digest.update(path.read_bytes())
    cached = cache_root() / f"claim_model-{digest.hexdigest()[:16]}.pkl"
    if cached.exists():  # written by this very code from the same data: safe to unpickle
        with cached.open("rb") as f:
            return pickle.load(f)
    model = ClaimModel().fit(training_gold())
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as f:
        pickle.dump(model, f)
    tmp.replace(cached)  # atomic: a concurrent process reads a whole file or none
    return model


def fit_hybrid(gold: Gold, threshold: float = THRESHOLD) -> HybridExtractor:
    """A hybrid extractor whose model is fitted on `gold`."""
    return HybridExtractor(ClaimModel().fit(gold), threshold)


__all__ = ["ClaimModel", "HybridExtractor", "candidates", "default_model", "fit_hybrid"]
