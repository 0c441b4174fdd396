"""A build's output says what it did: a no-change rebuild is short, and honest about the configuration."""

import re
import sys
import zipfile
import subprocess

import pytest

from helpers import ROOT, clean_env, make, project_with_venv


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    project = project_with_venv(tmp_path_factory.mktemp("quiet") / "project")
    first = make(project, "html")
    assert first.returncode == 0, first.stdout + first.stderr
    return project


@pytest.fixture(scope="module")
def rebuild(project):
    """``make html`` again, nothing changed."""
    result = make(project, "html")
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def sphinx(project, *options):
    """sphinx-build as ``make html`` runs it: the theme's folders are named by the venv's path, which must not differ."""
    cmd = [str(project / ".venv" / "bin" / "sphinx-build"), "-b", "html", "-n", "-W", "--keep-going", *options,
           "-d", "_build/doctrees", ".", "_build/html"]
    result = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=clean_env())
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


# While conf.py's author is the placeholder every build says so, once (features.identity).
PLACEHOLDER_NOTE = "conf.py: author is not set yet"


def test_a_no_change_rebuild_is_short(rebuild):
    assert rebuild.count(PLACEHOLDER_NOTE) == 1, rebuild
    lines = [line for line in rebuild.splitlines() if not line.startswith(PLACEHOLDER_NOTE)]
    assert len(lines) <= 15, rebuild
    assert max(len(line) for line in lines) <= 200, rebuild
    assert not [line for line in lines if not line.strip()], rebuild


def test_a_no_change_rebuild_does_not_say_the_configuration_changed(rebuild):
    assert "configuration has changed" not in rebuild
    assert "updating environment: 0 added, 0 changed, 0 removed" in rebuild


def test_progress_and_summary_are_still_shown(rebuild):
    lines = rebuild.splitlines()
    assert lines[0].startswith("Running Sphinx v")
    assert "no targets are out of date." in lines
    assert lines[-2:] == ["build succeeded.", "The HTML pages are in _build/html."]


def test_no_settings_dump_or_template_lines_without_v(rebuild):
    assert "MdParserConfig(" not in rebuild
    assert "Writing evaluated template result" not in rebuild


def test_v_shows_every_line(project):
    log = sphinx(project, "-v")
    assert "MdParserConfig(" in log
    assert "Writing evaluated template result to " in log
    assert "copying static files" in log


def test_a_real_change_of_configuration_is_still_said(project):
    log = sphinx(project, "-D", "html_title=Other essays")
    # html_short_title follows html_title.
    assert "The configuration has changed (2 options: 'html_short_title', 'html_title')" in log, log


def test_make_help_is_aligned_for_every_target():
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True).stdout
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) >= 12
    starts = set()
    for line in lines:
        name = re.match(r"  make (\S+) +", line)
        assert name, line
        starts.add(name.end())
    assert len(starts) == 1, out
    assert "make import-jekyll  Import a Jekyll blog" in out


def test_the_package_installs_editable_without_a_warning(tmp_path):
    """make's first run installs essaysite editable: its build backend says nothing, and the wheel points at the checkout."""
    backend = __import__("tomllib").loads((ROOT / "pyproject.toml").read_text())["build-system"]["build-backend"]
    code = f"import sys, {backend} as b; print(b.build_editable(sys.argv[1]))"
    result = subprocess.run([sys.executable, "-W", "default", "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    with zipfile.ZipFile(tmp_path / result.stdout.strip()) as wheel:
        pth = [name for name in wheel.namelist() if name.endswith(".pth")]
        assert len(pth) == 1
        assert wheel.read(pth[0]).decode().strip() == str(ROOT)
        entry_points = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
        assert "essays-check=essaysite.cli.check:main" in wheel.read(entry_points).decode()
