"""Hand-labelled gold sets: scenarios as tiny games, and extractor/labeller agreement.

Each gold scenario becomes a synthetic game (players, ground-truth events, one Belief set per
utterance), so the very labeller that runs on real games labels the gold claims too. Any file in
the format of tests/data/gold/GUIDELINES.md loads (`load_gold(path)`), including the per-claim
`inconsistent` flag, which `label_check` compares with the labeller's `belief_inconsistent`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.claims import CLAIM_TYPES, ExtractedClaim, Extractor, Utterance
from analysis.labels import Facts, label

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
GOLD_PATH = DATA / "gold_claims.json"
HAND_LABELS_PATH = DATA / "labels_hand.json"
# Event seq layout of a gold day: night, speeches (one slot per utterance of the file), votes,
# last words, then the elimination (as in the game: the role is shown after the last words).
_DAY = 10_000_000
_SPEECH, _VOTES, _LAST, _ELIM = 1_000_000, 5_000_000, 7_000_000, 9_000_000


@dataclass
class Gold:
    """The gold set: scenarios (ground truth) and utterances with their human-read claims."""

    scenarios: dict[str, dict[str, Any]]
    utterances: list[dict[str, Any]]
    author: str = ""

    def names(self, scenario: str) -> tuple[str, ...]:
        """Seat names of a scenario's table."""
        return tuple(f"player_{i}" for i in range(len(self.scenarios[scenario]["roles"])))

    def as_utterances(self) -> list[Utterance]:
        """Every gold utterance as extractor input (game id = scenario index + 1)."""
        ids = {s: i + 1 for i, s in enumerate(self.scenarios)}
        return [
            Utterance(u["text"], u["speaker"], self.names(u["scenario"]), ids[u["scenario"]],
                      _seq(u, k), k)
            for k, u in enumerate(self.utterances)
        ]  # fmt: skip


def load_gold(path: str | Path = GOLD_PATH) -> Gold:
    """Read a gold JSON file (the GUIDELINES.md format)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Gold(data["scenarios"], data["utterances"], data.get("author", Path(path).stem))


def _seq(u: dict[str, Any], k: int) -> int:
    offset = _LAST if u["phase"] == "last_words" else _SPEECH
    return u["day"] * _DAY + offset + k  # unique per utterance, in its place within the day


def gold_facts(gold: Gold) -> Facts:
    """Players, ground-truth events and beliefs of the gold scenarios as labeller input."""
    players, events, beliefs = [], [], []
    for g, sc in enumerate(gold.scenarios.values(), start=1):
        roles = sc["roles"]
        for seat, role in enumerate(roles):
            team = "werewolves" if role == "werewolf" else "village"
            players.append((g, seat, f"player_{seat}", role, team, "gold", None, "gold", "none"))
        seer = roles.index("seer") if "seer" in roles else None
        doctor = roles.index("doctor") if "doctor" in roles else None

        def ev(seq: int, day: int, kind: str, actor=None, target=None, subject=None, role=None,
               result=None, g: int = g) -> None:  # fmt: skip
            events.append((g, seq, day, "x", kind, actor, target, subject, role, result))

        for d, night in sc["nights"].items():
            day = int(d)
            base = day * _DAY
            if seer is not None and "inspect" in night:
                seen = night["inspect"]
                verdict = "werewolf" if roles[seen] == "werewolf" else "not a werewolf"
                ev(base + 1, day, "inspection", seer, seen, seen, None, verdict)
            if doctor is not None and "protect" in night:
                ev(base + 2, day, "protection", doctor, night["protect"])
            ev(base + 3, day, "night_resolution", None, night["attack"])
            if night["attack"] != night.get("protect"):
                shown = roles[night["attack"]] if sc["reveal_role_on_death"] else None
                ev(base + 4, day, "dawn", None, night["attack"], night["attack"], shown)
        for d, rounds in sc.get("votes", {}).items():
            day = int(d)
            for r, ballot in enumerate(rounds):
                for voter, target in ballot.items():
                    seq = day * _DAY + _VOTES + 1000 * r + int(voter)
                    ev(seq, day, "vote", int(voter), target)
        for d, seat in sc.get("eliminated", {}).items():
            shown = roles[seat] if sc["reveal_role_on_death"] else None
            ev(int(d) * _DAY + _ELIM, int(d), "elimination", None, seat, seat, shown)
    ids = {s: i + 1 for i, s in enumerate(gold.scenarios)}
    for k, u in enumerate(gold.utterances):
        for about, p in u.get("beliefs", {}).items():
            beliefs.append((ids[u["scenario"]], k, int(about), float(p)))
    pcols = ["game_id", "seat", "name", "role", "team", "agent_kind", "model",
             "prompt_condition", "framing"]  # fmt: skip
    ecols = ["game_id", "seq", "day", "phase", "kind", "actor", "target", "subject", "role",
             "result"]  # fmt: skip
    ev_frame = pd.DataFrame(events, columns=ecols)
    for col in ("actor", "target", "subject"):
        ev_frame[col] = ev_frame[col].astype("Int64")
    for k, u in enumerate(gold.utterances):  # the utterance events themselves (for day/phase)
        ev_frame.loc[len(ev_frame)] = [ids[u["scenario"]], _seq(u, k), u["day"], u["phase"],
                                       "speech", u["speaker"], None, None, None, None]  # fmt: skip
    return Facts(
        pd.DataFrame(players, columns=pcols),
        ev_frame,
        pd.DataFrame(beliefs, columns=["game_id", "turn", "about", "probability"]),
    )


def gold_claims(gold: Gold) -> pd.DataFrame:
    """The human-read claims as a claims frame: the human label in `gold_label`, the human
    inconsistency flag in `gold_inconsistent` (missing where the file does not give one)."""
    rows = []
    for u, claims in zip(gold.as_utterances(), gold.utterances, strict=True):
        for i, c in enumerate(claims["claims"]):
            rows.append((u.game_id, u.event_seq, u.turn, i, u.speaker, c["type"], c["subject"],
                         c["value"], c["hedged"], "gold", c["label"], c.get("inconsistent"),
                         claims["id"]))  # fmt: skip
    cols = ["game_id", "event_seq", "turn", "position", "speaker", "claim_type", "subject",
            "value", "hedged", "extractor", "gold_label", "gold_inconsistent",
            "utterance"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=cols)
    frame["subject"] = frame["subject"].astype("Int64")
    frame["turn"] = frame["turn"].astype("Int64")
    frame["gold_inconsistent"] = frame["gold_inconsistent"].astype("boolean")
    return frame


def label_check(gold: Gold) -> pd.DataFrame:
    """Every gold claim labelled by the labeller beside the human label and inconsistency flag.

    `label_ok` and `inconsistent_ok` say whether they agree (the latter is true where the file
    gives no flag).
    """
    claims = gold_claims(gold)
    human = ["gold_label", "gold_inconsistent", "utterance"]
    labelled = label(claims.drop(columns=human), gold_facts(gold))
    for col in human:
        labelled[col] = claims[col].to_numpy()
    labelled["label_ok"] = labelled["label"] == labelled["gold_label"]
    given = labelled["gold_inconsistent"].notna()
    same = labelled["belief_inconsistent"].astype(bool) == labelled["gold_inconsistent"]
    labelled["inconsistent_ok"] = (~given | same.fillna(False)).astype(bool)
    return labelled


def label_agreement(gold: Gold) -> tuple[float, pd.DataFrame]:
    """Share of gold claims whose computed label equals the human label, and the misses."""
    labelled = label_check(gold)
    wrong = labelled[~labelled["label_ok"]]
    return 1 - len(wrong) / len(labelled), wrong


@dataclass
class ExtractionScores:
    """Agreement of an extractor with the gold claims."""

    kappa: float
    per_type: pd.DataFrame  # claim_type, gold, found, matched, precision, recall, f1
    hedge_agreement: float  # among matched claims, share with the same hedged flag
    misses: list[tuple[str, str, list[Any], list[Any]]] = field(default_factory=list)


def _key(c: ExtractedClaim | dict[str, Any]) -> tuple[str, int | None, str, bool]:
    if isinstance(c, dict):
        return (c["type"], c["subject"], c["value"], bool(c["hedged"]))
    return (c.type, c.subject, c.value, bool(c.hedged))


def score_extractor(extractor: Extractor, gold: Gold | None = None) -> ExtractionScores:
    """Cohen's kappa and per-type precision/recall of `extractor` on the gold set."""
    gold = gold or load_gold()
    found = extractor.extract(gold.as_utterances())
    return score_found(gold, found)


def score_found(gold: Gold, found: list[list[ExtractedClaim]]) -> ExtractionScores:
    """Scores for claims already extracted (one list per gold utterance)."""
    counts = {t: Counter() for t in CLAIM_TYPES}
    hedge_same = hedge_all = 0
    units_gold: list[str] = []
    units_found: list[str] = []
    misses = []
    for u, got in zip(gold.utterances, found, strict=True):
        want = [_key(c) for c in u["claims"]]
        have = [_key(c) for c in got]
        for t in CLAIM_TYPES:
            w = Counter(k[:3] for k in want if k[0] == t)
            h = Counter(k[:3] for k in have if k[0] == t)
            counts[t]["gold"] += sum(w.values())
            counts[t]["found"] += sum(h.values())
            counts[t]["matched"] += sum((w & h).values())
        for k in set(x[:3] for x in want) & set(x[:3] for x in have):
            hw = {x[3] for x in want if x[:3] == k}
            hh = {x[3] for x in have if x[:3] == k}
            hedge_all += 1
            hedge_same += hw == hh
        if sorted(want, key=str) != sorted(have, key=str):
            misses.append((u["id"], u["text"], want, have))
        # kappa units: every (type, subject) slot of the utterance, value+hedge or "none"
        seats = [None, *range(len(gold.scenarios[u["scenario"]]["roles"]))]
        for t in CLAIM_TYPES:
            for s in seats:
                units_gold.append(_slot(want, t, s))
                units_found.append(_slot(have, t, s))
    rows = []
    for t in CLAIM_TYPES:
        c = counts[t]
        p = c["matched"] / c["found"] if c["found"] else float("nan")
        r = c["matched"] / c["gold"] if c["gold"] else float("nan")
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        rows.append((t, c["gold"], c["found"], c["matched"], p, r, f1))
    per_type = pd.DataFrame(
        rows, columns=["claim_type", "gold", "found", "matched", "precision", "recall", "f1"]
    )
    return ExtractionScores(
        kappa=cohen_kappa(units_gold, units_found),
        per_type=per_type,
        hedge_agreement=hedge_same / hedge_all if hedge_all else float("nan"),
        misses=misses,
    )


def _slot(claims: list[tuple[str, int | None, str, bool]], t: str, s: int | None) -> str:
    values = sorted(
        f"{v}{'~' if h else ''}" for typ, subj, v, h in claims if typ == t and subj == s
    )
    return "|".join(values) or "none"


def cohen_kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa of two raters' categorical labels over the same units."""
    n = len(a)
    if n == 0:
        return float("nan")
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb.get(k, 0) for k in ca) / n**2
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0
