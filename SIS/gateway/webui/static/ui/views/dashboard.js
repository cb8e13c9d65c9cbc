// Dashboard: today's sales and totals by payment method for my branches, low stock and latest sales here, and charts.
import { get } from "../api.js";
import { h, table } from "../dom.js";
import { message } from "../errors.js";
import { date, dateTime, money, number, t } from "../i18n.js";
import { cashSessionStatus } from "./cash.js";
import { dashboardCharts } from "./charts.js";
import { loadProducts, page, productName, statusBadge } from "./common.js";

const MAX_BRANCH_CARDS = 12;
const REPORT_READERS = new Set(["admin", "manager", "auditor"]);
const SELLERS = new Set(["admin", "manager", "cashier"]);

export default async function dashboard(ctx) {
  const day = ctx.query.get("date") || "";
  const picker = h("input", { type: "date", id: "dash-date", name: "date", value: day });
  const form = h("form", { class: "filters", onsubmit: (e) => {
    e.preventDefault();
    ctx.go(picker.value ? `#/dashboard?date=${picker.value}` : "#/dashboard");
  } }, h("div", { class: "field" }, h("label", { for: "dash-date" }, t("dashboard.date")), picker),
  h("button", { type: "submit", class: "secondary" }, t("common.show")));

  // daily reports are for those who run branches; a cashier sees the latest sales and the till instead
  const reader = REPORT_READERS.has(ctx.me.role);
  const branches = reader ? ctx.branches.slice(0, MAX_BRANCH_CARDS) : [];
  const reports = await Promise.all(branches.map((b) => get("/api/sales/reports/daily/", { branch: b.id, date: day })
    .then((report) => ({ branch: b, report }), (error) => ({ branch: b, error }))));
  const here = reports.find((r) => r.branch.id === ctx.branch)?.report;
  const [low, latest, till] = await Promise.all([
    ctx.branch ? get("/api/inventory/stock/", { branch: ctx.branch, low: "true", page_size: 50 }).catch((e) => e) : null,
    ctx.branch ? get("/api/sales/", { branch: ctx.branch, date_from: day, date_to: day, page_size: 20 }).catch((e) => e) : null,
    ctx.branch && SELLERS.has(ctx.me.role) ? cashSessionStatus(ctx).catch(() => null) : null,
  ]);
  if (low?.results) await loadProducts(low.results.map((r) => r.product));
  const charts = await dashboardCharts(ctx, { reader, here, low: low?.results ? low : null, day })
    .catch((error) => ({ node: h("p", { class: "alert" }, message(error)), draw: () => [] }));

  const node = page(t("nav.dashboard"), form,
    till ? h("p", { class: "pos-session" }, till) : null,
    reader ? h("h2", {}, here ? t("dashboard.sales_of", { date: date(here.date) }) : t("dashboard.sales")) : null,
    reader ? h("div", { class: "cards" }, reports.map(({ branch, report, error }) => card(ctx, branch, report, error))) : null,
    h("div", { class: "columns" },
      h("section", { "aria-labelledby": "dash-latest" },
        h("h2", { id: "dash-latest" }, t(day ? "dashboard.latest_of" : "dashboard.latest", {
          branch: ctx.branchLabel(ctx.branch), date: date(day) })),
        latestSales(latest)),
      h("section", { "aria-labelledby": "dash-low" },
        h("h2", { id: "dash-low" }, t("dashboard.low_stock", { branch: ctx.branchLabel(ctx.branch) })),
        lowStock(low))),
    charts.node);
  let drawn = [];
  // Chart.js measures its canvas, so it draws once the page holds the node
  let waits = 0;
  const draw = () => {
    if (!node.isConnected) {
      waits += 1;
      if (waits < 120) requestAnimationFrame(draw); // the user may have moved on before it was shown
      return;
    }
    drawn = charts.draw();
  };
  requestAnimationFrame(draw);
  return { title: t("nav.dashboard"), node, cleanup: () => drawn.forEach((chart) => chart.destroy()) };
}

function card(ctx, branch, report, error) {
  const title = h("h3", {}, branch.name ? `${branch.code} · ${branch.name}` : branch.code);
  if (error) return h("article", { class: "card" }, title, h("p", { class: "alert" }, message(error)));
  const methods = report.by_payment_method || {};
  return h("article", { class: "card", dataset: { branch: branch.id } },
    title,
    h("dl", { class: "figures" },
      h("div", {}, h("dt", {}, t("dashboard.sales_count")), h("dd", { class: "sales-count" }, number(report.sales_count))),
      h("div", {}, h("dt", {}, t("sale.total")), h("dd", { class: "sales-total" }, money(report.total))),
      report.discount_total !== undefined && Number(report.discount_total) !== 0 ? h("div", {}, h("dt", {}, t("sale.discount_total")),
        h("dd", { class: "sales-discount" }, money(report.discount_total))) : null),
    h("table", { class: "compact" },
      h("caption", {}, t("dashboard.by_method")),
      // points are listed once the sales service reports them
      h("tbody", {}, ["cash", "card", "transfer", ...(methods.points !== undefined ? ["points"] : [])].map((m) => h("tr", { dataset: { method: m } },
        h("th", { scope: "row" }, t(`method.${m}`)), h("td", { class: "num" }, money(methods[m] ?? 0)))))),
    (report.top_products || []).length ? h("p", { class: "hint" }, t("dashboard.top"), " ",
      report.top_products.slice(0, 3).map((p) => `${p.name || productName(p.product)} (${number(p.quantity)})`).join(", ")) : null,
    h("a", { href: `#/sales?branch=${branch.id}&date=${report.date}` }, t("dashboard.see_sales")));
}

function latestSales(data) {
  if (!data) return h("p", { class: "empty" }, t("common.none"));
  if (data instanceof Error) return h("p", { class: "alert" }, message(data));
  return table([t("sale.number"), t("common.time"), { label: t("sale.total"), class: "num" }, t("common.status")],
    data.results.map((s) => h("tr", {},
      h("td", {}, h("a", { href: `#/sales/${s.id}` }, s.number || `#${s.id}`)),
      h("td", {}, dateTime(s.completed_at || s.created_at)),
      h("td", { class: "num" }, money(s.total)),
      h("td", {}, statusBadge(s.status)))),
    { empty: t("dashboard.no_sales") });
}

function lowStock(data) {
  if (!data) return h("p", { class: "empty" }, t("common.none"));
  if (data instanceof Error) return h("p", { class: "alert" }, message(data));
  return table([t("common.product"), { label: t("stock.quantity"), class: "num" }, { label: t("stock.min"), class: "num" }],
    data.results.map((r) => h("tr", {},
      h("td", {}, productName(r.product)),
      h("td", { class: "num low" }, number(r.quantity)),
      h("td", { class: "num" }, number(r.min_quantity)))),
    { empty: t("dashboard.no_low") });
}
