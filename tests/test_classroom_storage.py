"""Where the class database may live: never SQLite on a network filesystem; migrations create, upgrade and refuse."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from stemtrain.classroom.app import create_app
from stemtrain.classroom.config import ClassConfig
from stemtrain.classroom.db import DatabaseError, open_engine, upgrade
from stemtrain.classroom.storage import NetworkFilesystemError, check_local_disk, filesystem_of

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
server:/export/home /home nfs4 rw,vers=4.2 0 0
//files/class /mnt/class\\040share cifs rw 0 0
ana@laptop:/srv /mnt/remote fuse.sshfs rw 0 0
/dev/sdb1 /home/local ext4 rw 0 0
"""


@pytest.mark.parametrize(
    ("folder", "kind"),
    [("/home/ana/class", "nfs4"), ("/mnt/class share/x", "cifs"), ("/mnt/remote/db", "fuse.sshfs"), ("/home", "nfs4")],
)
def test_a_network_filesystem_is_refused_with_advice_to_use_postgresql(folder: str, kind: str):
    with pytest.raises(NetworkFilesystemError, match="PostgreSQL") as info:
        check_local_disk(Path(folder), MOUNTS)
    assert kind in str(info.value) and folder in str(info.value)


@pytest.mark.parametrize("folder", ["/var/lib/stemtrain", "/home/local/class", "/homeless"])
def test_a_local_disk_is_accepted(folder: str):
    check_local_disk(Path(folder), MOUNTS)
    assert filesystem_of(Path(folder), MOUNTS)[0] == "ext4"


def test_the_service_refuses_to_start_on_sqlite_on_a_network_filesystem(tmp_path: Path):
    mounts = f"/dev/sda1 / ext4 rw 0 0\nserver:/x {tmp_path} nfs rw 0 0\n"
    with pytest.raises(NetworkFilesystemError, match="Use PostgreSQL"):
        create_app(ClassConfig(data_dir=tmp_path / "data"), mounts=mounts)
    assert not (tmp_path / "data" / "class.sqlite3").exists()


def test_the_database_and_its_folder_are_private(tmp_path: Path):
    app = create_app(ClassConfig(data_dir=tmp_path / "data"))
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "data" / "class.sqlite3").stat().st_mode & 0o077 == 0
    app.state.engine.dispose()


def test_migrations_create_then_leave_a_current_database_alone(database_url: str):
    engine = open_engine(database_url)
    assert upgrade(engine) == "0003"
    assert upgrade(engine) == "0003"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0003"
    engine.dispose()


def test_a_database_from_a_newer_stemtrain_is_refused_unchanged(database_url: str):
    engine = open_engine(database_url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DatabaseError, match="newer stemtrain"):
        upgrade(engine)
    engine.dispose()


def test_a_database_that_is_not_ours_is_refused_unchanged(tmp_path: Path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(DatabaseError, match="not a stemtrain class"):
        upgrade(open_engine(f"sqlite:///{path}"))
    with sqlite3.connect(path) as db:
        assert [r[0] for r in db.execute("SELECT name FROM sqlite_master")] == ["invoices"]
