"""Vega-Lite charts (built with altair) for the report; each function returns a spec dict.

Why Vega-Lite: a chart is a JSON spec (data included), so the page needs one shared script
(vega + vega-lite + vega-embed, ~0.9 MB, bundled from the vl-convert-python package) and
nothing from the network; plotly's script alone is ~4.8 MB. Specs are plain data, so tests can
read them, and a game page's chart is one template spec with that game's rows put in.
"""

from __future__ import annotations

import copy
from typing import Any

import altair as alt
import pandas as pd

WIDTH = 440
_LABELS = {"prompt_condition": "prompt condition", "contestant": "model"}


def _records(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    # Categories and nullable types become plain values (Vega reads JSON; NaN becomes null).
    out = frame[columns].copy()
    for col in columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype) or out[col].dtype == object:
            out[col] = out[col].astype(object).where(out[col].notna(), "—").astype(str)
    return out


def interval_chart(
    frame: pd.DataFrame,
    label: str,
    value: str,
    low: str,
    high: str,
    *,
    title: str,
    axis: str,
    colour: str | None = None,
    extra: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A point per group with its interval as a rule; `colour` splits groups side by side."""
    cols = [label, value, low, high, *([colour] if colour else []), *extra]
    data = _records(frame, list(dict.fromkeys(cols)))
    # Group labels join several names ("model · team · arm"): let them be read whole.
    y = alt.Y(f"{label}:N", sort=None, title=_LABELS.get(label, label),
              axis=alt.Axis(labelLimit=360))  # fmt: skip
    tooltip = [f"{c}:{'N' if data[c].dtype == object else 'Q'}" for c in data.columns]
    base = alt.Chart(data).encode(y=y, tooltip=tooltip)
    if colour:
        name = _LABELS.get(colour, colour)
        base = base.encode(
            yOffset=alt.YOffset(f"{colour}:N"), color=alt.Color(f"{colour}:N", title=name)
        )
    rule = base.mark_rule(strokeWidth=2).encode(x=alt.X(f"{low}:Q", title=axis), x2=f"{high}:Q")
    point = base.mark_point(filled=True, size=70).encode(x=f"{value}:Q")
    rows = max(1, data[label].nunique()) * (data[colour].nunique() if colour else 1)
    chart = (rule + point).properties(title=title, width=WIDTH, height=min(600, 14 + 18 * rows))
    return chart.to_dict()


def ratings_chart(models: pd.DataFrame, by: str = "contestant", title: str = "") -> dict[str, Any]:
    """OpenSkill μ per model with μ ± 1.96σ."""
    return interval_chart(
        models,
        by,
        "mu",
        "low",
        "high",
        title=title or "OpenSkill rating (μ, 95% interval)",
        axis="μ",
        extra=("sigma", "games"),
    )


def win_chart(model_wins: pd.DataFrame) -> dict[str, Any]:
    """Win rate per model overall and on each team, with Wilson intervals."""
    return interval_chart(
        model_wins,
        "contestant",
        "rate",
        "low",
        "high",
        title="Win rate (95% Wilson interval)",
        axis="win rate",
        colour="team",
        extra=("wins", "games"),
    )


def lie_chart(rates: pd.DataFrame, dimension: str) -> dict[str, Any]:
    """Lies per 100 claims per group of one dimension, with its game-resampling interval."""
    return interval_chart(
        rates,
        dimension,
        "lies_per_100",
        "ci_low",
        "ci_high",
        title=f"Lies per 100 claims by {_LABELS.get(dimension, dimension)}",
        axis="lies per 100 claims (95% interval, games resampled)",
        extra=("claims", "games"),
    )


def roc_chart(roc: pd.DataFrame, target: str) -> dict[str, Any]:
    """ROC curves of every monitor for one target, with the chance diagonal."""
    data = _records(roc[roc["target"] == target], ["monitor", "fpr", "tpr"])
    curve = (
        alt.Chart(data)
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("fpr:Q", title="false-positive rate", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("tpr:Q", title="true-positive rate", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("monitor:N"),
            tooltip=["monitor:N", "fpr:Q", "tpr:Q"],
        )
    )
    diagonal = (
        alt.Chart(pd.DataFrame({"fpr": [0, 1], "tpr": [0, 1]}))
        .mark_line(strokeDash=[4, 4], color="#999")
        .encode(x="fpr:Q", y="tpr:Q")
    )
    chart = (diagonal + curve).properties(title=f"ROC: {target}", width=300, height=300)
    return chart.to_dict()


_BELIEF_TEMPLATE: dict[str, Any] | None = None


def belief_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each player's P(werewolf) about every other player over the game, one panel per holder.

    Built once with altair, then copied with each game's rows: a fresh altair chart per game
    page cost ~20 ms of schema validation, which 10k pages cannot afford.
    """
    global _BELIEF_TEMPLATE
    if _BELIEF_TEMPLATE is None:
        wolf = alt.condition("datum.wolf", alt.value([1, 0]), alt.value([4, 3]))
        line = (
            alt.Chart(alt.NamedData("beliefs"))
            .mark_line(point=alt.OverlayMarkDef(size=14))
            .encode(
                x=alt.X("turn:Q", title="turn"),
                y=alt.Y("p:Q", title="P(werewolf)", scale=alt.Scale(domain=[0, 1])),
                color=alt.Color("about:N", title="about"),
                strokeDash=wolf,
                tooltip=["holder:N", "about:N", "turn:Q", alt.Tooltip("p:Q", format=".2f")],
            )
            .properties(width=190, height=120)
        )
        chart = line.facet(facet=alt.Facet("holder:N", title="held by"), columns=4)
        _BELIEF_TEMPLATE = chart.properties(
            title="P(werewolf) each player held about the others (solid: about a werewolf)"
        ).to_dict()
    spec = copy.deepcopy(_BELIEF_TEMPLATE)
    spec["datasets"] = {"beliefs": rows}
    return spec
