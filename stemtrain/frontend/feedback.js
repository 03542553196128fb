// The feedback panel: replaced as a whole after each check (the HTML comes escaped from the library), announced
// politely to screen readers, and given the keyboard focus when a check asks for it.
function render({ model, el }) {
  el.className = "stemtrain-feedback-panel";
  el.setAttribute("aria-live", "polite");

  function draw() {
    el.innerHTML = model.get("value");
  }

  draw();
  model.on("change:value", draw);
  model.on("change:focus_count", () => {
    const target = el.querySelector("[tabindex]") || el;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: false });
  });
}

export default { render };
