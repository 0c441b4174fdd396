"""Shared helpers: build a small site in this process or a whole site in a subprocess, read what it wrote.

Small sites (tests/roots/test-<name>) are built in the test process with
``sphinx.testing``: essaysite.incremental.freshness empties ABlog's
process-wide ``Blog`` singleton when a build starts, so each build sees only
its own essays (tests/test_in_process.py checks it). Whole sites, and builds
that need their own process (-j, an exit status, Read the Docs' -T), run in
a fresh ``python -m sphinx`` process.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, unquote

import lxml.html
import pytest
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).resolve().parents[1]
ROOTS = ROOT / "tests" / "roots"  # the small sites: tests/roots/test-<name>
LOCAL_BASE_URL = "http://127.0.0.1:8000/"
# What a site needs to build; everything else (tests, README, .venv) stays out.
SITE_SOURCES = ["conf.py", "index.md", "docs", "posts", "_static", "redirects.json"]
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", "node_modules", ".git", "__pycache__", "*.egg-info", "_readthedocs")


@dataclass
class Build:
    srcdir: Path
    outdir: Path
    base_url: str
    result: subprocess.CompletedProcess

    @property
    def ok(self) -> bool:
        return self.result.returncode == 0

    @property
    def log(self) -> str:
        return self.result.stdout + self.result.stderr


# The maintainers' pages: linked from the About page's colophon, out of the readers' navigation.
MAINTAINERS_PAGES = ("writing", "jekyll", "performance", "architecture")


def copy_site(dest: Path, with_posts: bool = True, maintainers_pages: bool = True) -> Path:
    """A copy of the site's sources in ``dest`` (without its essays if asked).

    ``maintainers_pages=False``: those four pages are stubs, their front
    matter and title and one line, for tests to which they are bystanders.
    They show no essay and no essay shows them, and they are 110 KB of the
    site's 120 KB of Markdown, a third of a clean build of the linked
    essays' site; the About and Reading pages, in the navigation, stay whole.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_SOURCES:
        src = ROOT / name
        if name == "posts" and not with_posts:
            (dest / "posts").mkdir(exist_ok=True)
            continue
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=COPY_IGNORE, dirs_exist_ok=True)
        elif src.exists():
            shutil.copy2(src, dest / name)
    if not maintainers_pages:
        for name in MAINTAINERS_PAGES:
            page = dest / "docs" / f"{name}.md"
            front_matter, _, text = page.read_text(encoding="utf-8").partition("\n---\n")
            title = next(line for line in text.splitlines() if line.startswith("# "))
            page.write_text(f"{front_matter}\n---\n\n{title}\n\nA page for the site's maintainers.\n", encoding="utf-8")
    return dest


def copy_project(dest: Path) -> Path:
    """A copy of the whole project as a fresh checkout would have it."""
    shutil.copytree(ROOT, dest, ignore=COPY_IGNORE)
    return dest


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READTHEDOCS")}
    env.pop("SOURCE_DATE_EPOCH", None)
    # Plain logs to read: Sphinx colours its output when CI=true is set.
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


def sphinx_build(
    srcdir: Path,
    outdir: Path,
    builder: str = "html",
    env: dict[str, str] | None = None,
    options: tuple[str, ...] = ("-n", "-W", "--keep-going"),
    server=None,
) -> Build:
    """Build ``srcdir`` into ``outdir`` the way ``make html`` does, in a subprocess.

    ``server`` (a forked_builds.BuildServer): the subprocess is forked from
    it, Sphinx and its kin imported already (see tests/forked_builds.py).
    """
    doctrees = outdir.parent / (outdir.name + "-doctrees")
    args = ["-b", builder, *options, "-d", str(doctrees), str(srcdir), str(outdir)]
    env = env if env is not None else clean_env()
    if server is not None:
        result = server.run(args, env, srcdir)
    else:
        result = subprocess.run([sys.executable, "-m", "sphinx", *args], capture_output=True, text=True, env=env, cwd=srcdir)
    base = env.get("READTHEDOCS_CANONICAL_URL", LOCAL_BASE_URL)
    return Build(srcdir, outdir, base, result)


def output_files(outdir: Path, theme_files: bool = True, skip: tuple[str, ...] = ()) -> dict[str, Path]:
    """Every file a build wrote, by its path relative to ``outdir`` (``skip``: file names left out).

    ``theme_files=False`` leaves out ``_static``, the theme's files, which do
    not depend on the essays.
    """
    return {
        p.relative_to(outdir).as_posix(): p
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and p.name not in skip and (theme_files or "_static" not in p.relative_to(outdir).parts)
    }


def html_pages(outdir: Path) -> list[Path]:
    """Every page the build wrote, the theme's own ``_static`` files aside."""
    return sorted(p for p in outdir.rglob("*.html") if "_static" not in p.relative_to(outdir).parts)


def parse(path: Path):
    return lxml.html.parse(str(path)).getroot()


def local_file(outdir: Path, base_url: str, url: str) -> Path | None:
    """The built file an absolute site URL points at, or None if it is off-site."""
    if not url.startswith(base_url):
        return None
    rel = unquote(urlsplit(url[len(base_url) :]).path)
    target = outdir / rel
    if rel == "" or rel.endswith("/"):
        target = target / "index.html"
    return target


def project_with_venv(dest: Path) -> Path:
    """A copy of the whole project whose ``.venv`` is this checkout's, so ``make`` targets run in it."""
    copy_project(dest)
    (dest / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    return dest


def make(project: Path, *args: str, timeout: float = 300, **variables: str) -> subprocess.CompletedProcess:
    """``make -s ARGS VAR=value ...`` in ``project``."""
    cmd = ["make", "-s", *args, *(f"{k}={v}" for k, v in variables.items())]
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=fresh_make_env(), timeout=timeout)


def fresh_make_env() -> dict[str, str]:
    """The environment of a user typing ``make``, even when the tests run under ``make test``."""
    env = clean_env()
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEFILES", "MAKE_TERMOUT", "MAKE_TERMERR"):
        env.pop(name, None)
    return env


# The checkers that run on Java (the Nu HTML checker, EPUBCheck) run for a few
# seconds: the JIT's optimising compiler would cost more than it saves (half of
# their processor time), and its parallel collector as much. C1 compiles deeper
# frames, hence the larger stack the Nu checker asks for. The same messages.
JAVA = ("java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m")


def run_importer(*args: str) -> subprocess.CompletedProcess:
    """``essays-import-jekyll ARGS`` run in this process (its ``main()``): exit status, standard output and error.

    The importer is plain Python that prints its report and its messages; a
    traceback here is an exception, which fails the test as it would show
    in a user's terminal. The command itself, as a process, is run by
    tests/test_import_jekyll_safety.py (``--help``, ``make import-jekyll``).
    """
    from essaysite.jekyll import cli

    out, err = StringIO(), StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(list(args))
        except SystemExit as exit:  # argparse's message for bad arguments: status 2
            status = exit.code
    return subprocess.CompletedProcess(["essays-import-jekyll", *args], status, out.getvalue(), err.getvalue())


# -- Small sites built in this process (tests/roots/test-<name>) -------------------


@dataclass
class Built:
    """What a finished in-process build left: its folders and its messages."""

    srcdir: Path
    outdir: Path
    status: str
    warnings: str
    base_url: str

    @property
    def warning_lines(self) -> list[str]:
        """The build's warnings and errors, one line each."""
        return [line for line in self.warnings.splitlines() if "WARNING" in line or "ERROR" in line]


@contextlib.contextmanager
def collector_as_found():
    """essaysite.speed.collector pauses and freezes the garbage collector during a build.

    Afterwards the collector is on (or off) as it was, and nothing frozen
    meanwhile stays frozen, so that later tests' memory is collected.
    """
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    yield
    if gc.get_freeze_count() > frozen:
        # The test process freezes nothing of its own: what is frozen was frozen by
        # builds (a module's shared build before this test too), and all of it is let go.
        gc.unfreeze()
    (gc.enable if enabled else gc.disable)()
    assert gc.isenabled() == enabled and gc.get_freeze_count() <= frozen, "the garbage collector was left changed"


def copy_root(name: str, dest: Path) -> Path:
    """A copy of tests/roots/test-<name> in ``dest``, to change or build in."""
    shutil.copytree(ROOTS / f"test-{name}", dest, dirs_exist_ok=True)
    return dest


class StoppableApp(SphinxTestApp):
    """sphinx.testing's app, cleaned up also when an extension ends the build while it starts.

    essaysite.features.frontmatter stops a build with bad front matter by
    ``SystemExit`` (exit status 1, no traceback), which SphinxTestApp does not
    clean up after: the next app would find docutils' nodes registered twice.
    """

    def __init__(self, *args, **kwargs):
        try:
            super().__init__(*args, **kwargs)
        except SystemExit:
            self.cleanup()
            raise


def build_in_process(srcdir: Path, builddir: Path, buildername: str = "html", env: dict[str, str] | None = None, **kwargs) -> Built:
    """Build ``srcdir`` once in this process (sphinx.testing's app; ``env``: variables set meanwhile)."""
    status, warning = StringIO(), StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for key, value in (env or {}).items():
            patch.setenv(key, value)
        app = StoppableApp(buildername, srcdir=srcdir, builddir=builddir, status=status, warning=warning, **kwargs)
        try:
            app.build()
        finally:
            app.cleanup()
    return Built(srcdir, Path(app.outdir), status.getvalue(), warning.getvalue(), app.config.html_baseurl or "")


def build_root(name: str, dest: Path, buildername: str = "html", **kwargs) -> Built:
    """Build a copy of tests/roots/test-<name> made in ``dest`` (see build_in_process)."""
    return build_in_process(copy_root(name, dest / "src"), dest / "_build", buildername, **kwargs)


# -- The linked-essays fixture (two series, a chain of links, a draft) -----------

LINKED_ESSAYS = ROOT / "tests" / "roots" / "test-linked" / "posts"
# Small pages, so that the eight published essays need several list pages.
LINKED_OPTIONS = ("-n", "-W", "--keep-going", "-D", "essays_per_page=3")
# Two processes, parallel from the first page: the fixtures are smaller than
# essaysite.speed.parallel's threshold. -j 2 rather than auto: a machine with one
# core would otherwise build serially.
PARALLEL_OPTIONS = ("-j", "2", "-D", "essays_parallel_min_pages=0")


def copy_linked_site(dest: Path, maintainers_pages: bool = True) -> Path:
    """The site's sources with the linked-essays fixture as its essays (and the works they may cite).

    ``maintainers_pages=False``: those pages as stubs (see copy_site).
    """
    copy_site(dest, with_posts=False, maintainers_pages=maintainers_pages)
    for essay in [*sorted(LINKED_ESSAYS.glob("*.md")), LINKED_ESSAYS / "references.bib"]:
        shutil.copy2(essay, dest / "posts" / essay.name)
    return dest


def page_links(page, page_path: Path, outdir: Path, base_url: str = LOCAL_BASE_URL) -> list[tuple[str, Path, str]]:
    """(text, target file, fragment) of every relative link in ``page``'s article.

    A root-relative link (``/blog.html``, the 404 page's, which works at any
    depth) starts from the site's URL prefix (the path of ``base_url``:
    ``/`` locally, ``/en/latest/`` on Read the Docs), not from the file
    system's root; one outside that prefix gets a target that is no file.
    """
    prefix = urlsplit(base_url).path or "/"
    found = []
    for a in page.xpath("//article[contains(@class,'bd-article')]//a[@href]"):
        href = a.get("href")
        if "://" in href or href.startswith(("mailto:", "#", "//")):
            continue
        path, _, fragment = href.partition("#")
        if path.startswith(prefix):
            target = (outdir / unquote(path[len(prefix) :])).resolve()
        elif path.startswith("/"):
            target = outdir / "outside-the-site" / unquote(path.lstrip("/"))
        else:
            target = (page_path.parent / unquote(path)).resolve()
        found.append((" ".join(a.text_content().split()), target, fragment))
    return found


# -- Small sites with a probe extension ------------------------------------------


def probe_site(src: Path, extensions: list[str], probe: str, pages: dict[str, str]) -> Path:
    """A site in ``src``: ``pages`` (name -> Markdown), a ``probe.py`` extension, and a conf.py loading ``extensions``."""
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(f"import sys, pathlib\nsys.path.insert(0, str(pathlib.Path(__file__).parent))\nextensions = {extensions!r}\n")
    (src / "probe.py").write_text(probe)
    for name, text in pages.items():
        (src / f"{name}.md").write_text(text)
    return src
