"""One way to run many notebooks at once: the book's chapters, an edition's, the atlas's area pages.

Work goes to a local pool of worker processes (default: one per core) or, given a scheduler address, to a Dask
cluster (`dask.distributed`), through the same `concurrent.futures` interface, so a larger run spreads across
machines without code changes. Workers of a remote cluster must see this checkout and its data at the same paths.
Every job runs to the end even when another fails: what succeeded is kept, and the first failure is raised after.
The first item of each job names it in errors.
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .errors import CscError, UsageError


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@contextlib.contextmanager
def pool(workers: int | None = None, scheduler: str | None = None) -> Iterator[cf.Executor]:
    """A concurrent.futures executor: local processes, or a Dask cluster at scheduler ('tcp://host:8786')."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError:  # pragma: no cover - distributed is in requirements.txt
            raise UsageError("--scheduler needs dask.distributed (pip install distributed)") from None
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"--scheduler {scheduler}: no Dask scheduler answered ({exc})") from None
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
        return
    if workers is not None and workers < 1:
        raise UsageError(f"--workers {workers}: needs at least one worker")
    with cf.ProcessPoolExecutor(max_workers=workers or default_workers()) as local:
        yield local


def run(fn: Callable[..., Any], jobs: Sequence[tuple], workers: int | None = None, scheduler: str | None = None,
        done: Callable[[int, Any], None] | None = None) -> list[Any]:
    """fn(*job) for every job, results in job order. done(index, result) is called in this process as each job
    finishes (to publish it and stamp it), so a later failure loses nothing already built. One job, or one worker
    and no scheduler, runs here without a pool: nothing to spread, nothing to start."""
    results: list[Any] = [None] * len(jobs)
    failures: list[tuple[int, BaseException]] = []
    if not scheduler and (len(jobs) <= 1 or workers == 1):
        for index, job in enumerate(jobs):
            try:
                results[index] = fn(*job)
            except CscError as exc:
                failures.append((index, exc))
                continue
            if done:
                done(index, results[index])
    else:
        with pool(workers, scheduler) as executor:
            futures = {executor.submit(fn, *job): index for index, job in enumerate(jobs)}
            for future in cf.as_completed(futures):
                index = futures[future]
                try:
                    results[index] = future.result()
                except CscError as exc:
                    failures.append((index, exc))
                    continue
                except cf.process.BrokenProcessPool:
                    failures.append((index, CscError(f"{jobs[index][0]}: its worker process died (out of memory?)")))
                    continue
                if done:
                    done(index, results[index])
    if failures:
        failures.sort(key=lambda f: f[0])
        first = failures[0][1]
        if len(failures) > 1:
            raise CscError(f"{first} (and {len(failures) - 1} more failed)") from None
        raise first
    return results
