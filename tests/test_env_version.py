"""Every extension module that keeps data in Sphinx's environment declares ``env_version``.

Sphinx pickles the environment between builds and throws it away when an
extension's ``env_version`` changes: a module that changes the shape of what
it stores there bumps it, and the next build starts afresh instead of
reading data of the old shape. The modules that store data are found in
their code (a handler for ``env-merge-info`` or ``env-purge-doc``, or an
assignment to an attribute of ``env``); the versions are read from a real
Sphinx application loading ``essaysite``.
"""

import ast
import json

from helpers import ROOT, copy_site, sphinx_build

PACKAGE = ROOT / "essaysite"
STORING_EVENTS = {"env-merge-info", "env-purge-doc"}
# Known to store data: the search below must find at least these.
KNOWN = {
    "essaysite.features.xrefs",  # env.essays_xrefs
    "essaysite.features.series",  # env.essays_series
    "essaysite.features.previews",  # env.essay_covers
    "essaysite.features.redirects",  # env.essay_redirects
    "essaysite.features.rawlinks",  # env.essays_raw_links
    "essaysite.incremental.freshness",  # env.essays_postlists
}

# Attributes of the environment that Sphinx empties when it pickles it (BuildEnvironment.__getstate__):
# what is put there is never kept between builds.
NOT_PICKLED = {"_pickled_doctree_cache", "_write_doc_doctree_cache"}

PROBE = """
import json, pathlib

def dump(app):
    found = {name: ext.metadata.get("env_version") for name, ext in app.extensions.items() if name.startswith("essaysite")}
    pathlib.Path(app.srcdir, "versions.json").write_text(json.dumps(found))

def setup(app):
    app.connect("builder-inited", dump)
    return {"parallel_read_safe": True}
"""


def is_env(node: ast.AST) -> bool:
    text = ast.unparse(node)
    return text == "env" or text.endswith(".env")


def stores_env_data(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(".connect") and node.args:
            if isinstance(node.args[0], ast.Constant) and node.args[0].value in STORING_EVENTS:
                return True
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and is_env(node.value):
            if node.attr not in NOT_PICKLED:
                return True
    return False


def storing_modules() -> set[str]:
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if stores_env_data(tree):
            found.add(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return found


def test_the_search_finds_the_modules_known_to_store_data():
    assert KNOWN <= storing_modules()
    assert not stores_env_data(ast.parse("def f(app):\n    app.connect('env-updated', f)\n    x = app.env.found_docs\n"))


def test_every_module_storing_data_declares_env_version(tmp_path, build_server):
    src = copy_site(tmp_path / "src", maintainers_pages=False)  # the site as it is (its maintainers' pages short), with a probe
    (src / "probe.py").write_text(PROBE)
    with open(src / "conf.py", "a") as conf:
        conf.write("\nimport sys\nsys.path.insert(0, str(Path(__file__).parent))\nextensions.append('probe')\n")
    build = sphinx_build(src, tmp_path / "html", server=build_server)
    assert build.ok, build.log
    versions = json.loads((src / "versions.json").read_text())
    storing = storing_modules()
    assert storing <= set(versions), sorted(storing - set(versions))  # each is a loaded extension
    missing = sorted(name for name in storing if not isinstance(versions[name], int))
    assert missing == [], f"no env_version in the setup() metadata of {missing}"
