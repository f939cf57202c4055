"""The `sdlab` command line (typer + rich). Heavy imports happen inside commands.

Every bad input is one line on stderr and a non-zero exit code, with nothing written. Every
command that plays games goes through one path (runs.orchestrator): a plan of game rows,
claimed, played and recorded; the same command on the same database resumes it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import click
import typer
from pydantic import ValidationError
from rich.console import Console

from app.monitor_views import monitors_command
from vocab import EXTRACTORS, FALLBACK_THRESHOLD

if TYPE_CHECKING:  # typing only: the CLI imports its heavy modules inside commands
    from games.werewolf import WerewolfConfig
    from runs.orchestrator import RunSummary
    from runs.plan import Plan

app = typer.Typer(
    help="Social deduction lab: play Werewolf with scripted or LLM agents, log, analyse.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
err = Console(stderr=True)

MAX_PLAYERS_FLAG = 30


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one clear error line and return the Exit to raise."""
    from rich.markup import escape

    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def validation_message(exc: ValidationError) -> str:
    """One line naming the offending field(s) of a pydantic error."""
    parts = []
    for e in exc.errors():
        where = ".".join(str(p) for p in e["loc"]) or "value"
        parts.append(f"{where}: {e['msg'].removeprefix('Value error, ')}")
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


DbOpt = Annotated[str, typer.Option("--db", help="SQLite path or SQLAlchemy URL")]
PlayersOpt = Annotated[int, typer.Option("--players", "-p", help="number of players (4-30)")]
RoundsOpt = Annotated[int, typer.Option("--rounds", help="discussion rounds per day")]
BiddingOpt = Annotated[bool, typer.Option("--bidding", help="speakers bid for each slot")]
RevoteOpt = Annotated[bool, typer.Option("--revote", help="a tied vote is re-run among the tied")]
HideOpt = Annotated[bool, typer.Option("--hide-roles", help="do not reveal roles on death")]
TournamentOpt = Annotated[
    list[str] | None,
    typer.Option("--tournament", "-t", help="only this plan (by name); repeat for several"),
]


def _play(plan: Plan, db: str, reclaim: bool = False) -> RunSummary:
    """Run a plan with a progress bar; bad databases become one error line."""
    import asyncio

    from app.progress import RunProgress
    from runs.orchestrator import run
    from runs.store import StoreError

    bar = RunProgress(plan.games)
    try:
        return asyncio.run(run(plan, db, reclaim=reclaim, hooks=bar.hooks()))
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        bar.close()


def _choice(value: str, allowed: tuple[str, ...], flag: str) -> str:
    if value not in allowed:
        raise fail(f"{flag} must be one of {', '.join(allowed)}; got {value!r}")
    return value


@app.command()
def run(
    games: Annotated[int, typer.Option("--games", "-n", help="number of games")] = 20,
    db: DbOpt = "lab.db",
    seed: Annotated[int, typer.Option("--seed", help="base seed; game i gets a derived seed")] = 0,
    players: PlayersOpt = 7,
    rounds: RoundsOpt = 2,
    bidding: BiddingOpt = False,
    revote: RevoteOpt = False,
    hide_roles: HideOpt = False,
    name: Annotated[
        str | None,
        typer.Option("--name", help="the plan's name (default: run-<hash of these settings>)"),
    ] = None,
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
    temperature: Annotated[
        float | None, typer.Option("--temperature", help="sampling temperature")
    ] = None,
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", help="completion tokens per request")
    ] = None,
    model_concurrency: Annotated[
        int | None, typer.Option("--model-concurrency", help="requests in flight per model")
    ] = None,
) -> None:
    """Play N games with scripted agents (offline) or LLM players (--model); resumable."""
    from agents.registry import is_scripted
    from runs.plan import ConfigError, plan_from_flags
    from vocab import CONDITIONS, FRAMINGS

    _choice(condition, CONDITIONS, "--condition")
    _choice(framing, FRAMINGS, "--framing")
    _choice(commit, ("turn", "game"), "--commit")
    if not 1 <= players <= MAX_PLAYERS_FLAG:
        raise fail(f"--players must be 4-{MAX_PLAYERS_FLAG}, got {players}")
    config = game_config(players, rounds, bidding, revote, hide_roles)
    models = model or ["scripted"]
    scripted = all(is_scripted(m) for m in models)
    if scripted and (condition != "neutral" or framing != "observed" or api_base):
        raise fail("--condition, --framing and --api-base apply to LLM players (--model)")
    options: dict[str, object] = {"concurrency": concurrency, "timeout": timeout}
    extra = {
        "api_base": api_base,
        "temperature": temperature,
        "max_tokens": max_tokens,
        "model_concurrency": model_concurrency,
    }
    options.update({k: v for k, v in extra.items() if v is not None})
    try:
        plan = plan_from_flags(
            players=models,
            games=games,
            game=config,
            seed=seed,
            name=name,
            condition=condition,
            framing=framing,
            llm_options=options,
            # Twice as many games as request slots keeps every slot busy while games wait.
            concurrency=1 if scripted else min(512, 2 * concurrency),
        )
        plan = plan.model_copy(update={"commit": commit})
    except ConfigError as exc:
        raise fail(str(exc)) from None
    _finish(_play(plan, db), db)


def _finish(summary: RunSummary, db: str) -> None:
    from app.views import print_summary

    raise typer.Exit(print_summary(summary, db, console, err))


@app.command()
def tournament(
    config: Annotated[str, typer.Argument(help="plan file (.yaml, .yml or .toml)")],
    db: DbOpt = "lab.db",
    reclaim: Annotated[
        bool, typer.Option("--reclaim", help="replay games left running by any other worker")
    ] = False,
    executor: Annotated[
        str, typer.Option("--executor", help="'local' (this process) or 'ray' (a Ray cluster)")
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option("--address", help="Ray cluster to join, e.g. HEAD:6379 (ray only)"),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", help="Ray actors playing games (ray only; default: CPUs)"),
    ] = None,
) -> None:
    """Create or resume a tournament from a plan file and play its pending games."""
    from runs.plan import ConfigError, load_plan

    _choice(executor, ("local", "ray"), "--executor")
    if executor == "local" and (address is not None or workers is not None):
        raise fail("--address and --workers apply to --executor ray")
    if workers is not None and workers < 1:
        raise fail(f"--workers must be at least 1, got {workers}")
    try:
        plan = load_plan(config)  # validated before the database is touched
    except ConfigError as exc:
        raise fail(str(exc)) from None
    if executor == "ray":
        summary = _play_ray(plan, db, reclaim, address, workers)
    else:
        summary = _play(plan, db, reclaim=reclaim)
    _finish(summary, db)


def _play_ray(
    plan: Plan, db: str, reclaim: bool, address: str | None, workers: int | None
) -> RunSummary:
    """Run a plan on a Ray cluster; a database machines cannot share or no Ray: one line."""
    from runs.ray_executor import (
        ClusterError,
        RayUnavailable,
        check_database,
        import_ray,
        run_ray,
    )
    from runs.store import StoreError

    try:
        check_database(db)
        import_ray()
    except StoreError as exc:
        raise fail(str(exc)) from None
    except RayUnavailable as exc:
        raise fail(str(exc), code=1) from None
    import time

    shown = [time.monotonic(), 0]

    def progress(summary: RunSummary) -> None:
        # A line every 30 s at most: a day-long run must not print one per second.
        now, done = time.monotonic(), summary.finished
        if done != shown[1] and (now - shown[0] >= 30 or done == summary.total):
            shown[:] = [now, done]
            err.print(f"games finished: {done} of {summary.total}", highlight=False)

    try:
        return run_ray(
            plan, db, workers=workers, address=address, reclaim=reclaim, on_progress=progress
        )
    except (StoreError, ClusterError) as exc:
        raise fail(str(exc)) from None


@app.command()
def play(
    seed: Annotated[int, typer.Option("--seed", help="plan seed (the game's seed derives)")] = 0,
    players: PlayersOpt = 7,
    rounds: RoundsOpt = 2,
    bidding: BiddingOpt = False,
    revote: RevoteOpt = False,
    hide_roles: HideOpt = False,
    private: Annotated[
        bool, typer.Option("--private", help="also show night actions and the pack's channel")
    ] = False,
    db: Annotated[str | None, typer.Option("--db", help="also keep the game here")] = None,
) -> None:
    """Play one scripted game and print it as a readable transcript."""
    import tempfile
    from pathlib import Path

    from runs.plan import ConfigError, plan_from_flags

    if not 1 <= players <= MAX_PLAYERS_FLAG:
        raise fail(f"--players must be 4-{MAX_PLAYERS_FLAG}, got {players}")
    config = game_config(players, rounds, bidding, revote, hide_roles)
    try:
        plan = plan_from_flags(players=["scripted"], games=1, game=config, seed=seed)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    with tempfile.TemporaryDirectory() as tmp:
        target = db or str(Path(tmp) / "play.db")
        summary = _play(plan, target)
        if summary.exit_code:
            _finish(summary, target)
        _show(target, None, plan.name, private)


def _show(db: str, game: int | None, plan_name: str | None, private: bool) -> None:
    from analysis.db import AnalysisError, open_db
    from app.transcript import GameNotFound, game_claims, print_game, resolve_game

    try:
        engine = open_db(db)
        game_id = resolve_game(engine, game, plan_name)
        claims = game_claims(engine, game_id)  # labelled on the fly, nothing written
        print_game(engine, game_id, console, show_private=private, claims=claims)
    except (AnalysisError, GameNotFound) as exc:
        raise fail(str(exc)) from None


@app.command()
def show(
    db: DbOpt = "lab.db",
    game: Annotated[
        int | None, typer.Option("--game", "-g", help="game id (default: last)")
    ] = None,
    private: Annotated[
        bool, typer.Option("--private", help="also show night actions and the pack's channel")
    ] = False,
) -> None:
    """Print a stored game as a readable transcript, every claim marked by its label."""
    _show(db, game, None, private)


@app.command()
def migrate(db: DbOpt = "lab.db") -> None:
    """Bring a database written by an older sdlab to this version's schema."""
    from runs.store import StoreError, display_url
    from runs.store import migrate as do_migrate

    try:
        before, after = do_migrate(db)
    except StoreError as exc:
        raise fail(str(exc)) from None
    what = "already at" if before == after else f"migrated from schema {before} to"
    console.print(f"{display_url(db)}: {what} schema {after}", highlight=False)


IncludeDegradedOpt = Annotated[
    bool,
    typer.Option(
        "--include-degraded",
        help="count games where a model fell back on over the threshold of its turns",
    ),
]
ThresholdOpt = Annotated[
    float,
    typer.Option("--fallback-threshold", help="a game is degraded above this fallback share (0-1)"),
]


def _threshold(value: float) -> float:
    if not 0 <= value <= 1:
        raise fail(f"--fallback-threshold must be between 0 and 1, got {value}")
    return value


@app.command()
def ratings(
    db: DbOpt = "lab.db",
    tournaments: TournamentOpt = None,
    include_degraded: IncludeDegradedOpt = False,
    fallback_threshold: ThresholdOpt = FALLBACK_THRESHOLD,
) -> None:
    """OpenSkill ratings per model and per model × role; win rates with 95 % intervals."""
    from analysis.db import AnalysisError
    from analysis.ratings import ratings_report
    from app.views import print_ratings

    try:
        report = ratings_report(
            db,
            tournaments=tournaments,
            include_degraded=include_degraded,
            fallback_threshold=_threshold(fallback_threshold),
        )
    except AnalysisError as exc:
        raise fail(str(exc)) from None
    print_ratings(report, console)


@app.command()
def analyse(
    db: DbOpt = "lab.db",
    csv: Annotated[str | None, typer.Option("--csv", help="also write every frame as CSV")] = None,
    parquet: Annotated[
        str | None, typer.Option("--parquet", help="also write every frame as Parquet")
    ] = None,
    tournaments: TournamentOpt = None,
    include_degraded: IncludeDegradedOpt = False,
    fallback_threshold: ThresholdOpt = FALLBACK_THRESHOLD,
    contrast: Annotated[
        str | None,
        typer.Option(
            "--contrast", help="lie and leakage gap between arms: framing|condition|model"
        ),
    ] = None,
    persuasion: Annotated[
        bool, typer.Option("--persuasion", help="whose speech moves whose beliefs; detection")
    ] = False,
    instrumental: Annotated[
        bool, typer.Option("--instrumental", help="lies under pressure; speaking time bought")
    ] = False,
    extractor: Annotated[
        str,
        typer.Option("--extractor", help="claim reader: rules+model (default) or rules"),
    ] = EXTRACTORS[0],
) -> None:
    """Extract and label claims; lies per 100 claims by model × role × prompt × framing."""
    from analysis.db import AnalysisError
    from app.analysis_views import print_analysis
    from app.research_views import print_research

    for directory, flag in ((csv, "--csv"), (parquet, "--parquet")):
        if directory:
            _check_out_dir(directory, flag)
    if contrast is not None:
        _choice(contrast, ("framing", "condition", "model"), "--contrast")
    _choice(extractor, EXTRACTORS, "--extractor")
    threshold = _threshold(fallback_threshold)
    try:
        report = print_analysis(
            db,
            console,
            csv_dir=csv,
            parquet_dir=parquet,
            tournaments=tournaments,
            include_degraded=include_degraded,
            fallback_threshold=threshold,
            extractor=extractor,
        )
        if contrast or persuasion or instrumental:
            print_research(
                db,
                console,
                contrast=contrast,
                persuasion=persuasion,
                instrumental=instrumental,
                tournaments=tournaments,
                include_degraded=include_degraded,
                fallback_threshold=threshold,
                claims=report.claims,
            )
    except (AnalysisError, ValueError) as exc:
        raise fail(str(exc)) from None


@app.command()
def leakage(
    db: DbOpt = "lab.db",
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help="group by model, framing, condition, role …; repeat"),
    ] = None,
    target: Annotated[
        str, typer.Option("--target", help="the hidden variable: team or role")
    ] = "team",
    features: Annotated[
        list[str] | None,
        typer.Option("--features", help="speech, actions and/or both (default: all); repeat"),
    ] = None,
    null: Annotated[
        int, typer.Option("--null", help="refits on shuffled teams: the estimator's floor")
    ] = 1,
    tournaments: TournamentOpt = None,
    include_degraded: IncludeDegradedOpt = False,
    fallback_threshold: ThresholdOpt = FALLBACK_THRESHOLD,
) -> None:
    """Bits of the hidden team (or role) that a player's public words and actions give away."""
    from analysis.db import AnalysisError
    from app.research_views import print_leakage_section

    if null < 0:
        raise fail(f"--null must be 0 or more, got {null}")
    threshold = _threshold(fallback_threshold)
    try:
        print_leakage_section(
            db,
            console,
            by=by or ["model"],
            target=target,
            features=features or ["speech", "actions", "both"],
            null=null,
            tournaments=tournaments,
            include_degraded=include_degraded,
            fallback_threshold=threshold,
        )
    except (AnalysisError, ValueError) as exc:
        raise fail(str(exc)) from None


@app.command()
def report(
    db: DbOpt = "lab.db",
    out: Annotated[str, typer.Option("--out", "-o", help="directory to write the site into")] = (
        "report"
    ),
    tournaments: TournamentOpt = None,
    game_pages: Annotated[
        int, typer.Option("--game-pages", help="games that get a page (an even spread by id)")
    ] = 200,
    all_games: Annotated[bool, typer.Option("--all-games", help="a page for every game")] = False,
    research_games: Annotated[
        int,
        typer.Option(
            "--research-games",
            help="run the research measures up to this many finished games (0: never)",
        ),
    ] = 1000,
    include_degraded: IncludeDegradedOpt = False,
    fallback_threshold: ThresholdOpt = FALLBACK_THRESHOLD,
) -> None:
    """Write an HTML report (overview, ratings, lie rates, game pages) that opens from disk."""
    from analysis.db import AnalysisError
    from app.report.build import build_report

    _check_out_dir(out, "--out")
    if game_pages < 0:
        raise fail(f"--game-pages must be 0 or more, got {game_pages}")
    try:
        with Console(stderr=True).status("reading games, labelling claims, drawing pages…"):
            result = build_report(
                db,
                out,
                tournaments=tournaments,
                game_pages=None if all_games else game_pages,
                research_games=max(0, research_games),
                include_degraded=include_degraded,
                fallback_threshold=_threshold(fallback_threshold),
            )
    except AnalysisError as exc:
        raise fail(str(exc)) from None
    console.print(
        f"wrote {result.index} ({result.games} games, {len(result.game_pages)} game pages) "
        f"in {result.seconds:.1f} s",
        highlight=False,
        soft_wrap=True,
    )
    for title, why in result.skipped:
        console.print(f"  not in the report: {title}: {why}", highlight=False, soft_wrap=True)


@app.command()
def browse(
    db: DbOpt = "lab.db",
    host: Annotated[str, typer.Option("--host", help="address to serve on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to serve on")] = 8001,
) -> None:
    """Browse a lab database in datasette: tables described, canned queries (the browse extra)."""
    import importlib.util
    import json
    import tempfile
    from pathlib import Path

    from analysis.db import AnalysisError, open_db
    from app.browse import INSTALL, metadata

    if importlib.util.find_spec("datasette") is None:
        raise fail(INSTALL, code=1)
    if "://" in db and not db.startswith("sqlite:"):
        raise fail("sdlab browse reads SQLite files only (datasette); got a database URL")
    try:
        engine = open_db(db)  # one-line refusals: missing, foreign, older or newer files
    except AnalysisError as exc:
        raise fail(str(exc)) from None
    path = Path(engine.url.database or db)
    meta = metadata(path)
    if "lies_of_game" not in meta["databases"][path.stem]["queries"]:
        err.print(
            f"note: no claim table yet: `sdlab analyse --db {db}` fills it (and the lies query)",
            highlight=False,
            soft_wrap=True,
        )
    with tempfile.TemporaryDirectory() as tmp:
        meta_file = Path(tmp) / "metadata.json"
        meta_file.write_text(json.dumps(meta), encoding="utf-8")
        console.print(f"serving {path} at http://{host}:{port}/{path.stem} (Ctrl-C to stop)")
        from datasette.cli import cli as datasette

        # In this process: one process to stop, and the metadata file lives as long as it.
        args = ["serve", str(path), "--metadata", str(meta_file), "--host", host, "--port",
                str(port), "--setting", "sql_time_limit_ms", "10000"]  # fmt: skip
        try:
            datasette.main(args=args, prog_name="datasette", standalone_mode=False)
            code = 0
        except KeyboardInterrupt:
            code = 0
    raise typer.Exit(code)


def _check_out_dir(directory: str, flag: str) -> None:
    from pathlib import Path

    path = Path(directory).expanduser()
    if path.exists() and not path.is_dir():
        raise fail(f"{flag} {directory}: exists and is not a directory")
    parent = path if path.exists() else path.parent
    while not parent.exists():
        parent = parent.parent
    import os

    if not os.access(parent, os.W_OK):
        raise fail(f"{flag} {directory}: {parent} is not writable")


app.command("monitors")(monitors_command)


@app.command("serve-local")
def serve_local(
    model: Annotated[
        str, typer.Option("--model", help="local/smollm2 or local/<path.gguf>")
    ] = "local/smollm2",
) -> None:
    """Serve a local GGUF model on a free loopback port until Ctrl-C (OpenAI-compatible)."""
    from agents.local_server import LocalModelError, LocalServer, gguf_for, serve

    def ready(server: LocalServer) -> None:
        console.print(f"serving {server.gguf.name} at {server.api_base} (model: openai/local)")
        console.print(
            f"sdlab run --model openai/local --api-base {server.api_base}", highlight=False
        )

    try:
        serve(LocalServer(gguf_for(model).resolve()), ready)
    except LocalModelError as exc:
        raise fail(str(exc), code=1) from None  # never 0 when the server died


# typer >= 0.20 vendors click: its exceptions are typer's own, older ones raise click's.
_USAGE_ERRORS = (click.exceptions.ClickException, typer.TyperException)
_ABORTS = (click.exceptions.Abort, typer.Abort)


def main() -> None:
    """Entry point: usage errors are one line too (click would print a six-line box)."""
    try:
        code = app(standalone_mode=False)
    except _ABORTS:
        err.print("interrupted", highlight=False)
        sys.exit(130)
    except _USAGE_ERRORS as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            sys.exit(0)  # `sdlab` alone printed the help
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
        err.print(f"[bold red]error:[/] {first}", highlight=False, soft_wrap=True)
        sys.exit(getattr(exc, "exit_code", 2) or 2)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
