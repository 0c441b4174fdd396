"""Read the Docs: the config passes its schema, and its exact build works."""

import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
import yaml

from helpers import ROOT, copy_project, clean_env, html_pages, local_file, parse

CANONICAL = "https://essays.example.org/en/latest/"


def test_config_passes_the_schema():
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.readthedocs", str(ROOT / ".readthedocs.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_catches_a_typo(tmp_path):
    bad = tmp_path / ".readthedocs.yaml"
    bad.write_text((ROOT / ".readthedocs.yaml").read_text().replace("fail_on_warning", "fail_on_warnings"))
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.readthedocs", str(bad)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0


def pins(lock: str) -> dict[str, str]:
    """name -> version of every requirement in a lock; each one pinned and hash-checked."""
    found = {}
    for requirement in (ROOT / lock).read_text().replace("\\\n", " ").splitlines():
        requirement = requirement.split("#")[0].strip()
        if not requirement or requirement.startswith("-"):
            continue
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)\s+(--hash=sha256:[0-9a-f]{64}\s*)+$", requirement)
        assert match, (lock, requirement)
        found[match[1].lower().replace("_", "-")] = match[2]
    return found


def direct(requirements_in: str) -> set[str]:
    names = set()
    for line in (ROOT / requirements_in).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(re.match(r"[A-Za-z0-9._-]+", line)[0].lower().replace("_", "-"))
    return names


def test_read_the_docs_installs_no_test_only_package():
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    installed = {}
    for entry in config["python"]["install"]:
        if "requirements" in entry:
            installed |= pins(entry["requirements"])
    build, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    test_only = set(dev) - set(build)
    assert {"pytest", "playwright", "pip-tools", "check-jsonschema", "feedparser", "brotli", "rnc2rng"} <= test_only
    assert direct("requirements-dev.in") <= test_only
    assert not test_only & set(installed)
    assert set(installed) == set(build)


def test_the_locks_agree():
    build, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    assert direct("requirements.in") <= set(build)
    for name in set(build) & set(dev):
        assert build[name] == dev[name], name
    assert "-c requirements.txt" in (ROOT / "requirements-dev.in").read_text()


def test_make_html_installs_the_build_lock_and_make_test_both():
    makefile = (ROOT / "Makefile").read_text()
    rule = lambda target: re.search(rf"^{re.escape(target)}:([^\n#]*)", makefile, re.M)[1].split()  # noqa: E731
    assert rule("html") == ["$(STAMP)"]
    assert "$(DEV_STAMP)" in rule("test")
    assert rule("$(DEV_STAMP)") == ["requirements-dev.txt", "$(STAMP)"]
    assert "requirements.txt" in rule("$(STAMP)")


def test_config_matches_the_local_build():
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    assert config["build"]["tools"]["python"] == "3.12"
    assert config["sphinx"] == {"configuration": "conf.py", "builder": "html", "fail_on_warning": True}
    installs = config["python"]["install"]
    assert {"requirements": "requirements.txt"} in installs
    for entry in installs:
        if "requirements" in entry:
            assert (ROOT / entry["requirements"]).is_file()
    assert "-b html" in (ROOT / "Makefile").read_text()


def rtd_env(output):
    return clean_env(
        READTHEDOCS="True",
        READTHEDOCS_CANONICAL_URL=CANONICAL,
        READTHEDOCS_OUTPUT=str(output) + "/",
        READTHEDOCS_VERSION="latest",
        READTHEDOCS_VERSION_TYPE="branch",
        READTHEDOCS_LANGUAGE="en",
        READTHEDOCS_PROJECT="essays",
        READTHEDOCS_GIT_COMMIT_HASH="0" * 40,
    )


def owned_checkout(dest):
    """A fresh copy of the project, as an owner who made the site theirs (docs/writing.md, "Make it yours"):
    the placeholder author stops a Read the Docs build."""
    checkout = copy_project(dest)
    conf = checkout / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('author = ""', 'author = "Ada Lovelace"', 1), encoding="utf-8")
    return checkout


def rtd_command(checkout, builder):
    """Read the Docs' build command for ``builder``: its output folder, the checkout's doctree folder, and the result."""
    output = checkout / "_readthedocs"
    cmd = [sys.executable, "-m", "sphinx", "-T", "-W", "--keep-going", "-b", builder, "-d", "_build/doctrees",
           "-D", "language=en", ".", f"{output}/{builder}"]
    return output / builder, subprocess.run(cmd, cwd=checkout, env=rtd_env(output), capture_output=True, text=True)


@pytest.fixture(scope="module")
def rtd_checkout(tmp_path_factory):
    """A fresh copy of the project, built exactly as Read the Docs builds the html."""
    checkout = owned_checkout(tmp_path_factory.mktemp("rtd") / "checkout")
    _, result = rtd_command(checkout, "html")
    assert result.returncode == 0, result.stdout + result.stderr
    return checkout


@pytest.fixture(scope="module")
def rtd_build(rtd_checkout):
    """The html Read the Docs built."""
    return rtd_checkout / "_readthedocs" / "html"


def test_canonical_links_carry_the_prefix(rtd_build):
    pages = html_pages(rtd_build)
    assert pages
    for page in pages:
        if page.name in {"search.html", "genindex.html"}:
            continue
        canonical = parse(page).xpath("//link[@rel='canonical']/@href")
        assert canonical, page
        assert canonical[0].startswith(CANONICAL), (page, canonical)
        assert local_file(rtd_build, CANONICAL, canonical[0]).is_file()


def test_feed_urls_carry_the_prefix(rtd_build):
    feeds = sorted(rtd_build.rglob("atom.xml"))
    assert len(feeds) >= 6
    for feed in feeds:
        text = feed.read_text()
        urls = [u for u in __import__("re").findall(r'(?:href|src)="([^"]+)"', text)]
        urls += __import__("re").findall(r"<id>([^<]+)</id>", text)
        assert urls
        for url in urls:
            if urlsplit(url).netloc not in {urlsplit(CANONICAL).netloc, "127.0.0.1:8000", ""}:
                continue  # another site's address (a cited work's DOI)
            assert url.startswith(CANONICAL), (feed, url)
    assert "http://127.0.0.1" not in "".join(f.read_text() for f in feeds)


def test_sitemap_robots_and_404_carry_the_prefix(rtd_build):
    sitemap = (rtd_build / "sitemap.xml").read_text()
    import re

    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert urls and all(u.startswith(CANONICAL) for u in urls)
    assert f"Sitemap: {CANONICAL}sitemap.xml" in (rtd_build / "robots.txt").read_text()
    root = parse(rtd_build / "404.html")
    links = [l for l in root.xpath("//link/@href | //script/@src | //a/@href") if not l.startswith(("http", "#"))]
    assert links
    prefix = "/en/latest/"
    for link in links:
        assert link.startswith(prefix), link
        assert local_file(rtd_build, CANONICAL, CANONICAL + link[len(prefix):]).is_file(), link


def test_previews_carry_the_prefix(rtd_build):
    page = parse(rtd_build / "posts/exploring-the-depths-of-human-machine-relationships-in-her.html")
    image = page.xpath("//meta[@property='og:image']/@content")[0]
    assert image.startswith(CANONICAL + "_images/covers/")
    assert local_file(rtd_build, CANONICAL, image).is_file()


def test_read_the_docs_is_asked_for_the_epub_too():
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    assert config["formats"] == ["epub"]


def test_the_epub_read_the_docs_builds(rtd_checkout):
    """Read the Docs' epub command, after its html build, in the same checkout and doctree folder."""
    epub, result = rtd_command(rtd_checkout, "epub")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (epub / "Essays.epub").is_file()


def test_the_about_page_links_the_epub_download(rtd_build):
    about = parse(rtd_build / "docs" / "about.html")
    assert "https://essays.example.org/_/downloads/en/latest/epub/" in about.xpath("//article//a/@href")
