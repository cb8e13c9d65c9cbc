// What the purchasing screens share: who may do what, suppliers by id, an order's figures and its links.
import { ApiError, get, listAll } from "../api.js";
import { h } from "../dom.js";
import { date, money, t } from "../i18n.js";
import { fromCents, toCents } from "../money.js";

// the services enforce these; the UI only hides what would be refused
const SUPPLIER_WRITERS = new Set(["admin", "purchaser"]);
const ORDER_WRITERS = new Set(["admin", "manager", "purchaser"]);
const RECEIVERS = new Set(["admin", "manager", "warehouse", "purchaser"]);

export const writesSuppliers = (ctx) => SUPPLIER_WRITERS.has(ctx.me.role);
export const writesOrders = (ctx) => ORDER_WRITERS.has(ctx.me.role);
export const receives = (ctx) => RECEIVERS.has(ctx.me.role);

export const ORDER_STATUSES = ["draft", "confirmed", "partially_received", "received", "cancelled"];
export const RECEIVABLE = new Set(["confirmed", "partially_received"]);

// what people type (12,50 or 012.5) as the API's money string (12.50); anything else as typed, for the API to refuse
export const asMoney = (text) => (Number.isNaN(toCents(text)) ? String(text).trim() : fromCents(toCents(text)));

// Suppliers by id, read once per screen visit (a company has tens of suppliers, not thousands).
const suppliers = new Map();

export async function loadSuppliers() {
  const rows = await listAll("/api/purchasing/suppliers/");
  for (const row of rows) suppliers.set(row.id, row);
  return rows;
}

export async function supplierOf(id) {
  if (!suppliers.has(Number(id))) {
    try {
      suppliers.set(Number(id), await get(`/api/purchasing/suppliers/${id}/`));
    } catch {
      return null;
    }
  }
  return suppliers.get(Number(id));
}

export function supplierName(id) {
  const row = suppliers.get(Number(id));
  return row ? `${row.code} · ${row.name}` : `#${id}`;
}

// The supplier of an order may be given as an id or as the supplier itself.
export const supplierId = (value) => (value && typeof value === "object" ? value.id : value);

// An order names its supplier (id, code and name): shown without asking the supplier list.
export function orderSupplier(order) {
  return order.supplier_code ? `${order.supplier_code} · ${order.supplier_name}` : supplierName(supplierId(order.supplier));
}

// What is still to come on a line, never below zero (an over-receipt a setting allowed leaves nothing due).
export const outstanding = (line) => Math.max(0, Number(line.quantity) - Number(line.received || 0));

export function lineTotal(line) {
  return fromCents(Math.round(Number(line.quantity) * toCents(String(line.unit_cost))));
}

export function orderLabel(order) {
  return order.number || `#${order.id}`;
}

// An answer the service took but could not finish yet (inventory down): 202 `receipt_pending`, the receipt pending.
export function isPending(answer) {
  return Boolean(answer) && (answer.code === "receipt_pending" || answer.receipt?.status === "pending");
}

// An attempt keeps its Idempotency-Key until it has a final answer: a retry after a lost answer is the same request.
export function settled(error) {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.code !== "idempotency_in_progress";
}

// An order's status (an order is feminine in Spanish, a transfer is not: its own words).
export function orderBadge(status) {
  return h("span", { class: `badge badge-${status}` }, t(`order_status.${status}`));
}

export function orderLink(order, text = orderLabel(order)) {
  return h("a", { href: `#/orders/${order.id}`, class: "order-number" }, text);
}

// The order's card: status, supplier, where it is delivered, when, its total.
export function orderHeader(ctx, order) {
  return h("dl", { class: "card", id: "order-header" },
    h("dt", {}, t("common.status")), h("dd", { id: "order-status" }, orderBadge(order.status)),
    h("dt", {}, t("orders.supplier")), h("dd", {}, h("a", { href: `#/suppliers/${supplierId(order.supplier)}` },
      orderSupplier(order))),
    h("dt", {}, t("orders.deliver_to")), h("dd", {}, ctx.branchLabel(order.branch)),
    h("dt", {}, t("orders.expected_on")), h("dd", {}, order.expected_on ? date(order.expected_on) : "—"),
    h("dt", {}, t("orders.total")), h("dd", { id: "order-total" }, money(order.total)));
}
