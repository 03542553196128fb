"""The class service's API fuzzed from its own OpenAPI document (Schemathesis), against SQLite and PostgreSQL:
no 500s, every response matches the document, and malformed input gets a 4xx. Bounded, so it stays fast."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from stemtrain.classroom.app import create_app
from stemtrain.classroom.config import ClassConfig
from stemtrain.classroom.server import prepare_credentials

EXAMPLES = 25


@pytest.fixture(params=["learner", "instructor"])
def caller(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def class_api(database_url: str, tmp_path: Path, caller: str):
    config = ClassConfig(mode="room", data_dir=tmp_path / "data", database_url=database_url)
    app = create_app(config)
    creds = prepare_credentials(config, app.state.service.ledger)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    if caller == "learner":
        from fastapi.testclient import TestClient

        with TestClient(app) as http:
            token = http.post("/api/room/join", json={"code": creds.join_code, "name": "ana"}).json()["token"]
    else:
        token = creds.instructor_token
    yield schema, {"Authorization": f"Bearer {token}"}
    app.state.engine.dispose()


@pytest.fixture
def api_schema(class_api):
    return class_api[0]


lazy = schemathesis.pytest.from_fixture("api_schema")


@lazy.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_keeps_its_own_promises(case, class_api):
    _, headers = class_api
    # "valid data is accepted" cannot hold for rules JSON Schema cannot say (a score above max_score, someone
    # else's name, a wrong join code); every other built-in check runs
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
