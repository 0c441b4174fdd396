"""When the garbage collector runs (essaysite.speed.collector).

A probe extension records, in the build's own process, whether the
collector is on when the environment has been loaded (``builder-inited``,
after essaysite.speed.collector resumes it), when the build ends, and how many
objects were moved out of its sight (``gc.get_freeze_count``); an ``atexit``
handler records the same at exit. In a parallel build it also records, for
each document read and each page written, the process and whether the
collector was on there.
"""

import json

from helpers import probe_site, sphinx_build

PROBE = '''
import atexit, gc, json, os, pathlib

OUTDIR = []


@atexit.register
def at_exit():
    if OUTDIR:
        path = pathlib.Path(OUTDIR[0]).parent / "gc.json"
        seen = json.loads(path.read_text())
        seen.append({"event": "exit", "enabled": gc.isenabled(), "frozen": gc.get_freeze_count(), "docs": None})
        path.write_text(json.dumps(seen))

def record(app, *args):
    OUTDIR[:] = [str(app.outdir)]
    path = pathlib.Path(app.outdir).parent / "gc.json"
    seen = json.loads(path.read_text()) if path.exists() else []
    seen.append({"event": "done" if args else "loaded", "enabled": gc.isenabled(), "frozen": gc.get_freeze_count(), "docs": len(app.env.all_docs)})
    path.write_text(json.dumps(seen))

def record_process(app, what, name):
    path = pathlib.Path(app.outdir).parent / "processes" / f"{what}-{name}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({"pid": os.getpid(), "enabled": gc.isenabled()}))

def setup(app):
    app.connect("builder-inited", record, priority=900)
    app.connect("build-finished", record)
    app.connect("source-read", lambda app, docname, source: record_process(app, "read", docname))
    app.connect("html-page-context", lambda app, pagename, *args: record_process(app, "write", pagename))
    app.connect("builder-inited", lambda app: record_process(app, "main", "process"))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''

EXTENSIONS = ["myst_parser", "essaysite.speed.collector", "probe"]


def test_collector_paused_only_while_the_environment_loads_and_everything_frozen_at_exit(tmp_path):
    """Paused while the pickled environment loads, on again for the build; at exit Python's last
    collection has nothing left to scan: what the build made is frozen too."""
    # The probe first: its exit handler is registered before essaysite's, so it runs after it
    # (its builder-inited handler runs after the collector's whatever the order: priority 900).
    src = probe_site(tmp_path / "src", ["probe", "myst_parser", "essaysite.speed.collector"], PROBE,
                     {"index": "# Home\n\n```{toctree}\na\n```\n", "a": "# A\n\nText.\n"})
    out = tmp_path / "html"
    for _ in range(2):  # a first build, then a rebuild that loads the pickled environment
        build = sphinx_build(src, out)
        assert build.ok, build.log
    seen = json.loads((tmp_path / "gc.json").read_text())
    assert [s["event"] for s in seen] == ["loaded", "done", "exit", "loaded", "done", "exit"]
    assert all(s["enabled"] for s in seen if s["event"] != "exit")  # never left paused
    rebuild_loaded = seen[3]
    assert rebuild_loaded["docs"] == 2  # the environment came from the pickle
    assert rebuild_loaded["frozen"] > 1000  # ...and its objects were frozen after loading
    for done, at_exit in (seen[1:3], seen[4:6]):
        assert at_exit["frozen"] > done["frozen"]


def test_collector_off_in_the_processes_that_read_and_write_in_parallel(tmp_path):
    """Forked reading and writing processes never collect; the main process collects again afterwards."""
    names = [f"essay{i:02d}" for i in range(24)]
    pages = {"index": "# Home\n\n```{toctree}\n" + "\n".join(names) + "\n```\n", **{name: f"# {name}\n\nText.\n" for name in names}}
    src = probe_site(tmp_path / "src", EXTENSIONS, PROBE, pages)
    build = sphinx_build(src, tmp_path / "html", options=("-n", "-W", "--keep-going", "-j", "2"))
    assert build.ok, build.log
    processes = tmp_path / "processes"
    main = json.loads((processes / "main-process.json").read_text())["pid"]
    seen = {p.stem: json.loads(p.read_text()) for p in processes.glob("*.json")}
    read = [s for name, s in seen.items() if name.startswith("read-")]
    written = [s for name, s in seen.items() if name.startswith("write-")]
    assert len(read) == 25 and len(written) == 27  # every document, the general index and the search page
    forked = [s for s in read + written if s["pid"] != main]
    assert len(forked) >= 20  # the build did read and write in other processes
    assert not any(s["enabled"] for s in forked)
    loaded, done = json.loads((tmp_path / "gc.json").read_text())[:2]
    assert done["event"] == "done" and done["enabled"]  # on again in the main process
    assert done["frozen"] > loaded["frozen"]  # what writing left behind is out of its sight


FULL_COLLECTIONS = '''
import gc, json, os, pathlib

WINDOW = {}


def count(phase, info):
    if phase == "start" and info["generation"] == 2 and WINDOW.get("pid") == os.getpid():
        WINDOW["full"] += 1

gc.callbacks.append(count)


def open_window(app, env):
    WINDOW.update(pid=os.getpid(), full=0)
    return []

def close_window(app, *args):
    if WINDOW.get("pid") == os.getpid():
        path = pathlib.Path(app.outdir).parent / "full-collections.json"
        seen = json.loads(path.read_text()) if path.exists() else []
        path.write_text(json.dumps(seen + [WINDOW.pop("full")]))
        WINDOW.clear()

def setup(app):
    # From the end of reading (every environment merged) to the first page written.
    app.connect("env-updated", open_window, priority=999)
    app.connect("write-started", close_window)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''


def test_no_full_collection_after_merging_reading_processes_that_started_together(tmp_path):
    """A first -j 2 build reads in one share per process: merging left nothing worth a full collection
    of the main process before writing (it scanned the whole environment, the other cores waiting).
    Reading processes that carried documents read before (Sphinx's own shares, or a rebuild that
    reads in parallel) send them back, and the garbage is collected then."""
    names = [f"essay{i:02d}" for i in range(24)]
    pages = {"index": "# Home\n\n```{toctree}\n" + "\n".join(names) + "\n```\n", **{name: f"# {name}\n\nText.\n" for name in names}}
    counts = {}
    for label, extensions in [
        ("one share each", ["myst_parser", "essaysite.speed.collector", "essaysite.speed.parallel", "probe"]),
        ("Sphinx's shares", ["myst_parser", "essaysite.speed.collector", "probe"]),
    ]:
        root = tmp_path / label.replace(" ", "-").replace("'", "")
        parallel = "essaysite.speed.parallel" in extensions
        options = ("-n", "-W", "--keep-going", "-j", "2", *(("-D", "essays_parallel_min_pages=0") if parallel else ()))
        src = probe_site(root / "src", extensions, FULL_COLLECTIONS, pages)
        build = sphinx_build(src, root / "html", options=options)
        assert build.ok, build.log
        if label == "one share each":
            for name in names[:12]:  # a rebuild that reads half the documents in parallel
                (src / f"{name}.md").write_text(f"# {name}\n\nText, edited.\n")
            build = sphinx_build(src, root / "html", options=options)
            assert build.ok, build.log
        counts[label] = json.loads((root / "full-collections.json").read_text())
    assert counts["one share each"] == [0, 1]
    assert counts["Sphinx's shares"] == [1]


COLLECTIONS = '''
import gc, json, os, pathlib

import essaysite.speed.collector as collector

collector.COLLECT_EVERY = 4  # a small site: collections every few documents
collector.COLLECT_FROM = int(os.environ.get("COLLECT_FROM", "0"))  # from the first document
FREED = []
WINDOW = {}


def count(phase, info):
    if phase == "stop":
        FREED.append(info["collected"])

gc.callbacks.append(count)


def record(app, what):
    folder = pathlib.Path(app.outdir).parent / "collections"
    folder.mkdir(exist_ok=True)
    (folder / f"{what}-{os.getpid()}.json").write_text(json.dumps(FREED))

def reading(app, docname, source):
    if os.getpid() != WINDOW.get("main"):
        if WINDOW.get("reader") != os.getpid():  # a forked reading process: count from its first document
            WINDOW["reader"] = os.getpid()
            FREED.clear()
        record(app, "read")

def start_writing(app, env):
    FREED.clear()
    return []

def setup(app):
    app.connect("builder-inited", lambda app: WINDOW.update(main=os.getpid()))
    app.connect("source-read", reading, priority=900)
    # From the end of reading (the build has chosen to write in parallel) to the generated pages.
    app.connect("env-get-updated", start_writing, priority=999)
    app.connect("html-collect-pages", lambda app: record(app, "write") or [], priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''


def test_garbage_collected_every_few_documents_while_reading_and_writing_in_parallel(tmp_path):
    """With the collector paused, what reading and writing drop (each document's nodes, in cycles)
    used to pile up to the end of the phase: 1.3 GB in each reading process and 1.2 GB more in the
    main process at 10,000 essays. Now each reading process, and the main process as it resolves
    documents for the writing processes, collect every ``COLLECT_EVERY`` documents, and free them."""
    names = [f"essay{i:02d}" for i in range(24)]
    pages = {"index": "# Home\n\n```{toctree}\n" + "\n".join(names) + "\n```\n", **{name: f"# {name}\n\nText *with* **nodes**.\n\n- one\n- two\n" for name in names}}
    extensions = ["myst_parser", "essaysite.speed.collector", "essaysite.speed.parallel", "probe"]
    src = probe_site(tmp_path / "src", extensions, COLLECTIONS, pages)
    build = sphinx_build(src, tmp_path / "html", options=("-n", "-W", "--keep-going", "-j", "2", "-D", "essays_parallel_min_pages=0"))
    assert build.ok, build.log
    folder = tmp_path / "collections"
    readers = [json.loads(p.read_text()) for p in folder.glob("read-*.json")]
    assert len(readers) == 2  # two reading processes, twelve or thirteen documents each
    for freed in readers:
        assert len(freed) >= 2  # a collection every four documents (the first freezes what it inherited)
        assert all(n > 50 for n in freed), freed  # each freed the documents read since the last
    (written,) = [json.loads(p.read_text()) for p in folder.glob("write-*.json")]
    assert len(written) >= 5  # 25 documents resolved in the main process, a collection every four
    assert sum(written) > 500


def test_no_collection_while_reading_and_writing_fewer_documents_than_collect_from(tmp_path):
    """Below ``COLLECT_FROM`` documents the garbage is left to the end of each process: the main
    process, which the writing processes wait for, makes no collection while it resolves documents."""
    names = [f"essay{i:02d}" for i in range(24)]
    pages = {"index": "# Home\n\n```{toctree}\n" + "\n".join(names) + "\n```\n", **{name: f"# {name}\n\nText *with* **nodes**.\n\n- one\n- two\n" for name in names}}
    extensions = ["myst_parser", "essaysite.speed.collector", "essaysite.speed.parallel", "probe"]
    src = probe_site(tmp_path / "src", extensions, COLLECTIONS, pages)
    options = ("-n", "-W", "--keep-going", "-j", "2", "-D", "essays_parallel_min_pages=0")
    build = sphinx_build(src, tmp_path / "html", env={"COLLECT_FROM": "26"}, options=options)  # 25 documents
    assert build.ok, build.log
    folder = tmp_path / "collections"
    readers = [json.loads(p.read_text()) for p in folder.glob("read-*.json")]
    assert len(readers) == 2 and readers == [[], []]
    (written,) = [json.loads(p.read_text()) for p in folder.glob("write-*.json")]
    assert len(written) <= 1  # at most the one after merging, none per document resolved
