"""Several benchmark worker processes started together, timed from one start signal.

`worker(*args, ready, go, results)` runs in each spawned process: it pays its imports, puts
anything on `ready`, waits for `go`, does the work and puts its result on `results`. The
wall time runs from the signal to the last result, so no process's imports are counted.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from typing import Any


def run_in_processes(
    worker: Callable[..., None], args: Sequence[Any], n: int, start_timeout: float = 120
) -> tuple[list[Any], float]:
    """The results of `n` processes running `worker`, and the wall seconds from the signal."""
    ctx = multiprocessing.get_context("spawn")  # a fork would copy this process's event loop
    ready, go, results = ctx.Queue(), ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=worker, args=(*args, ready, go, results)) for _ in range(n)]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get(timeout=start_timeout)
    start = time.perf_counter()
    go.set()
    out = [results.get() for _ in procs]
    wall = time.perf_counter() - start
    for proc in procs:
        proc.join()
    return out, wall
