// The page's status line (saving trouble, in words, from the library) and the page's check that its kernel still
// answers: one ping every few seconds per page; when no answer comes for a while, every status line on the page says
// so and what to do, and the message goes away by itself if the kernel comes back.
const PING_MS = 4000;
const LOST_MS = 15000;

function lostText(savingTrouble) {
  const inLab = !window.location.pathname.includes("/voila/");
  const todo = inLab ? "Choose Kernel → Restart Kernel and Run All Cells to go on." : "Reload this page to go on.";
  const kept = savingTrouble
    ? "Answers the message above says were not saved are lost with it."
    : "Answers you checked before this are saved.";
  return `The page has lost its connection to the course: its kernel stopped or is not answering. ${kept} ${todo}`;
}

function watch(model) {
  if (model.__stemtrainWatch) {
    model.__stemtrainWatch.views += 1;
    return model.__stemtrainWatch;
  }
  const state = { views: 1, answered: Date.now(), lost: false, listeners: new Set() };
  let n = 0;
  model.on("msg:custom", (msg) => {
    if (msg && msg.pong !== undefined) {
      state.answered = Date.now();
      if (state.lost) {
        state.lost = false;
        state.listeners.forEach((f) => f());
      }
    }
  });
  state.timer = setInterval(() => {
    try {
      model.send({ ping: ++n });
    } catch {
      // a closed connection: the silence below says it
    }
    if (!state.lost && Date.now() - state.answered > LOST_MS) {
      state.lost = true;
      state.listeners.forEach((f) => f());
    }
  }, PING_MS);
  model.__stemtrainWatch = state;
  return state;
}

function render({ model, el }) {
  el.className = "stemtrain-status-line";
  const state = watch(model);

  function draw() {
    const value = model.get("value");
    el.innerHTML = value; // escaped by the library
    if (state.lost) {
      const p = document.createElement("p");
      p.className = "stemtrain-status stemtrain-status-warning stemtrain-kernel-lost";
      p.setAttribute("role", "alert");
      p.textContent = `⚠ ${lostText(value.includes("stemtrain-status-warning"))}`;
      el.appendChild(p);
    }
  }

  draw();
  state.listeners.add(draw);
  model.on("change:value", draw);
  return () => {
    state.listeners.delete(draw);
    state.views -= 1;
    if (state.views <= 0) {
      clearInterval(state.timer);
      delete model.__stemtrainWatch;
    }
  };
}

export default { render };
