"""Where a class service keeps its things, and how it was asked to run.

The database and the instructor's token live in the service user's own data folder (mode 0700), never in a
place learners can read; the token file is 0600.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["MODES", "ClassConfig", "default_data_dir", "private_folder", "read_state", "write_private"]

MODES = ("room", "hub")
STATE_FILE = "instructor.json"


def default_data_dir() -> Path:
    """``STEMTRAIN_CLASS_DATA``, else ``$XDG_DATA_HOME/stemtrain-class`` (``~/.local/share/stemtrain-class``)."""
    env = os.environ.get("STEMTRAIN_CLASS_DATA", "").strip()
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
    return Path(base) / "stemtrain-class"


def private_folder(path: Path) -> Path:
    """Create ``path`` (0700) if needed; tighten it if others can read it."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def write_private(path: Path, data: dict[str, Any]) -> None:
    """Write JSON to ``path`` readable by its owner only (0600), replacing it atomically."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def read_state(folder: Path) -> dict[str, Any]:
    """The instructor's state file (token, join code) in ``folder``, or ``{}``."""
    try:
        data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class ClassConfig:
    """How one class service runs. ``prefix`` is the path it is served under (``/services/NAME/`` under a hub)."""

    mode: str = "room"
    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str = ""
    prefix: str = "/"
    hub_api_url: str = ""
    hub_api_token: str = ""
    instructor_groups: tuple[str, ...] = ("stemtrain-instructors",)
    instructor_roles: tuple[str, ...] = ()
    hub_cache_seconds: int = 60
    issuer: str = "stemtrain class service"
    verify_url: str = ""
    """The service's verification page as learners and employers reach it (``…/verify``): certificates' QR codes link there."""

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {self.mode!r}")
        prefix = "/" + self.prefix.strip("/") + "/" if self.prefix.strip("/") else "/"
        object.__setattr__(self, "prefix", prefix)
        if self.mode == "hub" and not (self.hub_api_url and self.hub_api_token):
            raise ValueError("hub mode needs the hub's API URL and the service's API token (JUPYTERHUB_API_URL, JUPYTERHUB_API_TOKEN)")

    @property
    def url(self) -> str:
        """The database URL: the one given, else SQLite in the data folder."""
        return self.database_url or f"sqlite:///{self.data_dir / 'class.sqlite3'}"

    @classmethod
    def from_hub_environment(cls, env: dict[str, str] | None = None, **kw: Any) -> ClassConfig:
        """The configuration JupyterHub gives a managed service in its environment."""
        env = dict(os.environ) if env is None else env
        return cls(
            mode="hub",
            prefix=env.get("JUPYTERHUB_SERVICE_PREFIX", "/"),
            hub_api_url=env.get("JUPYTERHUB_API_URL", ""),
            hub_api_token=env.get("JUPYTERHUB_API_TOKEN", ""),
            **kw,
        )
