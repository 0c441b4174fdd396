"""Replace or wrap another extension's event handler, found by its name.

Several modules change what ABlog does at ``html-collect-pages`` (drop the
drafts page, paginate, skip unchanged lists, write the feeds instead): each
wraps the handler registered there, keeping its name and priority, so the
next module can find it and wrap it again.
"""

from __future__ import annotations

from typing import Callable

from sphinx.application import Sphinx


def rewrap(app: Sphinx, event: str, name: str, wrapper: Callable | None) -> None:
    """Replace the handler ``name`` of ``event`` by ``wrapper(handler)``; None disconnects it."""
    for listener in list(app.events.listeners.get(event, [])):
        if getattr(listener.handler, "__name__", "") != name:
            continue
        app.disconnect(listener.id)
        if wrapper is not None:
            wrapped = wrapper(listener.handler)
            wrapped.__name__ = name
            app.connect(event, wrapped, priority=listener.priority)
