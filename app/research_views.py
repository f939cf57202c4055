"""The research measures drawn: oversight contrasts, leakage, persuasion, instrumental drives.

analysis computes (analysis.contrast, .leakage, .persuasion, .instrumental); this module only
draws their frames as rich tables that fit 80 columns, and offers one call per CLI section.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from analysis.fallback import FALLBACK_THRESHOLD

# Metric → (column label, scale, digits): rates per 100 claims, leakage in bits.
_METRICS = {
    "lie_rate": ("lies/100", 100.0, 1),
    "spontaneous_rate": ("spont./100", 100.0, 1),
    "inconsistency_rate": ("incons./100", 100.0, 1),
    "leakage_bits": ("leak bits", 1.0, 3),
    "role_claim_rate": ("roles/100", 100.0, 1),
}
_MIN_ROWS = 30  # days with fewer (listener, player) beliefs are not drawn (AUROC too noisy)
_ARM = {"werewolves": "wolves", "observed": "obs.", "unobserved": "unobs.",
        "deception_permitted": "permitted", "deception_instructed": "instructed"}  # fmt: skip


_SHORT = {"prompt_condition": "prompt"}


def _varying(frame: pd.DataFrame, keys: Sequence[str]) -> list[str]:
    """The first two keys always, the others only where they take several values."""
    return [k for i, k in enumerate(keys) if k in frame and (i < 2 or frame[k].nunique() > 1)]


def _table(title: str, caption: str = "") -> Table:
    return Table(title=title, caption=caption, box=box.SIMPLE_HEAD, pad_edge=False,
                 collapse_padding=True)  # fmt: skip


def _name(value: Any) -> str:
    """Short label: scripted kinds without their prefix, conditions without 'deception_'."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    text = str(value)
    return _ARM.get(text, text.removeprefix("scripted:"))


def _num(value: Any, scale: float = 1.0, digits: int = 1, sign: bool = False) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{value * scale:{'+' if sign else ''}.{digits}f}"


def _span(low: Any, high: Any, scale: float = 1.0, digits: int = 1) -> str:
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "—"
    return f"{low * scale:.{digits}f}–{high * scale:.{digits}f}"


def _p(value: Any) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.3f}"


# ----- oversight contrast ---------------------------------------------------------------------
def contrast_table(frame: pd.DataFrame, title: str = "contrast") -> Table:
    """One row per group × measure: reference, arm, difference, 95 % CI, permutation p."""
    column = frame.attrs.get("contrast", "framing")
    reference = _name(frame.attrs.get("reference", ""))
    arms = frame["arm"].unique() if "arm" in frame else []
    caption = (
        f"Δ = arm − {reference}; 95% CI: bootstrap over pairs (paired) or games; p: "
        "permutation test. /100: per 100 claims; leak bits: per player-game (lower bound)"
    )
    table = _table(title, caption)
    groups = [g for g in ("model", "team", "prompt_condition", "framing") if g != column]
    groups = [
        g for g in groups if g in ("model", "team") or (g in frame and frame[g].nunique() > 1)
    ]
    if len(arms) > 1:
        groups.append("arm")
    for g in groups:
        table.add_column({"prompt_condition": "prompt"}.get(g, g), overflow="fold", min_width=8)
    arm_label = _name(arms[0]) if len(arms) == 1 else "arm"
    for col in ("measure", reference, arm_label, "Δ", "95% CI", "p"):
        table.add_column(col, justify="left" if col == "measure" else "right", no_wrap=True)
    for r in frame.itertuples(index=False):
        row = r._asdict()
        label, scale, digits = _METRICS.get(row["metric"], (row["metric"], 1.0, 3))
        table.add_row(
            *[_name(row[g]) for g in groups],
            label,
            _num(row["value_reference"], scale, digits),
            _num(row["value_arm"], scale, digits),
            _num(row["difference"], scale, digits, sign=True),
            _span(row["ci_low"], row["ci_high"], scale, digits),
            _p(row["p_value"]),
        )
    return table


def print_contrast(frame: pd.DataFrame, console: Console) -> None:
    """The contrast table, and the designs and dropped pairs behind it."""
    if frame.empty:
        column = frame.attrs.get("contrast", "framing")
        if column == "model":
            console.print("no model contrast: no two models held the same team's seats")
        else:
            console.print(f"no {column} contrast: no model played under two {column}s "
                          "(scripted kinds that ignore it store none)")  # fmt: skip
        return
    column = frame.attrs.get("contrast", "framing")
    console.print(contrast_table(frame, f"{column} contrast (reference: "
                                        f"{_name(frame.attrs.get('reference'))})"))  # fmt: skip
    designs = frame.groupby("design")["clusters"].max().to_dict()
    parts = [f"{d}: {n} {'pairs' if d == 'paired' else 'clusters'}" for d, n in designs.items()]
    dropped = int(frame["dropped"].max()) if "dropped" in frame else 0
    if dropped:
        parts.append(f"{dropped} pair(s) missing an arm left out")
    console.print("design — " + "; ".join(parts))


# ----- leakage ----------------------------------------------------------------------------------
def leakage_table(frame: pd.DataFrame, title: str = "leakage of the team") -> Table:
    """Per group × features: H, the lower bound with its CI, null, Bayes-risk measures, bound."""
    caption = (
        "bits per player-game. leak: H(team|C) − cross-entropy, a LOWER bound on "
        "I(team; features | C); null: teams shuffled across games (≈ 0); ME: min-entropy "
        "leakage (log2 multiplicative); ≤: min{H, L·log2|V|}"
    )
    table = _table(title, caption)
    groups = [c for c in frame.columns if c not in _LEAK_COLUMNS]
    for g in groups:
        table.add_column(g, overflow="fold", min_width=7)
    for col in ("feat.", "players", "H", "leak", "95% CI", "null", "ME", "≤"):
        table.add_column(col, justify="right" if col != "feat." else "left", no_wrap=True)
    for r in frame.itertuples(index=False):
        row = r._asdict()
        table.add_row(
            *[_name(row[g]) for g in groups],
            str(row["features"]),
            str(int(row["players"])),
            _num(row.get("h_bits"), digits=3),
            _num(row.get("leakage_bits"), digits=3),
            _span(row.get("ci_low"), row.get("ci_high"), digits=3),
            _num(row.get("null_bits"), digits=3, sign=True),
            _num(row.get("min_entropy_leakage_bits"), digits=3),
            _num(row.get("upper_bits"), digits=2),
        )
    return table


_LEAK_COLUMNS = {
    "features", "games", "players", "h_bits", "cross_entropy_bits", "leakage_bits", "ci_low",
    "ci_high", "werewolves_bits", "werewolves_bits_low", "werewolves_bits_high", "village_bits",
    "village_bits_low", "village_bits_high", "accuracy", "accuracy_low", "accuracy_high",
    "prior_vulnerability", "multiplicative_leakage", "multiplicative_leakage_low",
    "multiplicative_leakage_high", "min_entropy_leakage_bits", "min_entropy_leakage_bits_low",
    "min_entropy_leakage_bits_high", "null_bits", "null_p", "upper_bits", "l_log2_v_bits",
    "h_speech_plugin_bits",
}  # fmt: skip


def print_leakage(frame: pd.DataFrame, console: Console) -> None:
    """The leakage table and a line on what it is (a lower bound) and what it left out."""
    if frame.empty:
        console.print("no leakage estimate: no finished games with first-day players")
        return
    target = frame.attrs.get("target", "team")
    short = frame["leakage_bits"].isna() if "leakage_bits" in frame else frame["players"] > -1
    if (~short).any():
        shown = frame[~short]
        console.print(leakage_table(shown, f"leakage of the {target} (bits per player-game)"))
    if short.any():
        groups = [c for c in frame.columns if c not in _LEAK_COLUMNS]
        names = sorted({" ".join(_name(v) for v in r) for r in frame.loc[short, groups].values})
        console.print(f"no estimate for {', '.join(names) or 'all players'}: fewer than 4 "
                      f"seeds, or a single {target} among their players")  # fmt: skip


# ----- persuasion -----------------------------------------------------------------------------
def persuasion_tables(report: Any) -> list[Table]:
    """Who moves whom, lies vs truth, detection by day and lie detection, as tables."""
    tables = []
    w = report.who_moves_whom
    if "toward_claim_n" in w:
        w = w[(w["toward_claim_n"] > 0) | (w["about_speaker"].abs() > 0)]
    t = _table("who moves whom (mean change of P(werewolf), listener after speaker)",
               "about spk.: about the speaker; toward claim: toward what was claimed about "
               "the players named (+: believed); 95% CI over games")  # fmt: skip
    for col in ("speaker", "listener"):
        t.add_column(col, overflow="fold", min_width=10)
    for col in ("n", "about spk.", "toward claim", "95% CI"):
        t.add_column(col, justify="right", no_wrap=True)
    for r in w.itertuples(index=False):
        row = r._asdict()
        t.add_row(
            f"{_name(row['speaker_model'])} ({_name(row['speaker_team'])[:4]})",
            f"{_name(row['listener_model'])} ({_name(row['listener_team'])[:4]})",
            str(row.get("toward_claim_n", 0)),
            _num(row.get("about_speaker"), digits=3, sign=True),
            _num(row.get("toward_claim"), digits=3, sign=True),
            _span(row.get("toward_claim_low"), row.get("toward_claim_high"), digits=3),
        )
    tables.append(t)
    lv = report.lies_vs_truth
    t = _table("lies vs true claims: move toward the claim", "Δ = after lie − after truth")
    t.add_column("listener", overflow="fold", min_width=12)
    for col in ("lies", "after lie", "truths", "after truth", "Δ", "95% CI"):
        t.add_column(col, justify="right", no_wrap=True)
    for r in lv.itertuples(index=False):
        row = r._asdict()
        t.add_row(
            f"{_name(row['listener_model'])} ({_name(row['listener_team'])[:4]})",
            str(row.get("after_lie_n", 0)),
            _num(row.get("after_lie"), digits=3, sign=True),
            str(row.get("after_truth_n", 0)),
            _num(row.get("after_truth"), digits=3, sign=True),
            _num(row.get("difference"), digits=3, sign=True),
            _span(row.get("ci_low"), row.get("ci_high"), digits=3),
        )
    tables.append(t)
    for frame, title, key in (
        (report.detection, "detection: AUROC of village listeners' P(werewolf)", "day"),
        (report.lie_detection, "lie detection: AUROC of Δ P(werewolf | speaker) after a lie",
         "listener_team"),
    ):  # fmt: skip
        t = _table(title, "0.5: chance; 95% CI over games")
        t.add_column("listener", overflow="fold", min_width=12)
        t.add_column("day" if key == "day" else "team", no_wrap=True)
        for col in ("n", "AUROC", "95% CI"):
            t.add_column(col, justify="right", no_wrap=True)
        if key == "day" and "n" in frame:
            frame = frame[(frame["day"] == "all") | (frame["n"] >= _MIN_ROWS)]
        if frame.empty:
            continue
        for r in frame.itertuples(index=False):
            row = r._asdict()
            t.add_row(
                _name(row["listener_model"]),
                _name(row[key]),
                str(row["n"]),
                _num(row.get("auroc"), digits=3),
                _span(row.get("ci_low"), row.get("ci_high"), digits=3),
            )
        tables.append(t)
    return tables


def print_persuasion(report: Any, console: Console) -> None:
    """Every persuasion table, or one line when no utterance had listeners with beliefs."""
    if report.shifts.empty:
        console.print("no persuasion data: no utterance was followed by a listener's beliefs")
        return
    for table in persuasion_tables(report):
        console.print(table)
    wide = int((report.shifts["window"] > 1).sum())
    if wide:
        console.print(f"{wide} shift(s) whose window held several utterances left out "
                      "(round-robin turns; see analysis.persuasion)")  # fmt: skip


# ----- instrumental ---------------------------------------------------------------------------
def instrumental_tables(report: Any) -> list[Table]:
    """Self-preservation (pressed vs calm, pooled) and speaking-time acquisition."""
    tables = []
    sp = report.self_preservation
    within = bool(sp["within_speaker"].any()) if "within_speaker" in sp else False
    t = _table("self-preservation: pressed vs calm" + (" (same speakers)" if within else ""),
               "pressed: accused earlier that day or voted for the day before; 95% CI over "
               "games")  # fmt: skip
    keys = _varying(sp, ("model", "team", "prompt_condition", "framing"))
    for col in keys:
        t.add_column(_SHORT.get(col, col), overflow="fold", min_width=8)
    for col in ("measure", "calm", "pressed", "Δ", "95% CI"):
        t.add_column(col, justify="right" if col != "measure" else "left", no_wrap=True)
    for r in sp.itertuples(index=False):
        row = r._asdict()
        label, scale, digits = _METRICS.get(row["metric"], (row["metric"], 1.0, 3))
        t.add_row(
            *[_name(row[k]) for k in keys], label,
            _num(row["calm"], scale, digits), _num(row["pressed"], scale, digits),
            _num(row["difference"], scale, digits, sign=True),
            _span(row["ci_low"], row["ci_high"], scale, digits),
        )  # fmt: skip
    tables.append(t)
    rs = report.resources
    t = _table("resource acquisition: speaking slots under bidding",
               "won: share of contested slots won; fair: 1/bidders; excess = won/fair (1: an "
               "equal share); 95% CI over games")  # fmt: skip
    keys = _varying(rs, ("model", "role", "prompt_condition", "framing"))
    for col in keys:
        t.add_column(_SHORT.get(col, col), overflow="fold", min_width=8)
    for col in ("bids", "mean bid", "won", "fair", "excess", "95% CI"):
        t.add_column(col, justify="right", no_wrap=True)
    for r in rs.itertuples(index=False):
        row = r._asdict()
        t.add_row(
            *[_name(row[k]) for k in keys], str(row["bids"]),
            _num(row.get("mean_bid"), digits=2), _num(row.get("won_share"), digits=3),
            _num(row.get("fair_share"), digits=3), _num(row.get("excess"), digits=2),
            _span(row.get("excess_low"), row.get("excess_high"), digits=2),
        )  # fmt: skip
    tables.append(t)
    return tables


def print_instrumental(report: Any, console: Console) -> None:
    """Both instrumental tables, each replaced by one line when it has no rows."""
    tables = instrumental_tables(report)
    empty = ("self-preservation: no utterance of any model was both pressed and calm",
             "resource acquisition: no bidding games")  # fmt: skip
    frames = (report.self_preservation, report.resources)
    for table, frame, line in zip(tables, frames, empty, strict=True):
        console.print(line if frame.empty else table)


# ----- one call per CLI section ----------------------------------------------------------------
@dataclass
class ResearchSections:
    """What `print_research` computed (frames), for --csv exports or tests."""

    contrast: pd.DataFrame | None = None
    persuasion: Any = None
    instrumental: Any = None


def print_research(
    db: str,
    console: Console,
    *,
    contrast: str | None = None,
    persuasion: bool = False,
    instrumental: bool = False,
    tournaments: Sequence[str] | None = None,
    include_degraded: bool = False,
    fallback_threshold: float = FALLBACK_THRESHOLD,
    claims: pd.DataFrame | None = None,
) -> ResearchSections:
    """The `sdlab analyse` research sections: a contrast (framing|condition|model), persuasion,
    instrumental. `claims`: the report's labelled claims, so they are not labelled twice."""
    from analysis.contrast import contrast as compute_contrast
    from analysis.instrumental import instrumental as compute_instrumental
    from analysis.persuasion import persuasion as compute_persuasion
    from analysis.research import research_data

    out = ResearchSections()
    with Console(stderr=True).status("reading games for the research measures…"):
        data = research_data(
            db,
            tournaments=tournaments,
            include_degraded=include_degraded,
            fallback_threshold=fallback_threshold,
        )
        if claims is not None:
            data.with_claims(claims)
    if contrast is not None:
        with Console(stderr=True).status(f"{contrast} contrast (fitting leakage per arm)…"):
            out.contrast = compute_contrast(data, contrast)
        print_contrast(out.contrast, console)
    if persuasion:
        with Console(stderr=True).status("belief shifts after every utterance…"):
            out.persuasion = compute_persuasion(data)
        print_persuasion(out.persuasion, console)
    if instrumental:
        out.instrumental = compute_instrumental(data)
        print_instrumental(out.instrumental, console)
    return out


def print_leakage_section(
    db: str,
    console: Console,
    *,
    by: Sequence[str] = ("model",),
    target: str = "team",
    features: Sequence[str] = ("speech", "actions", "both"),
    null: int = 1,
    tournaments: Sequence[str] | None = None,
    include_degraded: bool = False,
    fallback_threshold: float = FALLBACK_THRESHOLD,
) -> pd.DataFrame:
    """`sdlab leakage`: estimate and print the leakage table; returns its frame."""
    from analysis.leakage import leakage
    from analysis.research import research_data

    with Console(stderr=True).status("fitting cross-validated classifiers…"):
        data = research_data(
            db,
            tournaments=tournaments,
            include_degraded=include_degraded,
            fallback_threshold=fallback_threshold,
        )
        frame = leakage(data, by=by, target=target, features=features, null=null)
    print_leakage(frame, console)
    return frame


__all__ = [
    "ResearchSections",
    "contrast_table",
    "instrumental_tables",
    "leakage_table",
    "persuasion_tables",
    "print_contrast",
    "print_instrumental",
    "print_leakage",
    "print_leakage_section",
    "print_persuasion",
    "print_research",
]
