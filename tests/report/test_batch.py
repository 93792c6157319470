"""End to end: executed branch reports, index, manifest, privacy, determinism, failure isolation."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from segkit.cli import main
from segkit.errors import SegkitError
from segkit.fileio import sha256_file
from segkit.report.batch import report
from segkit.scored import Scored

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(scored_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "run-A"
    outcome = report(scored_dir, out, workers=2, progress=False)
    assert outcome.ok, outcome.summary()
    return out


def _outputs_of(run: Path, slug: str) -> list[Path]:
    return sorted((run / "branches").glob(f"{slug}*"))


def _text(path: Path) -> str:
    if path.suffix == ".xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(path).active
        return "\n".join(" ".join("" if v is None else str(v) for v in row) for row in sheet.values)
    return path.read_text(encoding="utf-8-sig")


def test_run_folder_holds_every_report_call_list_index_and_manifest(run, scored_dir):
    scored = Scored.open(scored_dir)
    assert (run / "index.html").is_file() and (run / "bank.html").is_file() and (run / "manifest.json").is_file()
    for slug in scored.branches["slug"]:
        names = {p.name for p in _outputs_of(run, slug)}
        assert names == {f"{slug}.html", f"{slug}.ipynb", f"{slug}-calls.csv", f"{slug}-calls.xlsx"}
    assert not list(run.parent.glob(".*partial"))
    assert oct((run / "index.html").stat().st_mode & 0o777) == "0o644"


def test_index_links_every_branch_and_its_figures(run, scored_dir):
    index = (run / "index.html").read_text(encoding="utf-8")
    for branch_id, slug in Scored.open(scored_dir).branches[["branch_id", "slug"]].itertuples(index=False):
        assert f"<td>{branch_id}</td>" in index
        assert f'href="branches/{slug}.html"' in index and f'href="branches/{slug}-calls.xlsx"' in index
    for link in re.findall(r'href="([^"#]+)"', index):
        assert (run / link).is_file(), link


def test_manifest_fingerprints_inputs_params_versions_and_every_output(run, scored_dir):
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    scored = Scored.open(scored_dir)
    assert manifest["input"]["sha256"] == scored.input["sha256"]
    assert manifest["seed"] == scored.params.seed and manifest["params"]["name"] == scored.params.name
    assert {"pandas", "scikit-learn", "matplotlib", "papermill", "python"} <= set(manifest["packages"])
    files = {p.relative_to(run).as_posix() for p in run.rglob("*") if p.is_file() and p.name != "manifest.json"}
    assert set(manifest["outputs"]) == files
    assert all(sha256_file(run / name) == digest for name, digest in manifest["outputs"].items())
    assert all(record["ok"] for record in manifest["branches"])


def test_each_branch_output_holds_only_its_own_customers_and_masks_contacts(run, scored_dir):
    scored = Scored.open(scored_dir)
    everyone = scored.customers(columns=["customer_id", "branch_id", "name", "phone"])
    for branch_id, slug in scored.branches[["branch_id", "slug"]].itertuples(index=False):
        others = set(everyone.loc[everyone["branch_id"] != branch_id, "customer_id"])
        own = everyone.loc[everyone["branch_id"] == branch_id]
        for path in _outputs_of(run, slug):
            found = set(re.findall(r"C\d{8}", _text(path)))
            assert found, path  # the pattern matches this bank's ids
            assert not found & others, (path.name, sorted(found & others)[:3])
        page = (run / "branches" / f"{slug}.html").read_text(encoding="utf-8")
        phones = own["phone"].dropna()
        assert not any(phone in page for phone in phones)
        assert not any(name in page for name in own["name"].dropna() if len(name) >= 2)
        csv = pd.read_csv(run / "branches" / f"{slug}-calls.csv", dtype=str, encoding="utf-8-sig")
        assert set(csv.iloc[:, 1]) <= set(own["customer_id"])


def test_a_second_run_gives_byte_identical_html_apart_from_the_run_id(run, scored_dir, tmp_path):
    scored = Scored.open(scored_dir)
    branch_id, slug = scored.branches[["branch_id", "slug"]].iloc[0]
    again = tmp_path / "run-B"  # laid out as `segkit run` does: the scored folder inside the run folder
    shutil.copytree(scored_dir, again / "scored")
    assert report(again / "scored", again, branches=[branch_id], workers=1, progress=False).ok
    assert (again / "scored" / "branches.json").is_file() and (again / "index.html").is_file()
    first = (run / "branches" / f"{slug}.html").read_text(encoding="utf-8").replace("run-A", "RUN")
    second = (again / "branches" / f"{slug}.html").read_text(encoding="utf-8").replace("run-B", "RUN")
    assert first == second
    for suffix in ("-calls.csv", "-calls.xlsx"):
        assert (run / "branches" / f"{slug}{suffix}").read_bytes() == (again / "branches" / f"{slug}{suffix}").read_bytes()


def test_a_failing_branch_is_listed_with_its_error_and_the_others_complete(scored_dir, tmp_path):
    broken = tmp_path / "scored"
    shutil.copytree(scored_dir, broken)
    good, good_slug = Scored.open(broken).branches[["branch_id", "slug"]].iloc[0]
    branches = json.loads((broken / "branches.json").read_text(encoding="utf-8"))
    bad, bad_slug = "B99", "B99-lost"  # listed, but its partition is gone: only its notebook fails
    branches.append({"branch_id": bad, "slug": bad_slug, "customers": 10})
    (broken / "branches.json").write_text(json.dumps(branches), encoding="utf-8")
    out = tmp_path / "run-F"
    code = main(["report", "--scored", str(broken), "--out", str(out), "--branches", good, bad, "--workers", "2"])
    assert code == 1
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="failed"' in index and f"branch {bad}" in index and "FileNotFoundError" in index
    expected = {f"{good_slug}{s}" for s in (".html", ".ipynb", "-calls.csv", "-calls.xlsx")}
    assert {p.name for p in _outputs_of(out, good_slug)} == expected and (out / "bank.html").is_file()
    assert _outputs_of(out, bad_slug) == []
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    failed = [r for r in manifest["branches"] if not r["ok"]]
    assert [r["id"] for r in failed] == [bad] and "FileNotFoundError" in failed[0]["error"]
    assert not list(tmp_path.glob(".*partial"))


def test_an_existing_run_folder_is_never_overwritten(scored_dir, tmp_path):
    out = tmp_path / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("earlier run")
    with pytest.raises(SegkitError, match="already exists"):
        report(scored_dir, out, progress=False)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_unknown_branch_is_a_clear_error(scored_dir, tmp_path):
    with pytest.raises(SegkitError, match="unknown branch id"):
        report(scored_dir, tmp_path / "x", branches=["NOPE"], progress=False)
    assert not (tmp_path / "x").exists() and not list(tmp_path.glob(".*partial"))


def test_notebooks_run_top_to_bottom_with_their_defaults(scored_dir, monkeypatch):
    import papermill as pm

    from segkit.report.notebook import notebooks_dir

    monkeypatch.setenv("SEGKIT_SCORED_DIR", str(scored_dir))
    nb = pm.execute_notebook(str(notebooks_dir() / "branch.ipynb"), None, kernel_name="segkit", progress_bar=False)
    shown = json.dumps([cell.get("outputs", []) for cell in nb.cells], ensure_ascii=False)
    assert "data:image/svg+xml;base64," in shown and Scored.open(scored_dir).branches["branch_id"].iloc[0] in shown


def test_reports_run_on_a_dask_scheduler_and_equal_the_local_run(run, scored_dir, dask_scheduler, tmp_path):
    out = tmp_path / "run-D"
    assert main(["report", "--scored", str(scored_dir), "--out", str(out), "--scheduler", dask_scheduler]) == 0
    local = sorted(p.relative_to(run).as_posix() for p in (run / "branches").iterdir())
    assert sorted(p.relative_to(out).as_posix() for p in (out / "branches").iterdir()) == local
    for name in local:
        if name.endswith(".html"):
            here = (run / name).read_text(encoding="utf-8").replace("run-A", "RUN")
            assert (out / name).read_text(encoding="utf-8").replace("run-D", "RUN") == here, name
        elif not name.endswith(".ipynb"):  # executed notebooks also hold the run id and timings
            assert (out / name).read_bytes() == (run / name).read_bytes(), name


def test_an_unreachable_scheduler_is_exit_2_and_writes_nothing(scored_dir, tmp_path, capsys):
    import dask

    out = tmp_path / "run-U"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code = main(["report", "--scored", str(scored_dir), "--out", str(out), "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob(".*partial"))



def test_a_report_in_english_speaks_english_throughout(scored_dir):
    import papermill as pm

    from segkit.report.html import export_html
    from segkit.report.notebook import notebooks_dir

    nb = pm.execute_notebook(str(notebooks_dir() / "branch.ipynb"), None, kernel_name="segkit", progress_bar=False,
                             parameters={"scored_dir": str(scored_dir), "language": "en"})
    page = export_html(nb, "branch", language="en")
    assert "Top 20 customers by value at risk" in page and "few transactions" in page  # a churn reason, in English
    text = re.sub(r"<img[^>]*>|[\u4e00-\u9fff]\*+", "", page)  # charts, and customers' masked names
    assert re.findall(r".{30}[\u4e00-\u9fff]+.{10}", text) == [], "Chinese words in an English report"


def test_pages_show_every_section_a_reader_needs(run, scored_dir):
    from segkit.report.sections import TITLES

    slug = Scored.open(scored_dir).branches["slug"].iloc[0]
    branch = (run / "branches" / f"{slug}.html").read_text(encoding="utf-8")
    for key in ("kpis", "pyramid", "migration", "classes", "matrix", "clusters", "churn", "books", "targets",
                "target_split"):
        assert TITLES[key]["zh"].split("{")[0] in branch, key
    bank = (run / "bank.html").read_text(encoding="utf-8")
    for key in ("data", "model", "calibration", "drivers", "branches", "targets", "bottom_branches"):
        assert TITLES[key]["zh"] in bank, key
    assert 'alt="' + TITLES["calibration"]["zh"] in bank  # the reliability chart, drawn


def test_a_branch_whose_call_lists_fail_is_not_published_at_all(scored_dir, tmp_path, monkeypatch):
    from segkit.report import jobs

    (bad, bad_slug), (good, good_slug) = Scored.open(scored_dir).branches[["branch_id", "slug"]].head(2).itertuples(index=False)
    write = jobs.write_branch_files

    def failing(job):
        if job.key == bad:
            raise OSError("disk full")
        return write(job)

    class InProcess:
        def run(self, todo):
            return (jobs.run_job(job) for job in todo)

    monkeypatch.setattr(jobs, "write_branch_files", failing)
    out = tmp_path / "run-C"
    outcome = report(scored_dir, out, branches=[bad, good], executor=InProcess(), progress=False)
    assert not outcome.ok and [(r.key, "disk full" in (r.error or "")) for r in outcome.failures] == [(bad, True)]
    assert _outputs_of(out, bad_slug) == []  # its page and notebook went with its call lists
    assert len(_outputs_of(out, good_slug)) == 4
