"""A read-only or full output folder: one line naming the path and the reason, exit status 2, no traceback.

The folders are real file systems: a read-only and a tiny tmpfs mounted in
a mount namespace of the build's own (``unshare --mount``, which root may
do without touching the machine's mounts). Without it (not root), the
read-only case is a folder without write permission, and the full one is
skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import clean_env, probe_site

PAGES = {"index": "# Home\n\n" + "Words to write. " * 400 + "\n\n```{toctree}\nother\n```\n", "other": "# Other\n\n" + "More words. " * 400 + "\n"}


def can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--mount", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


MOUNTS = can_mount()


def build_into(src: Path, build: Path, mount_options: str | None) -> subprocess.CompletedProcess:
    """Build ``src`` into ``build/html`` (doctrees in ``build/doctrees``), on a tmpfs mounted with ``mount_options``."""
    build.mkdir(parents=True, exist_ok=True)
    sphinx = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(build / "doctrees"), str(src), str(build / "html")]
    if mount_options is None:
        command = sphinx
    else:
        script = f'mount -t tmpfs -o {mount_options} tmpfs "{build}" && exec "$@"'
        command = ["unshare", "--mount", "sh", "-c", script, "sh", *sphinx]
    return subprocess.run(command, capture_output=True, text=True, env=clean_env(), cwd=src)


@pytest.fixture
def site(tmp_path):
    return probe_site(tmp_path / "src", ["myst_parser", "essaysite.features.output_faults"], "", PAGES)


def assert_one_line(result, path_start: str, reason: str):
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(path_start) and f": cannot write: {reason} (" in lines[0], lines[0]
    assert "Traceback" not in result.stderr and "Exception occurred" not in result.stderr


def test_a_read_only_output_folder_is_one_line_and_status_2(site, tmp_path):
    build = tmp_path / "build"
    if MOUNTS:
        result = build_into(site, build, "ro,size=64k")
        assert_one_line(result, str(build / "html"), "Read-only file system")
    else:
        build.mkdir()
        build.chmod(0o555)
        try:
            result = build_into(site, build, None)
        finally:
            build.chmod(0o755)
        assert_one_line(result, str(build), "Permission denied")


@pytest.mark.skipif(not MOUNTS, reason="a full file system needs a tmpfs of its own (root and unshare)")
def test_an_output_folder_that_fills_up_is_one_line_and_status_2(site, tmp_path):
    build = tmp_path / "build"
    result = build_into(site, build, "size=48k")
    assert_one_line(result, str(build), "No space left on device")


def test_a_writable_output_folder_builds(site, tmp_path):
    """The checks made before Sphinx makes the output folder leave a good one alone."""
    result = build_into(site, tmp_path / "build", None)
    assert result.returncode == 0, result.stderr
    assert "More words." in (tmp_path / "build" / "html" / "other.html").read_text()
    assert list((tmp_path / "build" / "html").glob("tmp*")) == []  # the probe file is gone
