"""Assembling a learner's form: the same blueprint, a different draw per learner and attempt, the same on re-opening.

The seed is SHA-256 over the blueprint id, the learner and the attempt number; every choice made from it
(which items fill a cell, the order of the items, the order of each item's options) ranks candidates by
SHA-256 of the seed and the candidate's id. ``hashlib`` gives the same bytes on every Python version and
machine, where ``random`` promises no such thing across versions, so a form drawn today is drawn the same
way by the service next year, and two learners almost never get the same one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from ..quiz.model import MultipleSelect, Question, SingleChoice
from .blueprint import Blueprint
from .pool import Pool

__all__ = ["Form", "assemble", "form_seed", "public_item", "ranked"]


@dataclass(frozen=True)
class Form:
    """The items of one attempt, in the order shown; ``seed`` also orders each item's options."""

    blueprint_id: str
    learner: str
    number: int
    seed: str
    items: tuple[str, ...]


def form_seed(blueprint_id: str, learner: str, number: int) -> str:
    """The hex seed of ``learner``'s attempt ``number`` at the blueprint (NUL-separated, so no two inputs collide)."""
    text = f"stemtrain-form/1\0{blueprint_id}\0{learner}\0{number}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ranked(seed: str, purpose: str, ids: list[str]) -> list[str]:
    """``ids`` in the order the seed gives them for ``purpose`` (a cell, the item order, one item's options)."""
    return sorted(ids, key=lambda i: hashlib.sha256(f"{seed}\0{purpose}\0{i}".encode()).digest())


def assemble(blueprint: Blueprint, pool: Pool, learner: str, number: int) -> Form:
    """Draw the form: ``count`` items per cell, then all of them in a seeded order."""
    if number < 1:
        raise ValueError(f"attempt numbers start at 1, not {number}")
    seed = form_seed(blueprint.id, learner, number)
    chosen: list[str] = []
    for cell in blueprint.draw:
        eligible = pool.eligible(cell.module, cell.objective)
        if len(eligible) < cell.count:
            raise ValueError(
                f"the pool has {len(eligible)} items for {cell.module} objective {cell.objective}; the blueprint draws {cell.count}"
            )
        chosen += ranked(seed, f"cell:{cell.module}:{cell.objective}", eligible)[: cell.count]
    return Form(blueprint.id, learner, number, seed, tuple(ranked(seed, "order", chosen)))


def public_item(question: Question, module: str, seed: str) -> dict[str, Any]:
    """What a learner's page is sent for one item: no answer, no feedback, no explanation; options in seeded order."""
    out: dict[str, Any] = {
        "id": question.id,
        "module": module,
        "objective": question.objective,
        "type": question.type,
        "prompt": question.prompt,
        "options": [],
    }
    if isinstance(question, (SingleChoice, MultipleSelect)):
        text = {o.id: o.text for o in question.options}
        out["options"] = [{"id": oid, "text": text[oid]} for oid in ranked(seed, f"options:{question.id}", list(text))]
    return out
