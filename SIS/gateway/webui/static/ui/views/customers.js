// Customers: search by document, name or phone, create and edit; one customer's points ledger and purchase history.
import { get } from "../api.js";
import { h, replace, table } from "../dom.js";
import { showError } from "../errors.js";
import { dateTime, money, number, t } from "../i18n.js";
import { alertBox, page, pager } from "./common.js";
import { customerForm, docLabel } from "./customerform.js";
import { legalDocument } from "./sales.js";

const WRITERS = new Set(["admin", "manager", "cashier"]); // the auditor reads

export default async function customers(ctx) {
  if (ctx.params[0]) return customerView(ctx, Number(ctx.params[0]));
  const box = alertBox();
  const term = ctx.query.get("search") || "";
  const search = h("input", { type: "search", name: "search", id: "customer-search", value: term, autocomplete: "off",
    "aria-describedby": "customer-search-hint" });
  const finder = h("form", { class: "filters", role: "search", "aria-label": t("customers.search") },
    h("div", { class: "field" }, h("label", { for: "customer-search" }, t("customers.search")), search,
      h("p", { class: "hint", id: "customer-search-hint" }, t("customers.search_hint"))),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("common.search"))));
  finder.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.go(`#/customers${search.value.trim() ? `?search=${encodeURIComponent(search.value.trim())}` : ""}`);
  });
  const results = h("div", { id: "customer-results" });
  const load = async (path) => {
    try {
      const data = await get(path);
      replace(results, customerTable(data.results || []), pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(`/api/customers/?page_size=50${term ? `&search=${encodeURIComponent(term)}` : ""}`);
  const form = WRITERS.has(ctx.me?.role) ? customerForm({ box, onSaved: (saved) => {
    ctx.notify(t("customers.saved", { name: saved.name }));
    ctx.go(`#/customers/${saved.id}`);
  } }) : null;
  return { title: t("nav.customers"), node: page(t("nav.customers"), box, finder, results, form), focus: search };
}

function customerTable(rows) {
  return table([t("customers.document"), t("customers.name"), t("customers.phone"), { label: t("customers.points"), class: "num" },
    t("common.status")],
  rows.map((c) => h("tr", { dataset: { customer: c.id } },
    h("td", {}, docLabel(c) || t("customers.no_document")),
    h("td", {}, h("a", { href: `#/customers/${c.id}` }, c.name)),
    h("td", {}, c.phone || ""),
    h("td", { class: "num" }, number(c.points ?? 0)),
    h("td", {}, c.is_active === false ? t("common.inactive_m") : t("common.active_m")))),
  { empty: t("common.no_results") });
}

async function customerView(ctx, id) {
  const box = alertBox();
  let customer;
  try {
    customer = await get(`/api/customers/${id}/`);
  } catch (error) {
    showError(box, error);
    return { title: t("nav.customers"), node: page(t("nav.customers"), box) };
  }
  const title = customer.name;
  const summary = h("dl", { class: "totals facts", id: "customer-facts" },
    h("dt", {}, t("customers.document")), h("dd", {}, docLabel(customer) || t("customers.no_document")),
    h("dt", {}, t("customers.points")), h("dd", { id: "customer-points" }, number(customer.points ?? 0)),
    customer.email ? [h("dt", {}, t("customers.email")), h("dd", {}, customer.email)] : null,
    customer.phone ? [h("dt", {}, t("customers.phone")), h("dd", {}, customer.phone)] : null,
    customer.address ? [h("dt", {}, t("customers.address")), h("dd", {}, customer.address)] : null,
    h("dt", {}, t("common.status")), h("dd", {}, customer.is_active === false ? t("common.inactive_m") : t("common.active_m")));
  const editing = h("div");
  const editButton = WRITERS.has(ctx.me?.role) ? h("button", { type: "button", class: "secondary", id: "customer-edit",
    onclick: () => {
      replace(editing, customerForm({ box, customer, onSaved: (saved) => {
        ctx.notify(t("customers.saved", { name: saved.name }));
        ctx.rerender();
      }, onCancel: () => replace(editing) }));
      editing.querySelector("h2").focus();
    } }, t("common.edit")) : null;
  const [history, ledger] = await Promise.all([historySection(ctx, id, box), ledgerSection(id, box)]);
  const node = page(title, box,
    h("p", { class: "subtitle" }, h("a", { href: "#/customers" }, t("customers.back"))),
    summary, h("div", { class: "actions" }, editButton), editing, history, ledger);
  return { title, node };
}

// The customer's sales at every branch (newest first, in pages), with the count and total bought.
async function historySection(ctx, id, box) {
  const body = h("div");
  const load = async (path) => {
    try {
      const data = await get(path);
      replace(body,
        h("p", { id: "customer-history-total" }, t("customers.history_total", { total: money(data.total ?? 0),
          count: number(data.count ?? (data.sales || []).length) })),
        table([t("sale.number"), t("customers.legal_document"), t("common.date"), t("nav.branch"),
          { label: t("sale.total"), class: "num" }],
        (data.sales || []).map((s) => h("tr", { dataset: { sale: s.id } },
          h("td", {}, h("a", { href: `#/sales/${s.id}` }, s.number || `#${s.id}`)),
          h("td", {}, legalDocument(s)),
          h("td", {}, dateTime(s.completed_at || s.created_at)),
          h("td", {}, ctx.branchLabel(s.branch)),
          h("td", { class: "num" }, money(s.total)))),
        { empty: t("customers.no_sales") }), pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(`/api/customers/${id}/history/?page_size=25`);
  return h("section", { "aria-labelledby": "customer-history-title", id: "customer-history" },
    h("h2", { id: "customer-history-title" }, t("customers.history")), body);
}

// The points ledger: every earn, reversal, spend and release with the balance after it.
async function ledgerSection(id, box) {
  const body = h("div");
  const load = async (path) => {
    try {
      const data = await get(path);
      const rows = Array.isArray(data) ? data : data.results || [];
      replace(body, table([t("common.date"), t("customers.points_kind"), t("customers.points_reference"),
        { label: t("customers.points_change"), class: "num" }, { label: t("customers.points_balance"), class: "num" }],
      rows.map((row) => {
        const change = row.quantity ?? row.points ?? 0;
        return h("tr", { dataset: { kind: row.kind } },
          h("td", {}, dateTime(row.created_at || row.at)),
          h("td", {}, t(`points.${row.kind}`)),
          h("td", {}, row.reference || ""),
          h("td", { class: "num" }, `${change > 0 ? "+" : ""}${number(change)}`),
          h("td", { class: "num" }, number(row.balance_after ?? "")));
      }), { empty: t("customers.no_points") }), Array.isArray(data) ? null : pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(`/api/customers/${id}/points/?page_size=25`);
  return h("section", { "aria-labelledby": "customer-points-title", id: "customer-ledger" },
    h("h2", { id: "customer-points-title" }, t("customers.points_ledger")), body);
}
