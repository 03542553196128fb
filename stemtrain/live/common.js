// Shared by the learner's panel and the instructor's console (the widget's module is this file followed by one
// of theirs). The token reaches the page once and is cleared from the widget's state straight away (never in a
// saved notebook or a URL); it travels in the Authorization header. Every text from the service is set with
// textContent, never parsed as HTML.

const LOST = "Lost contact with the class service. Trying again…";

function node(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function bars(results) {
  const box = node("div", "stl-bars");
  const total = Math.max(1, results.answered);
  for (const o of results.options) {
    const row = node("div", "stl-bar" + (o.correct ? " stl-right" : ""));
    row.dataset.option = o.id;
    const track = node("span", "stl-track");
    const fill = node("span", "stl-fill");
    fill.style.width = `${Math.round((100 * o.count) / total)}%`;
    track.append(fill);
    row.append(node("span", "stl-label", (o.correct ? "✓ " : "") + o.text), track, node("span", "stl-count", o.count));
    box.append(row);
  }
  box.append(node("p", "stl-answered", `${results.answered} of ${results.learners} answered`));
  return box;
}

function connect(model, onToken) {
  // The token comes in the widget's first state, and the page clears it from that state at once (so a saved
  // notebook never holds it); a later view of the same widget asks the kernel for it in a custom message.
  let token = model.get("token") || null;
  let asking = null;
  if (token) {
    model.set("token", "");
    model.save_changes();
    onToken(token);
    return () => {};
  }
  model.on("msg:custom", (msg) => {
    if (msg && msg.type === "token" && msg.token && !token) {
      token = msg.token;
      onToken(token);
    }
  });
  const ask = () => {
    if (token) return;
    model.send({ type: "token?" });
    asking = setTimeout(ask, 3000);
  };
  ask();
  return () => clearTimeout(asking);
}

async function call(base, token, method, path, body) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const reply = await fetch(new URL(path, new URL(base, window.location.href)), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
    credentials: "omit",
  });
  let data = null;
  try {
    data = await reply.json();
  } catch (e) {
    data = null;
  }
  return [reply.status, data];
}

