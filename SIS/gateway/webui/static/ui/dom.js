// Building DOM nodes without innerHTML: text is always text, so API data can never inject markup.

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "class") {
      node.className = value;
    } else if (name === "dataset") {
      Object.assign(node.dataset, value);
    } else if (name in node && typeof value !== "string") {
      node[name] = value;
    } else {
      node.setAttribute(name, value === true ? "" : value);
    }
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

let ids = 0;
export function uid(prefix = "f") {
  ids += 1;
  return `${prefix}-${ids}`;
}

// A labelled form control; `error` slots get field messages from the API.
export function field(label, control, { hint } = {}) {
  control.id ||= uid();
  const error = h("p", { class: "field-error", id: `${control.id}-error`, hidden: true });
  const described = [hint ? `${control.id}-hint` : null, error.id].filter(Boolean).join(" ");
  control.setAttribute("aria-describedby", described);
  return h("div", { class: "field", dataset: { name: control.name || "" } },
    h("label", { for: control.id }, label),
    control,
    hint ? h("p", { class: "hint", id: `${control.id}-hint` }, hint) : null,
    error);
}

export function select(name, options, value, attrs = {}) {
  return h("select", { name, ...attrs },
    options.map(([v, label]) => h("option", { value: String(v), selected: String(v) === String(value ?? "") }, label)));
}

export function table(headers, rows, { caption, empty } = {}) {
  if (!rows.length && empty) return h("p", { class: "empty" }, empty);
  return h("div", { class: "table-wrap" },
    h("table", {},
      caption ? h("caption", {}, caption) : null,
      h("thead", {}, h("tr", {}, headers.map((c) => h("th", { scope: "col", class: c.class }, c.label ?? c)))),
      h("tbody", {}, rows)));
}

export function formData(form) {
  return Object.fromEntries(new FormData(form).entries());
}
