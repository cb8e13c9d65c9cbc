// Purchasing reports: open orders by supplier and branch, value received by period, supplier lead time met;
// each shown as a table and exported as the service writes it (CSV or XLSX).
import { download, get, withQuery } from "../api.js";
import { field, h, replace, select, table } from "../dom.js";
import { showError } from "../errors.js";
import { date, money, number, t } from "../i18n.js";
import { alertBox, branchSelect, page } from "./common.js";
import { loadSuppliers, supplierName } from "./purchasing.js";

const today = () => new Date().toISOString().slice(0, 10);
const monthStart = () => `${today().slice(0, 8)}01`;
const percent = (value) => (value === null || value === undefined ? "—" : `${number(Math.round(Number(value) * 1000) / 10)} %`);

const supplierOfRow = (r) => (r.supplier_code ? `${r.supplier_code} · ${r.supplier_name}` : supplierName(r.supplier));

// Each report: its path, whether it takes a period, and its columns as [header key, cell of a row, numeric?].
export const REPORTS = {
  open: {
    path: "/api/purchasing/reports/open-orders/",
    period: false,
    columns: () => [
      ["orders.supplier", supplierOfRow],
      ["nav.branch", (r, ctx) => ctx.branchLabel(r.branch)],
      ["reports.orders", (r) => number(r.orders), true],
      ["reports.overdue_orders", (r) => number(r.overdue_orders), true],
      ["reports.ordered_units", (r) => number(r.ordered_units), true],
      ["reports.received_units", (r) => number(r.received_units), true],
      ["reports.units_due", (r) => number(r.outstanding_units), true],
      ["reports.ordered_value", (r) => money(r.ordered_value), true],
      ["reports.received_value", (r) => money(r.received_value), true],
      ["reports.value_due", (r) => money(r.outstanding_value), true],
    ],
  },
  received: {
    path: "/api/purchasing/reports/received/",
    period: true,
    groups: ["day", "branch", "supplier"],
    columns: (groupBy) => [
      groupBy === "branch" ? ["nav.branch", (r, ctx) => ctx.branchLabel(r.branch)]
        : groupBy === "supplier" ? ["orders.supplier", supplierOfRow] : ["common.date", (r) => date(r.date)],
      ["reports.receipts", (r) => number(r.receipts), true],
      ["reports.orders", (r) => number(r.orders), true],
      ["reports.units", (r) => number(r.units), true],
      ["reports.value", (r) => money(r.value), true],
    ],
  },
  lead_time: {
    path: "/api/purchasing/reports/lead-time/",
    period: true,
    columns: () => [
      ["orders.supplier", supplierOfRow],
      ["reports.orders", (r) => number(r.orders), true],
      ["reports.received_orders", (r) => number(r.received), true],
      ["reports.on_time", (r) => number(r.on_time), true],
      ["reports.late", (r) => number(r.late), true],
      ["reports.pending", (r) => number(r.pending), true],
      ["reports.on_time_rate", (r) => percent(r.on_time_rate), true],
      ["reports.average_days", (r) => (r.average_days === null || r.average_days === undefined ? "—" : number(r.average_days)), true],
    ],
  },
};

export default async function purchaseReports(ctx) {
  const kind = REPORTS[ctx.query.get("report")] ? ctx.query.get("report") : "open";
  const report = REPORTS[kind];
  const box = alertBox();
  const suppliers = await loadSuppliers().catch(() => []);
  const branch = branchSelect(ctx, { id: "preport-branch", any: true, value: ctx.query.get("branch") ?? "" });
  const supplier = select("supplier", [["", t("common.all")], ...suppliers.map((s) => [s.id, `${s.code} · ${s.name}`])],
    ctx.query.get("supplier") || "", { id: "preport-supplier" });
  const groupBy = report.groups ? select("group_by", report.groups.map((g) => [g, t(`reports.by_${g}`)]),
    ctx.query.get("group_by") || report.groups[0], { id: "preport-group" }) : null;
  const from = h("input", { type: "date", name: "date_from", id: "preport-from", value: ctx.query.get("date_from") || monthStart() });
  const to = h("input", { type: "date", name: "date_to", id: "preport-to", value: ctx.query.get("date_to") || today() });
  const params = () => ({ branch: branch.value, supplier: supplier.value,
    ...(report.period ? { date_from: from.value, date_to: to.value } : {}), ...(groupBy ? { group_by: groupBy.value } : {}) });
  const results = h("div", { id: "preport-results" });
  const show = async () => {
    try {
      const answer = await get(report.path, params());
      const columns = report.columns(groupBy?.value);
      const total = answer.total;
      replace(results, table(columns.map(([key, , num]) => ({ label: t(key), class: num ? "num" : undefined })),
        [...(answer.results || []).map((r) => h("tr", {}, columns.map(([, cell, num]) => h("td", { class: num ? "num" : undefined }, cell(r, ctx))))),
          total ? h("tr", { class: "total-row", id: "preport-total" }, h("th", { scope: "row" }, t("orders.total")),
            columns.slice(1).map(([, cell, num]) => h("td", { class: num ? "num" : undefined }, cell(total, ctx)))) : null]
          .filter(Boolean),
        { empty: t("common.none") }));
    } catch (error) {
      replace(results);
      showError(box, error);
    }
  };
  const exportAs = (format) => h("button", { type: "button", class: "secondary", id: `preport-${format}`, onclick: async (event) => {
    event.target.disabled = true;
    try {
      await download(withQuery(report.path, { ...params(), format }), `purchasing-${kind}.${format}`);
    } catch (error) {
      showError(box, error);
    } finally {
      event.target.disabled = false;
    }
  } }, t(`reports.export_${format}`));
  const form = h("form", { class: "filters", id: "preport-filters" },
    field(t("nav.branch"), branch), field(t("orders.supplier"), supplier),
    report.period ? [field(t("common.date_from"), from), field(t("common.date_to"), to)] : null,
    groupBy ? field(t("reports.group_by"), groupBy) : null,
    h("button", { type: "submit", class: "secondary" }, t("common.show")),
    exportAs("csv"), exportAs("xlsx"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.go(withQuery("#/purchase_reports", { report: kind, ...params() }));
  });
  await show();
  const title = t("nav.purchase_reports");
  const tabs = h("nav", { class: "tabs", "aria-label": t("reports.kinds") },
    Object.keys(REPORTS).map((k) => h("a", { href: `#/purchase_reports?report=${k}`, id: `preport-tab-${k}`,
      "aria-current": k === kind ? "page" : undefined }, t(`reports.${k}`))));
  return { title, node: page(title, tabs, box, form, h("section", { "aria-label": t(`reports.${kind}`) }, results)) };
}
