"""``ficlens batch --engine ray``: skipped cleanly when Ray (the ``ray`` extra) is absent."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ficlens.batch import BatchConfig, read_table, run_batch

from .test_batch import NO_SPACY, sha, write_fics

pytestmark = [pytest.mark.ray, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture(scope="module")
def ray_local() -> Iterator[Any]:
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'ficlens[ray]'")
    pytest.importorskip("ray.data")
    ray.init(include_dashboard=False, num_cpus=2, logging_level="WARNING")
    yield ray
    ray.shutdown()


def test_ray_engine_writes_the_same_rows_as_the_local_engine(
    ray_local: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    good = write_fics(folder, 4)
    (folder / "empty.txt").write_bytes(b"")
    paths = [*good, folder / "empty.txt"]
    ray_out, local_out = tmp_path / "ray", tmp_path / "local"
    summary = run_batch(
        paths, BatchConfig(ray_out, engine="ray", workers=2, disable=NO_SPACY, shard_size=3)
    )
    assert (summary.analysed, summary.failed) == (4, 1)
    assert ray_local.is_initialized()  # a running Ray (e.g. a cluster) is joined, not stopped
    run_batch(paths, BatchConfig(local_out, engine="local", workers=1, disable=NO_SPACY))

    for table in ("fics", "quotes", "segments"):
        key = ["fic_id", "start"] if table != "fics" else ["fic_id"]
        got = (
            read_table(ray_out, table)
            .drop_columns(["analysis"] if table == "fics" else [])
            .sort_by([(k, "ascending") for k in key])
        )
        want = (
            read_table(local_out, table)
            .drop_columns(["analysis"] if table == "fics" else [])
            .sort_by([(k, "ascending") for k in key])
        )
        assert got.num_rows > 0
        assert got.equals(want), table
    assert {r["fic_id"] for r in read_table(ray_out, "fics").to_pylist()} == {sha(p) for p in good}
    [error] = read_table(ray_out, "errors").to_pylist()
    assert error["error"] == "EmptyInputError"

    # resume: a rerun with one new fic analyses only that one
    [extra] = write_fics(tmp_path / "more", 1, extra="New. ")
    again = run_batch(
        [*paths, extra], BatchConfig(ray_out, engine="ray", workers=2, disable=NO_SPACY)
    )
    assert (again.analysed, again.failed, again.skipped, again.failed_earlier) == (1, 0, 5, 1)
    assert read_table(ray_out, "fics").num_rows == 5


def test_ray_setup_error_is_one_line(ray_local: Any, tmp_path: Path) -> None:
    paths = write_fics(tmp_path / "in", 1)
    config = BatchConfig(tmp_path / "out", engine="ray", workers=1, model="no_such_model")
    with pytest.raises(Exception, match="spaCy pipeline 'no_such_model' is not installed"):
        run_batch(paths, config)
