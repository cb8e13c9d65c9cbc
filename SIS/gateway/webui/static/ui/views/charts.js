// The dashboard's charts, drawn by the vendored Chart.js: sales per day by branch, payment mix, top products, low stock.
import { get } from "../api.js";
import { h } from "../dom.js";
import { message } from "../errors.js";
import { date, lang, t } from "../i18n.js";
import { productName } from "./common.js";

const DAYS = 30;
const COLORS = ["#1f6feb", "#d9480f", "#2f9e44", "#9c36b5", "#e8590c", "#0c8599", "#c2255c", "#5c940d", "#495057", "#f08c00"];
const METHODS = ["cash", "card", "transfer"];

let library = null;
// Chart.js's UMD build sets globalThis.Chart when no module loader is around; loaded once, on the first dashboard.
async function chartLibrary() {
  library ||= import("../../vendor/chartjs/chart.umd.js").then(() => globalThis.Chart);
  return library;
}

function isoDay(day) {
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;
}

function lastDays(count, until) {
  const end = until ? new Date(`${until}T12:00:00`) : new Date();
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(end);
    day.setDate(end.getDate() - (count - 1 - i));
    return isoDay(day);
  });
}

// Few requests at a time: 30 days are 30 range reports.
async function inTurns(items, work, width = 6) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next;
      next += 1;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

// The figure's caption names the chart; the canvas carries no label of its own, so a form's label search
// (e.g. the branch selector's "Sucursal") never finds a chart whose title mentions it.
function panel(id, title) {
  const canvas = h("canvas", { id: `chart-${id}`, "aria-hidden": "true" });
  return { canvas, node: h("figure", { class: "chart", dataset: { chart: id } },
    h("figcaption", {}, title), h("div", { class: "chart-box" }, canvas)) };
}

function failed(id, title, error) {
  return h("figure", { class: "chart", dataset: { chart: id } }, h("figcaption", {}, title),
    h("p", { class: "alert" }, message(error)));
}

const BASE = { animation: false, responsive: true, maintainAspectRatio: false };

// `reader`: the user reads sales reports; `here`: today's daily report of the chosen branch; `low`: its low stock page.
export async function dashboardCharts(ctx, { reader, here, low, day }) {
  const Chart = await chartLibrary();
  const locale = lang();
  const draws = [];
  const nodes = [];
  if (reader) {
    const days = lastDays(DAYS, day || here?.date);
    const title = t("charts.daily", { days: DAYS });
    try {
      const reports = await inTurns(days, (d) => get("/api/sales/reports/range/", { date_from: d, date_to: d, group_by: "branch" }));
      const branches = new Map();
      reports.forEach((report, i) => {
        for (const row of report.results || []) {
          if (!branches.has(row.branch)) branches.set(row.branch, new Array(days.length).fill(0));
          branches.get(row.branch)[i] = Number(row.total);
        }
      });
      const p = panel("daily", title);
      nodes.push(p.node);
      draws.push(() => new Chart(p.canvas, { type: "line", options: { ...BASE, plugins: { legend: { position: "bottom" } } },
        data: { labels: days.map((d) => date(d)), datasets: [...branches].map(([branch, totals], i) => ({
          label: ctx.branchLabel(branch), data: totals, borderColor: COLORS[i % COLORS.length],
          backgroundColor: COLORS[i % COLORS.length], tension: 0.2 })) } }));
    } catch (error) {
      nodes.push(failed("daily", title, error));
    }
    const mixTitle = t("charts.mix", { days: DAYS });
    try {
      const range = await get("/api/sales/reports/range/", { date_from: days[0], date_to: days[days.length - 1], group_by: "branch" });
      const sumOf = (m) => (range.results || []).reduce((s, r) => s + Number(r.by_payment_method?.[m] || 0), 0);
      // loyalty points join the mix only when some were spent in the range
      const mix = sumOf("points") > 0 ? [...METHODS, "points"] : METHODS;
      const sums = mix.map(sumOf);
      const p = panel("mix", mixTitle);
      nodes.push(p.node);
      draws.push(() => new Chart(p.canvas, { type: "doughnut", options: { ...BASE, plugins: { legend: { position: "bottom" } } },
        data: { labels: mix.map((m) => t(`method.${m}`)), datasets: [{ data: sums, backgroundColor: COLORS.slice(0, mix.length) }] } }));
    } catch (error) {
      nodes.push(failed("mix", mixTitle, error));
    }
    const top = (here?.top_products || []).slice(0, 10);
    const p = panel("top", t("charts.top", { date: date(here?.date) }));
    nodes.push(p.node);
    draws.push(() => new Chart(p.canvas, { type: "bar", options: { ...BASE, indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { ticks: { precision: 0 } } } },
      data: { labels: top.map((row) => row.name || productName(row.product)),
        datasets: [{ label: t("ledger.quantity"), data: top.map((row) => row.quantity), backgroundColor: COLORS[2] }] } }));
  }
  if (low?.results) {
    const rows = low.results.slice(0, 15);
    const p = panel("low", t("charts.low", { branch: ctx.branchLabel(ctx.branch) }));
    nodes.push(p.node);
    draws.push(() => new Chart(p.canvas, { type: "bar",
      options: { ...BASE, plugins: { legend: { position: "bottom" } }, scales: { y: { ticks: { precision: 0 } } } },
      data: { labels: rows.map((r) => productName(r.product)), datasets: [
        { label: t("stock.quantity"), data: rows.map((r) => r.quantity), backgroundColor: COLORS[1] },
        { label: t("stock.min"), data: rows.map((r) => r.min_quantity), backgroundColor: COLORS[8] }] } }));
  }
  if (!nodes.length) return { node: null, draw: () => [] };
  const node = h("section", { class: "charts", id: "dash-charts", "aria-labelledby": "dash-charts-title", lang: locale },
    h("h2", { id: "dash-charts-title" }, t("charts.title")), h("div", { class: "chart-grid" }, nodes));
  // drawn once the canvases are in the page, so Chart.js can read their size
  return { node, draw: () => draws.map((draw) => draw()) };
}
