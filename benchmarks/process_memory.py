"""Peak memory of a process and all its descendants together, sampled from /proc (Linux).

A parallel Sphinx build forks reading and writing processes. The resource
usage of a finished process (``getrusage(RUSAGE_CHILDREN).ru_maxrss``) is
the largest *single* process, not the processes together, and a forked
process's memory is in no other process's figure. Here the process tree is
sampled while it runs: every process's proportional set size (PSS, from
``/proc/<pid>/smaps_rollup``: a page shared by forked processes is counted
once in all, split between them), summed over the tree; the largest sum is
the peak. Where PSS cannot be read (no smaps_rollup) the resident set size
is summed instead, which counts shared pages once per process.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def children(pid: int) -> list[int]:
    """The processes ``pid`` started, from /proc/<pid>/task/*/children (or the whole /proc when that is missing)."""
    found: list[int] = []
    try:
        tasks = list((PROC / str(pid) / "task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found.extend(int(c) for c in (task / "children").read_text().split())
        except FileNotFoundError:
            return children_by_scan(pid)
        except (OSError, ValueError):
            continue
    return found


def children_by_scan(pid: int) -> list[int]:
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command may hold spaces and parentheses: the fields after the last ")" are fixed.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def tree(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children(current))
    return found


def memory_of(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in bytes; (0, 0) when it is gone."""
    rss = 0
    try:
        rss = int((PROC / str(pid) / "statm").read_text().split()[1]) * PAGE
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024, rss
    except (OSError, ValueError, IndexError):
        pass
    return rss, rss


@dataclass
class Peak:
    pss: int = 0  # the largest sum over the tree of PSS, in bytes
    rss: int = 0  # the largest sum of RSS (shared pages counted once per process)
    processes: int = 0  # the most processes alive at one sample
    samples: int = 0

    def sample(self, pid: int) -> None:
        pids = tree(pid)
        figures = [memory_of(p) for p in pids]
        self.pss = max(self.pss, sum(f[0] for f in figures))
        self.rss = max(self.rss, sum(f[1] for f in figures))
        self.processes = max(self.processes, len([f for f in figures if f[1]]))
        self.samples += 1


def run_sampled(cmd: list[str], interval: float = 0.25, **popen) -> tuple[subprocess.CompletedProcess, Peak]:
    """Run ``cmd`` to its end, sampling its process tree's memory every ``interval`` seconds.

    ``popen``: Popen's arguments; give ``stdout`` and ``stderr`` as files or DEVNULL, never PIPE.
    """
    peak = Peak()
    # Its output goes to files, not pipes: a full pipe would stop it while nobody reads.
    with subprocess.Popen(cmd, **popen) as proc:
        while proc.poll() is None:
            peak.sample(proc.pid)
            time.sleep(interval)
    return subprocess.CompletedProcess(cmd, proc.returncode), peak
