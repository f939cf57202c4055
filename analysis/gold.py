"""Hand-labelled gold sets: scenarios as tiny games, and extractor/labeller agreement.

Each gold scenario becomes a synthetic game (players, ground-truth events, one Belief set per
utterance), so the very labeller that runs on real games labels the gold claims too. Any file in
the format of analysis/gold_data/GUIDELINES.md loads (`load_gold(path)`), including the per-claim
`inconsistent` flag, which `label_check` compares with the labeller's `belief_inconsistent`.

This module is the one place extraction is scored: kappa over (type, subject, value), micro and
per-type precision/recall, hedge agreement on its own, bootstrap intervals, and cross-validation
over scenarios. The gold set proper is analysis/gold_data/dev.json (tune on it) and
analysis/gold_data/test.json (frozen: measured once, never tuned on; a test pins its sha256).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.claims import CLAIM_TYPES, ExtractedClaim, Extractor, Utterance
from analysis.labels import Facts, label

# Inside the package (pyproject's package-data), not under tests/: the default extractor's model
# is fitted on the dev parts, so an installed wheel needs them as much as a clone does.
DATA = Path(__file__).resolve().parent / "gold_data"
GOLD_PATH = DATA / "gold_claims.json"  # the older, smaller set: extra dev data
GOLD_DEV_PATH = DATA / "dev.json"
GOLD_TEST_PATH = DATA / "test.json"  # frozen: only the final measurement reads it
# Event seq layout of a gold day: night, speeches (one slot per utterance of the file), votes,
# last words, then the elimination (as in the game: the role is shown after the last words).
_DAY = 10_000_000
_SPEECH, _VOTES, _LAST, _ELIM = 1_000_000, 5_000_000, 7_000_000, 9_000_000


@dataclass
class Gold:
    """The gold set: scenarios (ground truth) and utterances with their human-read claims."""

    scenarios: dict[str, dict[str, Any]]
    utterances: list[dict[str, Any]]
    author: str = ""  # the file's author (the split files carry one per scenario instead)

    def author_of(self, scenario: str) -> str:
        """Who wrote a scenario: its own "author" key, else the file's."""
        return self.scenarios[scenario].get("author", self.author)

    def subset(self, scenarios: Iterable[str]) -> Gold:
        """The gold set restricted to some scenarios (utterances keep their order)."""
        keep = set(scenarios)
        return Gold(
            {s: sc for s, sc in self.scenarios.items() if s in keep},
            [u for u in self.utterances if u["scenario"] in keep],
            self.author,
        )

    def names(self, scenario: str) -> tuple[str, ...]:
        """Seat names of a scenario's table."""
        return tuple(f"player_{i}" for i in range(len(self.scenarios[scenario]["roles"])))

    def as_utterances(self) -> list[Utterance]:
        """Every gold utterance as extractor input (game id = scenario index + 1)."""
        ids = {s: i + 1 for i, s in enumerate(self.scenarios)}
        return [
            Utterance(u["text"], u["speaker"], self.names(u["scenario"]), ids[u["scenario"]],
                      _seq(u, k), k, u.get("phase"))
            for k, u in enumerate(self.utterances)
        ]  # fmt: skip


def load_gold(path: str | Path = GOLD_PATH) -> Gold:
    """Read a gold JSON file (the GUIDELINES.md format; dev/test carry an author per scenario)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for sid, sc in data["scenarios"].items():
        if not 5 <= len(sc["roles"]) <= 16:
            raise ValueError(f"gold scenario {sid}: {len(sc['roles'])} seats")
    author = data.get("author") or data.get("part") or Path(path).stem
    return Gold(data["scenarios"], data["utterances"], author)


def merge_gold(*parts: Gold) -> Gold:
    """Several gold sets as one (scenario ids prefixed by each part's author when they clash)."""
    scenarios: dict[str, dict[str, Any]] = {}
    utterances: list[dict[str, Any]] = []
    for g in parts:
        rename = {s: (f"{g.author}:{s}" if s in scenarios else s) for s in g.scenarios}
        for s, sc in g.scenarios.items():
            scenarios[rename[s]] = {"author": g.author_of(s), **sc}
        utterances += [{**u, "scenario": rename[u["scenario"]]} for u in g.utterances]
    return Gold(scenarios, utterances, "+".join(g.author for g in parts))


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


# ----- extraction agreement --------------------------------------------------------------------
# A claim's identity is (type, subject, value). The hedge flag is scored on its own: the three
# annotators disagree on which certainty words hedge (analysis/gold_data/DECISIONS.md) and a hedge
# never changes a label (DESIGN.md), so it must not decide whether two readings agree.
Triple = tuple[str, int | None, str]
INTERVAL = 0.95
BOOTSTRAP = 2000


@dataclass
class ExtractionScores:
    """Agreement of an extractor with the gold claims, with bootstrap intervals.

    `per_type` has claim_type, gold, found, matched, precision, recall, f1 and the interval
    bounds precision_lo/hi, recall_lo/hi. `intervals` maps kappa, precision, recall and
    hedge_agreement to (low, high); `resampled` says what the bootstrap drew (utterances or
    scenarios).
    """

    kappa: float
    precision: float  # micro: matched / found over all types
    recall: float  # micro: matched / gold over all types
    per_type: pd.DataFrame
    hedge_agreement: float  # among matched claims, share with the same hedged flag
    hedge_kappa: float  # Cohen's kappa of the hedged flag over matched claims
    matched: int = 0
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    resampled: str = ""
    utterances: int = 0
    claims: int = 0
    misses: list[tuple[str, str, list[Any], list[Any]]] = field(default_factory=list)

    def summary(self) -> str:
        """One line: kappa, micro precision/recall and hedge agreement with their intervals."""

        def fmt(name: str, value: float) -> str:
            lo, hi = self.intervals.get(name, (float("nan"), float("nan")))
            return f"{name} {value:.3f} [{lo:.3f}, {hi:.3f}]"

        head = ", ".join(
            fmt(k, getattr(self, k)) for k in ("kappa", "precision", "recall", "hedge_agreement")
        )
        return (
            f"{head} (hedge kappa {self.hedge_kappa:.3f}; {self.utterances} utterances, "
            f"{self.claims} claims; {INTERVAL:.0%} intervals resample {self.resampled})"
        )


def _key(c: ExtractedClaim | dict[str, Any]) -> tuple[str, int | None, str, bool]:
    if isinstance(c, dict):
        return (c["type"], c["subject"], c["value"], bool(c["hedged"]))
    return (c.type, c.subject, c.value, bool(c.hedged))


def score_extractor(
    extractor: Extractor, gold: Gold | None = None, **kwargs: Any
) -> ExtractionScores:
    """Kappa, micro and per-type precision/recall of `extractor` on a gold set, with intervals."""
    gold = gold or load_gold()
    found = extractor.extract(gold.as_utterances())
    return score_found(gold, found, **kwargs)


@dataclass
class _Tally:
    """Per-utterance counts from which every figure (and each bootstrap replicate) is summed."""

    units: np.ndarray  # (U,) kappa units per utterance
    agree: np.ndarray  # (U,) units on which both readings agree
    gold_cat: np.ndarray  # (U, K) units per category in the gold reading
    found_cat: np.ndarray  # (U, K) units per category in the extractor's reading
    types: np.ndarray  # (U, T, 3) gold, found, matched per claim type
    hedge: np.ndarray  # (U, 4) matched claims by (gold hedged, found hedged): nn, ny, yn, yy


def _tally(gold: Gold, found: Sequence[Sequence[ExtractedClaim]]) -> tuple[_Tally, list]:
    n_u, n_t = len(gold.utterances), len(CLAIM_TYPES)
    units, agree = np.zeros(n_u), np.zeros(n_u)
    types = np.zeros((n_u, n_t, 3))
    hedge = np.zeros((n_u, 4))
    cats: dict[str, int] = {}
    cells: list[tuple[int, int, int]] = []  # (utterance, category, 0 gold / 1 found)
    misses = []
    for k, (u, got) in enumerate(zip(gold.utterances, found, strict=True)):
        want = {_key(c)[:3]: _key(c)[3] for c in u["claims"]}
        have = {_key(c)[:3]: _key(c)[3] for c in got}
        for i, t in enumerate(CLAIM_TYPES):
            w = {x for x in want if x[0] == t}
            h = {x for x in have if x[0] == t}
            types[k, i] = (len(w), len(h), len(w & h))
        for x in set(want) & set(have):
            hedge[k, 2 * want[x] + have[x]] += 1
        if set(want) != set(have):
            misses.append((u["id"], u["text"], sorted((_key(c) for c in u["claims"]), key=str),
                           sorted((_key(c) for c in got), key=str)))  # fmt: skip
        # Kappa units: every (type, subject) slot of the utterance (subject None or a seat),
        # its category the set of values read there, or "none".
        seats = [None, *range(len(gold.scenarios[u["scenario"]]["roles"]))]
        for t in CLAIM_TYPES:
            for s in seats:
                a, b = _slot(want, t, s), _slot(have, t, s)
                units[k] += 1
                agree[k] += a == b
                for side, cat in ((0, a), (1, b)):
                    cells.append((k, cats.setdefault(cat, len(cats)), side))
    gold_cat = np.zeros((n_u, len(cats)))
    found_cat = np.zeros((n_u, len(cats)))
    for k, cat, side in cells:
        (found_cat if side else gold_cat)[k, cat] += 1
    return _Tally(units, agree, gold_cat, found_cat, types, hedge), misses


def _slot(claims: dict[Triple, bool], t: str, s: int | None) -> str:
    return "|".join(sorted(v for typ, subj, v in claims if typ == t and subj == s)) or "none"


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)


def _figures(t: _Tally, w: np.ndarray) -> dict[str, np.ndarray]:
    """Every figure for each row of utterance weights `w` (R, U): one row per replicate."""
    n = w @ t.units
    observed = _ratio(w @ t.agree, n)
    expected = _ratio(((w @ t.gold_cat) * (w @ t.found_cat)).sum(axis=1), n**2)
    kappa = np.where(expected < 1, _ratio(observed - expected, 1 - expected), 1.0)
    per = np.einsum("ru,utc->rtc", w, t.types)  # (R, T, 3)
    tot = per.sum(axis=1)
    h = w @ t.hedge  # (R, 4)
    m = h.sum(axis=1)
    same = _ratio(h[:, 0] + h[:, 3], m)
    yes_gold, yes_found = _ratio(h[:, 2] + h[:, 3], m), _ratio(h[:, 1] + h[:, 3], m)
    chance = yes_gold * yes_found + (1 - yes_gold) * (1 - yes_found)
    out = {
        "kappa": kappa,
        "precision": _ratio(tot[:, 2], tot[:, 1]),
        "recall": _ratio(tot[:, 2], tot[:, 0]),
        "hedge_agreement": same,
        "hedge_kappa": np.where(chance < 1, _ratio(same - chance, 1 - chance), 1.0),
    }
    for i, typ in enumerate(CLAIM_TYPES):
        out[f"precision:{typ}"] = _ratio(per[:, i, 2], per[:, i, 1])
        out[f"recall:{typ}"] = _ratio(per[:, i, 2], per[:, i, 0])
    return out


def bootstrap_weights(
    gold: Gold, reps: int = BOOTSTRAP, by: str = "utterance", seed: int = 0
) -> np.ndarray:
    """(reps, U) counts of each utterance in bootstrap replicates of the gold set.

    by="utterance" draws utterances with replacement (an extractor reads each utterance on its
    own, and the claims of one utterance travel together); by="scenario" draws whole scenarios
    (games, hence authors' scenes) with replacement, a wider and cruder interval with few.
    """
    rng = np.random.default_rng(seed)
    n = len(gold.utterances)
    if by == "utterance":
        return rng.multinomial(n, np.full(n, 1 / n), size=reps).astype(float)
    if by != "scenario":
        raise ValueError(f"resample by 'utterance' or 'scenario', not {by!r}")
    ids = list(gold.scenarios)
    which = np.array([ids.index(u["scenario"]) for u in gold.utterances])
    drawn = rng.multinomial(len(ids), np.full(len(ids), 1 / len(ids)), size=reps)
    return drawn[:, which].astype(float)


def score_found(
    gold: Gold,
    found: Sequence[Sequence[ExtractedClaim]],
    *,
    reps: int = BOOTSTRAP,
    by: str = "utterance",
    seed: int = 0,
) -> ExtractionScores:
    """Scores for claims already extracted (one list per gold utterance), with intervals."""
    tally, misses = _tally(gold, found)
    point = {k: float(v[0]) for k, v in _figures(tally, np.ones((1, len(gold.utterances)))).items()}
    intervals: dict[str, tuple[float, float]] = {}
    if reps:
        boot = _figures(tally, bootstrap_weights(gold, reps, by, seed))
        tail = (1 - INTERVAL) / 2 * 100
        for k, v in boot.items():
            v = v[~np.isnan(v)]
            intervals[k] = (
                (float(np.percentile(v, tail)), float(np.percentile(v, 100 - tail)))
                if len(v) else (float("nan"), float("nan"))
            )  # fmt: skip
    rows = []
    counts = tally.types.sum(axis=0)
    for i, t in enumerate(CLAIM_TYPES):
        g, f, m = (int(x) for x in counts[i])
        p, r = point[f"precision:{t}"], point[f"recall:{t}"]
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        nan2 = (float("nan"), float("nan"))
        plo, phi = intervals.get(f"precision:{t}", nan2)
        rlo, rhi = intervals.get(f"recall:{t}", nan2)
        rows.append((t, g, f, m, p, r, f1, plo, phi, rlo, rhi))
    per_type = pd.DataFrame(rows, columns=[
        "claim_type", "gold", "found", "matched", "precision", "recall", "f1",
        "precision_lo", "precision_hi", "recall_lo", "recall_hi"])  # fmt: skip
    return ExtractionScores(
        kappa=point["kappa"],
        precision=point["precision"],
        recall=point["recall"],
        per_type=per_type,
        hedge_agreement=point["hedge_agreement"],
        hedge_kappa=point["hedge_kappa"],
        matched=int(counts[:, 2].sum()),
        intervals=intervals,
        resampled=f"{by}s" if reps else "nothing",
        utterances=len(gold.utterances),
        claims=int(counts[:, 0].sum()),
        misses=misses,
    )


def cohen_kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa of two raters' categorical labels over the same units."""
    n = len(a)
    if n == 0:
        return float("nan")
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb.get(k, 0) for k in ca) / n**2
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


# ----- cross-validation over scenarios ---------------------------------------------------------
Fit = Callable[[Gold], Extractor]


def scenario_folds(gold: Gold, size: int = 2) -> list[tuple[str, ...]]:
    """Scenarios in folds of `size` (leave-`size`-out), each fold mixing authors where it can.

    Scenarios are sorted by id (the author's letter leads it), and fold i takes ids
    i, i + k, i + 2k, … for k folds, so a fold pairs different authors' scenes.
    """
    ids = sorted(gold.scenarios)
    k = -(-len(ids) // size)
    return [tuple(ids[i::k]) for i in range(k)]


def cross_validate(
    fit: Fit, gold: Gold, folds: list[tuple[str, ...]] | None = None, **kwargs: Any
) -> tuple[ExtractionScores, pd.DataFrame]:
    """Every utterance read by an extractor fitted without its scenario's fold: pooled scores
    and one row per fold (held-out scenarios, kappa, precision, recall)."""
    folds = folds or scenario_folds(gold)
    found: list[list[ExtractedClaim] | None] = [None] * len(gold.utterances)
    rows = []
    for fold in folds:
        held = gold.subset([s for s in gold.scenarios if s in fold])
        train = gold.subset([s for s in gold.scenarios if s not in fold])
        got = fit(train).extract(held.as_utterances())
        s = score_found(held, got, reps=0)
        rows.append(("+".join(fold), len(held.utterances), s.kappa, s.precision, s.recall))
        where = iter(got)
        for k, u in enumerate(gold.utterances):
            if u["scenario"] in fold:
                found[k] = next(where)
    assert all(f is not None for f in found), "every scenario must be in exactly one fold"
    per_fold = pd.DataFrame(rows, columns=["held_out", "utterances", "kappa", "precision",
                                           "recall"])  # fmt: skip
    return score_found(gold, found, **kwargs), per_fold  # type: ignore[arg-type]
