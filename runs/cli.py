"""The `sdlab` command line (typer + rich). Heavy imports happen inside commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

if TYPE_CHECKING:  # typing only: the CLI imports its heavy modules inside commands
    from games.werewolf import WerewolfConfig
    from runs.batch import RunSummary

app = typer.Typer(
    help="Social deduction lab: play Werewolf with scripted or LLM agents, log, analyse.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one clear error line and return the Exit to raise."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def validation_message(exc: ValidationError) -> str:
    """One line naming the offending field(s) of a pydantic error."""
    parts = []
    for e in exc.errors():
        where = ".".join(str(p) for p in e["loc"]) or "value"
        parts.append(f"{where}: {e['msg']}")
    return "; ".join(parts)


def game_config(
    players: int, rounds: int, bidding: bool, revote: bool, hide_roles: bool
) -> WerewolfConfig:
    """Build a WerewolfConfig from CLI flags, or exit with a clear message."""
    from games.werewolf import Roster, WerewolfConfig

    try:
        roster = Roster.for_players(players)
        return WerewolfConfig(
            roster=roster,
            discussion_rounds=rounds,
            turn_taking="bidding" if bidding else "round_robin",
            tie_rule="revote" if revote else "no_elimination",
            reveal_role_on_death=not hide_roles,
        )
    except ValidationError as exc:
        raise fail(validation_message(exc)) from None
    except ValueError as exc:
        raise fail(str(exc)) from None


PlayersOpt = Annotated[int, typer.Option("--players", "-p", help="number of players (4-30)")]
RoundsOpt = Annotated[int, typer.Option("--rounds", help="discussion rounds per day")]
BiddingOpt = Annotated[bool, typer.Option("--bidding", help="speakers bid for each slot")]
RevoteOpt = Annotated[bool, typer.Option("--revote", help="a tied vote is re-run among the tied")]
HideOpt = Annotated[bool, typer.Option("--hide-roles", help="do not reveal roles on death")]


@app.command()
def run(
    games: Annotated[int, typer.Option("--games", "-n", help="number of games")] = 20,
    db: Annotated[str, typer.Option("--db", help="SQLite path or SQLAlchemy URL")] = "lab.db",
    seed: Annotated[int, typer.Option("--seed", help="base seed; game i gets a derived seed")] = 0,
    players: PlayersOpt = 7,
    rounds: RoundsOpt = 2,
    bidding: BiddingOpt = False,
    revote: RevoteOpt = False,
    hide_roles: HideOpt = False,
    name: Annotated[str, typer.Option("--name", help="label stored on the run")] = "run",
    commit: Annotated[
        str, typer.Option("--commit", help="when rows are committed: 'turn' (safest) or 'game'")
    ] = "turn",
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            "-m",
            help="litellm model string, local/smollm2, or a scripted kind; repeat to mix",
        ),
    ] = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", help="LLM requests in flight at once")
    ] = 8,
    api_base: Annotated[
        str | None, typer.Option("--api-base", help="OpenAI-compatible server URL (vLLM, Ollama)")
    ] = None,
    condition: Annotated[
        str, typer.Option("--condition", help="neutral|deception_permitted|deception_instructed")
    ] = "neutral",
    framing: Annotated[str, typer.Option("--framing", help="observed|unobserved")] = "observed",
    timeout: Annotated[float, typer.Option("--timeout", help="seconds per LLM request")] = 60.0,
    model_concurrency: Annotated[
        int | None, typer.Option("--model-concurrency", help="requests in flight per model")
    ] = None,
) -> None:
    """Play N games with scripted agents (offline) or LLM players (--model) and summarise."""
    from runs.progress import play_with_progress
    from runs.store import StoreError

    if games < 1:
        raise fail(f"--games must be at least 1, got {games}")
    if commit not in ("turn", "game"):
        raise fail(f"--commit must be 'turn' or 'game', got {commit!r}")
    config = game_config(players, rounds, bidding, revote, hide_roles)
    llm = llm_setup(model or [], concurrency, api_base, condition, framing, timeout)
    if model_concurrency is not None and model_concurrency < 1:
        raise fail(f"--model-concurrency must be at least 1, got {model_concurrency}")
    if model_concurrency is not None and "llm_options" in llm:
        llm["llm_options"]["model_concurrency"] = model_concurrency  # type: ignore[index]
    try:
        summary = play_with_progress(
            db, games, seed=seed, config=config, name=name, per_turn=commit == "turn", **llm
        )
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        if any(m.startswith("local/") for m in model or []):
            from agents.local_server import stop_all

            stop_all()
    _print_summary(summary, db)
    if summary.failed:
        raise typer.Exit(1)


def llm_setup(
    models: list[str],
    concurrency: int,
    api_base: str | None,
    condition: str,
    framing: str,
    timeout: float,
) -> dict[str, object]:
    """`run_games` keywords for the seated models (none: the offline scripted default)."""
    if not models:
        return {}
    from agents.registry import is_scripted

    options = {
        "concurrency": concurrency,
        "api_base": api_base,
        "prompt_condition": condition,
        "framing": framing,
        "timeout": timeout,
    }
    if all(is_scripted(m) for m in models):
        return {"players": models}
    from agents.llm import LLMOptions
    from agents.local_server import LocalModelError, ensure_server

    try:
        LLMOptions(**options)  # type: ignore[arg-type]
        for m in models:
            if m.startswith("local/"):
                ensure_server(m)  # start (and wait for) the server before the progress bar
    except ValidationError as exc:
        raise fail(validation_message(exc)) from None
    except LocalModelError as exc:
        raise fail(str(exc)) from None
    # Twice as many games as request slots keeps every slot busy while games wait on speeches.
    return {"players": models, "concurrency": 2 * concurrency, "llm_options": options}


def _print_summary(s: RunSummary, db: str) -> None:
    from rich.table import Table

    table = Table(title=f"sdlab run → {db}", show_header=False)
    table.add_row("games finished", str(s.games))
    if s.failed:
        table.add_row("games failed", f"[red]{s.failed}[/]")
    for team, count in sorted(s.wins.items()):
        table.add_row(f"wins: {team}", str(count))
    table.add_row("turns", str(s.turns))
    table.add_row("events", str(s.events))
    table.add_row("beliefs", str(s.beliefs))
    if s.calls:
        table.add_row("LLM calls", str(s.calls))
        table.add_row("prompt tokens", str(s.prompt_tokens))
        table.add_row("cost ($)", f"{s.cost:.4f}")
        table.add_row("fallback turns", str(s.fallbacks))
    table.add_row("elapsed", f"{s.elapsed:.2f} s")
    table.add_row("games/s", f"{s.games_per_s:.1f}")
    console.print(table)
    for line in s.errors[:5]:
        err.print(f"[red]failed:[/] {line}", highlight=False)


@app.command()
def play(
    seed: Annotated[int, typer.Option("--seed", help="game seed")] = 0,
    players: PlayersOpt = 7,
    rounds: RoundsOpt = 2,
    bidding: BiddingOpt = False,
    revote: RevoteOpt = False,
    hide_roles: HideOpt = False,
    private: Annotated[
        bool, typer.Option("--private", help="also show night actions and the pack's channel")
    ] = False,
    db: Annotated[str | None, typer.Option("--db", help="also store the game here")] = None,
) -> None:
    """Play one scripted game and print a readable transcript."""
    from runs.store import StoreError
    from runs.transcript import play_and_print

    config = game_config(players, rounds, bidding, revote, hide_roles)
    try:
        play_and_print(config, seed, console, show_private=private, db=db)
    except StoreError as exc:
        raise fail(str(exc)) from None


@app.command()
def tournament(
    config: Annotated[str, typer.Argument(help="tournament file (.yaml, .yml or .toml)")],
    db: Annotated[str, typer.Option("--db", help="SQLite path or SQLAlchemy URL")] = "lab.db",
    reclaim: Annotated[
        bool, typer.Option("--reclaim", help="replay games left running by any other worker")
    ] = False,
) -> None:
    """Create or resume a tournament from a config file and play its pending games."""
    from runs.store import StoreError
    from runs.tournament import play_tournament, print_tournament
    from runs.tournament_config import ConfigError, load_config

    try:
        cfg = load_config(config)  # validated before the database is touched
        summary = play_tournament(cfg, db, reclaim=reclaim)
    except (ConfigError, StoreError) as exc:
        raise fail(str(exc)) from None
    raise typer.Exit(print_tournament(summary, db, cfg.budget_usd, console, err))


@app.command()
def ratings(
    db: Annotated[str, typer.Option("--db", help="SQLite path or SQLAlchemy URL")] = "lab.db",
    name: Annotated[
        str | None, typer.Option("--tournament", help="only this tournament (by name)")
    ] = None,
) -> None:
    """OpenSkill ratings per model and per model × role; win rates with 95 % intervals."""
    from analysis.ratings import RatingsError, ratings_report
    from runs.ratings_view import print_ratings

    try:
        report = ratings_report(db, tournament=name)
    except RatingsError as exc:
        raise fail(str(exc)) from None
    print_ratings(report, console)


@app.command()
def analyse(
    db: Annotated[str, typer.Option("--db", help="SQLite path or SQLAlchemy URL")] = "lab.db",
    csv: Annotated[str | None, typer.Option("--csv", help="also write every frame as CSV")] = None,
    parquet: Annotated[
        str | None, typer.Option("--parquet", help="also write every frame as Parquet")
    ] = None,
) -> None:
    """Extract and label claims; lies per 100 claims by model × role × prompt × framing."""
    from pathlib import Path

    from analysis.report import analyse as run_analysis
    from runs.store import StoreError

    if "://" not in db and not Path(db).expanduser().is_file():
        raise fail(f"no database at {db}")
    try:
        run_analysis(db, console, csv_dir=csv, parquet_dir=parquet)
    except StoreError as exc:
        raise fail(str(exc)) from None


@app.command("serve-local")
def serve_local(
    model: Annotated[
        str, typer.Option("--model", help="local/smollm2 or local/<path.gguf>")
    ] = "local/smollm2",
) -> None:
    """Serve a local GGUF model on a free loopback port until Ctrl-C (OpenAI-compatible)."""
    import time

    from agents.local_server import LocalModelError, ensure_server, stop_all

    try:
        server = ensure_server(model)
    except LocalModelError as exc:
        raise fail(str(exc)) from None
    console.print(f"serving {server.gguf.name} at {server.api_base} (model name: openai/local)")
    console.print(f"sdlab run --model openai/local --api-base {server.api_base}", highlight=False)
    try:
        while server.process is not None and server.process.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        stop_all()


def main() -> None:  # pragma: no cover - console entry point
    """Entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
