"""The final assessment: a summative test drawn from a pool by a blueprint, graded where its keys are.

One job per module: ``blueprint`` (what a form holds, checked against the pool), ``pool`` (the items and their
keys, read with the course's own bank loader), ``files`` (where the blueprint and the pool are found),
``forms`` (the seeded draw), ``scoring`` (item scores over the quiz grading), ``result`` (per-objective
results and modules to revisit), ``attempt`` (what a learner's page is sent: public parts only),
``proctor`` (the rules of an attempt: limits, the deadline, one submission), ``local`` (self-study, graded on
the learner's own computer and labelled so), ``client`` (a class: the service holds the keys) and
``status`` (the course map's row). Importing this package imports none of them.
"""

from __future__ import annotations

__all__ = ["ASSESSMENT_MODULE", "ASSESSMENT_TITLE", "BLUEPRINT_ENV", "COURSE_TITLE", "POOL_ENV", "SELF_STUDY_LABEL"]

ASSESSMENT_MODULE = "07-final-assessment"
"""The assessment's notebook (it has no bank in ``assets/banks``: its items are in the pool, outside the install)."""

ASSESSMENT_TITLE = "Final assessment"

COURSE_TITLE = "MSC therapy for chronic low back pain: a course for clinic staff"
"""The course's name as certificates print it."""

POOL_ENV = "STEMTRAIN_ASSESSMENT_POOL"
"""A folder of pool files (``NN-slug.yaml``); its parent folder holds ``blueprint.yaml``."""

BLUEPRINT_ENV = "STEMTRAIN_ASSESSMENT_BLUEPRINT"
"""A blueprint file elsewhere than beside the pool folder."""

SELF_STUDY_LABEL = "Self-study, not proctored"
"""What every self-study result and completion document says (the certificate's page prints the same words)."""
