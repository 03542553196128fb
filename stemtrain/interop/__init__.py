"""Interoperability: question banks out to Moodle, Canvas and QTI systems, jupyterquiz banks in, xAPI out to an LRS."""
