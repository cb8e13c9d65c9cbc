// Pieces every screen uses: the page frame, branch and product pickers, product names, pagination.
import { get, samePath } from "../api.js";
import { h, replace, select, uid } from "../dom.js";
import { alertBox } from "../errors.js";
import { t } from "../i18n.js";

export function page(title, ...children) {
  return h("section", { class: "page", "aria-labelledby": "page-title" },
    h("h1", { id: "page-title", tabindex: "-1" }, title), ...children);
}

function branchOptions(ctx, { any = false } = {}) {
  const options = ctx.branches.map((b) => [b.id, b.name ? `${b.code} · ${b.name}` : b.code]);
  return any ? [["", t("common.all")], ...options] : options;
}

export function branchSelect(ctx, { name = "branch", value = ctx.branch, any = false, ...attrs } = {}) {
  return select(name, branchOptions(ctx, { any }), value, attrs);
}

// Products by id, fetched once per page load; a name missing from the catalogue shows as #id.
const products = new Map();

export async function loadProducts(ids) {
  const missing = [...new Set(ids.map(Number))].filter((id) => id && !products.has(id));
  const queue = [...missing];
  const worker = async () => {
    while (queue.length) {
      const id = queue.shift();
      try {
        products.set(id, await get(`/api/inventory/products/${id}/`));
      } catch {
        products.set(id, null);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(6, queue.length) }, worker));
  return productName;
}

export function rememberProducts(list) {
  for (const product of list) products.set(product.id, product);
}

export function productName(id) {
  const product = products.get(Number(id));
  return product ? product.name : `#${id}`;
}

export function productSku(id) {
  return products.get(Number(id))?.sku || "";
}

// A product search box: type (or scan) and pick from the matches with the keyboard or the mouse.
export function productPicker({ label, name = "product", onPick, required = true }) {
  const input = h("input", { type: "search", id: uid("product"), autocomplete: "off", role: "combobox",
    "aria-autocomplete": "list", "aria-expanded": "false" });
  const hidden = h("input", { type: "hidden", name });
  const list = h("ul", { class: "picker-list", role: "listbox", id: uid("list"), hidden: true });
  const chosen = h("p", { class: "hint", "aria-live": "polite" });
  input.setAttribute("aria-controls", list.id);
  let timer = null;
  let results = [];
  // a scanner sends the code and Enter, and the form may be sent before that lookup answers
  let lookup = Promise.resolve();
  const pick = (product) => {
    hidden.value = product.id;
    rememberProducts([product]);
    replace(chosen, `${product.sku} · ${product.name}`);
    input.value = product.name;
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    onPick?.(product);
  };
  const search = async () => {
    const term = input.value.trim();
    if (!term) {
      list.hidden = true;
      return;
    }
    try {
      results = (await get("/api/inventory/products/", { search: term, page_size: 10 })).results || [];
    } catch {
      results = [];
    }
    replace(list, results.map((p, i) => h("li", {
      role: "option", id: `${list.id}-${i}`, tabindex: "-1", onclick: () => pick(p),
      onkeydown: (e) => { if (e.key === "Enter") { e.preventDefault(); pick(p); } },
    }, `${p.sku} · ${p.name}`)));
    if (!results.length) replace(list, h("li", { class: "empty" }, t("common.no_results")));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  };
  input.addEventListener("input", () => {
    hidden.value = "";
    replace(chosen);
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      // a scanned barcode or an exact SKU is picked at once
      lookup = search().then(() => {
        const term = input.value.trim();
        const exact = results.find((p) => p.barcode === term || p.sku === term);
        if (exact || results.length === 1) pick(exact || results[0]);
      });
    } else if (event.key === "ArrowDown" && !list.hidden) {
      event.preventDefault();
      list.querySelector("[role=option]")?.focus();
    }
  });
  list.addEventListener("keydown", (event) => {
    const items = [...list.querySelectorAll("[role=option]")];
    const index = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown") items[Math.min(index + 1, items.length - 1)]?.focus();
    else if (event.key === "ArrowUp") (index <= 0 ? input : items[index - 1]).focus();
    else if (event.key === "Escape") input.focus();
    else return;
    event.preventDefault();
  });
  hidden.required = required;
  const control = h("div", { class: "picker" }, input, hidden, list, chosen);
  const wrapper = h("div", { class: "field", dataset: { name } },
    h("label", { for: input.id }, label ?? t("common.product")), control,
    h("p", { class: "field-error", id: `${input.id}-error`, hidden: true }));
  input.setAttribute("aria-describedby", `${input.id}-error`);
  return { node: wrapper, input, value: () => Number(hidden.value) || null, settled: () => lookup, reset: () => {
    hidden.value = "";
    input.value = "";
    replace(chosen);
  } };
}

// Prev/next for a paginated list; `load(path)` renders the page at that path.
export function pager(data, load) {
  const prev = samePath(data.previous);
  const next = samePath(data.next);
  if (!prev && !next) return null;
  return h("nav", { class: "pager", "aria-label": t("common.pages") },
    h("button", { type: "button", class: "secondary", disabled: !prev, onclick: () => load(prev) }, t("common.previous")),
    data.count !== undefined ? h("span", {}, t("common.count", { count: data.count })) : null,
    h("button", { type: "button", class: "secondary", disabled: !next, onclick: () => load(next) }, t("common.next")));
}

export { alertBox };

export function statusBadge(status) {
  return h("span", { class: `badge badge-${status}` }, t(`status.${status}`));
}
