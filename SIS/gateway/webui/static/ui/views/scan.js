// A scanner-friendly code box: a barcode or SKU and Enter (or `3*code`) hands the product and quantity on.
import { get } from "../api.js";
import { h, replace, uid } from "../dom.js";
import { t } from "../i18n.js";
import { rememberProducts } from "./common.js";

const REPEAT = /^(\d{1,6})\s*\*\s*(.+)$/;

async function findProduct(code) {
  const results = (await get("/api/inventory/products/", { search: code, page_size: 10 })).results || [];
  const exact = results.find((p) => p.barcode === code || p.sku === code);
  if (exact) return exact;
  return results.length === 1 ? results[0] : null;
}

// `onProduct(product, quantity)` may be async; scans wait for each other, so a fast scanner keeps its order.
export function scanBox({ id = uid("scan"), onProduct }) {
  const input = h("input", { type: "search", id, name: "scan", autocomplete: "off", inputmode: "text",
    "aria-describedby": `${id}-hint ${id}-said` });
  const said = h("p", { class: "field-error", id: `${id}-said`, role: "status", hidden: true });
  let queue = Promise.resolve();
  const handle = async (raw) => {
    const match = REPEAT.exec(raw);
    const quantity = match ? Number(match[1]) : 1;
    const code = (match ? match[2] : raw).trim();
    if (!code || quantity < 1) return;
    const product = await findProduct(code).catch(() => null);
    if (!product) {
      said.hidden = false;
      replace(said, t("scan.not_found", { code }));
      return;
    }
    rememberProducts([product]);
    said.hidden = true;
    await onProduct(product, quantity);
  };
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const raw = input.value.trim();
    input.value = "";
    queue = queue.then(() => handle(raw)).catch(() => {});
  });
  const node = h("div", { class: "field scan" },
    h("label", { for: id }, t("scan.label")), input,
    h("p", { class: "hint", id: `${id}-hint` }, t("scan.hint")), said);
  return { node, input, settled: () => queue, say: (text) => { said.hidden = !text; replace(said, text || ""); } };
}
