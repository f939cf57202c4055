"""Rich views: the run summary, ratings tables (numbers from runs and analysis, drawn here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich import box
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:  # the run summary must not pay for importing pandas
    import pandas as pd


def _compact(title: str, caption: str = "") -> Table:
    # The analyse tables' style: no outer padding, one header rule, so 7 columns fit 80.
    return Table(
        title=title, caption=caption, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True
    )


def _label(value: Any) -> str:
    return "—" if value is None or value != value else str(value).removeprefix("scripted:")


def _span(low: float, high: float, fmt: str) -> str:
    if low != low or high != high:  # NaN: no games, no interval
        return "—"
    return f"{format(low, fmt)}–{format(high, fmt)}"


def ratings_table(frame: pd.DataFrame, title: str, by: list[str]) -> Table:
    """OpenSkill ratings: one row per group, μ with its 95 % interval, σ, μ−3σ and games."""
    table = _compact(title, "95% CI: μ ± 1.96σ; ranked by μ−3σ (conservative)")
    for col in by:
        # Labels fold (model names can be long); numbers never wrap or get cut.
        table.add_column("model" if col == "contestant" else col, overflow="fold", min_width=8)
    for col in ("μ", "σ", "95% CI", "μ−3σ", "games"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in frame.itertuples(index=False):
        row = r._asdict()
        table.add_row(
            *[_label(row[c]) for c in by],
            f"{row['mu']:.1f}",
            f"{row['sigma']:.2f}",
            _span(row["low"], row["high"], ".1f"),
            f"{row['ordinal']:.1f}",
            str(row["games"]),
        )
    return table


def win_table(frame: pd.DataFrame, title: str, by: list[str], caption: str = "") -> Table:
    """Win rates: wins of games with a Wilson 95 % interval, in percent."""
    table = _compact(title, caption)
    for col in by:
        table.add_column("model" if col == "contestant" else col, overflow="fold", min_width=8)
    for col in ("wins", "games", "win %", "95% CI"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in frame.itertuples(index=False):
        row = r._asdict()
        wins = float(row["wins"])
        table.add_row(
            *[_label(row[c]) for c in by],
            f"{wins:.0f}" if wins.is_integer() else f"{wins:.1f}",
            str(row["games"]),
            f"{100 * row['rate']:.1f}",
            _span(100 * row["low"], 100 * row["high"], ".1f"),
        )
    return table


def print_ratings(report: Any, console: Any) -> None:
    """Print ratings per model and per model × role, then win rates with 95 % intervals."""
    console.print(f"[bold]{report.games} finished games[/]")
    console.print(ratings_table(report.models, "OpenSkill per model", ["contestant"]))
    console.print(
        ratings_table(report.model_roles, "OpenSkill per model × role", ["contestant", "role"])
    )
    console.print(win_table(report.teams, "Win rate per team", ["team"], "a draw is no win"))
    console.print(
        win_table(
            report.model_wins,
            "Win rate per model (all) and per model on each team",
            ["contestant", "team"],
            "each seat counts with its own team; 'all' scores a game by the share of the "
            "model's seats on the winning team",
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
    for line in s.notes[:5]:
        err.print(f"[yellow]note:[/] {escape(line)}", highlight=False, soft_wrap=True)
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
