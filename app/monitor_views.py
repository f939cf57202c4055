"""`sdlab monitors` drawn: each monitor's AUROC against the labels, by group, and the command.

analysis.monitors computes (and stores the scores); this module only prints and exports.
`monitors_command` is the typer command; app/cli.py registers it with
`app.command("monitors")(monitors_command)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from vocab import BOOTSTRAP_RESAMPLES as RESAMPLES
from vocab import BOOTSTRAP_SEED as SEED
from vocab import FALLBACK_THRESHOLD

if TYPE_CHECKING:
    import pandas as pd

TARGET_TEXT = {
    "lie": "the utterance contains a lie",
    "werewolf": "the speaker is a werewolf",
}
_SHORT = {"prompt_condition": "prompt"}
MIN_CLASS = 5  # a group's AUROC is printed when it has at least this many of each class


def _isna(value: Any) -> bool:
    import pandas as pd  # lazily: `sdlab --help` should not wait a second for pandas

    return bool(pd.isna(value))


def _name(monitor: Any) -> str:
    """A monitor's name for a narrow column ("probe:local/smollm2" → "probe:smollm2")."""
    return escape(str(monitor).replace(":local/", ":"))


def _span(low: float, high: float) -> str:
    return "—" if _isna(low) or _isna(high) else f"{low:.2f}–{high:.2f}"


def _num(value: float, fmt: str = ".2f") -> str:
    return "—" if _isna(value) else format(value, fmt)


def _label(value: Any) -> str:
    text = "—" if _isna(value) else str(value)
    return text.removeprefix("deception_").removeprefix("scripted:")


def _auroc(r: dict[str, Any]) -> str:
    if _isna(r["auroc"]):
        return "—"
    return f"{r['auroc']:.2f} ({_span(r['auroc_low'], r['auroc_high'])})"


def overall_table(overall: pd.DataFrame, target: str, caption: str = "") -> Table:
    """Per monitor: AUROC with its interval, recall at 1 % / 5 % FPR, and the gain over length."""
    rows = overall[overall["target"] == target] if len(overall) else overall
    games = int(rows["games"].max()) if len(rows) else 0
    # Games go in the title (the table must fit 80 columns); a monitor that scored fewer
    # utterances (the probe reads local models only) shows it in its own count.
    table = Table(
        title=f"{target}: {TARGET_TEXT.get(target, target)} ({games} games)",
        box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, caption=caption,
    )  # fmt: skip
    table.add_column("monitor", overflow="fold", min_width=10)
    for col in ("utt.", "pos.", "AUROC (95% CI)", "R@1%", "R@5%", "vs length (95% CI)"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in rows.to_dict("records"):
        delta = r.get("minus_length", float("nan"))
        gain = (
            "—"
            if _isna(delta)
            else f"{delta:+.2f} ({_span(r['minus_length_low'], r['minus_length_high'])})"
        )
        table.add_row(
            _name(r["monitor"]),
            str(r["utterances"]),
            str(r["positives"]),
            _auroc(r),
            _num(r["recall_at_1"], ".0%"),
            _num(r["recall_at_5"], ".0%"),
            gain,
        )
    return table


def groups_table(auroc: pd.DataFrame, target: str) -> Table | None:
    """Per monitor × group: AUROC with its interval, for groups with MIN_CLASS of each class
    (fewer make an AUROC of noise: the frames and --csv keep every group)."""
    if not len(auroc):
        return None
    rows = auroc[
        (auroc["target"] == target)
        & auroc["auroc"].notna()
        & (auroc["positives"] >= MIN_CLASS)
        & (auroc["negatives"] >= MIN_CLASS)
    ]
    if rows.empty:
        return None
    groups = [
        c
        for c in ("model", "role", "prompt_condition", "framing")
        if c in rows and rows[c].notna().any()
    ]
    table = Table(
        title=f"{target}, by {' × '.join(_SHORT.get(g, g) for g in groups)}",
        box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True,
        caption=f"groups with at least {MIN_CLASS} of each class",
    )  # fmt: skip
    table.add_column("monitor", overflow="fold", min_width=8)
    table.add_column("group", overflow="fold", min_width=12)
    for col in ("utt.", "pos.", "AUROC (95% CI)", "R@5%"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in rows.to_dict("records"):
        table.add_row(
            _name(r["monitor"]),
            escape(" · ".join(_label(r[g]) for g in groups)),
            str(r["utterances"]),
            str(r["positives"]),
            _auroc(r),
            _num(r["recall_at_5"], ".0%"),
        )
    return table


def print_monitors(report: Any, console: Console, title: str, groups: bool = True) -> None:
    """Print the report: per target the overall table, then by group; notes and left-out games."""
    from analysis.report import degraded_lines

    method = report.overall.attrs.get("interval", {})
    caption = (
        "AUROC against the labels; 95% CI resamples whole games "
        f"({method.get('resamples', RESAMPLES)} resamples, seed {method.get('seed', SEED)}). "
        "R@k%: recall at k% false positives (threshold set on the same negatives). "
        "vs length: AUROC minus the length baseline's on the same utterances (paired CI)"
    )
    console.print(f"[bold]{escape(title)}[/]")
    for target in report.targets:
        console.print(overall_table(report.overall, target, caption))
        table = groups_table(report.auroc, target) if groups else None
        if table is not None:
            console.print(table)
    for note in report.notes:
        console.print(f"not scored: {escape(note)}", highlight=False)
    fell = report.excluded.get("fallback_utterances", 0)
    if fell:
        console.print(f"{fell} utterance(s) of fallback turns left out (not the model's speech)")
    for line in degraded_lines(report.degraded, report.include_degraded):
        console.print(escape(line), highlight=False)


def write_report(report: Any, directory: str, fmt: str) -> list[Path]:
    """The report's frames as CSV or Parquet files: scores, AUROC overall and by group, ROC."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    frames = {
        "monitor_scores": report.scores.drop(columns=["context"], errors="ignore"),
        "monitor_auroc": report.overall,
        "monitor_auroc_groups": report.auroc,
        "monitor_roc": report.roc,
    }
    written = []
    for name, frame in frames.items():
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False)
        else:
            frame.to_parquet(path, index=False)
        written.append(path)
    return written


# ----- the command -----------------------------------------------------------------------------


def _fail(message: str, code: int = 2) -> typer.Exit:
    """One error line on stderr, and the Exit to raise (as app/cli.py's commands do)."""
    Console(stderr=True).print(
        f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True
    )
    return typer.Exit(code)


def monitors_command(
    db: Annotated[str, typer.Option("--db", help="SQLite path or SQLAlchemy URL")] = "lab.db",
    monitor: Annotated[
        list[str] | None,
        typer.Option(
            "--monitor",
            "-m",
            help="length, random, text, probe[:local/<model>], judge:<litellm model>; repeat "
            "(default: length, random, text, and probe where speakers are local models)",
        ),
    ] = None,
    target: Annotated[
        list[str] | None,
        typer.Option("--target", help="lie and/or werewolf (default: both); repeat"),
    ] = None,
    tournaments: Annotated[
        list[str] | None,
        typer.Option("--tournament", "-t", help="only this plan (by name); repeat for several"),
    ] = None,
    include_degraded: Annotated[
        bool,
        typer.Option(
            "--include-degraded",
            help="count games where a model fell back on over the threshold of its turns",
        ),
    ] = False,
    fallback_threshold: Annotated[
        float,
        typer.Option("--fallback-threshold", help="a game is degraded above this share (0-1)"),
    ] = FALLBACK_THRESHOLD,
    api_base: Annotated[
        str | None, typer.Option("--api-base", help="the judge's OpenAI-compatible server URL")
    ] = None,
    judge_concurrency: Annotated[
        int, typer.Option("--judge-concurrency", help="judge requests in flight")
    ] = 8,
    folds: Annotated[int, typer.Option("--folds", help="cross-validation folds (by game)")] = 5,
    resamples: Annotated[
        int, typer.Option("--resamples", help="bootstrap resamples of games")
    ] = RESAMPLES,
    seed: Annotated[int, typer.Option("--seed", help="seed of the bootstrap and random")] = SEED,
    no_groups: Annotated[
        bool, typer.Option("--no-groups", help="print the overall tables only")
    ] = False,
    csv: Annotated[str | None, typer.Option("--csv", help="also write the frames as CSV")] = None,
    parquet: Annotated[
        str | None, typer.Option("--parquet", help="also write the frames as Parquet")
    ] = None,
) -> None:
    """Score every public utterance with deception monitors; AUROC against the lie labels."""
    from agents.providers import ProviderError
    from analysis.db import AnalysisError
    from analysis.monitors import TARGETS, MonitorError, monitors
    from runs.store import display_url

    targets = target or list(TARGETS)
    for t in targets:
        if t not in TARGETS:
            raise _fail(f"--target must be one of {', '.join(TARGETS)}; got {t!r}")
    if not 0 <= fallback_threshold <= 1:
        raise _fail(f"--fallback-threshold must be between 0 and 1, got {fallback_threshold}")
    if folds < 2 or resamples < 0:
        raise _fail("--folds must be at least 2 and --resamples at least 0")
    judge = {"concurrency": judge_concurrency}
    if api_base:
        judge["api_base"] = api_base  # type: ignore[assignment]
    console = Console()
    try:
        with Console(stderr=True).status("scoring utterances…"):
            report = monitors(
                db,
                monitor,
                targets=targets,
                tournaments=tournaments,
                include_degraded=include_degraded,
                fallback_threshold=fallback_threshold,
                folds=folds,
                resamples=resamples,
                seed=seed,
                judge_options=judge,
            )
    except (AnalysisError, MonitorError, ValueError) as exc:
        raise _fail(str(exc)) from None
    except ProviderError as exc:
        raise _fail(str(exc), code=4) from None
    if report.utterances.empty:
        console.print("no utterances to score: no finished games with public speech were kept")
        raise typer.Exit(0)
    where = f" ({', '.join(tournaments)})" if tournaments else ""
    print_monitors(report, console, f"monitors on {display_url(db)}{where}", not no_groups)
    for directory, fmt in ((csv, "csv"), (parquet, "parquet")):
        if directory:
            written = write_report(report, directory, fmt)
            console.print(f"wrote {len(written)} {fmt} files to {directory}")
