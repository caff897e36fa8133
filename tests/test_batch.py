"""``ficlens batch`` on the local engine: rows, errors, inputs, resume after kill -9, CLI."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from ficlens.batch import (
    BATCH_TABLES,
    BatchConfig,
    FicResult,
    Task,
    expand_inputs,
    read_table,
    run_batch,
)
from ficlens.batch import local as local_engine
from ficlens.batch.shards import ShardWriter, iter_manifest
from ficlens.cli import app
from ficlens.errors import FicError
from ficlens.model import Analysis

runner = CliRunner()
NO_SPACY = frozenset({"language"})


def story(n: int, extra: str = "") -> str:
    """A small invented fic with two quotations; ``n`` makes its bytes unique."""
    return (
        f"Chapter {n}\n\n"
        f"\u201cWhere were you, Mara?\u201d Tom asked. It was the {n}th night of rain.\n\n"
        "\u201cOut,\u201d said Mara, and shut the door behind her.\n\n"
        f"{extra}The kettle sang in the kitchen while they did not speak.\n"
    )


def write_fics(folder: Path, count: int, extra: str = "") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"fic{n:03d}.txt"
        path.write_text(story(n, extra), encoding="utf-8")
        paths.append(path)
    return paths


def truncated_epub() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("OEBPS/chapter.xhtml", "<html><body><p>words</p></body></html>" * 200)
    data = buffer.getvalue()
    return data[: len(data) // 2]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_workers_write_one_row_per_fic_and_the_flat_tables(tmp_path: Path) -> None:
    paths = write_fics(tmp_path / "in", 5)
    out = tmp_path / "out"
    config = BatchConfig(out, workers=2, disable=NO_SPACY, shard_size=2)
    summary = run_batch(paths, config)
    assert (summary.analysed, summary.failed, summary.skipped) == (5, 0, 0)
    assert summary.words > 0 and summary.shards == 3  # 2 + 2 + 1 fics
    assert summary.cpu_seconds > 0 and summary.words_per_cpu_second > 0

    fics = read_table(out, "fics").to_pylist()
    assert sorted(r["fic_id"] for r in fics) == sorted(sha(p) for p in paths)
    assert sorted(r["path"] for r in fics) == sorted(str(p) for p in paths)
    by_path = {r["path"]: r for r in fics}
    first = by_path[str(paths[0])]
    analysis = Analysis.model_validate_json(first["analysis"])
    assert analysis.text == paths[0].read_text(encoding="utf-8")
    assert first["words"] == analysis.stats.words > 10
    assert len(analysis.quotes) == 2

    quotes = read_table(out, "quotes").to_pylist()
    assert len(quotes) == 10  # two per fic
    assert {q["fic_id"] for q in quotes} == {r["fic_id"] for r in fics}
    assert {q["text"] for q in quotes} >= {"\u201cOut,\u201d"}
    segments = read_table(out, "segments").to_pylist()
    assert {s["kind"] for s in segments} >= {"story"}
    # every table has at least one (possibly empty) typed shard, errors included
    for table in BATCH_TABLES:
        assert list((out / table).glob("part-*.parquet")), table
    assert read_table(out, "errors").num_rows == 0
    # shards were renamed into place; no temporary file is left
    assert not list(out.rglob("*.tmp"))


def test_spacy_is_loaded_in_the_workers_and_fills_characters(tmp_path: Path) -> None:
    paths = write_fics(tmp_path / "in", 2)
    out = tmp_path / "out"
    summary = run_batch(paths, BatchConfig(out, workers=1))
    assert summary.analysed == 2
    names = {r["name"] for r in read_table(out, "characters").to_pylist()}
    assert {"Mara", "Tom"} <= names
    speakers = {r["speaker_name"] for r in read_table(out, "quotes").to_pylist()}
    assert "Mara" in speakers


def test_bad_files_land_in_errors_and_the_rest_completes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    good = write_fics(folder, 3)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "broken.epub").write_bytes(truncated_epub())
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["batch", str(folder), "-o", str(out), "--workers", "2", "--disable", "language"]
    )
    assert result.exit_code == 2, result.output
    assert "3 analysed, 3 failed" in result.output
    assert "Traceback" not in result.output
    errors = {Path(r["path"]).name: r for r in read_table(out, "errors").to_pylist()}
    assert set(errors) == {"empty.txt", "binary.txt", "broken.epub"}
    assert errors["empty.txt"]["error"] == "EmptyInputError"
    assert errors["binary.txt"]["error"] == "BinaryInputError"
    assert errors["broken.epub"]["error"] == "MalformedInputError"
    assert errors["broken.epub"]["sha256"] == sha(folder / "broken.epub")
    assert all(r["message"] for r in errors.values())
    assert read_table(out, "fics").num_rows == len(good)
    assert "Traceback" not in result.output

    # a rerun skips everything (errors included) and still says that inputs failed
    again = runner.invoke(
        app, ["batch", str(folder), "-o", str(out), "--workers", "2", "--disable", "language"]
    )
    assert again.exit_code == 2
    assert "0 analysed, 0 failed, 6 skipped" in again.output
    assert "3 skipped inputs failed in an earlier run" in again.output
    assert read_table(out, "errors").num_rows == 3


def test_oversized_and_missing_inputs_are_errors_without_analysis(tmp_path: Path) -> None:
    [small] = write_fics(tmp_path / "in", 1)
    big = tmp_path / "in" / "big.txt"
    big.write_text(story(1, "Rain. " * 300), encoding="utf-8")
    out = tmp_path / "out"
    paths = [small, big, tmp_path / "in" / "gone.txt"]
    config = BatchConfig(out, workers=1, disable=NO_SPACY, max_bytes=1000)
    summary = run_batch(paths, config)
    assert (summary.analysed, summary.failed) == (1, 2)
    errors = {Path(r["path"]).name: r for r in read_table(out, "errors").to_pylist()}
    assert errors["big.txt"]["error"] == "InputTooLargeError"
    assert "limit is 1,000" in errors["big.txt"]["message"]
    assert "no such file" in errors["gone.txt"]["message"]
    # the oversized file is known by its stat next time; the missing one is tried again
    again = run_batch(paths, config)
    assert (again.analysed, again.failed, again.skipped, again.failed_earlier) == (0, 1, 2, 1)


def test_globs_and_list_files_expand(tmp_path: Path) -> None:
    a = write_fics(tmp_path / "a", 2)
    b = write_fics(tmp_path / "b" / "deep", 2)
    (tmp_path / "b" / "deep" / "notes.md").write_text("not a fic")
    listing = tmp_path / "lists" / "some.txt"
    listing.parent.mkdir()
    listing.write_text(f"# chosen\n\n../a/fic000.txt\n{b[1]}\n../b/**/*.txt\n", encoding="utf-8")
    assert expand_inputs([str(tmp_path / "a" / "*.txt")]) == a
    assert expand_inputs([str(tmp_path / "b")]) == b  # recursive; .md is no fic
    listed = expand_inputs([f"@{listing}"])
    assert [p.resolve() for p in listed] == [a[0].resolve(), b[1].resolve(), b[0].resolve()]
    warnings: list[str] = []
    assert expand_inputs([str(tmp_path / "nothing*.txt")], warn=warnings.append) == []
    assert warnings and "no files match" in warnings[0]
    # a missing plain path is kept, so that it is reported as an error
    assert expand_inputs([str(tmp_path / "gone.txt")]) == [tmp_path / "gone.txt"]


def test_cli_with_a_list_file_and_a_glob(tmp_path: Path) -> None:
    a = write_fics(tmp_path / "a", 2)
    b = write_fics(tmp_path / "b", 3, extra="Later. ")
    listing = tmp_path / "list.txt"
    listing.write_text("\n".join(str(p) for p in a) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["batch", f"@{listing}", str(tmp_path / "b" / "*.txt"), "-o", str(out)]
    result = runner.invoke(app, [*args, "--workers", "2", "--disable", "language"])
    assert result.exit_code == 0, result.output
    assert "5 analysed, 0 failed" in result.output
    assert "files/s" in result.output and "words/s" in result.output
    paths = sorted(r["path"] for r in read_table(out, "fics").to_pylist())
    assert paths == sorted(str(p) for p in a + b)


def test_cli_refuses_bad_arguments(tmp_path: Path) -> None:
    write_fics(tmp_path / "in", 1)
    base = ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out")]
    wrong_engine = runner.invoke(app, [*base, "--engine", "spark"])
    assert wrong_engine.exit_code == 2 and "unknown engine" in wrong_engine.output
    wrong_stage = runner.invoke(app, [*base, "--disable", "nosuchstage"])
    assert wrong_stage.exit_code == 2 and "unknown stage" in wrong_stage.output
    address = runner.invoke(app, [*base, "--address", "auto"])
    assert address.exit_code == 2 and "--address needs --engine ray" in address.output
    missing_list = runner.invoke(app, ["batch", f"@{tmp_path / 'nope.txt'}", "-o", "x"])
    assert missing_list.exit_code == 2 and "cannot read the path list" in missing_list.output


def test_engine_ray_without_ray_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_fics(tmp_path / "in", 1)
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray → ImportError
    result = runner.invoke(
        app, ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--engine", "ray"]
    )
    assert result.exit_code == 2
    assert "pip install 'ficlens[ray]'" in result.output
    assert "Traceback" not in result.output


def test_same_content_twice_is_analysed_once(tmp_path: Path) -> None:
    [one] = write_fics(tmp_path / "in", 1)
    copy = tmp_path / "in" / "copy.txt"
    copy.write_bytes(one.read_bytes())
    out = tmp_path / "out"
    summary = run_batch([one, copy], BatchConfig(out, workers=1, disable=NO_SPACY))
    assert (summary.analysed, summary.skipped) == (1, 1)
    assert read_table(out, "fics").num_rows == 1
    statuses = sorted(e["status"] for e in iter_manifest(out))
    assert statuses == ["duplicate", "ok"]


def test_changed_file_is_analysed_again_and_moved_file_is_not(tmp_path: Path) -> None:
    paths = write_fics(tmp_path / "in", 2)
    out = tmp_path / "out"
    run_batch(paths, BatchConfig(out, workers=1, disable=NO_SPACY))
    paths[0].write_text(story(0, "Edited. "), encoding="utf-8")
    moved = paths[1].rename(tmp_path / "in" / "renamed.txt")
    summary = run_batch([paths[0], moved], BatchConfig(out, workers=1, disable=NO_SPACY))
    assert (summary.analysed, summary.skipped) == (1, 1)  # the rename is known by its hash
    assert read_table(out, "fics").num_rows == 3


def test_uncommitted_shards_are_removed_on_open(tmp_path: Path) -> None:
    paths = write_fics(tmp_path / "in", 2)
    out = tmp_path / "out"
    run_batch(paths, BatchConfig(out, workers=1, disable=NO_SPACY))
    committed = sorted(p.name for p in (out / "fics").iterdir())
    # what a crash between the table renames and the manifest leaves behind
    orphan = out / "fics" / "part-19990101T000000-dead00-00000.parquet"
    orphan.write_bytes((out / "fics" / committed[0]).read_bytes())
    (out / "quotes" / ".part-x.parquet.tmp").write_bytes(b"half a file")
    writer = ShardWriter(out)
    done = writer.open()
    writer.close()
    assert not orphan.exists() and not list(out.rglob("*.tmp"))
    assert sorted(p.name for p in (out / "fics").iterdir()) == committed
    assert set(done.by_sha) == {sha(p) for p in paths}


def test_large_analyses_commit_a_shard_early(tmp_path: Path) -> None:
    paths = write_fics(tmp_path / "in", 3)
    out = tmp_path / "out"
    with ShardWriter(out, shard_size=100, max_buffer_chars=1) as writer:
        writer.open()
        for p in paths:
            row = {"fic_id": sha(p), "path": str(p), "analysis": "{}"}
            writer.add(FicResult(Task(str(p)), sha(p), ok=True, rows={"fics": [row]}))
        assert writer.shards_written == 3  # one per fic, though shard_size is 100
    assert read_table(out, "fics").num_rows == 3


def test_a_second_batch_on_the_same_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with ShardWriter(out) as first:
        first.open()
        second = ShardWriter(out)
        with pytest.raises(Exception, match="another batch is writing"):
            second.open()


def crash_on_poison(task: Task) -> FicResult:
    """Runs in a pool worker: dies like an out-of-memory kill on files named 'poison'."""
    if "poison" in Path(task.path).name:
        os._exit(9)
    return local_engine._analyze(task)


def test_a_file_that_kills_its_worker_is_an_error_and_the_rest_completes(
    tmp_path: Path,
) -> None:
    paths = write_fics(tmp_path / "in", 6)
    poison = tmp_path / "in" / "poison.txt"
    poison.write_text(story(99), encoding="utf-8")
    tasks = [Task(str(p)) for p in [*paths[:3], poison, *paths[3:]]]
    results = list(
        local_engine.run_local(
            tasks,
            workers=2,
            model="unused",
            disable=NO_SPACY,
            max_bytes=10**6,
            analyze=crash_on_poison,
        )
    )
    assert sorted(r.task.path for r in results) == sorted(t.path for t in tasks)  # once each
    [crashed] = [r for r in results if not r.ok]
    assert crashed.task.path == str(poison)
    assert crashed.rows["errors"][0]["error"] == "WorkerCrashedError"
    assert sum(r.ok for r in results) == 6


def test_workers_that_always_die_stop_the_run(tmp_path: Path) -> None:
    paths = [tmp_path / f"poison{n}.txt" for n in range(5)]
    for p in paths:
        p.write_text(story(1), encoding="utf-8")
    run = local_engine.run_local(
        [Task(str(p)) for p in paths],
        workers=1,
        model="unused",
        disable=NO_SPACY,
        max_bytes=10**6,
        analyze=crash_on_poison,
    )
    with pytest.raises(FicError, match="keep dying"):
        list(run)


def _committed(out: Path) -> int:
    return len(list((out / "_done").glob("part-*.jsonl"))) if (out / "_done").is_dir() else 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _workers_of(pid: int) -> list[int]:
    """Processes whose command line mentions the driver's pid (the workers' forkserver)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                status = (proc / "status").read_text()
            except OSError:
                continue
            ppid = next(line.split()[1] for line in status.splitlines() if line.startswith("PPid"))
            if int(ppid) == pid:
                found.append(int(proc.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_workers_exit_when_the_driver_is_killed(tmp_path: Path) -> None:
    write_fics(tmp_path / "in", 300, extra="The rain went on. " * 400)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ficlens", "batch", str(tmp_path / "in"), "-o", str(out)]
    command += ["--workers", "2", "--disable", "language", "--shard-size", "5"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    helpers: list[int] = []
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while _committed(out) < 1 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        helpers = _workers_of(proc.pid)  # forkserver and resource tracker
        workers = [w for h in helpers for w in _workers_of(h)]
        assert len(workers) == 2
        os.kill(proc.pid, signal.SIGKILL)  # the driver only, not its process group
        proc.wait(timeout=30)
        deadline = time.monotonic() + 20
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers)
    finally:
        for pid in [proc.pid, *helpers, *workers]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_resume_after_kill_9(tmp_path: Path) -> None:
    total = 400
    # long enough that the run takes seconds, not milliseconds
    paths = write_fics(tmp_path / "in", total, extra="The rain went on. " * 400)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ficlens", "batch", str(tmp_path / "in"), "-o", str(out)]
    command += ["--workers", "2", "--disable", "language", "--shard-size", "5"]
    env = {**os.environ, "COLUMNS": "100"}
    proc = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # its own process group: the workers die with it
    )
    try:
        deadline = time.monotonic() + 120
        while _committed(out) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    # only fics whose shard manifest was written count as done: a shard's Parquet files
    # may be on disk without their manifest when the kill lands between the two
    done_before = sum(
        1
        for f in (out / "_done").glob("*.jsonl")
        for line in f.open()
        if json.loads(line)["status"] == "ok"
    )
    assert 0 < done_before < total

    rerun = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - done_before} analysed" in rerun.stderr
    fics = read_table(out, "fics").to_pylist()
    ids = [r["fic_id"] for r in fics]
    assert len(ids) == len(set(ids)) == total  # every fic exactly once
    assert set(ids) == {sha(p) for p in paths}
    # every quotes shard belongs to a committed shard, so no fic's quotes appear twice
    quotes = read_table(out, "quotes").to_pylist()
    assert len(quotes) == 2 * total
    manifests = [json.loads(line) for f in (out / "_done").glob("*.jsonl") for line in f.open()]
    assert len([m for m in manifests if m["status"] == "ok"]) == total
    # each committed Parquet file is complete
    for part in (out / "fics").glob("part-*.parquet"):
        assert pq.read_metadata(part).num_rows >= 0
