// A teaching figure: the picture named for screen readers (alt text) and described by its caption, which is tied
// to it (aria-describedby); redrawn in place when a control changes it.
let counter = 0;

function render({ model, el }) {
  const id = `stemtrain-figure-${++counter}`;
  const figure = document.createElement("figure");
  figure.className = "stemtrain-figure";
  const img = document.createElement("img");
  img.setAttribute("aria-describedby", `${id}-text`);
  const caption = document.createElement("figcaption");
  caption.className = "stemtrain-figure-caption";
  caption.id = `${id}-text`;
  figure.append(img, caption);
  el.appendChild(figure);
  let url = null;

  function draw() {
    const png = model.get("value");
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(new Blob([png], { type: "image/png" }));
    img.src = url;
    img.alt = model.get("alt");
    caption.innerHTML = model.get("caption");
  }

  draw();
  model.on("change:value", draw);
  model.on("change:alt", draw);
  model.on("change:caption", draw);
}

export default { render };
