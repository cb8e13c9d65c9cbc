// Reports on screen with their files: the product report (sales less returns, cost and margin), the stock valuation,
// the daily and the range reports; each shown as a table and exported as CSV or XLSX by the service.
import { download, get, withQuery } from "../api.js";
import { field, h, replace, select, table } from "../dom.js";
import { showError } from "../errors.js";
import { money, number, t } from "../i18n.js";
import { alertBox, branchSelect, loadProducts, page, productName } from "./common.js";

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (days) => new Date(Date.now() - days * 86400000).toISOString().slice(0, 10);

const REPORTS = {
  products: { path: "/api/sales/reports/products/", filters: ["branch", "date_from", "date_to", "category"] },
  valuation: { path: "/api/inventory/reports/valuation/", filters: ["branch"] },
  daily: { path: "/api/sales/reports/daily/", filters: ["branch", "date"] },
  range: { path: "/api/sales/reports/range/", filters: ["branch", "date_from", "date_to"] },
};

export default async function reports(ctx) {
  const asked = ctx.query.get("report");
  const report = REPORTS[asked] ? asked : "products";
  const spec = REPORTS[report];
  const box = alertBox();
  const q = ctx.query;
  const inputs = {
    branch: branchSelect(ctx, { name: "branch", id: "report-branch", value: q.get("branch") ?? "", any: true }),
    date_from: h("input", { type: "date", name: "date_from", id: "report-from", value: q.get("date_from") || daysAgo(6) }),
    date_to: h("input", { type: "date", name: "date_to", id: "report-to", value: q.get("date_to") || today() }),
    date: h("input", { type: "date", name: "date", id: "report-date", value: q.get("date") || today() }),
    category: select("category", [["", t("common.all")]], "", { id: "report-category" }),
  };
  if (spec.filters.includes("category")) {
    try {
      const categories = await get("/api/inventory/categories/", { page_size: 200 });
      replace(inputs.category, [["", t("common.all")], ...(categories.results || categories).map((c) => [c.id, c.name])]
        .map(([v, label]) => h("option", { value: String(v), selected: String(v) === (q.get("category") || "") }, label)));
    } catch {
      // without the categories the report still runs for all of them
    }
  }
  const labels = { branch: t("nav.branch"), date_from: t("common.date_from"), date_to: t("common.date_to"),
    date: t("common.date"), category: t("reporting.category") };
  const params = () => Object.fromEntries(spec.filters.map((name) => [name, inputs[name].value]));
  const results = h("section", { id: "report-results", "aria-live": "polite" });
  const exported = h("p", { id: "report-exported", role: "status" });

  const show = async () => {
    box.hidden = true;
    try {
      const data = await get(withQuery(spec.path, params()));
      replace(results, await render(report, data, ctx));
    } catch (error) {
      replace(results);
      showError(box, error, { form });
    }
  };
  const exportAs = async (format) => {
    box.hidden = true;
    replace(exported, t("reporting.exporting"));
    try {
      const file = await download(withQuery(spec.path, { ...params(), format }), `${report}.${format}`);
      replace(exported, t("reporting.exported", { name: file.name, size: number(file.size) }));
      exported.dataset.name = file.name;
    } catch (error) {
      replace(exported);
      showError(box, error, { form });
    }
  };

  const form = h("form", { class: "filters", id: "report-filters", novalidate: true },
    spec.filters.map((name) => field(labels[name], inputs[name])),
    h("button", { type: "submit", class: "secondary", id: "report-show" }, t("common.show")),
    h("button", { type: "button", class: "secondary", id: "report-csv", onclick: () => exportAs("csv") }, t("reporting.csv")),
    h("button", { type: "button", class: "secondary", id: "report-xlsx", onclick: () => exportAs("xlsx") }, t("reporting.xlsx")));
  form.addEventListener("submit", (event) => { event.preventDefault(); show(); });
  const tabs = h("nav", { class: "tabs", "aria-label": t("reporting.kinds") },
    Object.keys(REPORTS).map((k) => h("a", { href: `#/reports?report=${k}`, id: `report-tab-${k}`,
      "aria-current": k === report ? "page" : undefined }, t(`reporting.${k}`))));
  await show();
  return { title: t("nav.reports"), node: page(t("nav.reports"), tabs, h("h2", {}, t(`reporting.${report}`)), box, form,
    exported, results) };
}

async function render(report, data, ctx) {
  if (report === "products") {
    const rows = data.results || [];
    const sum = (key) => rows.reduce((total, r) => total + Number(r[key] ?? 0), 0);
    return table([t("documents.sku"), t("common.product"), { label: t("reporting.quantity"), class: "num" },
      { label: t("reporting.net"), class: "num" }, { label: t("reporting.tax"), class: "num" },
      { label: t("reporting.total"), class: "num" }, { label: t("reporting.cost"), class: "num" },
      { label: t("reporting.margin"), class: "num" }],
    [...rows.map((r) => h("tr", { dataset: { product: r.product } },
      h("td", {}, r.sku), h("td", {}, r.name || `#${r.product}`), h("td", { class: "num" }, number(r.quantity)),
      h("td", { class: "num" }, money(r.net)), h("td", { class: "num" }, money(r.tax)),
      h("td", { class: "num" }, money(r.total)), h("td", { class: "num" }, r.cost === null ? "—" : money(r.cost)),
      h("td", { class: "num" }, r.margin === null ? "—" : money(r.margin)))),
    rows.length ? h("tr", { class: "totals", id: "report-totals" }, h("th", { scope: "row", colspan: "2" }, t("reporting.totals")),
      h("td", { class: "num" }, number(sum("quantity"))), h("td", { class: "num" }, money(sum("net"))),
      h("td", { class: "num" }, money(sum("tax"))), h("td", { class: "num", id: "report-total" }, money(sum("total"))),
      h("td", {}), h("td", {})) : null].filter(Boolean), { empty: t("reporting.none") });
  }
  if (report === "valuation") {
    await loadProducts(data.lines.map((l) => l.product));
    return [h("p", { class: "card", id: "report-total" }, t("reporting.valuation_total", { total: money(data.total) })),
      table([t("common.product"), { label: t("reporting.quantity"), class: "num" },
        { label: t("reporting.unit_cost"), class: "num" }, { label: t("reporting.value"), class: "num" }],
      data.lines.map((l) => h("tr", { dataset: { product: l.product } }, h("td", {}, productName(l.product)),
        h("td", { class: "num" }, number(l.quantity)), h("td", { class: "num" }, money(l.unit_cost)),
        h("td", { class: "num" }, money(l.value)))), { empty: t("reporting.none") })];
  }
  const rows = report === "daily" ? [data] : data.results || [];
  return table([t("nav.branch"), report === "daily" ? t("common.date") : null,
    { label: t("reporting.sales_count"), class: "num" }, { label: t("reporting.total"), class: "num" },
    { label: t("reporting.cash"), class: "num" }, { label: t("reporting.card"), class: "num" },
    { label: t("reporting.transfer"), class: "num" }, { label: t("reporting.returns"), class: "num" },
    { label: t("reporting.net_total"), class: "num" }].filter(Boolean),
  rows.map((r) => h("tr", { dataset: { branch: r.branch ?? "" } },
    h("td", {}, r.branch ? ctx.branchLabel(r.branch) : t("common.all")),
    report === "daily" ? h("td", {}, r.date) : null,
    h("td", { class: "num" }, number(r.sales_count)), h("td", { class: "num" }, money(r.total)),
    h("td", { class: "num" }, money(r.by_payment_method?.cash)), h("td", { class: "num" }, money(r.by_payment_method?.card)),
    h("td", { class: "num" }, money(r.by_payment_method?.transfer)), h("td", { class: "num" }, money(r.returns_total)),
    h("td", { class: "num" }, money(r.net_total)))), { empty: t("reporting.none") });
}
