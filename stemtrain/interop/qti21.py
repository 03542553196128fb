"""IMS QTI 2.1: a content package of ``assessmentItem`` files, an ``assessmentTest`` per bank and an IMS CP 1.1 manifest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .model import Image, Limitation, Payload
from .qtibuild import HTML_TAGS
from .qtipackage import Version, package

__all__ = ["VERSION", "export"]

VERSION = Version(
    format="qti21",
    ns="http://www.imsglobal.org/xsd/imsqti_v2p1",
    schema="http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1p2.xsd",
    manifest_ns="http://www.imsglobal.org/xsd/imscp_v1p1",
    manifest_schema="http://www.imsglobal.org/xsd/imscp_v1p1.xsd",
    item_type="imsqti_item_xmlv2p1",
    test_type="imsqti_test_xmlv2p1",
    schema_name="QTIv2.1 Package",
    schema_version="1.0.0",
    element=lambda name: name,
    attribute=lambda name: name,
    html=HTML_TAGS,
    wrapped_feedback=False,
)


def export(
    banks: Sequence[Any], references: Mapping[str, Any], *, images: Mapping[str, Image] | None = None
) -> tuple[Payload, list[Limitation]]:
    """The banks as the files of a QTI 2.1 package (``imsmanifest.xml`` at its root)."""
    return package(banks, references, images, VERSION)
