"""The rule every patch of another package follows, in one place.

A patch (``Replacement``) names the package it patches and the version it
was written against (the one pinned in requirements.txt), the attribute it
replaces, the parameters of the original it relies on, and the functions
that look that attribute up when they run (the call sites: a replacement
nobody looks up any more would silently do nothing). Before applying it,
``problem()`` checks all of that against what is installed. When something
does not hold, the attribute is left as it is (the package's stock
behaviour) and the build says so in one warning line naming the package,
its installed version and the patch, of type ``essays.patch`` (a user who
accepts the stock behaviour can list it in ``suppress_warnings``). Never an
exception, never silence.

Other couplings to a package's internals that replace nothing (a handler
found by its name, a private attribute read) use ``Coupling`` for the same
check and warning.

Replacements are process-wide, so they are applied per build and undone at
``build-finished``; a build whose setup finds a replacement still in place
(an earlier build in the same process never finished) undoes it first. A
later build with the speedups off (``essays_speedups``) therefore never
inherits one.
"""

from __future__ import annotations

import importlib
import inspect
import weakref
from dataclasses import dataclass
from importlib import metadata
from types import CodeType
from typing import Any, Callable

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

WARNING_TYPE, WARNING_SUBTYPE = "essays", "patch"


def installed_version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def find(path: str) -> Any:
    """``"module"`` or ``"module:Class.attribute"`` -> the object; LookupError when it is not there."""
    module_name, _, attributes = path.partition(":")
    try:
        found = importlib.import_module(module_name)
    except ImportError as error:
        raise LookupError(f"{module_name} cannot be imported ({error})") from None
    for name in filter(None, attributes.split(".")):
        if not hasattr(found, name):
            raise LookupError(f"{path} is gone")
        found = getattr(found, name)
    return found


def looks_up(function: Any, name: str) -> bool:
    """Whether ``function`` (or a function defined inside it) looks ``name`` up when it runs."""
    code = getattr(inspect.unwrap(function), "__code__", None)
    stack = [code] if isinstance(code, CodeType) else []
    while stack:
        code = stack.pop()
        if name in code.co_names:
            return True
        stack.extend(const for const in code.co_consts if isinstance(const, CodeType))
    return False


def missing_parameters(function: Any, names: tuple[str, ...]) -> list[str]:
    """The parameters of ``names`` that ``function`` does not take (``*args`` counts as any positional)."""
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return list(names)
    return [name for name in names if name not in parameters]


# Each build warns once per coupling: the app, and what it was warned about.
_warned: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(eq=False)
class Coupling:
    """Something the project relies on inside another package, checked before use."""

    package: str  # the distribution, as pip names it
    written_for: str  # its version pinned in requirements.txt when the patch was written
    what: str  # what the patch does, in a few words

    def problem(self) -> str | None:
        """What no longer holds in the installed package, or None."""
        return None

    def holds(self, app: Sphinx) -> bool:
        """Check; when it does not hold, warn once for this build and return False."""
        problem = self.problem()
        if problem is not None:
            self.warn(app, problem)
        return problem is None

    def warn(self, app: Sphinx, problem: str) -> None:
        warned = _warned.setdefault(app, set())
        if self.what in warned:
            return
        warned.add(self.what)
        logger.warning(
            "%s %s: %s; the patch %r (written for %s %s) is not applied, the stock behaviour stays",
            self.package,
            installed_version(self.package),
            problem,
            self.what,
            self.package,
            self.written_for,
            type=WARNING_TYPE,
            subtype=WARNING_SUBTYPE,
        )


# Replacements in place, with what they replaced: {replacement: (owner, original)}.
_applied: dict[Replacement, tuple[Any, Any]] = {}


@dataclass(eq=False)
class Replacement(Coupling):
    """An attribute of another package replaced, for one build."""

    owner: str = ""  # "module" or "module:Class", where the attribute lives
    attribute: str = ""
    parameters: tuple[str, ...] = ()  # of the original, which the replacement relies on
    callers: tuple[str, ...] = ()  # functions ("module:function") that look the attribute up

    def stock(self) -> Any:
        """The package's own function, whether the replacement is in place or not."""
        if self in _applied:
            return _applied[self][1]
        return getattr(find(self.owner), self.attribute)

    def problem(self) -> str | None:
        try:
            owner = find(self.owner)
            for caller in self.callers:
                if not looks_up(find(caller), self.attribute):
                    return f"{caller} no longer looks up {self.attribute}"
        except LookupError as error:
            return str(error)
        if self in _applied:
            return None
        original = inspect.getattr_static(owner, self.attribute, None)
        if isinstance(original, (staticmethod, classmethod)):
            original = original.__func__
        where = f"{self.owner.replace(':', '.')}.{self.attribute}"
        if original is None:
            return f"{where} is gone"
        # The package's own function still has the attribute's name (not another one assigned to it).
        if getattr(original, "__qualname__", "").rpartition(".")[2] != self.attribute:
            return f"{where} is not the original function any more ({getattr(original, '__qualname__', original)!r})"
        missing = missing_parameters(original, self.parameters)
        if missing:
            return f"{where} no longer takes {', '.join(missing)}"
        return None

    def apply(self, app: Sphinx, make: Callable[[Any], Any]) -> bool:
        """Put ``make(original)`` in place for this build, if the original is as expected."""
        if self in _applied:
            return True
        if not self.holds(app):
            return False
        owner = find(self.owner)
        original = getattr(owner, self.attribute)
        _applied[self] = (owner, original)
        setattr(owner, self.attribute, make(original))
        return True

    def apply_to(self, app: Sphinx, instance: Any, make: Callable[[Any], Any]) -> bool:
        """Put ``make(original)`` in place on ``instance`` alone (an object that lives for one build)."""
        if not self.holds(app):
            return False
        setattr(instance, self.attribute, make(getattr(instance, self.attribute)))
        return True

    def applied(self) -> bool:
        return self in _applied

    def restore(self) -> None:
        if self in _applied:
            owner, original = _applied.pop(self)
            setattr(owner, self.attribute, original)


# What a build changed that is undone only if another build starts in this process.
_undo_before_next_build: list[Callable[[], None]] = []


def undo_before_next_build(undo: Callable[[], None]) -> None:
    """Run ``undo`` when the next build in this process starts (changes too costly to undo at every build's end)."""
    _undo_before_next_build.append(undo)


def restore_all(*args: Any) -> None:
    """Give every patched package its own functions back (build-finished, and before a build)."""
    for replacement in list(_applied):
        replacement.restore()


def setup(app: Sphinx) -> dict:
    # A build starts with every package as it ships: nothing left from an
    # earlier build in this process, whatever its switches.
    restore_all()
    while _undo_before_next_build:
        _undo_before_next_build.pop()()
    app.connect("build-finished", restore_all, priority=1000)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
