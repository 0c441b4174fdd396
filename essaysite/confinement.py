"""Nothing gets in or out: every path the site reads or writes, and every picture it publishes, checked here.

One small module that every part asks (the front-matter check, the build's
features, the Jekyll importer), plain Python without Sphinx:

- ``inside(path, root)``: the path after following every symlink, if it is
  inside ``root`` (the project for what a build reads, the Jekyll site for
  what the importer reads, the output folder for what a build writes);
- ``relative_inside(root, base, written)``: a path written relative to
  ``base`` (a cover beside its essay, an include in ``_includes/``); an
  absolute path is refused, whatever it names;
- ``url_path_file(path)``: a site address (``/2019/old.html``,
  ``/%2e%2e/x.html``) as the file that answers it, percent-decoded and
  normalised first, so that an encoded ``..`` is one too;
- ``picture_problem(path)``: whether a picture's bytes are what its
  extension says (PNG, JPEG, GIF, WebP read by Pillow; SVG parsed by
  defusedxml with entities, external references and scripts refused).

Each refusal is a ``Refused`` whose message says what was wrong, in words
meant to follow ``file:line: key:``.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path, PurePosixPath
from urllib.parse import unquote


class Refused(ValueError):
    """A path or picture the site will not read, write or publish; ``str()`` is the reason."""


def resolved(path: str | os.PathLike) -> Path:
    """``path`` made absolute with every symlink followed (the target need not exist)."""
    return Path(os.path.realpath(path))


def is_inside(path: str | os.PathLike, root: str | os.PathLike) -> bool:
    """Whether ``path``, symlinks followed, is ``root`` or inside it."""
    return resolved(path).is_relative_to(resolved(root))


def inside(path: str | os.PathLike, root: str | os.PathLike, what: str = "the project") -> Path:
    """``path`` with its symlinks followed, or ``Refused`` when that leads outside ``root``."""
    target = resolved(path)
    if not target.is_relative_to(resolved(root)):
        # Written inside but resolved outside: a symlink took it there.
        link = " through a symlink" if Path(os.path.abspath(path)).is_relative_to(os.path.abspath(root)) else ""
        raise Refused(f"leads outside {what}{link}; only files inside {what} are used")
    return target


def relative_inside(root: str | os.PathLike, base: str | os.PathLike, written: str, what: str = "the project") -> Path:
    """``written`` (a path relative to the folder ``base``) inside ``root``, or ``Refused``."""
    text = str(written).strip()
    if "\x00" in text:
        raise Refused("contains a NUL character")
    if text.startswith(("/", "\\")) or PurePosixPath(text).is_absolute() or (len(text) > 1 and text[1] == ":"):
        raise Refused(f"is an absolute path; give the path relative to the essay, inside {what}")
    return inside(Path(base, text), root, what)


def url_path_file(path: str) -> str:
    """The file (relative to the site's root, POSIX) that answers the site address ``path``.

    ``path`` is percent-decoded once, as a web server does, and normalised:
    ``/a/./b`` is ``a/b.html``, ``/a/`` is ``a/index.html``. ``Refused`` for
    any ``..`` (``/../x``, ``/%2e%2e/x``, ``/a/%2E%2E/b``: an old address
    never needs one, and one may leave the site's root) and for what no file
    of a site holds (a NUL, a backslash).
    """
    text = str(path).split("#")[0].split("?")[0]
    decoded = unquote(text)
    if "\x00" in decoded or "\\" in decoded:
        raise Refused(f"{path!r} holds a NUL or a backslash, which no address of the site has")
    if any(part == ".." for part in decoded.split("/")):
        raise Refused(f"{path!r} climbs out of the site with '..'; old addresses are paths inside the site")
    rel = posixpath.normpath("/" + decoded.lstrip("/")).lstrip("/")
    if decoded.endswith("/") or rel in ("", "."):
        rel = (rel + "/" if rel not in ("", ".") else "") + "index.html"
    elif "." not in rel.rsplit("/", 1)[-1]:
        rel += ".html"
    return rel


def output_file(outdir: str | os.PathLike, rel: str) -> Path:
    """``outdir / rel`` if it stays inside the output folder (symlinks followed), else ``Refused``."""
    return inside(Path(outdir, rel), outdir, "the output folder")


# -- Pictures ------------------------------------------------------------------------
# Extension -> the format Pillow reads in such a file.
RASTER_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
PICTURE_SUFFIXES = (*RASTER_FORMATS, ".svg")


def picture_problem(path: str | os.PathLike) -> str | None:
    """Why the picture at ``path`` must not be published, or None when its bytes match its extension."""
    suffix = Path(path).suffix.lower()
    if suffix == ".svg":
        return svg_problem(path)
    expected = RASTER_FORMATS.get(suffix)
    if expected is None:
        return f"is not a PNG, JPEG, GIF, WebP or SVG picture ({suffix or 'no extension'})"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as picture:
            found = picture.format
    except UnidentifiedImageError:
        return f"is not a picture: its bytes are no {expected} (nor any picture format); export the picture again"
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        return f"cannot be read as a picture ({error})"
    if found != expected:
        return f"is a {found} picture named {suffix}: rename it to the extension of its format or convert it"
    return None


def svg_problem(path: str | os.PathLike) -> str | None:
    """Why an SVG file must not be published: not XML, entities, external references, scripts."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException, ElementTree

    try:
        root = ElementTree.parse(str(path), forbid_dtd=False, forbid_entities=True, forbid_external=True).getroot()
    except DefusedXmlException as error:
        kind = type(error).__name__
        if kind == "EntitiesForbidden":
            return "declares an XML entity (<!ENTITY ...>), which the build never expands: remove the DOCTYPE's entities"
        return f"refers to something outside the file ({kind}): remove the DOCTYPE or external reference"
    except ParseError as error:
        return f"is not an SVG picture: not well-formed XML ({error})"
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    if root.tag.rpartition("}")[2] != "svg":
        return "is not an SVG picture: its root element is not <svg>"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag.rpartition("}")[2].lower() in ("script", "foreignobject"):
            return f"carries a <{element.tag.rpartition('}')[2]}> element, which a picture of the site may not: remove it"
        for name, value in element.attrib.items():
            local = name.rpartition("}")[2].lower()
            if local.startswith("on"):
                return f"carries an event handler ({local}=...), which a picture of the site may not: remove it"
            if local == "href" and value.strip().lower().startswith(("javascript:", "data:text/html")):
                return "carries a javascript: link, which a picture of the site may not: remove it"
    return None
