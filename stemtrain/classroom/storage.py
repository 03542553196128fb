"""Refuse to keep a class's SQLite database on a network filesystem.

SQLite's WAL needs every process on one host and working file locks; neither holds on NFS, SMB/CIFS or
sshfs (reliability review, row 4c). The check reads the mounts table (``/proc/mounts`` on Linux) and finds
the filesystem the folder is on; tests pass a fake table.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["NETWORK_FILESYSTEMS", "NetworkFilesystemError", "check_local_disk", "filesystem_of"]

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "beegfs",
        "davfs",
        "sshfs",
        "fuse.sshfs",
        "fuse.glusterfs",
        "fuse.s3fs",
        "fuse.rclone",
        "fuse.gcsfuse",
        "fuse.cephfs",
    }
)


class NetworkFilesystemError(RuntimeError):
    """The folder for a SQLite database is on a network filesystem."""


def _unescape(field: str) -> str:
    """Mount points in the mounts table escape spaces, tabs, newlines and backslashes as octal (``\\040``)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def filesystem_of(folder: Path, mounts: str | None = None) -> tuple[str, str] | None:
    """(filesystem type, mount point) of ``folder`` from a mounts table, or None when there is no table."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    path = os.path.realpath(folder)
    best: tuple[str, str] | None = None
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point, kind = _unescape(parts[1]), parts[2]
        inside = path == point or path.startswith(point.rstrip("/") + "/") or point == "/"
        if inside and (best is None or len(point) >= len(best[1])):
            best = (kind, point)
    return best


def check_local_disk(folder: Path, mounts: str | None = None) -> None:
    """Raise ``NetworkFilesystemError`` when ``folder`` (for a SQLite database) is on a network filesystem."""
    found = filesystem_of(folder, mounts)
    if found is None:
        return
    kind, point = found
    if kind in NETWORK_FILESYSTEMS or kind.startswith("nfs"):
        raise NetworkFilesystemError(
            f"{folder} is on a network filesystem ({kind} mounted at {point}). SQLite cannot keep a class database safely there "
            "(its locks and write-ahead log need one computer and a local disk). Use PostgreSQL "
            "(--database postgresql://USER@HOST/DB), or a folder on a local disk (--data-dir)."
        )
