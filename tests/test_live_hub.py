"""Live questions under a real JupyterHub: through the hub's proxy, a learner's own server token (as the page
gets it from the kernel) reads the pushed question and answers; an instructor is whoever the hub puts in the
instructor group; learners may not push."""

from __future__ import annotations

import pytest
from test_classroom_hub import Hub, server_token

from stemtrain.content import load_course
from stemtrain.live.client import LiveClient, LiveError

pytestmark = [pytest.mark.hub, pytest.mark.xdist_group("hub")]


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory):
    started = Hub(tmp_path_factory.mktemp("live-hub"))
    yield started
    started.stop()


def test_hub_learners_answer_live_questions_with_their_server_token(hub: Hub):
    hub.api("POST", "/users", {"usernames": ["ana", "ines"]})
    ines = hub.api("POST", "/users/ines/tokens", {"note": "console", "expires_in": 3600})["token"]  # type: ignore[index]
    ana = server_token(hub, "ana")
    teacher, learner = LiveClient(hub.service_url, ines), LiveClient(hub.service_url, ana)
    with pytest.raises(LiveError) as refused:
        learner.start()
    assert refused.value.status == 403
    teacher.start()
    poll = teacher.push("reg-approved-abroad")["id"]
    seen = learner.current()
    assert seen["poll"]["question"]["question_id"] == "reg-approved-abroad" and seen["reveal"] is None
    right = load_course().banks["06-evidence-regulation-and-patients"].key("reg-approved-abroad").answer
    assert learner.answer(poll, right)["new"] is True
    assert teacher.current()["results"]["answered"] == 1
    teacher.reveal(poll)
    assert learner.current()["reveal"]["your_answer_correct"] is True
