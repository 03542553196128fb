// The instructor's live console: start a session, push a question, watch the answers come in as a bar chart
// (counts only, no names), close answering, reveal the answer, end the session. It calls the class service from
// the browser with the instructor's token, so it works while the notebook's kernel is busy. (Follows common.js.)

function render({ model, el }) {
  const root = node("section", "stemtrain-live stl-console");
  root.setAttribute("aria-label", "Live session console");
  const status = node("p", "stl-status");
  status.setAttribute("role", "status");
  const controls = node("div", "stl-controls");
  const pick = node("select", "stl-pick");
  pick.setAttribute("aria-label", "Question to push");
  for (const q of model.get("questions")) {
    const option = node("option", "", q.label);
    option.value = q.id;
    pick.append(option);
  }
  const buttons = {};
  for (const [name, text] of [
    ["start", "Start session"],
    ["push", "Push question"],
    ["close", "Close answering"],
    ["reveal", "Reveal answer"],
    ["end", "End session"],
  ]) {
    buttons[name] = node("button", `stl-${name}`, text);
    buttons[name].type = "button";
    buttons[name].disabled = true;
  }
  controls.append(buttons.start, pick, buttons.push, buttons.close, buttons.reveal, buttons.end);
  const board = node("div", "stl-board");
  board.setAttribute("aria-live", "polite");
  root.append(controls, board, status);
  el.append(root);
  const base = model.get("url");
  if (!base) {
    board.append(node("p", "stl-idle", model.get("idle_text")));
    return () => {};
  }
  board.append(node("p", "stl-idle", "Connecting to the class service…"));
  let token = null;
  let timer = null;
  let stopped = false;
  let current = null;
  let shown = "";

  async function act(method, path, body) {
    try {
      const [code, data] = await call(base, token, method, path, body);
      status.textContent = code < 300 ? "" : (data && data.detail) || `The class service answered ${code}.`;
    } catch (e) {
      status.textContent = LOST;
    }
    shown = "";
    tick();
  }
  buttons.start.onclick = () => act("POST", "api/live/sessions");
  buttons.push.onclick = () => act("POST", "api/live/polls", { question_id: pick.value });
  buttons.close.onclick = () => current && current.poll && act("POST", `api/live/polls/${current.poll.id}/close`);
  buttons.reveal.onclick = () => current && current.poll && act("POST", `api/live/polls/${current.poll.id}/reveal`);
  buttons.end.onclick = () => act("DELETE", "api/live/sessions/current");

  function show(data) {
    current = data;
    const poll = data.poll;
    buttons.start.disabled = !!data.session;
    buttons.push.disabled = !data.session;
    buttons.end.disabled = !data.session;
    buttons.close.disabled = !poll || poll.state !== "open";
    buttons.reveal.disabled = !poll || poll.state === "revealed";
    root.dataset.state = poll ? poll.state : data.session ? "session" : "idle";
    const version = data.version + (data.results ? `:${data.results.answered}` : "");
    if (version === shown) return;
    shown = version;
    if (!data.session) {
      board.replaceChildren(node("p", "stl-idle", "No live session. Start one, then push a question."));
      return;
    }
    if (!poll) {
      board.replaceChildren(node("p", "stl-idle", "Session started: push a question."));
      return;
    }
    const states = { open: "answering open", closed: "answering closed", revealed: "answer revealed" };
    const head = node("p", "stl-kicker", `${poll.question.question_id} · ${states[poll.state]}`);
    board.replaceChildren(head, node("p", "stl-prompt", poll.question.prompt), bars(data.results));
  }

  async function tick() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped) return;
    try {
      const [code, data] = await call(base, token, "GET", "api/live/current");
      if (code === 200) {
        root.classList.remove("stl-lost");
        if (status.textContent === LOST) status.textContent = "";
        show(data);
      } else {
        status.textContent = (data && data.detail) || `The class service answered ${code}.`;
      }
    } catch (e) {
      root.classList.add("stl-lost");
      status.textContent = LOST;
    }
    if (!stopped) timer = setTimeout(tick, Math.max(250, model.get("interval_ms") || 1000));
  }

  const stopAsking = connect(model, (t) => {
    token = t;
    tick();
  });
  return () => {
    stopped = true;
    stopAsking();
    if (timer) clearTimeout(timer);
  };
}

export default { render };
