// The learner's live panel: asks the class service about once a second for the question the instructor pushed,
// in the browser, so it keeps working while the kernel is busy; says so when the service cannot be reached and
// carries on when it is back. (Follows common.js in the widget's module.)

function question(data, root, send) {
  const poll = data.poll;
  const q = poll.question;
  const answered = data.your_answer !== null && data.your_answer !== undefined;
  const open = poll.state === "open" && !answered;
  const box = node("div", "stl-question");
  box.append(node("p", "stl-kicker", "Live question from your instructor"));
  if (q.context) box.append(node("p", "stl-context", q.context));
  const form = node("form", "stl-form");
  const set = node("fieldset");
  set.append(node("legend", "stl-prompt", q.prompt));
  const kind = q.type === "multiple_select" ? "checkbox" : "radio";
  const name = `stl-${poll.id}-${Math.random().toString(36).slice(2)}`;
  const mine = new Set(
    !answered ? [] : typeof data.your_answer === "boolean" ? [String(data.your_answer)] : [].concat(data.your_answer)
  );
  const correct = new Set(data.reveal ? data.reveal.correct : []);
  for (const o of q.options) {
    const label = node("label", "stl-option");
    const input = node("input");
    input.type = kind;
    input.name = name;
    input.value = o.id;
    input.checked = mine.has(o.id);
    input.disabled = !open;
    label.append(input, node("span", "", o.text));
    if (data.reveal) label.classList.add(correct.has(o.id) ? "stl-right" : "stl-other");
    if (data.reveal && mine.has(o.id)) label.append(node("span", "stl-mine", "your answer"));
    set.append(label);
  }
  form.append(set);
  const button = node("button", "stl-send", "Send answer");
  button.type = "submit";
  button.disabled = !open;
  form.append(button);
  const note = node("p", "stl-note");
  form.append(note);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = [...form.querySelectorAll("input:checked")].map((i) => i.value);
    if (!picked.length) {
      note.textContent = "Choose an answer first.";
      return;
    }
    const response = q.type === "true_false" ? picked[0] === "true" : q.type === "multiple_select" ? picked : picked[0];
    button.disabled = true;
    note.textContent = "Sending…";
    note.textContent = await send(poll.id, response);
    button.disabled = note.textContent !== "" && !note.textContent.startsWith("Not sent");
  });
  box.append(form);
  if (answered && !data.reveal) box.append(node("p", "stl-done", "Your answer is in. Your instructor will show the answer."));
  if (poll.state === "closed" && !data.reveal) box.append(node("p", "stl-closed", "Answering is closed."));
  if (!answered && poll.state !== "open" && !data.reveal) box.append(node("p", "stl-closed", "You did not answer this one."));
  if (data.reveal) {
    const shown = node("div", "stl-reveal");
    const right = q.options.filter((o) => correct.has(o.id)).map((o) => o.text);
    shown.append(node("p", "stl-answer", `Answer: ${right.join("; ")}`));
    if (data.reveal.your_answer_correct !== null) {
      shown.append(node("p", "stl-yours", data.reveal.your_answer_correct ? "Your answer was right." : "Your answer was not right this time."));
    }
    shown.append(node("p", "stl-explanation", data.reveal.explanation));
    if (data.results) shown.append(bars(data.results));
    box.append(shown);
  }
  root.replaceChildren(box);
}

function render({ model, el }) {
  const root = node("section", "stemtrain-live");
  root.setAttribute("aria-label", "Live question");
  const body = node("div", "stl-body");
  body.setAttribute("aria-live", "polite");
  const status = node("p", "stl-status");
  status.setAttribute("role", "status");
  root.append(body, status);
  el.append(root);
  const base = model.get("url");
  const every = Math.max(250, model.get("interval_ms") || 1000);
  if (!base) {
    body.append(node("p", "stl-idle", model.get("idle_text")));
    return () => {};
  }
  body.append(node("p", "stl-idle", "Connecting to the class…"));
  let token = null;
  let timer = null;
  let stopped = false;
  let shown = "";
  let failures = 0;

  async function send(pollId, response) {
    try {
      const [code, data] = await call(base, token, "POST", `api/live/polls/${pollId}/answers`, { response });
      if (code === 200 || code === 201) {
        shown = "";
        return "";
      }
      return (data && data.detail) || `The class service answered ${code}.`;
    } catch (e) {
      return "Not sent: lost contact with the class service. Press Send answer again.";
    }
  }

  function show(data) {
    const version = data.version + (data.results ? `:${data.results.answered}` : "");
    if (version === shown) return;
    shown = version;
    root.dataset.state = data.poll ? data.poll.state : "idle";
    root.dataset.poll = data.poll ? String(data.poll.id) : "";
    if (!data.poll) {
      const text = data.session ? "Live session: waiting for your instructor's next question." : "No live question right now.";
      body.replaceChildren(node("p", "stl-idle", text));
      return;
    }
    question(data, body, send);
  }

  async function tick() {
    timer = null;
    if (stopped) return;
    try {
      const [code, data] = await call(base, token, "GET", "api/live/current");
      if (code === 200) {
        failures = 0;
        root.classList.remove("stl-lost");
        status.textContent = "";
        show(data);
      } else if (code === 401) {
        status.textContent = "The class service does not know your token: join the class again (stemtrain class join).";
      } else {
        status.textContent = `The class service answered ${code}; trying again…`;
      }
    } catch (e) {
      failures += 1;
      root.classList.add("stl-lost");
      status.textContent = LOST;
    }
    if (!stopped) timer = setTimeout(tick, every);
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
