"""Who moves whom: listeners' logged beliefs before and after each public utterance.

Every decision logs the decider's P(werewolf) about every other living player (no extra calls),
so the effect of an utterance on a listener is read off its beliefs: for each public utterance
(day speech or last words) and each other player who logged beliefs, `before` is the
listener's P(werewolf) at its last decision before the utterance and `after` at its first
decision after it, about the speaker (`about = speaker`) and about every player the utterance
names (`about = named`). `delta = after - before`. Under bidding every living player bids
before every speaking slot, so the window holds exactly that utterance; under round-robin it
holds the others said in between too (`window` counts the utterances in it, and the tables use
windows of one utterance unless `window=None`).

`direction` says what the utterance claimed about that player's wolf status (+1 a werewolf:
accusation, "X is the werewolf", an inspection finding a werewolf; -1 not one: defence, a
village role, "I am the seer" about oneself), from the labelled claims; `signed = direction ×
delta` is the move toward what was claimed, and `label` the claim's lie label.

Tables (intervals: percentile cluster bootstrap over seeds, predictions fixed, see
analysis.resampling):
- `who_moves_whom`: per speaker model/team × listener model/team, mean delta about the speaker
  and mean signed delta about those named.
- `lies_vs_truth`: per listener model/team, mean signed delta after a lie vs after a true claim,
  and their difference (both from the same games: the game is the unit).
- `detection`: AUROC of village-team listeners' P(werewolf) (their last belief of the day)
  for telling werewolves from the rest, by day (and over all days); werewolves are left out
  as listeners since they know.
- `lie_detection`: AUROC of the listener's delta about the speaker for telling utterances
  holding a lie from utterances whose claims are all true (does suspicion rise after a lie?).
Caveats: beliefs are what a model reports, not what it acts on; a window of several utterances
mixes their effects; AUROC is undefined (NaN) where a day has a single class.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.db import DbTarget
from analysis.intervals import RESAMPLES, SEED
from analysis.rates import counted
from analysis.resampling import (
    Resampler,
    auroc_counts,
    auroc_resampled,
    percentile,
    ratio,
)
from analysis.research import ResearchData, game_index, research_data
from vocab import NOT_WOLF, VILLAGE, WEREWOLF, WEREWOLVES

_VILLAGE_ROLES = ("villager", "seer", "doctor", VILLAGE)
_PARTY = ["model", "team", "role"]


@dataclass
class PersuasionReport:
    """The per-shift frame and the tables drawn from it (see the module docstring)."""

    shifts: pd.DataFrame
    who_moves_whom: pd.DataFrame
    lies_vs_truth: pd.DataFrame
    detection: pd.DataFrame
    lie_detection: pd.DataFrame


def persuasion(
    db: DbTarget | ResearchData,
    *,
    tournaments: Sequence[str] | None = None,
    include_degraded: bool = False,
    window: int | None = 1,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> PersuasionReport:
    """Belief shifts after every public utterance, and who moves whom, lies vs truth, AUROCs.

    Unit: a (utterance, listener, player spoken about) shift; intervals resample seeds.
    `window`: tables use shifts whose window holds at most this many utterances (None: all).
    """
    data = research_data(db, tournaments=tournaments, include_degraded=include_degraded)
    shifts = belief_shifts(data)
    used = shifts if window is None else shifts[shifts["window"] <= window]
    return PersuasionReport(
        shifts=shifts,
        who_moves_whom=who_moves_whom(used, resamples=resamples, seed=seed),
        lies_vs_truth=lies_vs_truth(used, resamples=resamples, seed=seed),
        detection=detection(data, resamples=resamples, seed=seed),
        lie_detection=lie_detection(used, resamples=resamples, seed=seed),
    )


# ----- the shifts --------------------------------------------------------------------------------
# Keys packed into one int64 so lookups are numpy sorts and binary searches, not multi-column
# merges over millions of beliefs (a 10k-game bidding store logs 4.3M of them).
_TURNS = 1 << 20  # decisions a game may have
_SEATS = 64  # seats a table may have (MAX_PLAYERS is 30)


def _decision_key(game: np.ndarray, seat: np.ndarray, turn: np.ndarray) -> np.ndarray:
    return (game.astype(np.int64) * _SEATS + seat) * _TURNS + turn


def _belief_key(game: np.ndarray, turn: np.ndarray, about: np.ndarray) -> np.ndarray:
    return (game.astype(np.int64) * _TURNS + turn) * _SEATS + about


def belief_shifts(data: ResearchData) -> pd.DataFrame:
    """One row per (utterance, listener, about): before, after, delta, direction, label."""
    speech = data.utterances.dropna(subset=["turn"])
    speech = speech[~speech["fallback"].astype(bool)].copy()
    speech["turn"] = speech["turn"].astype("int64")
    about = pd.concat([_about_speaker(speech), _named(speech, data.seats)], ignore_index=True)
    seats = data.seats[["game_id", "seat", "pair", *_PARTY]].copy()
    for col in _PARTY:
        seats[col] = seats[col].astype("category")
    listeners = seats.rename(columns={"seat": "listener"})[["game_id", "listener"]]
    rows = about.merge(listeners, on="game_id")
    rows = rows[(rows["listener"] != rows["speaker"]) & (rows["listener"] != rows["subject"])]
    b = data.beliefs
    rows = _windows(rows, b)
    rows = _beliefs_at(rows, b)
    rows = rows.dropna(subset=["before", "after"]).reset_index(drop=True)
    rows["delta"] = rows["after"] - rows["before"]
    rows = _with_claims(rows, data)
    rows["signed"] = rows["direction"] * rows["delta"]
    rows["window"] = _window_sizes(rows, speech)
    rows["about"] = pd.Categorical.from_codes(rows["about"].to_numpy(), ["speaker", "named"])
    phase = speech[["game_id", "event_seq", "phase"]].astype({"phase": "category"})
    rows = rows.merge(phase, on=["game_id", "event_seq"], how="left")
    party = seats.drop(columns="pair")
    rows = rows.merge(_prefixed(party, "speaker"), on=["game_id", "speaker"], how="left")
    rows = rows.merge(_prefixed(party, "listener"), on=["game_id", "listener"], how="left")
    rows = rows.merge(seats[["game_id", "pair"]].drop_duplicates(), on="game_id", how="left")
    cols = ["game_id", "pair", "event_seq", "day", "phase", "speaker", "listener", "subject",
            "about", "before_turn", "after_turn", "before", "after", "delta", "direction",
            "signed", "claim_type", "label", "speech_lie", "speech_true", "window"]  # fmt: skip
    extra = [f"{who}_{c}" for who in ("speaker", "listener") for c in _PARTY]
    return rows[cols + extra].sort_values(["game_id", "event_seq", "listener", "subject"],
                                          ignore_index=True)  # fmt: skip


def _about_speaker(speech: pd.DataFrame) -> pd.DataFrame:
    out = speech[["game_id", "event_seq", "turn", "day", "speaker"]].copy()
    out["subject"] = out["speaker"]
    out["about"] = np.int8(0)
    return out


def _named(speech: pd.DataFrame, seats: pd.DataFrame) -> pd.DataFrame:
    """(utterance, named player) pairs: every other player's name found in the text."""
    table = seats[["game_id", "seat", "name"]].astype({"name": str})
    names = sorted(table["name"].unique(), key=len, reverse=True)  # longest first: player_10
    cols = ["game_id", "event_seq", "turn", "day", "speaker", "subject", "about"]
    if not names or speech.empty:
        return pd.DataFrame(columns=cols)
    # One pass over the texts with every name; a name is a whole word (player_1 is not in
    # player_10), then (game, name) -> seat.
    pattern = rf"(?<![\w])({'|'.join(map(re.escape, names))})(?![\w])"
    found = speech["text"].astype(str).str.findall(pattern)
    hits = speech[["game_id", "event_seq", "turn", "day", "speaker"]].assign(name=found)
    hits = hits.explode("name").dropna(subset=["name"]).drop_duplicates(["game_id", "event_seq",
                                                                          "name"])  # fmt: skip
    out = hits.merge(table, on=["game_id", "name"]).rename(columns={"seat": "subject"})
    out = out[out["subject"] != out["speaker"]].drop(columns="name")
    out["about"] = np.int8(1)
    return out[cols]


def _windows(rows: pd.DataFrame, beliefs: pd.DataFrame) -> pd.DataFrame:
    """The listener's last decision (with beliefs) before the utterance and first after it."""
    decisions = np.unique(_decision_key(beliefs["game_id"].to_numpy(), beliefs["holder"].to_numpy(),
                                        beliefs["turn"].to_numpy()))  # fmt: skip
    game, listener = rows["game_id"].to_numpy(), rows["listener"].to_numpy(np.int64)
    query = _decision_key(game, listener, rows["turn"].to_numpy(np.int64))
    block = query // _TURNS  # (game, listener): a decision of another block does not count
    i = np.searchsorted(decisions, query, side="left") - 1
    j = np.searchsorted(decisions, query, side="right")
    before = decisions[np.clip(i, 0, len(decisions) - 1)] if len(decisions) else query
    after = decisions[np.clip(j, 0, len(decisions) - 1)] if len(decisions) else query
    ok = (i >= 0) & (j < len(decisions)) & (before // _TURNS == block) & (after // _TURNS == block)
    rows = rows[ok].copy()
    rows["before_turn"] = before[ok] % _TURNS
    rows["after_turn"] = after[ok] % _TURNS
    return rows


def _beliefs_at(rows: pd.DataFrame, beliefs: pd.DataFrame) -> pd.DataFrame:
    """The listener's logged P(werewolf) about the subject at its two decisions."""
    keys = _belief_key(beliefs["game_id"].to_numpy(), beliefs["turn"].to_numpy(),
                       beliefs["about"].to_numpy())  # fmt: skip
    order = np.argsort(keys, kind="stable")
    keys, p = keys[order], beliefs["p"].to_numpy(float)[order]
    game, subject = rows["game_id"].to_numpy(), rows["subject"].to_numpy(np.int64)
    for when in ("before", "after"):
        query = _belief_key(game, rows[f"{when}_turn"].to_numpy(np.int64), subject)
        at = np.clip(np.searchsorted(keys, query), 0, max(len(keys) - 1, 0))
        found = (keys[at] == query) if len(keys) else np.zeros(len(query), bool)
        rows[when] = np.where(found, p[at] if len(keys) else np.nan, np.nan)
    return rows


def _window_sizes(rows: pd.DataFrame, speech: pd.DataFrame) -> np.ndarray:
    """Public utterances strictly between the listener's two decisions (1 = this one alone)."""
    keys = np.sort(_belief_key(speech["game_id"].to_numpy(), speech["turn"].to_numpy(), 0))
    game = rows["game_id"].to_numpy()
    low = np.searchsorted(keys, _belief_key(game, rows["before_turn"].to_numpy(), 0), "right")
    high = np.searchsorted(keys, _belief_key(game, rows["after_turn"].to_numpy(), 0), "left")
    return high - low


def _with_claims(rows: pd.DataFrame, data: ResearchData) -> pd.DataFrame:
    """Direction and lie label of what each utterance claimed about each player."""
    claims = counted(data.claims, include_degraded=True)
    c = claims[["game_id", "event_seq", "speaker", "claim_type", "subject", "value", "label"]]
    c = c.dropna(subset=["subject"]).astype({"subject": "int64"})
    t, v = c["claim_type"].astype(str), c["value"].astype(str)
    wolf = t.isin(["accusation"]) | (t.isin(["role_claim", "inspection_claim"]) & (v == WEREWOLF))
    not_wolf = (
        (t == "defence")
        | ((t == "inspection_claim") & (v == NOT_WOLF))
        | ((t == "role_claim") & v.isin(_VILLAGE_ROLES))
    )
    c = c.assign(direction=np.where(wolf, 1.0, np.where(not_wolf, -1.0, 0.0)))
    c = c[c["direction"] != 0]
    label = c["label"].astype(str)
    c = c.assign(is_lie=label == "lie", is_true=label == "truthful", is_mistake=label == "mistake")
    c = c.assign(claim_type=t.loc[c.index])
    per = c.groupby(["game_id", "event_seq", "subject"]).agg(
        direction=("direction", "sum"), is_lie=("is_lie", "any"), is_true=("is_true", "any"),
        is_mistake=("is_mistake", "any"), claim_type=("claim_type", "first"),
    ).reset_index()  # fmt: skip
    per["claim_type"] = per["claim_type"].astype("category")
    per["direction"] = np.sign(per["direction"])
    per["label"] = pd.Categorical(np.select(
        [per["is_lie"], per["is_true"], per["is_mistake"]], ["lie", "truthful", "mistake"],
        "unverifiable",
    ))  # fmt: skip
    # One packed key per (utterance, subject): a lookup, not a three-column merge of 1M rows.
    per_key = _belief_key(per["game_id"].to_numpy(), per["event_seq"].to_numpy(),
                          per["subject"].to_numpy())  # fmt: skip
    row_key = _belief_key(rows["game_id"].to_numpy(), rows["event_seq"].to_numpy(),
                          rows["subject"].to_numpy(np.int64))  # fmt: skip
    at = pd.Index(per_key).get_indexer(row_key)
    rows["direction"] = _take(per["direction"].to_numpy(float), at, 0.0)
    for col in ("label", "claim_type"):
        codes = _take(per[col].cat.codes.to_numpy(), at, -1).astype(int)
        rows[col] = pd.Categorical.from_codes(codes, per[col].cat.categories)
    labels = claims["label"].astype(str)
    speech = claims.assign(lie=labels == "lie", true=labels == "truthful").groupby(
        ["game_id", "event_seq"]
    ).agg(speech_lie=("lie", "any"), speech_true=("true", "all"))  # fmt: skip
    speech = speech.reset_index()
    speech_key = _belief_key(speech["game_id"].to_numpy(), speech["event_seq"].to_numpy(), 0)
    at = pd.Index(speech_key).get_indexer(
        _belief_key(rows["game_id"].to_numpy(), rows["event_seq"].to_numpy(), 0)
    )
    lie = _take(speech["speech_lie"].to_numpy(bool), at, False).astype(bool)
    true = _take(speech["speech_true"].to_numpy(bool), at, False).astype(bool)
    rows["speech_lie"] = lie
    # An utterance with no claim is neither: it counts as "true" only if it claimed something.
    rows["speech_true"] = true & ~lie
    return rows


def _take(values: np.ndarray, at: np.ndarray, missing: object) -> np.ndarray:
    """values[at], `missing` where at is -1 (no match), also when there are no values at all."""
    if len(values) == 0:
        return np.full(len(at), missing)
    return np.where(at >= 0, values[np.clip(at, 0, None)], missing)


def _prefixed(party: pd.DataFrame, who: str) -> pd.DataFrame:
    out = party.rename(columns={"seat": who, **{c: f"{who}_{c}" for c in _PARTY}})
    return out


# ----- tables ------------------------------------------------------------------------------------
def _means(
    frame: pd.DataFrame,
    by: list[str],
    values: dict[str, tuple[str, pd.Series]],
    resamples: int,
    seed: int,
) -> pd.DataFrame:
    """Per group: mean of each value over its rows, with a cluster-bootstrap interval.

    One set of resamples of all the table's seeds serves every group (a group's statistic is
    computed on the games each resample drew), so the whole table costs one matrix product.
    """
    codes, n = game_index(frame, "pair")
    codes = codes.to_numpy()
    parts = list(frame.groupby(by, observed=True, sort=True)) if by else [((), frame)]
    columns, keys = [], []
    for key, g in parts:
        at = frame.index.get_indexer(g.index)
        for column, mask in values.values():
            m = mask.loc[g.index].to_numpy(float)
            for w in (m * g[column].to_numpy(float), m):
                columns.append(np.bincount(codes[at], weights=w, minlength=n))
        keys.append((key if isinstance(key, tuple) else (key,), g))
    if not columns:
        return pd.DataFrame(columns=by)
    sums = np.stack(columns, axis=1)
    boot = Resampler(n, resamples=resamples, seed=seed).sums(sums) if n >= 2 else None
    total = sums.sum(axis=0)
    out = []
    j = 0
    for key, g in keys:
        row = dict(zip(by, key, strict=True))
        row["games"] = g["game_id"].nunique()
        for name in values:
            row[f"{name}_n"] = int(total[j + 1])
            row[name] = float(ratio(total[j], total[j + 1]))
            if boot is not None:
                low, high = percentile(ratio(boot[:, j], boot[:, j + 1])[:, None])
                row[f"{name}_low"], row[f"{name}_high"] = float(low[0]), float(high[0])
            j += 2
        out.append(row)
    return pd.DataFrame(out)


def who_moves_whom(
    shifts: pd.DataFrame, *, resamples: int = RESAMPLES, seed: int = SEED
) -> pd.DataFrame:
    """Mean delta about the speaker and mean signed delta about those named, per party pair."""
    by = ["speaker_model", "speaker_team", "listener_model", "listener_team"]
    values = {
        "about_speaker": ("delta", shifts["about"] == "speaker"),
        "toward_claim": ("signed", (shifts["about"] == "named") & (shifts["direction"] != 0)),
    }
    return _means(shifts, by, values, resamples, seed)


def lies_vs_truth(
    shifts: pd.DataFrame,
    by: Sequence[str] = ("listener_model", "listener_team"),
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> pd.DataFrame:
    """Per group (listener model/team; add claim_type to compare like with like): signed shift
    after lies and after true claims about a player, and the gap (lies minus truths)."""
    by = list(by)
    claimed = shifts["direction"] != 0
    lie = claimed & (shifts["label"] == "lie")
    true = claimed & (shifts["label"] == "truthful")
    values = {"after_lie": ("signed", lie), "after_truth": ("signed", true)}
    out = _means(shifts, by, values, resamples, seed)
    if out.empty:
        return out
    # The gap's interval: the same resamples, the two means of each resample subtracted.
    codes, n = game_index(shifts, "pair")
    gaps = []
    for key, g in shifts.groupby(by, observed=True, sort=True):
        at = shifts.index.get_indexer(g.index)
        c = codes.to_numpy()[at]
        cols = []
        for mask in (lie, true):
            m = mask.loc[g.index].to_numpy(float)
            cols += [np.bincount(c, weights=m * g["signed"].to_numpy(float), minlength=n),
                     np.bincount(c, weights=m, minlength=n)]  # fmt: skip
        sums = np.stack(cols, axis=1)

        def gap(t: np.ndarray) -> np.ndarray:
            return ratio(t[:, 0], t[:, 1]) - ratio(t[:, 2], t[:, 3])

        row = dict(zip(by, key, strict=True))
        row["difference"] = float(gap(sums.sum(0)[None])[0])
        if n >= 2:
            boot = Resampler(n, resamples=resamples, seed=seed).sums(sums)
            low, high = percentile(gap(boot)[:, None])
            row["ci_low"], row["ci_high"] = float(low[0]), float(high[0])
        gaps.append(row)
    return out.merge(pd.DataFrame(gaps), on=by, how="left")


def detection(data: ResearchData, *, resamples: int = RESAMPLES, seed: int = SEED) -> pd.DataFrame:
    """AUROC of village listeners' last P(werewolf) of each day, by listener model and day."""
    b = data.beliefs
    seats = data.seats
    village = seats.loc[seats["team"] != WEREWOLVES, ["game_id", "seat"]]
    holder_key = pd.Index(_belief_key(village["game_id"].to_numpy(), 0, village["seat"].to_numpy()))
    keep = holder_key.get_indexer(_belief_key(b["game_id"].to_numpy(), 0, b["holder"].to_numpy()))
    b = b[keep >= 0]
    # The day of each decision, then the last belief of each (day, holder, about).
    t = data.turns
    turn_key = pd.Index(_belief_key(t["game_id"].to_numpy(), t["turn"].to_numpy(), 0))
    at = turn_key.get_indexer(_belief_key(b["game_id"].to_numpy(), b["turn"].to_numpy(), 0))
    b = b.assign(day=t["day"].to_numpy()[at]).iloc[
        np.argsort(_belief_key(b["game_id"].to_numpy(), b["turn"].to_numpy(), 0), kind="stable")
    ]
    last_key = (_decision_key(b["game_id"].to_numpy(), b["holder"].to_numpy(), b["day"].to_numpy())
                * _SEATS + b["about"].to_numpy())  # fmt: skip
    last = b[~pd.Series(last_key).duplicated(keep="last").to_numpy()]
    holder = seats[["game_id", "seat", "model", "team", "pair"]].rename(
        columns={"seat": "holder", "model": "listener_model", "team": "listener_team"}
    )
    about = seats[["game_id", "seat", "team"]].rename(
        columns={"seat": "about", "team": "about_team"}
    )
    rows = last.merge(holder, on=["game_id", "holder"]).merge(about, on=["game_id", "about"])
    rows = rows[rows["listener_team"] != WEREWOLVES]
    rows["wolf"] = rows["about_team"] == WEREWOLVES
    rows = rows.reset_index(drop=True)
    codes, n = game_index(rows, "pair")
    out = []
    for model, g in rows.groupby("listener_model", sort=True):
        for day, d in [("all", g), *g.groupby("day", sort=True)]:
            stats = _auroc(d["p"], d["wolf"], d, codes.loc[d.index].to_numpy(), n, resamples, seed)
            out.append({"listener_model": model, "day": str(day), **stats})
    return pd.DataFrame(out)


def lie_detection(
    shifts: pd.DataFrame, *, resamples: int = RESAMPLES, seed: int = SEED
) -> pd.DataFrame:
    """AUROC of the listener's shift about the speaker: utterances with a lie vs all-true ones."""
    s = shifts[(shifts["about"] == "speaker") & (shifts["speech_lie"] | shifts["speech_true"])]
    s = s.reset_index(drop=True)
    codes, n = game_index(s, "pair")
    out = []
    for (model, team), g in s.groupby(["listener_model", "listener_team"], sort=True):
        stats = _auroc(g["delta"], g["speech_lie"], g, codes.loc[g.index].to_numpy(), n,
                       resamples, seed)  # fmt: skip
        out.append({"listener_model": model, "listener_team": team, **stats})
    return pd.DataFrame(out)


def _auroc(
    scores: pd.Series,
    positive: pd.Series,
    frame: pd.DataFrame,
    codes: np.ndarray,
    n: int,
    resamples: int,
    seed: int,
) -> dict[str, float]:
    """AUROC (sklearn) with a cluster-bootstrap interval over seeds; NaN with a single class."""
    from sklearn.metrics import roc_auc_score

    pos = positive.to_numpy(bool)
    stats: dict[str, float] = {"n": len(frame), "positives": int(pos.sum()),
                               "games": frame["game_id"].nunique()}  # fmt: skip
    if pos.all() or not pos.any():
        return {**stats, "auroc": np.nan}
    stats["auroc"] = float(roc_auc_score(pos, scores.to_numpy(float)))
    if n >= 2:
        p, q = auroc_counts(scores.to_numpy(float), pos, codes, n)
        low, high = percentile(auroc_resampled(Resampler(n, resamples=resamples, seed=seed),
                                               p, q)[:, None])  # fmt: skip
        stats["ci_low"], stats["ci_high"] = float(low[0]), float(high[0])
    return stats


__all__ = [
    "PersuasionReport",
    "belief_shifts",
    "detection",
    "lie_detection",
    "lies_vs_truth",
    "persuasion",
    "who_moves_whom",
]
