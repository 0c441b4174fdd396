"""`sphinx-build -j auto -W` reads in parallel and writes the same site as a serial build."""

import json

import pytest

import sys

from helpers import LINKED_OPTIONS, PARALLEL_OPTIONS, ROOT, copy_linked_site, copy_site, output_files, probe_site, sphinx_build

sys.path.insert(0, str(ROOT / "benchmarks"))
import essays  # noqa: E402


def chunked(log):
    """Sphinx reports parallel reading and writing by chunks of documents ("a .. b")."""
    return {phase for phase in ("reading sources", "writing output") if any(phase in line and " .. " in line for line in log.splitlines())}


# Parallel from 10 documents: the linked essays' site (15) is read and written in parallel.
ABOVE_THE_THRESHOLD = ("-j", "2", "-D", "essays_parallel_min_pages=10")


@pytest.fixture(scope="module")
def parallel(tmp_path_factory):
    root = tmp_path_factory.mktemp("parallel")
    build = sphinx_build(copy_linked_site(root / "src"), root / "html", options=(*LINKED_OPTIONS, *ABOVE_THE_THRESHOLD))
    assert build.ok, build.log
    return build


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    """The same site with `make html`'s -j auto: below essays_parallel_min_pages (100), a serial build."""
    root = tmp_path_factory.mktemp("serial")
    build = sphinx_build(copy_linked_site(root / "src"), root / "html", options=(*LINKED_OPTIONS, "-j", "auto"))
    assert build.ok, build.log
    return build


def test_parallel_build_succeeds_with_warnings_as_errors(parallel):
    assert "WARNING" not in parallel.log
    assert "doing serial read" not in parallel.log
    assert chunked(parallel.log) == {"reading sources", "writing output"}


def test_parallel_output_equals_serial_output(parallel, serial):
    """Every page, feed, search index and asset, byte for byte; nothing normalised."""
    theirs, ours = output_files(serial.outdir), output_files(parallel.outdir)
    assert sorted(ours) == sorted(theirs)
    pages = [name for name in ours if name.endswith((".html", ".xml"))]
    assert len(pages) > 50
    different = [name for name in sorted(ours) if ours[name].read_bytes() != theirs[name].read_bytes()]
    assert different == []


def test_few_pages_are_read_and_written_serially(serial):
    """Forking costs more than a few pages: below essays_parallel_min_pages (100) -j auto reads and writes serially.

    `make html`'s -j auto with -W: no warning. Above the threshold the same
    site is read and written in parallel (the ``parallel`` build: 15
    documents, the threshold 10), and writes what this serial build writes.
    """
    assert "WARNING" not in serial.log
    assert chunked(serial.log) == set()


READING_PROBE = '''
import json, os, pathlib

def record(app, docname, source):
    folder = pathlib.Path(app.outdir).parent / "read-by"
    folder.mkdir(exist_ok=True)
    (folder / (docname.replace("/", "-") + ".json")).write_text(json.dumps(os.getpid()))

def setup(app):
    app.connect("source-read", record)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''


def test_parallel_reading_in_one_share_per_process(tmp_path):
    """-j 2 reads in two forked processes of like shares (Sphinx would deal 24 documents out in three)."""
    names = [f"note{i:02d}" for i in range(23)]
    pages = {"index": "# Home\n\n```{toctree}\n" + "\n".join(names) + "\n```\n", **{name: f"# {name}\n\nText.\n" for name in names}}
    src = probe_site(tmp_path / "src", ["myst_parser", "essaysite.speed.parallel", "probe"], READING_PROBE, pages)
    build = sphinx_build(src, tmp_path / "html", options=("-n", "-W", "--keep-going", *PARALLEL_OPTIONS))
    assert build.ok, build.log
    readers = {}
    for path in (tmp_path / "read-by").glob("*.json"):
        readers.setdefault(json.loads(path.read_text()), []).append(path.stem)
    assert sum(len(docs) for docs in readers.values()) == 24
    assert sorted(len(docs) for docs in readers.values()) == [12, 12]


RENDERING_PROBE = '''
import json, os, pathlib

import essaysite.features.rendering as rendering

stock = rendering.render_fragment
OUT = []


def render_fragment(app, children, pagename, *args, **kwargs):
    kind = "excerpt" if children and "ablog-post-excerpt" in children[0].get("classes", []) else "full text"
    with open(pathlib.Path(app.outdir).parent / "rendered.jsonl", "a") as f:
        f.write(json.dumps([os.getpid(), kind, pagename]) + "\\n")
    return stock(app, children, pagename, *args, **kwargs)

rendering.render_fragment = render_fragment


def setup(app):
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''


def test_each_plain_excerpt_is_rendered_once_for_every_process(tmp_path):
    """In a parallel build the main process renders each excerpt without links as it resolves its essay's page:
    the writing processes (each page's description) and those of the lists, forked afterwards, find it rendered."""
    src = copy_site(tmp_path / "src", with_posts=False)
    essays.write_essays(src / "posts", 12)  # excerpts of text alone (the links come in the second paragraph)
    (src / "probe.py").write_text(RENDERING_PROBE)
    conf = src / "conf.py"
    conf.write_text(conf.read_text() + '\nimport sys as _sys\n_sys.path.insert(0, str(Path(__file__).parent))\nextensions.append("probe")\n')
    build = sphinx_build(src, tmp_path / "html", options=("-n", "-W", "--keep-going", "-D", "essays_per_page=3", *PARALLEL_OPTIONS))
    assert build.ok, build.log
    assert chunked(build.log) == {"reading sources", "writing output"}
    rendered = [json.loads(line) for line in (tmp_path / "rendered.jsonl").read_text().splitlines()]
    excerpts = [(pid, page) for pid, kind, page in rendered if kind == "excerpt"]
    full_texts = [pid for pid, kind, _ in rendered if kind == "full text"]
    assert len({pid for pid, _ in excerpts}) == 1  # one process, the main one, rendered every excerpt
    assert not {pid for pid, _ in excerpts} & set(full_texts)  # ...not one of those that render feed entries
    assert len(set(full_texts)) == 2 and len(full_texts) == 12  # the feed entries, dealt out to two processes
    assert sorted(page for _, page in excerpts) == [f"posts/{essays.slug(i)}" for i in range(12)]  # once each, on its own page
    # The lists were written by other processes, and show every essay's excerpt.
    tagged = [p for p in (tmp_path / "html" / "blog" / "tag").rglob("*.html")]
    assert tagged and sum(p.read_text().count('class="ablog-post-excerpt"') for p in tagged) >= 12
