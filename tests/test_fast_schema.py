"""The fast yes/no schema check must agree with the full validator, or valid-looking files would slip through."""

from __future__ import annotations

from pathlib import Path

import pytest

from stemtrain.content.paths import bank_paths
from stemtrain.content.problems import ContentError
from stemtrain.content.validation import fast_check, full_validator
from stemtrain.content.yamlsource import read_yaml

DATA = Path(__file__).parent / "data"
FILES = [*bank_paths(), DATA / "all-types.yaml", *sorted((DATA / "broken").glob("*.yaml"))]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fast_check_agrees_with_jsonschema(path: Path):
    try:
        data = read_yaml(path).data
    except ContentError:
        assert path.parent.name == "broken", f"{path} does not parse"  # YAML-level failures are the loader tests' business
        return
    full_ok = not any(True for _ in full_validator("bank").iter_errors(data))
    assert fast_check("bank")(data) == full_ok
    if path.parent.name != "broken":
        assert full_ok, path
