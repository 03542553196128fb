// The course's page furniture: the bar at the top and foot of each module page (who is signed in, the
// page's score, previous/map/next) and the course map on the start page. Links between module pages that work where the page is shown: a relative page in course mode (Voilà), a
// document opened inside JupyterLab (or a /lab/tree URL under the server's base URL). A link to a question
// ("#q-…") scrolls to it once the quiz has been drawn.
function labConfig() {
  const node = document.getElementById("jupyter-config-data");
  if (!node) return null;
  try { return JSON.parse(node.textContent); } catch { return null; }
}

function hrefFor(link, model) {
  const hash = link.hash ? `#${link.hash}` : "";
  if (window.location.pathname.includes("/voila/")) return `${encodeURIComponent(link.file)}${hash}`;
  const config = labConfig();
  if (config) {
    const dir = model.get("lab_dir");
    const path = (dir ? `${dir}/` : "") + link.file;
    const base = config.baseUrl || "/";
    return `${base}lab/tree/${path.split("/").map(encodeURIComponent).join("/")}${hash}`;
  }
  return `${encodeURIComponent(link.file)}${hash}`;
}

function openInLab(link, model, event) {
  const app = window.jupyterapp;
  if (!app || window.location.pathname.includes("/voila/")) return;
  const dir = model.get("lab_dir");
  event.preventDefault();
  app.commands.execute("docmanager:open", { path: (dir ? `${dir}/` : "") + link.file });
}

function scrollToHash() {
  const hash = decodeURIComponent(window.location.hash || "").slice(1);
  if (!hash.startsWith("q-") || window.__stemtrainScrolled === hash) return;
  let tries = 0;
  const timer = setInterval(() => {
    const target = document.getElementById(hash);
    if (target || ++tries > 100) {
      clearInterval(timer);
      if (target) {
        window.__stemtrainScrolled = hash;
        target.scrollIntoView({ block: "start" });
      }
    }
  }, 100);
}

function cell(row, text, tag = "td") {
  const node = document.createElement(tag);
  node.textContent = text;
  row.appendChild(node);
  return node;
}

function drawMap(model, box) {
  box.replaceChildren();
  const rows = model.get("rows");
  const next = model.get("links").find((link) => link.kind === "continue");
  if (next) {
    const a = document.createElement("a");
    a.className = "stemtrain-button stemtrain-continue";
    a.textContent = next.label;
    a.href = hrefFor(next, model);
    a.addEventListener("click", (event) => openInLab(next, model, event));
    box.appendChild(a);
  }
  const table = document.createElement("table");
  const caption = document.createElement("caption");
  caption.textContent = model.get("label");
  table.appendChild(caption);
  const head = document.createElement("tr");
  for (const name of ["Module", "Questions answered", "Progress", "Score"]) cell(head, name, "th").scope = "col";
  table.appendChild(head);
  for (const r of rows) {
    const tr = document.createElement("tr");
    const first = document.createElement("th");
    first.scope = "row";
    const a = document.createElement("a");
    a.textContent = r.label;
    a.href = hrefFor(r, model);
    a.addEventListener("click", (event) => openInLab(r, model, event));
    first.appendChild(a);
    tr.appendChild(first);
    cell(tr, `${r.answered} of ${r.total}`);
    const bar = document.createElement("progress");
    bar.max = r.total || 1;
    bar.value = r.answered;
    bar.setAttribute("aria-label", `${r.label}: ${r.answered} of ${r.total} questions answered`);
    cell(tr, "").appendChild(bar);
    cell(tr, r.score);
    table.appendChild(tr);
  }
  box.appendChild(table);
}

function render({ model, el }) {
  if (model.get("kind") === "map") {
    const box = document.createElement("div");
    box.className = "stemtrain-map";
    el.appendChild(box);
    drawMap(model, box);
    for (const name of ["rows", "links", "label", "lab_dir"]) model.on(`change:${name}`, () => drawMap(model, box));
    return;
  }
  const bar = document.createElement("nav");
  bar.className = "stemtrain-pagebar";
  el.appendChild(bar);

  function draw() {
    bar.setAttribute("aria-label", model.get("label"));
    bar.replaceChildren();
    const who = model.get("who");
    if (who) {
      const span = document.createElement("span");
      span.className = "stemtrain-pagebar-who";
      span.textContent = who;
      bar.appendChild(span);
    }
    const score = model.get("score");
    if (score) {
      const span = document.createElement("span");
      span.className = "stemtrain-pagebar-score";
      span.setAttribute("role", "status");
      span.textContent = score;
      bar.appendChild(span);
    }
    for (const link of model.get("links")) {
      const a = document.createElement("a");
      a.className = `stemtrain-button stemtrain-nav-${link.kind}`;
      a.textContent = link.label;
      a.href = hrefFor(link, model);
      a.addEventListener("click", (event) => openInLab(link, model, event));
      bar.appendChild(a);
    }
  }

  draw();
  for (const name of ["links", "who", "score", "label", "lab_dir"]) model.on(`change:${name}`, draw);
  scrollToHash();
}

export default { render };
