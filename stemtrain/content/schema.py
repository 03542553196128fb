"""The one versioned schema for course data: question banks, the bibliography and the glossary.

Written as JSON Schema (draft 2020-12) so that other tools can check banks too
(`stemtrain schema` prints it). Rules that JSON Schema cannot say well — answers that must be among
the options, references that must exist, ids unique across the course — live in ``loader``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["QUESTION_TYPES", "SCHEMA_VERSION", "bank_schema", "glossary_schema", "references_schema"]

SCHEMA_VERSION = 1

QUESTION_TYPES = (
    "single_choice",
    "multiple_select",
    "true_false",
    "ordering",
    "matching",
    "numeric",
    "image_label",
    "case",
)

_ID = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 80}
_SHORT_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "maxLength": 40}
_TEXT = {"type": "string", "minLength": 1, "maxLength": 4000}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_STRINGS = {"type": "array", "items": _TEXT}

_COMMON: dict[str, Any] = {
    "id": _ID,
    "type": {"enum": list(QUESTION_TYPES)},
    "prompt": _TEXT,
    "explanation": _TEXT,
    "references": {"type": "array", "items": _ID, "minItems": 1},
    "objective": {"type": "integer", "minimum": 1, "maximum": 20},
    "difficulty": {"enum": ["easy", "medium", "hard"]},
    "tags": {"type": "array", "items": _SHORT_ID},
    "section": _SHORT_ID,
}
_REQUIRED = ["id", "type", "prompt", "explanation", "references"]

_OPTION = {
    "type": "object",
    "properties": {"id": _SHORT_ID, "text": _TEXT, "feedback": _TEXT},
    "required": ["id", "text"],
    "additionalProperties": False,
}

_TYPE_FIELDS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "single_choice": (
        {"options": {"type": "array", "items": _OPTION, "minItems": 2, "maxItems": 8}, "answer": _SHORT_ID},
        ["options", "answer"],
    ),
    "multiple_select": (
        {
            "options": {"type": "array", "items": _OPTION, "minItems": 2, "maxItems": 10},
            "answers": {"type": "array", "items": _SHORT_ID, "minItems": 1},
        },
        ["options", "answers"],
    ),
    "true_false": (
        {
            "answer": {"type": "boolean"},
            "feedback": {
                "type": "object",
                "properties": {"true": _TEXT, "false": _TEXT},
                "additionalProperties": False,
            },
        },
        ["answer"],
    ),
    "ordering": (
        {
            "items": {
                "type": "array",
                "minItems": 3,
                "maxItems": 10,
                "items": {
                    "type": "object",
                    "properties": {"id": _SHORT_ID, "text": _TEXT},
                    "required": ["id", "text"],
                    "additionalProperties": False,
                },
            }
        },
        ["items"],
    ),
    "matching": (
        {
            "pairs": {
                "type": "array",
                "minItems": 2,
                "maxItems": 8,
                "items": {
                    "type": "object",
                    "properties": {"id": _SHORT_ID, "left": _TEXT, "right": _TEXT},
                    "required": ["id", "left", "right"],
                    "additionalProperties": False,
                },
            },
            "distractors": {"type": "array", "items": _TEXT, "maxItems": 4},
        },
        ["pairs"],
    ),
    "numeric": (
        {
            "answer": {"type": "number"},
            "tolerance": {"type": "number", "minimum": 0},
            "unit": {"type": "string", "maxLength": 40},
        },
        ["answer", "tolerance", "unit"],
    ),
    "image_label": (
        {
            "figure": {"type": "string", "pattern": "^[a-z_]+\\.[a-z_][a-z0-9_]*$"},
            "markers": {
                "type": "array",
                "minItems": 2,
                "maxItems": 8,
                "items": {
                    "type": "object",
                    "properties": {"number": {"type": "integer", "minimum": 1, "maximum": 20}, "label": _TEXT},
                    "required": ["number", "label"],
                    "additionalProperties": False,
                },
            },
            "distractors": {"type": "array", "items": _TEXT, "maxItems": 4},
        },
        ["figure", "markers"],
    ),
}


def _type_schema(qtype: str) -> dict[str, Any]:
    """One question type: the common fields plus its own, nothing else."""
    if qtype == "case":
        fields: dict[str, Any] = {
            "vignette": _TEXT,
            "questions": {"type": "array", "minItems": 2, "maxItems": 6, "items": {"$ref": "#/$defs/linked_question"}},
        }
        required = ["vignette", "questions"]
    else:
        fields, required = _TYPE_FIELDS[qtype]
    return {
        "type": "object",
        "properties": {**_COMMON, **fields},
        "required": _REQUIRED + required,
        "additionalProperties": False,
    }


def _question_schema(types: tuple[str, ...]) -> dict[str, Any]:
    """A question of one of ``types``: the common fields are checked first, then its type's own schema.

    Each type's schema is a shared definition, so questions and linked questions reuse it.
    """
    common = dict(_COMMON)
    common["type"] = {"enum": list(types)}
    branches = [{"if": {"properties": {"type": {"const": t}}, "required": ["type"]}, "then": {"$ref": f"#/$defs/{t}"}} for t in types]
    return {"type": "object", "properties": common, "required": _REQUIRED, "allOf": branches}


def bank_schema() -> dict[str, Any]:
    """JSON Schema of a question bank file (``assets/banks/NN-slug.yaml``)."""
    plain = tuple(t for t in QUESTION_TYPES if t != "case")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://stemtrain.invalid/schema/bank-{SCHEMA_VERSION}.json",
        "title": "stemtrain question bank",
        "type": "object",
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "module": {"type": "string", "pattern": "^[0-9]{2}-[a-z0-9-]+$"},
            "title": _TEXT,
            "reviewed": _DATE,
            "evidence_cutoff": _DATE,
            "questions": {"type": "array", "items": {"$ref": "#/$defs/question"}},
        },
        "required": ["schema_version", "module", "title", "reviewed", "questions"],
        "additionalProperties": False,
        "$defs": {
            "question": _question_schema(QUESTION_TYPES),
            "linked_question": _question_schema(plain),
            **{t: _type_schema(t) for t in QUESTION_TYPES},
        },
    }


def references_schema() -> dict[str, Any]:
    """JSON Schema of the course bibliography (``assets/references.yaml``)."""
    entry = {
        "type": "object",
        "properties": {
            "id": _ID,
            "cite": {"type": "string", "minLength": 2, "maxLength": 60},
            "authors": {"type": "array", "items": _TEXT, "minItems": 1},
            "year": {"type": "integer", "minimum": 1900, "maximum": 2100},
            "title": _TEXT,
            "source": _TEXT,
            "doi": {"type": "string", "pattern": "^10\\.[0-9]{4,9}/\\S+$"},
            "pmid": {"type": "string", "pattern": "^[0-9]{1,9}$"},
            "url": {"type": "string", "pattern": "^https?://\\S+$"},
            "confidence": {"enum": ["verified", "secondary"]},
            "caveat": _TEXT,
            "learner_note": {"type": "string", "minLength": 1, "maxLength": 300},
            "unresolved": _TEXT,
            "facts": {"type": "array", "items": {"type": "integer", "minimum": 1}},
            "note": _TEXT,
        },
        "required": ["id", "cite", "authors", "year", "title", "source", "confidence"],
        "anyOf": [{"required": ["doi"]}, {"required": ["pmid"]}, {"required": ["url"]}],
        "if": {"properties": {"confidence": {"const": "secondary"}}},
        "then": {"required": ["caveat", "learner_note"]},
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "stemtrain bibliography",
        "type": "object",
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "references": {"type": "array", "items": entry, "minItems": 1},
        },
        "required": ["schema_version", "references"],
        "additionalProperties": False,
    }


def glossary_schema() -> dict[str, Any]:
    """JSON Schema of the glossary (``assets/glossary.yaml``)."""
    term = {
        "type": "object",
        "properties": {
            "term": {"type": "string", "minLength": 1, "maxLength": 80},
            "definition": _TEXT,
            "references": {"type": "array", "items": _ID, "minItems": 1},
            "modules": {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{2}-[a-z0-9-]+$"}, "minItems": 1},
        },
        "required": ["term", "definition", "references", "modules"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "stemtrain glossary",
        "type": "object",
        "properties": {"schema_version": {"const": SCHEMA_VERSION}, "terms": {"type": "array", "items": term}},
        "required": ["schema_version", "terms"],
        "additionalProperties": False,
    }
