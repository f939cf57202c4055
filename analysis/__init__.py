"""Reading the store: pandas loaders, claim extraction, lie labels, lie rates and ratings.

A notebook session::

    import analysis
    frames = analysis.load("lab.db")             # games, players, events, turns, beliefs, ...
    claims = analysis.label_claims("lab.db")     # extracted, labelled, written back as claim rows
    analysis.label_claims("lab.db", analysis.extractor_named("rules"))  # the rules alone
    analysis.lie_rates(claims, by=["model", "role"])   # intervals resample games
    analysis.analysis_report("lab.db", tournaments=["exp1"]).fallback
    analysis.ratings_report("lab.db").models     # OpenSkill per model (see analysis.ratings)
    analysis.monitors("lab.db").overall          # deception monitors' AUROC against the labels
    analysis.contrast("lab.db", by="framing")    # oversight: lie rates, leakage, obs. vs unobs.
    analysis.leakage("lab.db", by=["model"])     # bits of the team in speech (a lower bound)
    analysis.persuasion("lab.db").lies_vs_truth  # belief shifts after each utterance
    analysis.instrumental("lab.db").resources    # pressure and speaking-time acquisition
"""

from __future__ import annotations

from typing import Any

from analysis.claim_model import HybridExtractor
from analysis.claim_table import claim_table, write_claims
from analysis.claims import CLAIM_TYPES, ExtractedClaim, Extractor, Utterance, extractor_named
from analysis.contrast import contrast
from analysis.db import AnalysisError, open_db
from analysis.fallback import (
    FALLBACK_THRESHOLD,
    degraded_games,
    fallback_per_game,
    fallback_shares,
    read_seat_turns,
)
from analysis.frames import Frames, load
from analysis.instrumental import InstrumentalReport, instrumental
from analysis.labels import LABELS
from analysis.leakage import leakage
from analysis.monitor_table import monitor_table, read_scores, write_scores
from analysis.monitors import MonitorReport, monitors
from analysis.persuasion import PersuasionReport, persuasion
from analysis.pipeline import label_claims
from analysis.rates import counted, lie_rates, spontaneous_rates, wilson_interval
from analysis.ratings import RatingsError, RatingsReport, ratings_report
from analysis.report import AnalysisReport, analysis_report
from analysis.research import ResearchData, research_data
from analysis.rules import RuleExtractor

__all__ = [
    "CLAIM_TYPES",
    "FALLBACK_THRESHOLD",
    "LABELS",
    "AnalysisError",
    "AnalysisReport",
    "ExtractedClaim",
    "Extractor",
    "Frames",
    "HybridExtractor",
    "InstrumentalReport",
    "LLMJudge",
    "MonitorReport",
    "PersuasionReport",
    "RatingsError",
    "RatingsReport",
    "ResearchData",
    "RuleExtractor",
    "Utterance",
    "analysis_report",
    "claim_table",
    "contrast",
    "counted",
    "degraded_games",
    "extractor_named",
    "fallback_per_game",
    "fallback_shares",
    "instrumental",
    "label_claims",
    "leakage",
    "lie_rates",
    "load",
    "monitor_table",
    "monitors",
    "open_db",
    "persuasion",
    "ratings_report",
    "read_scores",
    "read_seat_turns",
    "research_data",
    "spontaneous_rates",
    "wilson_interval",
    "write_claims",
    "write_scores",
]


def __getattr__(name: str) -> Any:
    # The judge pulls in litellm (~6 s to import): only when asked for.
    if name == "LLMJudge":
        from analysis.judge import LLMJudge

        return LLMJudge
    raise AttributeError(name)
