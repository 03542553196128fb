"""The class service: the one owner of a class's records (and, later, assessment keys and certificates).

Learners' kernels never open the class database; they talk to this service over HTTP through
``stemtrain.records.client.ServiceStore``. It runs under JupyterHub (identity verified by the hub) or
standalone for a room (identity self-asserted with a join code, then bound to a token).

Modules, one job each: ``config`` (where things live), ``storage`` (refusing network filesystems),
``db`` (tables, engine, Alembic migrations), ``ledger`` (the records operations), ``auth`` (tokens, roles,
the hub), ``room`` (join codes), ``models`` (the API's request and response bodies), ``app`` and ``api/``
(the routes, one router per area), ``server`` (uvicorn and the start-up banner), ``command`` (the CLI).
Importing this package is light; the web framework is imported by ``app`` and ``server`` only.
"""

from __future__ import annotations

__all__: list[str] = []
