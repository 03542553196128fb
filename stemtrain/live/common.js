// Shared by the learner's panel and the instructor's console (the widget's module is this file followed by one
// of theirs). The token comes from the kernel once, in a custom message (never in the widget's saved state or
// a URL), and travels in the Authorization header. Every text from the service is set with textContent.

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
  // Ask the kernel for the token until it answers (a busy kernel answers when its cell ends).
  let token = null;
  let asking = null;
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

