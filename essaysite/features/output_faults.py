"""A read-only or full output folder: one line that says which path and why, exit status 2.

Sphinx answers a file it cannot write with "Exception occurred:", a
traceback and a log file to read. Here:

- when the extension is set up, before Sphinx makes the output folder, the
  output and doctree folders are made and written to once: a folder that
  cannot be (read-only, not a folder, no space left) stops the build at once;
- when the build fails later (the disk filled up while pages were written,
  the environment could not be saved; ``build-finished`` with the
  exception, also from another process of a parallel build), an ``OSError``
  behind the failure is said in one line.

The line: ``<path>: cannot write: <reason> (<what to do>)``, on standard
error, and the build ends with exit status 2, without a traceback.
"""

from __future__ import annotations

import errno
import io
import os
import re
import sys
import tempfile

from sphinx.application import Sphinx

EXIT_STATUS = 2
HINTS = {
    errno.ENOSPC: "the disk is full: free some space, or build elsewhere with make html BUILDDIR=...",
    errno.EDQUOT: "the disk quota is used up: free some space, or build elsewhere with make html BUILDDIR=...",
    errno.EROFS: "the folder is on a read-only file system: build elsewhere with make html BUILDDIR=...",
    errno.EACCES: "the folder is read-only for you: make it writable (chmod u+w) or build elsewhere with make html BUILDDIR=...",
    errno.EPERM: "the folder is read-only for you: make it writable (chmod u+w) or build elsewhere with make html BUILDDIR=...",
    errno.ENOTDIR: "a file stands where a folder must be: move it away",
    errno.EEXIST: "a file stands where a folder must be: move it away",
}
# An OSError as a parallel build's worker reports it: "[Errno 28] No space left on device: '/x/y.html'".
WORKER_ERROR = re.compile(r"\[Errno (\d+)\] ([^:\n]+)(?:: '([^'\n]+)')?")


def fault_line(path: str, number: int | None, reason: str) -> str:
    hint = HINTS.get(number, "check the folder's permissions and free space")
    return f"{path}: cannot write: {reason} ({hint})"


def stop(line: str) -> None:
    sys.stdout.flush()
    print(line, file=sys.stderr)
    sys.stderr.flush()
    raise SystemExit(EXIT_STATUS)


def try_writing(folder: str) -> None:
    """Make ``folder`` and write a file in it, or stop the build with the reason."""
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder) as probe:
            probe.write(b"essaysite")
            probe.flush()
    except OSError as error:
        stop(fault_line(error.filename or folder, error.errno, error.strerror or str(error)))


def file_being_written(exception: BaseException) -> str | None:
    """The file open where ``exception`` was raised (a failed ``write()`` names none), innermost first."""
    frames = []
    trace = exception.__traceback__
    while trace is not None:
        frames.append(trace.tb_frame)
        trace = trace.tb_next
    for frame in reversed(frames):
        for value in frame.f_locals.values():
            if isinstance(value, io.IOBase) and isinstance(getattr(value, "name", None), str):
                return value.name
    return None


def io_fault(exception: BaseException | None, outdir: str = "the output folder") -> str | None:
    """The one line for an ``OSError`` behind ``exception``, or None when there is none."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        seen.add(id(exception))
        if isinstance(exception, OSError) and exception.errno is not None:
            path = exception.filename or file_being_written(exception) or outdir
            return fault_line(path, exception.errno, exception.strerror or str(exception))
        found = WORKER_ERROR.search(str(exception))
        if found and type(exception).__name__ == "SphinxParallelError":
            return fault_line(found[3] or outdir, int(found[1]), found[2])
        exception = getattr(exception, "orig_exc", None) or exception.__cause__ or exception.__context__
    return None


def say_io_fault(app: Sphinx, exception) -> None:
    line = io_fault(exception, str(app.outdir))
    if line is not None:
        stop(line)


def setup(app: Sphinx) -> dict:
    # Sphinx makes the output folder once every extension is set up: before, with a message.
    for folder in (app.outdir, app.doctreedir):
        try_writing(str(folder))
    # Last: the other handlers of a failed build have nothing more to write.
    app.connect("build-finished", say_io_fault, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
