"""`sdlab report`: a static site from a lab database that opens from disk, with no network.

index.html (overview, ratings, win and lie rates, the research measures that have landed),
games.html (every game, paginated) and games/game-N.html for a sample of games (transcript
with roles revealed and claims highlighted by label, private parts behind a toggle, each
player's P(werewolf) over the game). Every page loads only files under `out/assets/`.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from analysis.db import open_db
from analysis.fallback import FALLBACK_THRESHOLD
from app.report import charts
from app.report.assets import write_assets
from app.report.data import RESAMPLES, ReportData, game_rows, gather, sample_games
from app.report.sections import RESAMPLES as RESEARCH_RESAMPLES
from app.report.sections import RESEARCH_GAMES, Context, Section, research_sections
from app.transcript import MARKS, SEVERITY

GAME_PAGES = 200  # default sample of game pages: a 10k-game report must build in < 60 s
PER_PAGE = 500  # rows per page of the game list


@dataclass
class Table:
    """A table ready to draw: headers, rows of (text, is_number) cells, a caption."""

    headers: list[str]
    rows: list[list[tuple[str, bool]]]
    caption: str = ""


@dataclass
class ReportResult:
    """What `build_report` wrote, and how long it took."""

    out: Path
    index: Path
    games: int
    game_pages: list[Path]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def sizes(self) -> dict[str, int]:
        """Bytes of the index, the shared assets and the largest game page."""
        assets = sum(p.stat().st_size for p in (self.out / "assets").iterdir())
        pages = [p.stat().st_size for p in self.game_pages]
        return {
            "index": self.index.stat().st_size,
            "assets": assets,
            "largest game page": max(pages, default=0),
            "mean game page": int(sum(pages) / len(pages)) if pages else 0,
        }


def cell(value: Any, fmt: str | Callable[[Any], str] = "") -> tuple[str, bool]:
    """One table cell: missing values as a dash, numbers right-aligned."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ("—", False)
    if callable(fmt):
        return (fmt(value), isinstance(value, int | float))
    if isinstance(value, bool):
        return ("yes" if value else "", False)
    if isinstance(value, int | float):
        return (format(value, fmt or ("," if isinstance(value, int) else ".3f")), True)
    return (str(value), False)


def table(frame: pd.DataFrame, columns: Sequence[tuple[str, str, Any]], caption: str = "") -> Table:
    """A Table from some columns of a frame: (column, header, format) each."""
    present = [c for c in columns if c[0] in frame]
    return table_of(frame[[c for c, _, _ in present]].to_dict("records"), present, caption)


def table_of(
    rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str, Any]], caption: str = ""
) -> Table:
    """A Table from records: (key, header, format) per column."""
    cells = [[cell(_plain(r.get(col)), fmt) for col, _, fmt in columns] for r in rows]
    return Table([h for _, h, _ in columns], cells, caption)


def _plain(value: Any) -> Any:
    # numpy scalars to Python ones, so formats and isinstance checks behave.
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


def percent(value: float) -> str:
    """0.123 -> 12.3 %."""
    return f"{100 * value:.1f} %"


def span(low: str, high: str, scale: float = 1.0, digits: int = 1) -> Callable[[Any], str]:
    """A formatter for a row's interval (used through `with_span`)."""
    return lambda pair: f"{scale * pair[0]:.{digits}f}–{scale * pair[1]:.{digits}f}"


def with_span(frame: pd.DataFrame, low: str, high: str, name: str = "ci") -> pd.DataFrame:
    """The frame with one column holding (low, high) pairs, NaN where either is missing."""
    pairs = [
        (lo, hi) if pd.notna(lo) and pd.notna(hi) else math.nan
        for lo, hi in zip(frame[low], frame[high], strict=True)
    ]
    return frame.assign(**{name: pairs})


class Page:
    """One page's charts: each spec becomes a div and its JSON, drawn by assets/report.js."""

    def __init__(self) -> None:
        self.count = 0

    def chart(self, spec: dict[str, Any]) -> Markup:
        """The HTML that draws `spec` (its JSON inside a script tag, `</` escaped)."""
        self.count += 1
        cid = f"chart-{self.count}"
        payload = json.dumps(spec, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
        return Markup(
            f'<div class="chart" id="{cid}"></div>'
            f'<script type="application/json" class="vl-spec" data-for="{cid}">{payload}</script>'
        )


def environment() -> Environment:
    """The report's Jinja environment (templates shipped as package data, HTML escaped)."""
    env = Environment(
        loader=PackageLoader("app.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["labels"] = [(k, MARKS[k][0], MARKS[k][1].lower()) for k in SEVERITY]
    return env


def build_report(
    db: Any,
    out: str | Path,
    *,
    tournaments: Sequence[str] | None = None,
    game_pages: int | None = GAME_PAGES,
    per_page: int = PER_PAGE,
    include_degraded: bool = False,
    fallback_threshold: float = FALLBACK_THRESHOLD,
    resamples: int = RESAMPLES,
    research_games: int = RESEARCH_GAMES,
) -> ReportResult:
    """Write the report for `db` into `out`; `game_pages=None` gives every game a page.

    The research measures run when the selection has at most `research_games` finished games
    (0 turns them off): they fit classifiers and resample, which a 10k-game look cannot afford.
    """
    clock = time.perf_counter()
    out = Path(out)
    data = gather(
        db,
        tournaments=tournaments,
        include_degraded=include_degraded,
        fallback_threshold=fallback_threshold,
        resamples=resamples,
    )
    timings = dict(data.timings)
    env = environment()
    out.mkdir(parents=True, exist_ok=True)
    write_assets(out)
    mark = time.perf_counter()
    chosen = sample_games(data.per_game, game_pages)
    pages_note = _pages_note(len(chosen), data)
    if research_games > 0:
        ctx = Context(db, data, tuple(tournaments) if tournaments else None, research_games,
                      min(resamples, RESEARCH_RESAMPLES))  # fmt: skip
        sections, skipped, seconds = research_sections(ctx)
        timings.update({f"research: {k}": v for k, v in seconds.items()})
    else:
        sections, skipped = [], [("Research measures", "turned off (--research-games 0)")]
    timings["research"] = time.perf_counter() - mark
    mark = time.perf_counter()
    engine = open_db(db)
    written: list[Path] = []
    (out / "games").mkdir(exist_ok=True)
    from app.report.game_page import game_context  # it imports Page and table from here

    template = env.get_template("game.html.j2")
    for start in range(0, len(chosen), 500):
        for g, rows in game_rows(engine, data, chosen[start : start + 500]).items():
            path = out / "games" / f"game-{g}.html"
            html = template.render(**game_context(rows, data.shown))
            path.write_text(html, encoding="utf-8")
            written.append(path)
    timings["game pages"] = time.perf_counter() - mark
    _write_game_list(env, out, data, set(chosen), per_page, pages_note)
    index = out / "index.html"
    context = index_context(data, sections, skipped)
    seconds = time.perf_counter() - clock
    index.write_text(
        env.get_template("index.html.j2").render(
            **context,
            root="",
            shown=data.shown,
            seconds=seconds,
            pages_note=pages_note,
            version=_version(),
        ),
        encoding="utf-8",
    )
    return ReportResult(out, index, len(data.games), written, seconds, timings, skipped)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sdlab")
    except PackageNotFoundError:
        return "(not installed)"


def _pages_note(pages: int, data: ReportData) -> str:
    finished = int((data.per_game["status"].astype(str) == "finished").sum())
    if pages == finished:
        return f"Every finished game ({finished}) has a page."
    return (
        f"{pages} of {finished} finished games have a page (an even spread by game id; "
        "`sdlab report --game-pages N` or `--all-games` for more)."
    )


def _write_game_list(
    env: Environment, out: Path, data: ReportData, paged: set[int], per_page: int, note: str
) -> None:
    games = data.per_game
    pages = max(1, math.ceil(len(games) / per_page))
    names = ["games.html", *[f"games-{n}.html" for n in range(2, pages + 1)]]
    template = env.get_template("games.html.j2")
    records = games.assign(
        tournament=games["tournament"].astype(object).where(games["tournament"].notna(), "—"),
        winner=games["winner"].astype(object).where(games["winner"].notna(), "—"),
        days=games["days"].astype(object).where(games["days"].notna(), "—"),
    ).to_dict("records")
    for g in records:
        g["href"] = f"games/game-{g['game_id']}.html" if g["game_id"] in paged else ""
    pager = list(enumerate(names, start=1))
    for n, name in pager:
        rows = records[(n - 1) * per_page : n * per_page]
        html = template.render(
            rows=rows,
            page=n,
            pages=pages,
            pager=pager,
            root="",
            shown=data.shown,
            pages_note=note,
        )
        (out / name).write_text(html, encoding="utf-8")


def index_context(
    data: ReportData, sections: list[Section], skipped: list[tuple[str, str]]
) -> dict[str, Any]:
    """Everything index.html.j2 draws."""
    page = Page()
    report = data.analysis
    games = data.games
    claims = report.claims
    finished = int((games["status"].astype(str) == "finished").sum())
    models = sorted(report.fallback["model"].astype(str).unique()) if len(report.fallback) else []
    cards = [
        ("finished games", f"{finished:,}"),
        ("games in the database", f"{len(games):,}"),
        ("plans (tournaments)", f"{games['tournament'].nunique():,}"),
        ("models and scripted kinds", f"{len(models):,}"),
        ("claims", f"{len(claims):,}"),
        ("lies", f"{int((claims['label'].astype(str) == 'lie').sum()):,}" if len(claims) else "0"),
        ("LLM tokens", f"{int(data.costs[['prompt_tokens', 'completion_tokens']].sum().sum()):,}"),
        ("LLM cost", f"${data.costs['cost'].sum():.4f}"),
    ]
    by_tournament = (
        games.assign(finished=games["status"].astype(str) == "finished")
        .groupby("tournament", observed=True, dropna=False)
        .agg(
            games=("id", "size"),
            finished=("finished", "sum"),
            first=("id", "min"),
            last=("id", "max"),
        )
        .reset_index()
    )
    ctx: dict[str, Any] = {
        "cards": cards,
        "tournaments": table(
            by_tournament,
            [
                ("tournament", "plan", ""),
                ("games", "games", ""),
                ("finished", "finished", ""),
                ("first", "first game", "d"),
                ("last", "last game", "d"),
            ],
        ),
        "fallback": table(
            report.fallback,
            [
                ("model", "model", ""),
                ("games", "games", ""),
                ("turns", "decisions", ""),
                ("fallback_turns", "fallback", ""),
                ("fallback_share", "share", percent),
                ("degraded_games", "degraded games", ""),
            ],
            f"A game is degraded when a model fell back on over {data.fallback_threshold:.0%} "
            "of its decisions in it; degraded games are "
            + ("counted." if data.include_degraded else "left out of rates and ratings."),
        ),
        "degraded": _degraded_lines(report),
        "costs": table(
            data.costs,
            [
                ("model", "model", ""),
                ("purpose", "purpose", ""),
                ("calls", "calls", ""),
                ("prompt_tokens", "prompt tokens", ""),
                ("completion_tokens", "completion tokens", ""),
                ("cost", "cost ($)", ".4f"),
                ("unparsed", "unparsed answers", ""),
            ],
            "" if len(data.costs) else "No LLM calls: scripted players only.",
        ),
        "ratings_note": data.ratings_note,
        "rating_charts": [],
        "rating_tables": [],
    }
    if data.ratings is not None:
        r = data.ratings
        roles = r.model_roles.assign(
            group=r.model_roles["contestant"].astype(str)
            + " · "
            + r.model_roles["role"].astype(str)
        )
        ctx["rating_charts"] = [
            page.chart(charts.ratings_chart(r.models)),
            page.chart(charts.win_chart(r.model_wins)),
            page.chart(charts.ratings_chart(roles, "group", "OpenSkill rating per model × role")),
        ]
        wins = with_span(r.model_wins, "low", "high")
        ctx["rating_tables"] = [
            table(
                with_span(r.teams, "low", "high"),
                [
                    ("team", "team", ""),
                    ("wins", "wins", ""),
                    ("games", "games", ""),
                    ("rate", "win rate", percent),
                    ("ci", "95% interval", span("", "", 100)),
                ],
                "Wilson intervals; a draw is a game neither team won.",
            ),
            table(
                wins,
                [
                    ("contestant", "model", ""),
                    ("team", "team", ""),
                    ("wins", "wins", ".1f"),
                    ("games", "games", ""),
                    ("rate", "win rate", percent),
                    ("ci", "95% interval", span("", "", 100)),
                ],
                "Each seat counts with its own team. On a team: one observation per game the "
                "model held a seat there. 'all': each game scored by the share of the model's "
                "seats on the winning team (one model often sits on both teams).",
            ),
        ]
    method = report.rates.attrs.get("interval", {})
    ctx["lie_note"] = (
        "Lies per 100 claims; 95% intervals resample whole games "
        f"({method.get('resamples', '?')} resamples). Claims of fallback turns are left out"
        + ("." if data.include_degraded else ", and so are degraded games.")
    )
    ctx["lie_charts"] = [
        page.chart(charts.lie_chart(rates, dim))
        for dim, rates in data.rates_by.items()
        if len(rates)
    ]
    rate_cols = [
        ("games", "games", ""),
        ("claims", "claims", ""),
        ("lies", "lies", ""),
        ("lies_per_100", "lies/100", ".1f"),
        ("ci", "95% interval", span("", "")),
        ("mistakes", "mistakes", ""),
        ("inconsistent", "inconsistent", ""),
    ]
    ctx["lie_tables"] = [
        table(with_span(report.by_team, "ci_low", "ci_high"), [("team", "team", ""), *rate_cols]),
        table(
            with_span(data.spontaneous, "ci_low", "ci_high"),
            [("team", "spontaneous lies (neutral prompt): team", ""), *rate_cols],
        ),
        table(
            with_span(report.rates, "ci_low", "ci_high"),
            [
                ("model", "model", ""),
                ("role", "role", ""),
                ("prompt_condition", "prompt", ""),
                ("framing", "framing", ""),
                *rate_cols,
            ],
        ),
    ]
    ctx["research"] = [s.drawn(page) for s in sections]
    ctx["skipped"] = skipped
    return ctx


def _degraded_lines(report: Any) -> list[str]:
    from analysis.report import degraded_lines

    lines = degraded_lines(report.degraded, report.include_degraded)
    return lines[:21] + ([f"… and {len(lines) - 21} more"] if len(lines) > 21 else [])
