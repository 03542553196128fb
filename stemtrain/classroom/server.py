"""Starting the service: credentials (the instructor's token, the room's join code), the banner, uvicorn.

The instructor's token and the join code are kept in ``DATA/instructor.json`` (0600, in a 0700 folder); the
database keeps only their hashes. Restarting reuses both, so learners who joined keep working.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from dataclasses import dataclass, replace
from typing import Any, TextIO

from .api.room import JOIN_CODE
from .auth import new_token, token_hash
from .config import STATE_FILE, ClassConfig, private_folder, read_state, write_private
from .ledger import Ledger
from .room import code_hash, new_code

__all__ = ["Credentials", "banner", "lan_address", "prepare_credentials", "public_url", "serve"]


@dataclass(frozen=True)
class Credentials:
    instructor_token: str
    join_code: str | None
    state_file: str


def prepare_credentials(config: ClassConfig, ledger: Ledger, *, fresh_code: bool = False) -> Credentials:
    """The instructor's token and (room mode) the join code: the saved ones if still valid, else new ones."""
    folder = private_folder(config.data_dir)
    state = read_state(folder)
    token = state.get("instructor_token")
    if not isinstance(token, str) or ledger.token(token_hash(token)) != ("instructor", None):
        token = new_token()
        ledger.add_token(token_hash(token), "instructor", replace=True)
    code = state.get("join_code") if config.mode == "room" else None
    if config.mode == "room" and (fresh_code or not isinstance(code, str) or ledger.setting(JOIN_CODE) != code_hash(code)):
        code = new_code()
        ledger.set_setting(JOIN_CODE, code_hash(code))
    write_private(folder / STATE_FILE, {"instructor_token": token, "join_code": code, "mode": config.mode})
    return Credentials(token, code if isinstance(code, str) else None, str(folder / STATE_FILE))


def lan_address() -> str:
    """This computer's address on its local network (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def public_url(host: str, port: int, prefix: str) -> str:
    shown = lan_address() if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}{prefix}"


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def banner(config: ClassConfig, creds: Credentials, url: str, host: str, out: TextIO) -> None:
    """What the instructor sees at start: where it runs, how learners join (with a QR code), the token."""
    print(f"stemtrain class service ({config.mode} mode) at {url}", file=out)
    print(f"Records: {config.url if not config.database_url else config.database_url.split('@')[-1]}", file=out)
    if config.mode == "room" and creds.join_code:
        join = f"{url}join?code={creds.join_code}"
        print(f"\nJoin code: {creds.join_code}", file=out)
        print(f'Learners run:  stemtrain class join {url} --code {creds.join_code} --name "Their name"', file=out)
        print(f"or open {join}", file=out)
        try:
            import segno

            segno.make(join, error="m").terminal(out=out, compact=True)
        except ImportError:  # pragma: no cover - segno is a dependency of the class extra
            pass
        print(f"\nInstructor token: {creds.instructor_token}", file=out)
    else:
        groups = ", ".join(config.instructor_groups) or "none"
        print(f"Instructors: members of the hub group(s) {groups}", file=out)
    print(f"(instructor token and join code are saved in {creds.state_file}, readable by you only)", file=out)
    if not _loopback(host):
        print(
            f"\nListening on {host}: anyone on this network can reach it. Allow port {url.rsplit(':', 1)[-1].split('/', maxsplit=1)[0]} "
            "in the firewall for the room's network only, and stop the service after class (Ctrl+C).",
            file=out,
        )
    out.flush()


def assessment_banner(desk: Any, config: ClassConfig, url: str, out: TextIO) -> None:
    """Where the final assessment comes from (or why there is none), how certificates are checked, and a warning
    when the pool's files can be read by other users of this computer."""
    print(f"\n{desk.describe()}", file=out)
    loose = desk.readable_by_others()
    if loose:
        print(f"WARNING: other users of this computer can read the assessment pool ({loose[0]}, ...): chmod -R go-rwx it.", file=out)
    print(
        f"Certificates are checked at {config.verify_url}; the public key that checks them offline: {url}api/certificates/public-key",
        file=out,
    )
    out.flush()


def serve(
    config: ClassConfig, *, host: str = "127.0.0.1", port: int = 8765, url: str = "", fresh_code: bool = False, out: TextIO | None = None
) -> int:
    """Run the service until interrupted (or terminated)."""
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from .app import create_app
    from .db import DatabaseError

    shown = url or public_url(host, port, config.prefix)
    if not config.verify_url:  # certificates' QR codes lead to this service's verification page
        config = replace(config, verify_url=f"{shown}verify")
    try:
        app = create_app(config)
    except SQLAlchemyError as exc:
        where = config.url.split("@")[-1]
        raise DatabaseError(f"cannot open the class database ({where}): {str(getattr(exc, 'orig', None) or exc).strip()}") from None
    creds = prepare_credentials(config, app.state.service.ledger, fresh_code=fresh_code)
    banner(config, creds, shown, host, out or sys.stdout)
    assessment_banner(app.state.service.assessment, config, shown, out or sys.stdout)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=5)
    app.state.engine.dispose()
    return 0
