"""The research measures in the report: one small function per section, each skipped (with the
reason shown on the page) when its analysis module has not landed or the database lacks its data.

A section function takes the database and the gathered ReportData and returns a Section, or
raises Skip. To add a measure: write `def _name(db, data) -> Section`, import its analysis
module with `_need("analysis.x")`, and list it in SECTIONS.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pandas as pd

from app.report import charts


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


def _need(module: str) -> ModuleType:
    """Import an analysis module that may not have landed yet, or skip the section."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise Skip(f"{module} is not available ({exc})") from None


def _monitors(db: Any, data: Any) -> Section:
    """Monitor ROC curves and AUROCs, from the baselines and the text classifier."""
    monitors = _need("analysis.monitors")
    if not len(data.analysis.claims):
        raise Skip("no claims to monitor")
    finished = int((data.per_game["status"].astype(str) == "finished").sum())
    if finished > MONITOR_GAMES:
        raise Skip(
            f"{finished} games: monitors are trained and scored out of fold over every "
            f"utterance, too slow for a report over {MONITOR_GAMES} games; run them on a "
            "tournament (`--tournament`)"
        )
    report = monitors.monitors(
        db,
        ["length", "random", "text"],
        write=False,
        by=(),
        include_degraded=data.include_degraded,
        fallback_threshold=data.fallback_threshold,
        resamples=200,
    )
    targets = sorted(report.roc["target"].unique()) if len(report.roc) else []
    if not targets:
        raise Skip("no target has both positive and negative utterances")
    cols = [
        ("monitor", "monitor", ""),
        ("target", "target", ""),
        ("auroc", "AUROC", ".3f"),
        ("auroc_low", "low", ".3f"),
        ("auroc_high", "high", ".3f"),
    ]
    return Section(
        "monitors",
        "Deception monitors",
        "AUROC per monitor and target with intervals resampling whole games; "
        "'length' and 'random' are the baselines a monitor must beat.",
        [charts.roc_chart(report.roc, t) for t in targets],
        [(report.overall, cols, "")],
    )


MONITOR_GAMES = 2000
SECTIONS: list[tuple[str, Callable[[Any, Any], Section]]] = [
    ("Deception monitors", _monitors),
]


def research_sections(db: Any, data: Any) -> tuple[list[Section], list[tuple[str, str]]]:
    """The sections that could be built, and (title, reason) for those that were skipped."""
    built: list[Section] = []
    skipped: list[tuple[str, str]] = []
    for title, make in SECTIONS:
        try:
            built.append(make(db, data))
        except Skip as exc:
            skipped.append((title, str(exc)))
    return built, skipped
