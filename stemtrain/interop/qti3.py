"""1EdTech QTI 3.0: the same package as QTI 2.1 with QTI 3's names (``qti-choice-interaction``, ``max-choices``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .model import Image, Limitation, Payload
from .qtibuild import HTML_TAGS
from .qtipackage import Version, package

__all__ = ["VERSION", "export", "qti3_attribute", "qti3_element"]


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


def qti3_element(name: str) -> str:
    """QTI 2.1 element name -> QTI 3: ``choiceInteraction`` -> ``qti-choice-interaction``."""
    return f"qti-{_kebab(name)}"


def qti3_attribute(name: str) -> str:
    """QTI 2.1 attribute name -> QTI 3: ``maxChoices`` -> ``max-choices``."""
    return _kebab(name)


VERSION = Version(
    format="qti3",
    ns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0",
    schema="https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0p1_v1p0.xsd",
    manifest_ns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1",
    manifest_schema="https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd",
    item_type="imsqti_item_xmlv3p0",
    test_type="imsqti_test_xmlv3p0",
    schema_name="QTI Package",
    schema_version="3.0.0",
    element=qti3_element,
    attribute=qti3_attribute,
    html=HTML_TAGS,
    wrapped_feedback=True,
)


def export(
    banks: Sequence[Any], references: Mapping[str, Any], *, images: Mapping[str, Image] | None = None
) -> tuple[Payload, list[Limitation]]:
    """The banks as the files of a QTI 3.0 package (``imsmanifest.xml`` at its root)."""
    return package(banks, references, images, VERSION)
