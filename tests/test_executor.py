"""The one executor every notebook run goes through: a local pool of processes or a Dask cluster, the same results,
and a failure that loses none of the other jobs' work."""
from __future__ import annotations

import os

import nbformat
import pytest

from csc import build, executor
from csc.errors import CscError, UsageError


def where_and_what(name: str, value: int) -> tuple[int, int]:
    if value < 0:
        raise CscError(f"{name}: negative")
    return os.getpid(), value * 2


def test_local_pool_returns_results_in_job_order_from_other_processes():
    done = []
    results = executor.run(where_and_what, [("a", 1), ("b", 2), ("c", 3)], workers=2,
                           done=lambda i, r: done.append(i))
    assert [r[1] for r in results] == [2, 4, 6]
    assert os.getpid() not in {r[0] for r in results}
    assert sorted(done) == [0, 1, 2]


def test_one_worker_runs_here_without_a_pool():
    assert {r[0] for r in executor.run(where_and_what, [("a", 1), ("b", 2)], workers=1)} == {os.getpid()}


def test_a_failing_job_is_raised_after_every_other_job_finished():
    done = []
    with pytest.raises(CscError, match=r"^b: negative \(and 1 more failed\)$"):
        executor.run(where_and_what, [("a", 1), ("b", -1), ("c", 3), ("d", -2)], workers=2,
                     done=lambda i, r: done.append(i))
    assert sorted(done) == [0, 2]   # the good jobs were all handed back, to be published


def test_bad_worker_count_and_unreachable_scheduler_are_one_line():
    with pytest.raises(UsageError, match=r"^--workers 0: needs at least one worker$"):
        executor.run(where_and_what, [("a", 1), ("b", 2)], workers=0)
    with pytest.raises(UsageError, match=r"^--scheduler tcp://127.0.0.1:9: no Dask scheduler answered"):
        executor.run(where_and_what, [("a", 1)], scheduler="tcp://127.0.0.1:9")


@pytest.mark.slow
def test_chapters_run_on_a_dask_cluster_and_a_failure_keeps_the_others(tmp_path):
    """The Dask path, on a LocalCluster: a real chapter executes on a worker; a failing one is named and the good
    one is handed back first."""
    from distributed import LocalCluster

    spec = build.chapters()["claims_ledger"]
    good = ("claims_ledger", spec, {**spec["parameters"], "area": "Leeds"}, tmp_path / "leeds.ipynb",
            tmp_path / "leeds.files", tmp_path / "work-leeds")
    bad = ("claims_ledger", spec, {**spec["parameters"], "area": "Nowhere"}, tmp_path / "bad.ipynb",
           tmp_path / "bad.files", tmp_path / "work-bad")
    done = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with pytest.raises(CscError, match=r"^chapter claims_ledger failed .*Nowhere"):
            executor.run(build.execute, [good, bad], scheduler=cluster.scheduler_address,
                         done=lambda i, seconds: done.append(i))
    assert done == [0]
    notebook = nbformat.read(tmp_path / "leeds.ipynb", as_version=4)
    assert any("Leeds" in str(cell.get("outputs")) for cell in notebook.cells)
    assert not (tmp_path / "bad.ipynb").exists()
