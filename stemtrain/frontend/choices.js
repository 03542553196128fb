// A group of options as full-width rows that grow with their text: native radio buttons (one Tab stop, arrow
// keys move the choice) or checkboxes, in a fieldset labelled by the question's prompt. Text is set as text.
function render({ model, el }) {
  const fieldset = document.createElement("fieldset");
  fieldset.className = "stemtrain-choices";
  // Arrow keys belong to the radio group, not to JupyterLab's notebook shortcuts (which would move the cell).
  fieldset.setAttribute("data-lm-suppress-shortcuts", "true");
  fieldset.addEventListener("keydown", (event) => {
    if (["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", " ", "Home", "End"].includes(event.key)) event.stopPropagation();
  });
  const legend = document.createElement("legend");
  legend.className = "stemtrain-choices-legend";
  fieldset.appendChild(legend);
  const list = document.createElement("div");
  list.className = "stemtrain-option-list";
  fieldset.appendChild(list);
  el.appendChild(fieldset);

  function checkedValues() {
    return Array.from(list.querySelectorAll("input")).filter((i) => i.checked).map((i) => i.value);
  }

  function draw() {
    const group = model.get("group");
    const multiple = model.get("multiple");
    const value = model.get("value");
    const chosen = new Set(multiple ? value || [] : value == null ? [] : [value]);
    legend.textContent = model.get("legend");
    legend.id = `${group}-legend`;
    const labelledby = model.get("labelledby");
    fieldset.setAttribute("aria-labelledby", labelledby ? `${labelledby} ${legend.id}` : legend.id);
    list.replaceChildren();
    for (const [text, id] of model.get("options")) {
      const row = document.createElement("label");
      row.className = "stemtrain-option";
      const input = document.createElement("input");
      input.type = multiple ? "checkbox" : "radio";
      input.name = group;
      input.value = id;
      input.checked = chosen.has(id);
      input.disabled = model.get("disabled");
      input.addEventListener("change", () => {
        // Sent as a message, not a state sync: ipywidgets holds back a model's syncs while the kernel is busy,
        // and a quick Space, Tab, Enter would reach Check before the last tick.
        const picked = checkedValues();
        model.send({ value: multiple ? picked : picked[0] ?? null });
      });
      const span = document.createElement("span");
      span.className = "stemtrain-option-text";
      span.textContent = text;
      row.append(input, span);
      list.appendChild(row);
    }
    fieldset.classList.toggle("stemtrain-disabled", model.get("disabled"));
  }

  draw();
  model.on("change:options", draw);
  model.on("change:multiple", draw);
  model.on("change:legend", draw);
  // Only a change made by the library (a restored answer, Try again) redraws the ticks: the echo of the learner's own
  // clicks can arrive after a later click and must not undo it.
  model.on("change:revision", () => {
    const multiple = model.get("multiple");
    const value = model.get("value");
    const chosen = new Set(multiple ? value || [] : value == null ? [] : [value]);
    for (const input of list.querySelectorAll("input")) input.checked = chosen.has(input.value);
  });
  model.on("change:disabled", () => {
    for (const input of list.querySelectorAll("input")) input.disabled = model.get("disabled");
    fieldset.classList.toggle("stemtrain-disabled", model.get("disabled"));
  });
}

export default { render };
