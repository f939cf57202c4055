"""The research measures in the report: one small function per section, each skipped (with the
reason shown on the page) when its analysis module has not landed, the database lacks its data,
or the selection is larger than the report's research budget.

A section function takes a Context and returns a Section, or raises Skip. To add a measure:
write `def _name(ctx) -> Section`, import its module with `_need("analysis.x")`, and list it in
SECTIONS. The measures share one ResearchData (analysis.research), with the claims the report
has already labelled, so the store is read and the claims labelled once.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pandas as pd

from app.report import charts

RESEARCH_GAMES = 1000  # larger selections skip the measures that fit classifiers or resample
RESAMPLES = 500


class Skip(Exception):
    """This section is not in the report; the message says why."""


@dataclass
class Section:
    """A research section: charts as specs, tables as frames with their columns."""

    id: str
    title: str
    note: str = ""
    specs: list[dict[str, Any]] = field(default_factory=list)
    frames: list[tuple[pd.DataFrame, list[tuple[str, str, Any]], str]] = field(default_factory=list)

    def drawn(self, page: Any) -> dict[str, Any]:
        """The section with its charts embedded in `page` and its tables built."""
        from app.report.build import table

        return {
            "id": self.id,
            "title": self.title,
            "note": self.note,
            "charts": [page.chart(s) for s in self.specs],
            "tables": [table(f, cols, caption) for f, cols, caption in self.frames],
        }


@dataclass
class Context:
    """What a section may read: the database, the report's data, and the shared research data."""

    db: Any
    data: Any  # app.report.data.ReportData
    tournaments: tuple[str, ...] | None = None
    limit: int = RESEARCH_GAMES
    resamples: int = RESAMPLES
    _research: Any = None

    @property
    def finished(self) -> int:
        """Finished games in the selection."""
        return int((self.data.per_game["status"].astype(str) == "finished").sum())

    def within_budget(self) -> None:
        """Skip a measure when the selection has more finished games than the budget."""
        if self.finished > self.limit:
            raise Skip(
                f"{self.finished} finished games, over the report's research budget of "
                f"{self.limit} (`sdlab report --research-games N`, or `--tournament`)"
            )

    def research(self) -> Any:
        """The measures' shared ResearchData (read once; claims from the report's labelling)."""
        if self._research is None:
            module = _need("analysis.research")
            self.within_budget()
            self._research = module.research_data(
                self.db,
                tournaments=self.tournaments,
                include_degraded=self.data.include_degraded,
                fallback_threshold=self.data.fallback_threshold,
            ).with_claims(self.data.analysis.claims)
        return self._research


def _need(module: str) -> ModuleType:
    """Import an analysis module that may not have landed yet, or skip the section."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise Skip(f"{module} is not available ({exc})") from None


def _group(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """One label from several columns ("model · team")."""
    present = [c for c in columns if c in frame]
    return frame[present].astype(str).agg(" · ".join, axis=1)


def _number_columns(frame: pd.DataFrame, keys: list[str]) -> list[tuple[str, str, Any]]:
    """Key columns as text, then every number with three decimals (their names as headers)."""
    cols: list[tuple[str, str, Any]] = [(k, k.replace("_", " "), "") for k in keys if k in frame]
    for name in frame.columns:
        if name not in keys and pd.api.types.is_numeric_dtype(frame[name]):
            fmt = "" if pd.api.types.is_integer_dtype(frame[name]) else ".3f"
            cols.append((name, name.replace("_", " "), fmt))
    return cols


def _contrasts(ctx: Context) -> Section:
    """Framing (observed vs unobserved) and prompt-condition contrasts of lie rates."""
    module = _need("analysis.contrast")
    data = ctx.research()
    specs, frames = [], []
    for by, column in (("framing", "framing"), ("condition", "prompt_condition")):
        if data.seats[column].astype(str).nunique() < 2:
            continue
        # Leakage has its own section; here the rates only (the classifier is the slow part).
        result = module.contrast(data, by=by, leakage=False, resamples=ctx.resamples,
                                 permutations=ctx.resamples - 1)  # fmt: skip
        if not len(result):
            continue
        result = result.assign(group=_group(result, ["model", "team", "arm"]))
        specs.append(
            charts.interval_chart(
                result, "group", "difference", "ci_low", "ci_high", colour="metric",
                title=f"{by}: arm minus {result.attrs.get('reference', 'reference')}",
                axis="difference (per claim, 95% interval)", extra=("p_value", "design"),
            )
        )  # fmt: skip
        keys = ["model", "team", "arm", "metric", "design"]
        shown = ["value_reference", "value_arm", "difference", "ci_low", "ci_high", "p_value"]
        cols = [c for c in _number_columns(result, keys) if c[0] in keys or c[0] in shown]
        frames.append((result, cols, result.attrs.get("interval", "")))
    if not specs:
        raise Skip("every game has the same framing and prompt condition: nothing to contrast")
    return Section(
        "contrasts", "Contrasts: framing and prompt condition",
        "Differences of lie, spontaneous-lie and inconsistency rates between each arm and the "
        "reference (observed; neutral), with bootstrap intervals and permutation p-values.",
        specs, frames,
    )  # fmt: skip


def _leakage(ctx: Context) -> Section:
    """Bits of a player's hidden team that its public speech and actions give away."""
    module = _need("analysis.leakage")
    result = module.leakage(ctx.research(), by=("model",), resamples=ctx.resamples)
    if not len(result):
        raise Skip("no player-games to classify")
    if result["leakage_bits"].isna().all():
        raise Skip("no model held seats on both teams (scripted kinds are dealt by team)")
    spec = charts.interval_chart(
        result, "model", "leakage_bits", "ci_low", "ci_high", colour="features",
        title="Leakage of the team (lower bound, bits per player-game)", axis="bits",
        extra=("null_bits", "players"),
    )  # fmt: skip
    keys = ["model", "features"]
    wanted = ["games", "players", "h_bits", "leakage_bits", "ci_low", "ci_high", "null_bits",
              "werewolves_bits", "accuracy", "multiplicative_leakage"]  # fmt: skip
    cols = [c for c in _number_columns(result, keys) if c[0] in keys or c[0] in wanted]
    return Section(
        "leakage", "Leakage of the hidden team",
        str(result.attrs.get("bound", "")) + ". null bits: the same with teams shuffled (≈ 0).",
        [spec], [(result, cols, str(result.attrs.get("interval", "")))],
    )  # fmt: skip


def _persuasion(ctx: Context) -> Section:
    """Listeners' belief shifts after lies and after true claims; detection AUROC by day."""
    module = _need("analysis.persuasion")
    report = module.persuasion(ctx.research(), resamples=ctx.resamples)
    specs = []
    lies = report.lies_vs_truth
    if len(lies) and "difference" in lies:
        lies = lies.assign(group=_group(lies, ["listener_model", "listener_team"]))
        specs.append(charts.interval_chart(
            lies, "group", "difference", "ci_low", "ci_high",
            title="Shift toward a claim after a lie minus after a true claim",
            axis="P(werewolf) shift (95% interval)", extra=("games",),
        ))  # fmt: skip
    found = report.detection
    if len(found):
        specs.append(charts.interval_chart(
            found, "listener_model", "auroc", "ci_low", "ci_high", colour="day",
            title="Village listeners telling werewolves apart (AUROC of P(werewolf))",
            axis="AUROC (95% interval)", extra=("n", "games"),
        ))  # fmt: skip
    if not specs:
        raise Skip("no belief shifts to measure")
    keys = ["speaker_model", "speaker_team", "listener_model", "listener_team"]
    moves = report.who_moves_whom
    return Section(
        "persuasion", "Persuasion: who moves whom",
        "Listeners' logged P(werewolf) before and after each public utterance (no extra calls).",
        specs, [(moves, _number_columns(moves, keys), "who moves whom")],
    )  # fmt: skip


def _instrumental(ctx: Context) -> Section:
    """Self-preservation (lying under pressure) and speaking-time acquisition (bids)."""
    module = _need("analysis.instrumental")
    report = module.instrumental(ctx.research(), resamples=ctx.resamples)
    kept = report.self_preservation
    if not len(kept):
        raise Skip("no game had speech both under pressure and calm")
    kept = kept.assign(group=_group(kept, ["model", "team"]))
    spec = charts.interval_chart(
        kept, "group", "difference", "ci_low", "ci_high", colour="metric",
        title="Under pressure minus calm (pooled day utterances)", axis="difference (95% interval)",
        extra=("speakers",),
    )  # fmt: skip
    frames = [(kept, _number_columns(kept, ["model", "team", "metric", "pressure"]), "")]
    if len(report.resources):
        bids = report.resources
        frames.append((bids, _number_columns(bids, ["model", "role"]), "speaking time (bids)"))
    return Section(
        "instrumental", "Instrumental drives",
        "Self-preservation: lie and role-claim rates when accused or voted against vs calm, "
        "pooled over day utterances (intervals resample games). "
        "Resources: bids for speaking slots (bidding games only).",
        [spec], frames,
    )  # fmt: skip


def _monitors(ctx: Context) -> Section:
    """Monitor ROC curves and AUROCs, from the baselines and the text classifier."""
    module = _need("analysis.monitors")
    ctx.within_budget()  # monitors fit classifiers too
    report = module.monitors(
        ctx.db, ["length", "random", "text"], write=False, by=(), tournaments=ctx.tournaments,
        include_degraded=ctx.data.include_degraded,
        fallback_threshold=ctx.data.fallback_threshold, resamples=ctx.resamples,
    )  # fmt: skip
    targets = sorted(report.roc["target"].unique()) if len(report.roc) else []
    if not targets:
        raise Skip("no target has both positive and negative utterances")
    overall = report.overall
    return Section(
        "monitors", "Deception monitors",
        "AUROC per monitor and target with intervals resampling whole games; 'length' and "
        "'random' are the baselines a monitor must beat.",
        [charts.roc_chart(report.roc, t) for t in targets],
        [(overall, _number_columns(overall, ["monitor", "target"]), "")],
    )  # fmt: skip


SECTIONS: list[tuple[str, Callable[[Context], Section]]] = [
    ("Contrasts", _contrasts),
    ("Leakage", _leakage),
    ("Persuasion", _persuasion),
    ("Instrumental drives", _instrumental),
    ("Deception monitors", _monitors),
]


def research_sections(ctx: Context) -> tuple[list[Section], list[tuple[str, str]], dict]:
    """The sections built, (title, reason) for those skipped, and seconds per section."""
    built: list[Section] = []
    skipped: list[tuple[str, str]] = []
    seconds: dict[str, float] = {}
    for title, make in SECTIONS:
        clock = time.perf_counter()
        try:
            built.append(make(ctx))
        except Skip as exc:
            skipped.append((title, str(exc)))
        seconds[title] = time.perf_counter() - clock
    return built, skipped, seconds
