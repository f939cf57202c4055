"""Rich views: the run summary, ratings tables (numbers from runs and analysis, drawn here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:  # the run summary must not pay for importing pandas
    import pandas as pd


def _table(title: str, frame: pd.DataFrame, columns: dict[str, str]) -> Table:
    table = Table(title=title)
    for label in columns.values():
        text = label in ("model", "role", "team")
        table.add_column(label, justify="left" if text else "right", no_wrap=text)
    for row in frame.itertuples(index=False):
        cells = []
        for col in columns:
            value = getattr(row, col)
            cells.append(f"{value:.3f}" if isinstance(value, float) else str(value))
        table.add_row(*cells)
    return table


def print_ratings(report: Any, console: Any) -> None:
    """Print ratings per model and per model × role, then win rates with 95 % intervals."""
    rating_cols = {
        "mu": "mu",
        "sigma": "σ",
        "low": "95% low",
        "high": "95% high",
        "ordinal": "μ−3σ",
        "games": "games",
    }
    console.print(f"[bold]{report.games} finished games[/]")
    console.print(
        _table("OpenSkill per model", report.models, {"contestant": "model", **rating_cols})
    )
    console.print(
        _table(
            "OpenSkill per model × role",
            report.model_roles,
            {"contestant": "model", "role": "role", **rating_cols},
        )
    )
    rate_cols = {
        "wins": "wins",
        "games": "games",
        "rate": "win rate",
        "low": "95% low",
        "high": "95% high",
    }
    console.print(_table("Win rate per team", report.teams, {"team": "team", **rate_cols}))
    console.print(
        _table(
            "Win rate per model (and per model on each team)",
            report.model_wins,
            {"contestant": "model", "team": "team", **rate_cols},
        )
    )
    from analysis.report import degraded_lines
    from app.analysis_views import fallback_table

    console.print(fallback_table(report.fallback))
    for line in degraded_lines(report.degraded, report.include_degraded):
        console.print(line, highlight=False)


def print_summary(summary: Any, db: str, out: Any, err: Any) -> int:
    """Print what a run did and left; return its exit code (see runs.orchestrator)."""
    from runs.orchestrator import DEGRADED_SHARE, EXIT_INTERRUPTED
    from runs.store import display_url

    s = summary
    table = Table(title=f"sdlab {s.name!r} → {display_url(db)}", show_header=False)
    if s.tournament_id:
        table.add_row("plan id", f"{s.tournament_id} ({'new' if s.created else 'resumed'})")
    table.add_row("games finished", f"{s.finished} of {s.total} ({s.played} in this run)")
    if s.replayed or s.retried:
        table.add_row("replayed from start", f"{s.replayed} interrupted, {s.retried} failed")
    if s.pending or s.running:
        table.add_row("left", f"{s.pending} pending, {s.running} running")
    if s.failed_total:
        table.add_row("games failed", f"[red]{s.failed_total}[/]")
    for team, count in sorted(s.wins.items()):
        table.add_row(f"wins this run: {team}", str(count))
    if s.played:
        table.add_row("turns / events / beliefs", f"{s.turns:,} / {s.events:,} / {s.beliefs:,}")
    if s.calls or s.spent:
        table.add_row("LLM calls / tokens", f"{s.calls:,} / {s.tokens:,}")
        table.add_row("cost ($)", f"{s.cost:.4f} this run, {s.spent:.4f} in total")
    for model in sorted(s.model_turns):
        share = s.fallback_share(model)
        style = "red" if share > DEGRADED_SHARE else "white"
        table.add_row(
            f"fallback turns: {model}",
            f"[{style}]{s.model_fallbacks[model]} of {s.model_turns[model]} ({share:.1%})[/]",
        )
    for model, mode in sorted(s.modes.items()):
        table.add_row(f"structured output: {model}", mode)
    if s.text_repairs:
        table.add_row("characters repaired to store", str(s.text_repairs))
    table.add_row("elapsed", f"{s.elapsed:.2f} s ({s.games_per_s:.1f} games/s)")
    out.print(table)
    if s.migrated:
        err.print(f"migrated the database from schema {s.migrated[0]} to {s.migrated[1]}")
    for line in s.errors[:5]:
        err.print(f"[red]failed:[/] {escape(line)}", highlight=False, soft_wrap=True)
    for model, share in sorted(s.degraded.items()):
        err.print(
            f"[bold yellow]warning:[/] {escape(model)} fell back on {share:.0%} of its turns "
            f"(over {DEGRADED_SHARE:.0%}): those turns are not the model's play, and analyse "
            "and ratings leave such games out by default",
            highlight=False,
            soft_wrap=True,
        )
    code = s.exit_code
    if code == EXIT_INTERRUPTED:
        err.print(
            "interrupted: games in flight were given back; run the same command to go on",
            highlight=False,
            soft_wrap=True,
        )
    elif s.provider_error:
        err.print(
            f"[bold red]error:[/] {escape(s.provider_error)}", highlight=False, soft_wrap=True
        )
    elif s.budget_stopped and not s.complete:
        err.print(
            f"[bold yellow]budget cap reached:[/] ${s.spent:.4f} spent; no new games started, "
            f"{s.pending} left pending. Raise budget_usd and run the same command to go on.",
            highlight=False,
            soft_wrap=True,
        )
    elif s.failed_total:
        err.print(
            f"[red]{s.failed_total} game(s) failed[/]: run the same command again to retry "
            "them (up to max_attempts per game).",
            highlight=False,
            soft_wrap=True,
        )
    elif s.running:
        err.print(
            f"{s.running} game(s) still running under other workers: not every game is "
            "finished yet.",
            highlight=False,
            soft_wrap=True,
        )
    return code
