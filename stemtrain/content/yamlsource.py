"""Safe YAML reading that remembers where every value came from.

PyYAML's ``safe_load`` already refuses Python tags, but it loses line numbers and happily expands
aliases. Course files need neither tags nor aliases, so both are refused outright: that makes an
alias bomb fail on its first alias, and lets every error name the line an author must edit.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import math
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .problems import ContentError, Problem, item_and_field

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Located", "read_yaml", "short"]

MAX_BYTES = 2_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64
"""Course files nest a handful of levels; far deeper nesting is an attack or an accident."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

Path_ = tuple[Any, ...]
_BRACKETS = re.compile(r"[\[\]{}]")
_DEEP_INDENT = re.compile(r"^[ \t]{256,}\S", re.M)
_HIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def short(value: Any, limit: int = 60) -> str:
    """A value echoed in a message, cut to ``limit`` characters so a huge field cannot flood the report."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Located:
    """Parsed data plus where every value came from, to find the 1-based line of any value.

    The YAML node tree is rebuilt from the text only when a line is asked for (to report a problem): a clean
    file pays nothing for it, and no node trees stay alive for the garbage collector to walk.
    """

    def __init__(self, data: Any, text: str, file: str) -> None:
        self.data = data
        self.text = text
        self.file = file
        self._root: yaml.Node | None = None

    @property
    def root(self) -> yaml.Node:
        if self._root is None:
            loader = _Loader(self.text)
            try:
                self._root = loader.get_single_node()
            finally:
                loader.dispose()
        return self._root

    def line(self, path: Path_) -> int:
        """The line of ``path``, or of its nearest parent that exists in the file."""
        node = self.root
        for key in path:
            child = _child(node, key)
            if child is None:
                break
            node = child
        return int(node.start_mark.line) + 1

    def problem(self, path: Path_, item: str, field: str, message: str) -> Problem:
        """A problem located at ``path`` in this file."""
        return Problem(self.file, self.line(path), item, field, message)


def _child(node: yaml.Node, key: Any) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key]
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            raw = getattr(key_node, "value", None)
            if isinstance(raw, str) and (raw == key or raw.lower() == str(key).lower()):
                return value_node
    return None


class _Builder:
    def __init__(self, file: str, hidden: bool = True) -> None:
        self.file = file
        self.hidden = hidden  # False when the whole text has no hidden character: no string needs checking
        self.failures: list[tuple[int, Path_, str]] = []
        self.count = 0
        self.seen: set[int] = set()
        self.constructor = SafeConstructor()

    def fail(self, node: yaml.Node, message: str, path: Path_ = ()) -> None:
        self.failures.append((node.start_mark.line + 1, path, message))

    def problems(self, data: Any) -> list[Problem]:
        """The failures, each named by the question and field it sits in (the data around them is built by now)."""
        out = []
        for line, path, message in self.failures:
            item, field = item_and_field(data, path) if path else ("-", "-")
            out.append(Problem(self.file, line, item, field, message))
        return out

    def build(self, node: yaml.Node, depth: int = 0, path: Path_ = ()) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(node)
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        # The composer hands back the anchored node itself for every alias: a node met twice is an alias.
        if id(node) in self.seen:
            raise _AliasFound(node)
        self.seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            self.fail(node, f"YAML tag {node.tag!r} is not allowed (course files hold plain data only)", path)
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, depth + 1, (*path, i)) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, depth: int, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, "only plain keys are allowed (no merge keys or complex keys)", path)
                continue
            raw_key = self.constructor.construct_object(key_node)
            # YAML 1.1 reads a bare `true:` key as a boolean; authors mean the word.
            key = str(raw_key).lower() if isinstance(raw_key, bool) else str(raw_key)
            if key in out:
                self.fail(key_node, f"duplicate key {short(key)}", (*path, key))
                continue
            out[key] = self.build(value_node, depth + 1, (*path, key))
        return out

    def _scalar(self, node: yaml.Node, path: Path_) -> Any:
        if node.tag == "tag:yaml.org,2002:str":
            if self.hidden and _HIDDEN.search(node.value):
                self.fail(node, "contains an invisible text-direction or control character (it can make text read differently)", path)
            return node.value  # most values are text: skip the constructor
        try:
            value = self.constructor.construct_object(node)
        except ValueError as exc:  # an impossible date (2026-02-30), an integer of thousands of digits
            what = "date" if node.tag == "tag:yaml.org,2002:timestamp" else "value"
            self.fail(node, f"{short(node.value)} is not a valid {what} ({str(exc)[:80]})", path)
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(node, f"{short(node.value)} is not a finite number (course files hold ordinary numbers only)", path)
            return None
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        return value


class _TooBig(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _TooDeep(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _AliasFound(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def _too_deep(text: str) -> int:
    """The line where nesting goes past MAX_DEPTH, or 0. Checked on the text, before PyYAML's composer, whose C
    recursion would crash the process on a file nested tens of thousands of levels deep."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, match.start()) + 1
        elif depth:
            depth -= 1
    deep = _DEEP_INDENT.search(text)
    return text.count("\n", 0, deep.start()) + 1 if deep else 0


def read_yaml(path: str | Path, display: str | None = None) -> Located:
    """Read one YAML file as plain data with line numbers, or raise ContentError naming the problem.

    Results are reused while the file is unchanged: validation and the lint read the same files.
    Callers must treat ``Located.data`` as read-only.
    """
    path = Path(path)
    name = display or str(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise ContentError([Problem(name, 1, "-", "-", f"cannot read file: {exc.strerror or exc}")]) from None
    return _read_yaml(path, name, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=1024)
def _read_yaml(path: Path, name: str, size: int, mtime_ns: int) -> Located:
    if size > MAX_BYTES:
        raise ContentError([Problem(name, 1, "-", "-", f"file is {size} bytes; course files are limited to {MAX_BYTES}")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(name, 1, "-", "-", f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise ContentError([Problem(name, 1, "-", "-", f"cannot read file: {exc.strerror or exc}")]) from None
    with _no_cycle_collection():
        return _parse(text, name)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Parsed course data holds no reference cycles, so the cyclic collector only costs time while it is built
    (at 10,000 questions it took over half of validation); reference counting still frees everything."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _parse(text: str, name: str) -> Located:
    deep_at = _too_deep(text)
    if deep_at:
        raise ContentError([Problem(name, deep_at, "-", "-", f"nested more than {MAX_DEPTH} levels deep; course files are flatter")])
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise ContentError([Problem(name, line, "-", "-", f"YAML syntax error: {what}")]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise ContentError([Problem(name, line, "-", "-", f"character U+{code:04X} is not allowed in YAML ({exc.reason})")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(name, 1, "-", "-", f"YAML error: {str(exc)[:200]}")]) from None
    if node is None:
        raise ContentError([Problem(name, 1, "-", "-", "file is empty")])
    builder = _Builder(name, hidden=_HIDDEN.search(text) is not None)
    try:
        data = builder.build(node)
    except _AliasFound as exc:
        line = exc.node.start_mark.line + 1
        raise ContentError(
            [Problem(name, line, "-", "-", "YAML anchors and aliases (&name, *name) are not allowed in course files")]
        ) from None
    except _TooDeep as exc:
        line = exc.node.start_mark.line + 1
        raise ContentError([Problem(name, line, "-", "-", f"nested more than {MAX_DEPTH} levels deep; course files are flatter")]) from None
    except _TooBig as exc:
        raise ContentError(
            [Problem(name, exc.node.start_mark.line + 1, "-", "-", f"more than {MAX_NODES} values; course files are smaller")]
        ) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(name, 1, "-", "-", f"YAML error: {exc}")]) from None
    if builder.failures:
        raise ContentError(builder.problems(data))
    return Located(data, text, name)
