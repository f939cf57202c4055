"""Reading the store: pandas loaders, claim extraction, lie labels and lie rates.

A notebook session::

    import analysis
    frames = analysis.load("lab.db")             # games, players, events, turns, beliefs, ...
    claims = analysis.label_claims("lab.db")     # extracted, labelled, written back as Claim rows
    analysis.lie_rates(claims, by=["model", "role"])
    analysis.ratings_report("lab.db").models     # OpenSkill per model (see analysis.ratings)
"""

from __future__ import annotations

from typing import Any

from analysis.claims import CLAIM_TYPES, ExtractedClaim, Extractor, Utterance
from analysis.frames import Frames, load
from analysis.labels import LABELS
from analysis.pipeline import label_claims, write_claims
from analysis.rates import lie_rates, spontaneous_rates, wilson_interval
from analysis.ratings import RatingsReport, ratings_report
from analysis.rules import RuleExtractor

__all__ = [
    "CLAIM_TYPES",
    "LABELS",
    "ExtractedClaim",
    "Extractor",
    "Frames",
    "LLMJudge",
    "RatingsReport",
    "RuleExtractor",
    "Utterance",
    "label_claims",
    "lie_rates",
    "load",
    "ratings_report",
    "spontaneous_rates",
    "wilson_interval",
    "write_claims",
]


def __getattr__(name: str) -> Any:
    # The judge pulls in litellm (~6 s to import): only when asked for.
    if name == "LLMJudge":
        from analysis.judge import LLMJudge

        return LLMJudge
    raise AttributeError(name)
