"""Certificates: anyone may check one by its code (a page for people, JSON for programs) and fetch the public key
that verifies them offline; the instructor lists them and revokes one, with a reason the check then shows.

Everything on the verification page that came from a person (the name, the reason, the code typed) is
escaped, and the page forbids scripts (``Content-Security-Policy``), so a hostile name shows as text.
"""

from __future__ import annotations

import html
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, FastAPI, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from starlette.concurrency import run_in_threadpool

from ...certificate.claims import Claims
from ...certificate.code import CodeError, is_valid, normalise
from ...certificate.textlayer import format_date, format_score
from ..assessmentmodels import CertificateOut, RevokeIn
from ..assessmentstore import CertificateRow
from .deps import ERRORS, Instructor, Service, ServiceDep, get_service, problem

router = APIRouter(prefix="/certificates", tags=["certificates"], responses=ERRORS)
Code = Annotated[str, Path(min_length=1, max_length=40)]
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
}


def _out(row: CertificateRow) -> CertificateOut:
    claims = Claims.from_bytes(row.claims)
    return CertificateOut(
        code=row.code,
        learner=claims.learner,
        issued_at=claims.issued_at,
        score_permille=claims.score_permille,
        passed=claims.passed,
        mode=claims.mode,
        course_title=claims.course_title,
        revoked=row.revoked_at is not None,
        revoked_at=row.revoked_at,
        reason=row.reason,
    )


def _lookup(service: Service, code: str) -> CertificateRow:
    try:
        canonical = normalise(code)
    except CodeError as exc:
        raise HTTPException(422, f"code: {exc}") from None
    if not is_valid(canonical):
        raise HTTPException(422, "code: the check character does not match; the code was probably mistyped")
    row = service.assessment.store.certificate(canonical)
    if row is None:
        raise HTTPException(404, f"code: no certificate has the code {canonical}")
    return row


@router.get(
    "/public-key", response_class=PlainTextResponse, responses={200: {"content": {"application/x-pem-file": {}}, "description": "PEM"}}
)
def public_key(service: ServiceDep) -> PlainTextResponse:
    """The Ed25519 public key that verifies this service's certificates offline (``stemtrain certificate verify --key``)."""
    return PlainTextResponse(service.assessment.issuer.public_pem().decode("ascii"), media_type="application/x-pem-file")


@router.get("", response_model=list[CertificateOut])
def list_certificates(_: Instructor, service: ServiceDep) -> list[CertificateOut]:
    """Every certificate this service issued, revoked ones too."""
    return [_out(row) for row in service.assessment.store.certificates()]


@router.get("/{code}", response_model=CertificateOut, responses=problem(404))
def check(code: Code, service: ServiceDep) -> CertificateOut:
    """Whose certificate a code is, when it was issued, its result, and whether it was revoked (no token needed)."""
    return _out(_lookup(service, code))


@router.post("/{code}/revoke", response_model=CertificateOut, responses=problem(404))
def revoke(code: Code, body: RevokeIn, _: Instructor, service: ServiceDep) -> CertificateOut:
    """Revoke a certificate: its verification then says so, with the reason. Revoking again keeps the first reason."""
    row = _lookup(service, code)
    revoked = service.assessment.revoke(row.code, body.reason)
    assert revoked is not None
    return _out(revoked)


# --- the verification page (for people) ---------------------------------------------------------------
def _page(body: str, prefix: str, code: str = "") -> HTMLResponse:
    e = html.escape
    form = (
        f'<form method="post" action="{e(prefix)}verify"><label for="code">Verification code</label> '
        f'<input id="code" name="code" value="{e(code)}" autocomplete="off" spellcheck="false" maxlength="40" '
        'placeholder="XXXX-XXXX-XXXX-C"> <button type="submit">Check</button></form>'
    )
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Check a certificate</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        '<body style="font-family:sans-serif;max-width:44em;margin:2em auto;line-height:1.5">'
        f"<h1>Check a certificate</h1><p>Enter the code printed on the certificate.</p>{form}{body}</body></html>"
    )
    return HTMLResponse(page, headers=_PAGE_HEADERS)


def _verdict(service: Service, typed: str) -> str:
    e = html.escape
    try:
        row = _lookup(service, typed)
    except HTTPException as exc:
        return f'<p role="alert" id="verdict"><strong>Not found.</strong> {e(str(exc.detail).removeprefix("code: "))}.</p>'
    claims = Claims.from_bytes(row.claims)
    if row.revoked_at is not None:
        status = f'<strong style="color:#a00">Revoked</strong> on {e(format_date(row.revoked_at))}: {e(row.reason or "no reason given")}'
    else:
        status = "<strong>Valid</strong>: issued by this class service and not revoked"
    mode = "self-study, not proctored" if claims.mode == "self-study" else "in a supervised class session"
    rows = [
        ("Status", status),
        ("Name", f'<bdi dir="auto">{e(claims.learner)}</bdi>'),
        ("Course", e(claims.course_title)),
        ("Date", e(format_date(claims.issued_at))),
        ("Result", f"Passed, score {e(format_score(claims.score_permille))} ({e(mode)})"),
        ("Code", f"<code>{e(row.code)}</code>"),
    ]
    cells = "".join(f'<tr><th scope="row" style="text-align:left;padding-right:1em">{k}</th><td>{v}</td></tr>' for k, v in rows)
    return f'<table id="verdict" aria-label="The certificate">{cells}</table>'


def add_verify_page(app: FastAPI, prefix: str) -> None:
    """``PREFIX/verify``: a form to type a code (GET, also ``?code=`` from a QR code) and its verdict (POST)."""

    @app.get(prefix + "verify", response_class=HTMLResponse, include_in_schema=False)
    def verify_form(request: Request, code: str = "") -> HTMLResponse:
        service = get_service(request)
        return _page(_verdict(service, code) if code else "", prefix, code)

    @app.post(prefix + "verify", response_class=HTMLResponse, include_in_schema=False)
    async def verify_posted(request: Request) -> HTMLResponse:
        raw = (await request.body())[:4096]
        fields = parse_qs(raw.decode("utf-8", "replace"), max_num_fields=10)
        code = (fields.get("code") or [""])[0][:40]
        service = get_service(request)
        verdict = (
            await run_in_threadpool(_verdict, service, code) if code.strip() else '<p role="alert" id="verdict">Type a code first.</p>'
        )
        return _page(verdict, prefix, code)
