// The stock ledger: every movement of a branch, filtered by product and kind, newest first.
import { get, withQuery } from "../api.js";
import { field, h, replace, select, table } from "../dom.js";
import { showError } from "../errors.js";
import { dateTime, number, t } from "../i18n.js";
import { alertBox, branchSelect, loadProducts, page, pager, productName, productPicker } from "./common.js";

const KINDS = ["receipt", "adjustment", "sale", "return", "transfer_out", "transfer_in", "count"];

export default async function ledger(ctx) {
  const q = ctx.query;
  const filters = { branch: q.get("branch") ?? String(ctx.branch ?? ""), product: q.get("product") || "", kind: q.get("kind") || "" };
  const picker = productPicker({ label: t("common.product"), required: false });
  const form = h("form", { class: "filters", id: "ledger-filters" },
    field(t("nav.branch"), branchSelect(ctx, { value: filters.branch, any: ctx.branches.length > 1 })),
    picker.node,
    field(t("ledger.kind"), select("kind", [["", t("common.all")], ...KINDS.map((k) => [k, t(`kind.${k}`)])], filters.kind)),
    h("button", { type: "submit", class: "secondary" }, t("common.show")));
  if (filters.product) {
    await loadProducts([filters.product]);
    picker.input.value = productName(filters.product);
    form.querySelector("input[name=product]").value = filters.product;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.go(withQuery("#/ledger", { branch: form.branch.value, product: picker.value() || "", kind: form.kind.value }));
  });
  const box = alertBox();
  const results = h("div", { id: "ledger-results" });
  const load = async (path) => {
    try {
      const data = await get(path);
      await loadProducts(data.results.map((r) => r.product));
      replace(results, ledgerTable(ctx, data.results), pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(withQuery("/api/inventory/movements/", { ...filters, page_size: 50 }));
  return { title: t("nav.ledger"), node: page(t("nav.ledger"), form, box, results) };
}

// `compact` leaves out the branch, reference and note (for a side panel about one branch).
export function ledgerTable(ctx, rows, { compact = false } = {}) {
  const full = !compact;
  return table([t("common.date"), full && t("nav.branch"), t("common.product"), t("ledger.kind"),
    { label: t("ledger.quantity"), class: "num" }, { label: t("ledger.balance"), class: "num" },
    full && t("ledger.reference"), full && t("ledger.note")].filter(Boolean),
  rows.map((m) => h("tr", { dataset: { kind: m.kind } },
    h("td", {}, dateTime(m.created_at)),
    full ? h("td", {}, ctx.branchLabel(m.branch)) : null,
    h("td", {}, productName(m.product)),
    h("td", {}, t(`kind.${m.kind}`)),
    h("td", { class: `num ${m.quantity < 0 ? "delta-out" : "delta-in"}` }, `${m.quantity > 0 ? "+" : ""}${number(m.quantity)}`),
    h("td", { class: "num" }, number(m.balance_after)),
    full ? h("td", {}, m.reference || "") : null,
    full ? h("td", {}, m.note || "") : null)),
  { empty: t("ledger.none") });
}
