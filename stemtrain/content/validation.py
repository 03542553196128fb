"""Schema checks for course files, fast when a file is valid and precise when it is not.

A valid file (the usual case) is checked by code that fastjsonschema generated from our schema once and
that is cached on disk with its bytecode; jsonschema is imported only to explain a file that fails, one
line per problem, in an author's words.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from ..cache import atomic_write, cache_dir, prune
from .problems import Problem, item_and_field
from .schema import SCHEMA_VERSION, bank_schema, glossary_schema, references_schema
from .yamlsource import Located, short

__all__ = ["fast_check", "full_validator", "schema_problems", "validator_problems"]

_SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {"bank": bank_schema, "references": references_schema, "glossary": glossary_schema}


@cache
def full_validator(kind: str) -> Any:
    """The full validator (jsonschema): slow to import, used only to explain a file that fails."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_SCHEMAS[kind]())


def _import_generated(path: Path, code: str) -> Any:
    """Run the generated module, keeping its compiled bytecode beside it (marshal), so later runs skip the compile.

    Done by hand because course machines may set PYTHONDONTWRITEBYTECODE.
    """
    compiled = path.with_suffix(f".{sys.implementation.cache_tag}.marshal")
    try:
        bytecode = marshal.loads(compiled.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        bytecode = compile(code, str(path), "exec")
        atomic_write(compiled, marshal.dumps(bytecode))
    namespace: dict[str, Any] = {}
    exec(bytecode, namespace)
    return namespace["validate"]


@cache
def fast_check(kind: str) -> Callable[[Any], bool]:
    """A yes/no check compiled by fastjsonschema; its generated code is cached on disk, keyed by the schema.

    The schema uses only keywords that mean the same in draft-07, which fastjsonschema implements.
    """
    schema = dict(_SCHEMAS[kind]())
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema.pop("$id", None)  # the generated entry point is then named plain `validate`
    text = json.dumps(schema, sort_keys=True)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    path = cache_dir(f"schema-{kind}-{digest}.py")
    try:
        code = path.read_text(encoding="utf-8")
    except OSError:
        import fastjsonschema

        code = fastjsonschema.compile_to_code(schema)
        if atomic_write(path, code.encode("utf-8")):
            prune(path.parent, f"schema-{kind}-*", path.stem)  # generated from an older schema
    validate = _import_generated(path, code)

    def check(data: Any) -> bool:
        try:
            validate(data)
        except Exception:  # noqa: BLE001 - any failure means: explain it with the full validator
            return False
        return True

    return check


def schema_problems(located: Located, kind: str) -> list[Problem]:
    """Every schema violation, one line each; unknown and missing fields named one by one."""
    data = located.data
    if not isinstance(data, dict):
        return [located.problem((), "-", "-", "the file must be a mapping with schema_version at the top")]
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        return [
            located.problem(
                ("schema_version",), "-", "schema_version", f"is {short(version)}; this stemtrain reads schema_version {SCHEMA_VERSION}"
            )
        ]
    if fast_check(kind)(data):
        return []
    return validator_problems(located, full_validator(kind))


def validator_problems(
    located: Located, validator: Any, name: Callable[[Any, tuple[Any, ...]], tuple[str, str]] = item_and_field
) -> list[Problem]:
    """Every violation ``validator`` (a jsonschema validator) finds in ``located``, one line each, in an author's words.

    ``name(data, path)`` says which item and field a path is (other files than banks name their entries their own way).
    """
    data = located.data
    problems: list[Problem] = []
    for error in validator.iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for extra in sorted(set(error.instance) - allowed):
                item, fld = name(data, (*path, extra))
                problems.append(located.problem((*path, extra), item, fld, "unknown field"))
            continue
        if error.validator == "required" and isinstance(error.instance, dict):
            for missing in [r for r in error.validator_value if r not in error.instance]:
                item, fld = name(data, (*path, missing))
                problems.append(located.problem(path, item, fld, "missing required field"))
            continue
        if error.validator in ("if", "allOf", "anyOf") and not error.context:
            continue
        item, fld = name(data, path)
        problems.append(located.problem(path, item, fld, _plain(error)))
    # The same fact can arrive by two schema routes; say it once.
    return list(dict.fromkeys(problems))


def _plain(error: Any) -> str:
    """A schema error in an author's words, echoing at most a short piece of the value."""
    v, value, got = error.validator, error.validator_value, short(error.instance)
    messages = {
        "enum": f"{got} is not one of {value}",
        "const": f"must be {value!r}",
        "pattern": f"{got} does not have the required form ({value})",
        "minimum": f"must be at least {value}, got {got}",
        "maximum": f"must be at most {value}, got {got}",
        "exclusiveMinimum": f"must be more than {value}, got {got}",
        "minItems": f"needs at least {value} entries",
        "maxItems": f"allows at most {value} entries",
        "minLength": "must not be empty",
        "maxLength": f"is longer than {value} characters",
    }
    if v in messages:
        return messages[v]
    if v == "type":
        return f"must be {'an' if value in ('integer', 'array', 'object') else 'a'} {value}, got {type(error.instance).__name__}"
    if v == "anyOf" and error.schema.get("anyOf") and all("required" in s for s in error.schema["anyOf"]):
        return "needs " + " or ".join(s["required"][0] for s in error.schema["anyOf"])
    return short(error.message, 200)
