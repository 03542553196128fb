"""Safe YAML reading that remembers where every value came from.

PyYAML's ``safe_load`` already refuses Python tags, but it loses line numbers and happily expands
aliases. Course files need neither tags nor aliases, so both are refused outright: that makes an
alias bomb fail on its first alias, and lets every error name the line an author must edit.
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .problems import ContentError, Problem

__all__ = ["read_yaml", "MAX_BYTES", "MAX_NODES", "Located"]

MAX_BYTES = 2_000_000
MAX_NODES = 200_000

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


class Located:
    """Parsed data plus the YAML node tree it came from, to find the 1-based line of any value.

    Lines are looked up only when a problem is reported, so a clean file pays nothing for them.
    """

    def __init__(self, data: Any, root: yaml.Node, file: str) -> None:
        self.data = data
        self.root = root
        self.file = file

    def line(self, path: Path_) -> int:
        """The line of ``path``, or of its nearest parent that exists in the file."""
        node = self.root
        for key in path:
            child = _child(node, key)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1


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
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.count = 0
        self.seen: set[int] = set()
        self.constructor = SafeConstructor()

    def fail(self, node: yaml.Node, message: str, field: str = "-") -> None:
        self.problems.append(Problem(self.file, node.start_mark.line + 1, "-", field, message))

    def build(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(node)
        # The composer hands back the anchored node itself for every alias: a node met twice is an alias.
        if id(node) in self.seen:
            raise _AliasFound(node)
        self.seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            self.fail(node, f"YAML tag {node.tag!r} is not allowed (course files hold plain data only)")
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    self.fail(key_node, "only plain keys are allowed (no merge keys or complex keys)")
                    continue
                raw_key = self.constructor.construct_object(key_node)
                # YAML 1.1 reads a bare `true:` key as a boolean; authors mean the word.
                key = str(raw_key).lower() if isinstance(raw_key, bool) else str(raw_key)
                if key in out:
                    self.fail(key_node, f"duplicate key {key!r}", key)
                    continue
                out[key] = self.build(value_node)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child) for child in node.value]
        if node.tag == "tag:yaml.org,2002:str":
            return node.value  # most values are text: skip the constructor
        value = self.constructor.construct_object(node)
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        return value


class _TooBig(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _AliasFound(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


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


@lru_cache(maxsize=64)
def _read_yaml(path: Path, name: str, size: int, mtime_ns: int) -> Located:
    if size > MAX_BYTES:
        raise ContentError([Problem(name, 1, "-", "-", f"file is {size} bytes; course files are limited to {MAX_BYTES}")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(name, 1, "-", "-", f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise ContentError([Problem(name, 1, "-", "-", f"cannot read file: {exc.strerror or exc}")]) from None
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
    except yaml.YAMLError as exc:
        raise ContentError([Problem(name, 1, "-", "-", f"YAML error: {exc}")]) from None
    if node is None:
        raise ContentError([Problem(name, 1, "-", "-", "file is empty")])
    builder = _Builder(name)
    try:
        data = builder.build(node)
    except _AliasFound as exc:
        line = exc.node.start_mark.line + 1
        raise ContentError([Problem(name, line, "-", "-", "YAML anchors and aliases (&name, *name) are not allowed in course files")]) from None
    except _TooBig as exc:
        raise ContentError([Problem(name, exc.node.start_mark.line + 1, "-", "-", f"more than {MAX_NODES} values; course files are smaller")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(name, 1, "-", "-", f"YAML error: {exc}")]) from None
    if builder.problems:
        raise ContentError(builder.problems)
    return Located(data, node, name)
