"""Atomic writes, new folders, hashes, safe file names and safe model files."""

from __future__ import annotations

import hashlib

import pytest
import skops.io as sio
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from segkit.errors import SegkitError
from segkit.fileio import atomic_path, new_folder, sha256_file, sha256_path, write_text
from segkit.paths import branch_slug
from segkit.persist import load_model, save_model


def test_failed_write_leaves_the_earlier_file_and_no_temp_file(tmp_path):
    target = tmp_path / "out.txt"
    write_text(target, "first")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert target.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_published_files_are_readable_by_others(tmp_path):
    # a branch report served from a shared folder must not be private to the scheduler's user
    assert (write_text(tmp_path / "report.html", "<p>").stat().st_mode & 0o777) == 0o644


def test_new_folder_appears_only_on_success_and_never_overwrites(tmp_path):
    target = tmp_path / "run"
    with pytest.raises(RuntimeError):
        with new_folder(target) as stage:
            (stage / "a.txt").write_text("x")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
    with new_folder(target) as stage:
        (stage / "a.txt").write_text("x")
    assert (target / "a.txt").read_text() == "x"
    with pytest.raises(SegkitError, match="already exists"):
        with new_folder(target):
            pass
    assert (target / "a.txt").read_text() == "x"


def test_folder_hash_changes_with_one_byte(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.bin").write_bytes(b"abc")
    assert sha256_file(tmp_path / "d" / "a.bin") == hashlib.sha256(b"abc").hexdigest()
    before = sha256_path(tmp_path / "d")
    (tmp_path / "d" / "a.bin").write_bytes(b"abd")
    assert sha256_path(tmp_path / "d") != before


@given(st.text(min_size=1, max_size=60))
def test_branch_slug_is_a_safe_stable_file_name(branch_id):
    slug = branch_slug(branch_id)
    assert slug == branch_slug(branch_id)
    assert "/" not in slug and "\\" not in slug and not slug.startswith(".")
    assert all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in slug)


def test_branch_slugs_of_lookalike_names_differ():
    assert branch_slug("B/01") != branch_slug("B_01")
    assert branch_slug("..") != branch_slug("")


def test_models_round_trip_and_untrusted_types_are_refused(tmp_path):
    model = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    save_model(model, tmp_path / "m.skops")
    assert load_model(tmp_path / "m.skops").predict([[3.0]])[0] == 1

    (tmp_path / "evil.skops").write_bytes(sio.dumps({"f": hashlib.sha256}))
    with pytest.raises(SegkitError, match="untrusted"):
        load_model(tmp_path / "evil.skops")


def test_builtin_callables_are_refused(tmp_path):
    (tmp_path / "eval.skops").write_bytes(sio.dumps({"f": eval}))
    with pytest.raises(SegkitError, match="builtins.eval"):
        load_model(tmp_path / "eval.skops")
