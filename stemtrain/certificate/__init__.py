"""Certificates an employer can check offline: signed claims, a one-page PDF, verification, Open Badges 3.0.

One job per module: `claims` (what is signed), `code` (verification codes), `signing` (Ed25519 keys,
signatures and per-field seals), `envelope` (how the signed claims travel in a PDF and a QR code),
`pdf` (the page), `textlayer` (what the page's text says when read back), `verify` (the verdict),
`openbadge` (the VC-JWT export) and `command` (``stemtrain certificate ...``). Importing this package
imports none of them, so the command line stays light until a certificate command runs.
"""
