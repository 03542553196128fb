// A labelled native range control (a slider with an accessible name and a visible value), for interactive figures.
function render({ model, el }) {
  const row = document.createElement("div");
  row.className = "stemtrain-range";
  row.setAttribute("data-lm-suppress-shortcuts", "true");
  // The slider's own keys (arrows, Home, End, Page Up/Down) must not reach the notebook's shortcuts.
  row.addEventListener("keydown", (event) => {
    if (event.key.startsWith("Arrow") || ["Home", "End", "PageUp", "PageDown"].includes(event.key)) event.stopPropagation();
  });
  const id = `stemtrain-range-${Math.random().toString(36).slice(2)}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  const shown = document.createElement("output");
  shown.htmlFor = id;
  row.append(label, input, shown);
  el.appendChild(row);

  function draw() {
    label.textContent = model.get("description");
    input.min = model.get("min");
    input.max = model.get("max");
    input.step = model.get("step");
    if (document.activeElement !== input) input.value = model.get("value"); // never undo the learner's own move
    input.disabled = model.get("disabled");
    shown.textContent = `${model.get("value")}${model.get("unit")}`;
    input.setAttribute("aria-valuetext", shown.textContent);
  }

  draw();
  input.addEventListener("change", () => {
    model.set("value", Number(input.value));
    model.save_changes();
  });
  input.addEventListener("input", () => {
    shown.textContent = `${input.value}${model.get("unit")}`;
  });
  for (const name of ["value", "min", "max", "step", "description", "disabled", "unit"]) model.on(`change:${name}`, draw);
}

export default { render };
