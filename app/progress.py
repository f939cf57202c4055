"""Rich progress display for a run: appears once the run takes over a second."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from runs.orchestrator import Hooks, RunSummary
from runs.runner import GameResult

SHOW_AFTER_S = 1.0


class RunProgress:
    """Counts games, calls, tokens and cost; draws a bar only for runs longer than a second."""

    def __init__(self, total: int, console: Console | None = None) -> None:
        self.total = total
        self.start = time.perf_counter()
        self.calls = self.tokens = 0
        self.cost = 0.0
        self.done = 0
        self.progress = Progress(
            TextColumn("[bold]games"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[usage]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console or Console(stderr=True),
            transient=False,
        )
        self.task = self.progress.add_task("games", total=total, usage="")
        self.shown = False

    def hooks(self) -> Hooks:
        """The orchestrator callbacks that feed this display."""
        return Hooks(on_start=self.on_start, on_game=self.on_game, on_usage=self.on_usage)

    def on_start(self, summary: RunSummary) -> None:
        """Count what earlier runs already finished."""
        self.done = summary.finished
        self.progress.update(self.task, completed=self.done)

    def on_game(self, result: GameResult) -> None:
        """One game finished."""
        self.done += 1
        self._refresh()

    def on_usage(self, calls: int, prompt: int, completion: int, cost: float) -> None:
        """LLM usage of one turn."""
        self.calls += calls
        self.tokens += prompt + completion
        self.cost += cost
        self._refresh()

    def _refresh(self) -> None:
        if not self.shown and time.perf_counter() - self.start > SHOW_AFTER_S:
            self.progress.start()
            self.shown = True
        usage = (
            f"calls {self.calls}  tokens {self.tokens:,}  ${self.cost:.4f}" if self.calls else ""
        )
        self.progress.update(self.task, completed=self.done, usage=usage)

    def close(self) -> None:
        """Stop drawing."""
        if self.shown:
            self.progress.stop()
