"""``stemtrain class serve | join | status``: run the class service, join a room, see where answers go.

Kept light: the web framework and the database are imported only when ``serve`` runs.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["register"]


def _database(args: argparse.Namespace, env: Any) -> str:
    """--database, else --database-file (a mounted secret holding the URL and its password), else the environment."""
    if args.database:
        return str(args.database)
    secret = args.database_file or env.get("STEMTRAIN_CLASS_DATABASE_FILE", "")
    if secret:
        return Path(secret).read_text(encoding="utf-8").strip()
    return str(env.get("STEMTRAIN_CLASS_DATABASE", ""))


def _serve(args: argparse.Namespace) -> int:
    from .config import ClassConfig, default_data_dir
    from .server import serve

    env = os.environ
    mode = args.mode or ("hub" if env.get("JUPYTERHUB_SERVICE_NAME") else "room")
    common: dict[str, Any] = {
        "data_dir": Path(args.data_dir).expanduser() if args.data_dir else default_data_dir(),
        "database_url": _database(args, env),
        "instructor_groups": tuple(args.instructor_group or ["stemtrain-instructors"]),
        "instructor_roles": tuple(args.instructor_role or ()),
    }
    host, port = args.host, args.port
    if mode == "hub":
        config = ClassConfig.from_hub_environment(dict(env), **common)
        where = urlsplit(env.get("JUPYTERHUB_SERVICE_URL", ""))
        host = host or where.hostname or "127.0.0.1"
        port = port or where.port or 10101
    else:
        config = ClassConfig(mode="room", **common)
        host, port = host or "127.0.0.1", port or 8765
    return serve(config, host=host, port=port, url=args.url, fresh_code=args.new_code)


def _join(args: argparse.Namespace) -> int:
    from ..records import join

    joined = join(args.url, args.code, args.name)
    print(f"Joined {joined['url']} as {joined['learner']!r}. Your answers now go to the class service (token saved in the join file).")
    return 0


def _status(_: argparse.Namespace) -> int:
    from ..records import ServiceStore, StoreError, default_url, open_store

    url = default_url()
    if not url.startswith(("http://", "https://")):
        print(f"Answers are saved on this computer: {url}")
        return 0
    store = open_store(url)
    assert isinstance(store, ServiceStore)
    try:
        store.attempts()
        reachable = "reachable"
    except StoreError as exc:
        reachable = f"not reachable now ({exc})"
    print(f"Class service: {store.url} ({reachable})")
    print(f"Learner: {store.learner or 'unknown'} ({store.identity_source or 'no token'}{', verified' if store.verified else ''})")
    print(f"Answers waiting on this computer: {store.pending()}")
    store.close()
    return 0 if reachable == "reachable" else 1


def register(sub: Any) -> None:
    group = sub.add_parser("class", help="a class: the class service (instructors) and joining it (learners)")
    commands = group.add_subparsers(dest="class_command", required=True, metavar="SUBCOMMAND")

    p = commands.add_parser("serve", help="run the class service (the one owner of the class's records)")
    p.add_argument(
        "--mode",
        choices=("room", "hub"),
        help="room: learners join with a code; hub: JupyterHub names them (default: hub when run by the hub)",
    )
    p.add_argument("--host", default="", help="address to listen on (default 127.0.0.1; a LAN address only when you give it here)")
    p.add_argument("--port", type=int, default=0, help="port (default 8765; under the hub, the service URL's port)")
    p.add_argument("--url", default="", help="the address learners use, when it differs from --host/--port (a proxy, a name)")
    p.add_argument(
        "--data-dir", default="", help="folder for the database and the instructor's token (default ~/.local/share/stemtrain-class)"
    )
    p.add_argument("--database", default="", help="database URL (default SQLite in the data folder; PostgreSQL: postgresql://USER@HOST/DB)")
    p.add_argument("--database-file", default="", help="a file holding the database URL (a mounted secret), instead of --database")
    p.add_argument(
        "--instructor-group", action="append", help="hub group whose members are instructors (repeatable; default stemtrain-instructors)"
    )
    p.add_argument(
        "--instructor-role",
        action="append",
        help="hub role whose holders are instructors (repeatable; give the service the read:roles:users scope too)",
    )
    p.add_argument("--new-code", action="store_true", help="make a new join code (learners who joined keep their tokens)")
    p.set_defaults(run=_serve)

    p = commands.add_parser("join", help="join a room's class service with the code the instructor shows")
    p.add_argument("url", help="the class service address, e.g. http://192.168.1.20:8765/")
    p.add_argument("--code", required=True, help="the join code")
    p.add_argument("--name", required=True, help="your name, as the instructor should see it")
    p.set_defaults(run=_join)

    p = commands.add_parser("status", help="where your answers go, and how many wait to be sent")
    p.set_defaults(run=_status)
