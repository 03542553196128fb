"""The fast yes/no schema check must agree with the full validator, or valid-looking files would slip through."""

from __future__ import annotations

from pathlib import Path

import pytest

from stemtrain.content.loader import _fast_check, _validator
from stemtrain.content.paths import bank_paths
from stemtrain.content.problems import ContentError
from stemtrain.content.yamlsource import read_yaml

DATA = Path(__file__).parent / "data"


def _parsable(paths: list[Path]) -> list[Path]:
    """Files a schema can see; YAML that fails to parse (syntax, tags, aliases) is the loader tests' business."""
    out = []
    for path in paths:
        try:
            read_yaml(path)
        except ContentError:
            continue
        out.append(path)
    return out


FILES = _parsable([*bank_paths(), DATA / "all-types.yaml", *sorted((DATA / "broken").glob("*.yaml"))])


def test_both_valid_and_invalid_files_are_compared():
    assert any(p.parent.name == "broken" for p in FILES) and any(p.parent.name == "banks" for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fast_check_agrees_with_jsonschema(path: Path):
    data = read_yaml(path).data
    full_ok = not any(True for _ in _validator("bank").iter_errors(data))
    assert _fast_check("bank")(data) == full_ok
