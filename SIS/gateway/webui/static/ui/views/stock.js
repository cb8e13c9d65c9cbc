// Stock per branch: quantities, minimums and desired levels (a reorder fills up to it), low-stock filter, both edited
// in place by those allowed.
import { get, patch, withQuery } from "../api.js";
import { field, h, replace, table } from "../dom.js";
import { showError } from "../errors.js";
import { number, t } from "../i18n.js";
import { alertBox, branchSelect, loadProducts, page, pager, productName, productPicker, productSku } from "./common.js";

const MIN_EDITORS = new Set(["admin", "manager", "warehouse"]);

export default async function stock(ctx) {
  const q = ctx.query;
  const filters = { branch: q.get("branch") ?? String(ctx.branch ?? ""), product: q.get("product") || "", low: q.get("low") === "true" };
  const picker = productPicker({ label: t("common.product"), required: false });
  const low = h("input", { type: "checkbox", name: "low", id: "stock-low", checked: filters.low });
  const form = h("form", { class: "filters", id: "stock-filters" },
    field(t("nav.branch"), branchSelect(ctx, { value: filters.branch, any: ctx.branches.length > 1 })),
    picker.node,
    h("div", { class: "field check" }, low, h("label", { for: "stock-low" }, t("stock.low_only"))),
    h("button", { type: "submit", class: "secondary" }, t("common.show")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.go(withQuery("#/stock", { branch: form.branch.value, product: picker.value() || "", low: low.checked ? "true" : "" }));
  });
  const box = alertBox();
  const results = h("div", { id: "stock-results" });
  const editable = MIN_EDITORS.has(ctx.me.role);

  const load = async (path) => {
    try {
      const data = await get(path);
      await loadProducts(data.results.map((r) => r.product));
      replace(results, table(
        [t("nav.branch"), t("common.product"), t("common.sku"), { label: t("stock.quantity"), class: "num" },
          { label: t("stock.min"), class: "num" }, { label: t("stock.max"), class: "num" }, ""],
        data.results.map((row) => stockRow(ctx, row, editable, box)),
        { empty: t("stock.none") }), pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(withQuery("/api/inventory/stock/", { branch: filters.branch, product: filters.product,
    low: filters.low ? "true" : "", page_size: 50 }));
  return { title: t("nav.stock"), node: page(t("nav.stock"), form, box, results) };
}

function stockRow(ctx, row, editable, box) {
  const isLow = row.is_low ?? row.quantity <= row.min_quantity;
  const hasMax = row.max_quantity !== null && row.max_quantity !== undefined;
  let minCell = number(row.min_quantity);
  let maxCell = hasMax ? number(row.max_quantity) : "—";
  if (editable) {
    const input = h("input", { type: "number", min: "0", step: "1", value: String(row.min_quantity), class: "qty",
      "aria-label": t("stock.min_of", { name: productName(row.product) }) });
    // empty: no desired level (a reorder fills up to the minimum)
    const max = h("input", { type: "number", min: "0", step: "1", value: hasMax ? String(row.max_quantity) : "", class: "qty",
      "aria-label": t("stock.max_of", { name: productName(row.product) }) });
    const save = h("button", { type: "button", class: "link" }, t("common.save"));
    save.addEventListener("click", async () => {
      save.disabled = true;
      try {
        const updated = await patch(`/api/inventory/stock/${row.branch}/${row.product}/`,
          { min_quantity: Number(input.value), max_quantity: max.value === "" ? null : Number(max.value) });
        ctx.notify(t(updated.max_quantity === null ? "stock.min_saved" : "stock.levels_saved",
          { name: productName(row.product), min: number(updated.min_quantity), max: number(updated.max_quantity) }));
      } catch (error) {
        showError(box, error);
      } finally {
        save.disabled = false;
      }
    });
    minCell = h("span", { class: "inline-edit" }, input);
    maxCell = h("span", { class: "inline-edit" }, max, save);
  }
  return h("tr", { dataset: { product: row.product, branch: row.branch } },
    h("td", {}, ctx.branchLabel(row.branch)),
    h("td", {}, productName(row.product)),
    h("td", {}, productSku(row.product)),
    h("td", { class: `num quantity${isLow ? " low" : ""}` }, number(row.quantity)),
    h("td", { class: "num" }, minCell),
    h("td", { class: "num" }, maxCell),
    h("td", {}, isLow ? h("span", { class: "badge badge-low" }, t("stock.low")) : "",
      " ", h("a", { href: withQuery("#/ledger", { branch: row.branch, product: row.product }) }, t("stock.ledger"))));
}
