"""``stemtrain export``: every format over the whole course, as files an LMS can read."""

from __future__ import annotations

import zipfile

import pytest

from stemtrain.cli import main
from stemtrain.interop.formats import EXPORTERS


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_export_whole_course(fmt, tmp_path, capsys):
    out = tmp_path / f"course{EXPORTERS[fmt].suffix}"
    assert main(["export", "--format", fmt, "--out", str(out), "--no-figures"]) == 0
    printed = capsys.readouterr().out
    assert "limitation: " in printed and f"({EXPORTERS[fmt].title})" in printed
    if EXPORTERS[fmt].packaged:
        with zipfile.ZipFile(out) as archive:
            names = archive.namelist()
            assert names[0] == "imsmanifest.xml" and len(names) > 2
            assert archive.testzip() is None
    else:
        assert out.stat().st_size > 10_000


def test_export_one_bank_with_its_figure(tmp_path, capsys):
    out = tmp_path / "m.xml"
    assert main(["export", "--format", "moodle-xml", "--bank", "assets/banks/05-image-guided-delivery.yaml", "--out", str(out)]) == 0
    assert b'encoding="base64"' in out.read_bytes()
    assert "1 bank(s)" in capsys.readouterr().out


def test_the_command_line_offers_exactly_the_registered_formats():
    from stemtrain.interop.command import FORMATS
    from stemtrain.interop.formats import EXPORTERS

    assert set(FORMATS) == set(EXPORTERS)
