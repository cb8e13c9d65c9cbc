// Past sales: a filtered list (reprint from it), one sale with its lines and taxes, and returns against it.
import { ApiError, api, get, newIdempotencyKey, withQuery } from "../api.js";
import { field, h, replace, select, table } from "../dom.js";
import { formProblem, message, showError } from "../errors.js";
import { date, dateTime, money, number, t } from "../i18n.js";
import { withApproval } from "./approval.js";
import { alertBox, branchSelect, page, pager, statusBadge } from "./common.js";

const RETURN_ROLES = new Set(["admin", "manager", "cashier"]);

export default async function sales(ctx) {
  return ctx.params[0] ? saleDetail(ctx, Number(ctx.params[0])) : saleList(ctx);
}

async function saleList(ctx) {
  const q = ctx.query;
  const filters = {
    branch: q.get("branch") ?? String(ctx.branch ?? ""),
    date_from: q.get("date") || q.get("date_from") || "",
    date_to: q.get("date") || q.get("date_to") || "",
    status: q.get("status") || "",
  };
  const form = h("form", { class: "filters", id: "sales-filters" },
    field(t("nav.branch"), branchSelect(ctx, { value: filters.branch, any: ctx.branches.length > 1 })),
    field(t("common.date_from"), h("input", { type: "date", name: "date_from", value: filters.date_from })),
    field(t("common.date_to"), h("input", { type: "date", name: "date_to", value: filters.date_to })),
    field(t("common.status"), select("status", [["", t("common.all")], ...["completed", "pending", "rejected"]
      .map((s) => [s, t(`status.${s}`)])], filters.status)),
    h("button", { type: "submit", class: "secondary" }, t("common.show")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    ctx.go(withQuery("#/sales", Object.fromEntries(data.entries())));
  });
  const box = alertBox();
  const results = h("div", { id: "sales-results" });
  const load = async (path) => {
    try {
      const data = await get(path);
      replace(results, table(
        [t("sale.number"), t("sale.legal_document"), t("common.date"), t("nav.branch"), { label: t("sale.total"), class: "num" },
          t("common.status"), ""],
        data.results.map((s) => h("tr", { dataset: { sale: s.id } },
          h("td", {}, h("a", { href: `#/sales/${s.id}` }, s.number || `#${s.id}`)),
          h("td", { class: "legal-document" }, legalDocument(s)),
          h("td", {}, dateTime(s.completed_at || s.created_at)),
          h("td", {}, ctx.branchLabel(s.branch)),
          h("td", { class: "num" }, money(s.total)),
          h("td", {}, statusBadge(s.status)),
          h("td", {}, s.status === "completed" ? h("a", { href: `#/receipt/${s.id}`, class: "reprint" },
            t("sales.reprint"), h("span", { class: "visually-hidden" }, ` ${s.number || s.id}`)) : null))),
        { empty: t("sales.none") }), pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(withQuery("/api/sales/", { ...filters, page_size: 25 }));
  return { title: t("nav.sales"), node: page(t("nav.sales"), form, box, results) };
}

// "Factura F001-00000045", or nothing before the sale completes (the number is taken then).
export function legalDocument(sale) {
  return sale.document_number ? `${t(`document.${sale.document_type || "receipt"}`)} ${sale.document_number}` : "";
}

async function saleDetail(ctx, id) {
  const sale = await get(`/api/sales/${id}/`);
  const box = alertBox();
  const canReturn = RETURN_ROLES.has(ctx.me.role) && sale.status === "completed"
    && sale.lines.some((l) => l.quantity > (l.returned_quantity || 0));
  const node = page(t("sales.sale_title", { number: sale.number || `#${sale.id}` }),
    h("p", { class: "subtitle" }, statusBadge(sale.status), " ", ctx.branchLabel(sale.branch), " · ",
      date(sale.business_date), " · ", dateTime(sale.completed_at || sale.created_at),
      sale.cashier_name || sale.cashier_username ? [" · ", t("receipt.cashier", { name: sale.cashier_name || sale.cashier_username })] : null,
      sale.approved_by_username ? [" · ", h("span", { id: "sale-approved-by" }, t("sales.approved_by", { name: sale.approved_by_username }))] : null),
    sale.document_number || sale.customer ? h("p", { id: "sale-document" }, legalDocument(sale),
      sale.customer ? [sale.document_number ? " · " : "", h("a", { href: `#/customers/${sale.customer}`, id: "sale-customer" },
        t("sales.customer_link"))] : null) : null,
    h("p", { class: "no-print" }, h("a", { href: "#/sales" }, t("sales.back"))),
    box,
    h("div", { class: "columns" },
      h("div", {}, saleLines(sale),
        h("div", { class: "actions no-print" },
          sale.status === "completed" ? h("a", { href: `#/receipt/${sale.id}`, class: "button", id: "sale-receipt" }, t("sales.reprint")) : null)),
      h("div", { class: "no-print" },
        returnsList(sale),
        canReturn ? returnForm(ctx, sale, box) : null)));
  return { title: t("sales.sale_title", { number: sale.number || `#${sale.id}` }), node };
}

const hasDiscount = (value) => value !== undefined && value !== null && Number(value) !== 0;

// The sale's lines as the service priced them (discount, net, tax, total per line) and its totals.
export function saleLines(sale) {
  return h("div", { class: "sale-lines" },
    table([t("common.product"), { label: t("sale.quantity"), class: "num" }, { label: t("sale.unit_price"), class: "num" },
      { label: t("sale.discount"), class: "num" }, { label: t("sale.net"), class: "num" }, { label: t("sale.tax"), class: "num" },
      { label: t("sale.line_total"), class: "num" }],
    sale.lines.map((line) => h("tr", { dataset: { product: line.product } },
      h("td", {}, line.name || `#${line.product}`),
      h("td", { class: "num" }, number(line.quantity)),
      h("td", { class: "num" }, money(line.unit_price)),
      h("td", { class: "num line-discount" }, hasDiscount(line.discount) ? money(line.discount) : ""),
      h("td", { class: "num line-net" }, line.net !== undefined ? money(line.net) : ""),
      h("td", { class: "num line-tax" }, line.tax !== undefined ? money(line.tax) : ""),
      h("td", { class: "num line-total" }, money(line.total))))),
    h("dl", { class: "totals", id: "sale-totals" },
      hasDiscount(sale.discount_total) ? [h("dt", {}, t("sale.discount_total")), h("dd", { id: "sale-discount" }, money(sale.discount_total))] : null,
      h("dt", {}, t("sale.net")), h("dd", { id: "sale-net" }, money(sale.subtotal)),
      h("dt", {}, t("sale.tax")), h("dd", { id: "sale-tax" }, money(sale.tax)),
      h("dt", { class: "grand" }, t("sale.total")), h("dd", { class: "grand", id: "sale-total" }, money(sale.total)),
      (sale.payments || []).map((p) => [h("dt", {}, t(`method.${p.method}`)), h("dd", {}, money(p.amount))]),
      h("dt", {}, t("sale.change")), h("dd", { id: "sale-change" }, money(sale.change))));
}

function returnsList(sale) {
  if (!sale.returns?.length) return null;
  return h("section", { "aria-labelledby": "returns-title" },
    h("h2", { id: "returns-title" }, t("returns.done")),
    table([t("common.date"), t("returns.credit_note"), t("returns.lines"), { label: t("returns.refund"), class: "num" },
      t("common.status")],
      sale.returns.map((r) => h("tr", { dataset: { return: r.id } },
        h("td", {}, dateTime(r.completed_at || r.created_at)),
        h("td", { class: "credit-note" }, r.document_number || ""),
        h("td", {}, r.lines.map((l) => `${number(l.quantity)} × ${sale.lines.find((s) => s.product === l.product)?.name || `#${l.product}`}`).join(", ")),
        h("td", { class: "num" }, `${money(r.refund_amount)} (${t(`method.${r.refund_method}`)})`),
        h("td", {}, statusBadge(r.status))))));
}

function returnForm(ctx, sale, box) {
  let attempt = null; // {key, body}: one Idempotency-Key per return attempt, reused on retry
  const inputs = sale.lines.map((line) => {
    const left = line.quantity - (line.returned_quantity || 0);
    return { line, left, input: h("input", { type: "number", min: "0", max: String(left), step: "1", value: "0",
      name: `qty-${line.product}`, disabled: left <= 0, inputmode: "numeric" }) };
  });
  const reason = h("input", { name: "reason", maxlength: "255" });
  // refunds go back the way the sale was paid (the service refuses any other method); what points paid is not
  // refunded (400 points_not_refundable): the sale's other methods take it
  const paidWith = [...new Set((sale.payments || []).map((p) => p.method))].filter((m) => m !== "points");
  const methods = paidWith.length ? paidWith : ["cash"];
  const method = select("refund_method", methods.map((m) => [m, t(`method.${m}`)]),
    methods.includes("cash") ? "cash" : methods[0]);
  const submit = h("button", { type: "submit", class: "primary" }, t("returns.submit"));
  const form = h("form", { class: "return-form", "aria-labelledby": "return-title" },
    h("h2", { id: "return-title" }, t("returns.title")),
    table([t("common.product"), { label: t("returns.sold"), class: "num" }, { label: t("returns.returned"), class: "num" }, t("returns.now")],
      inputs.map(({ line, input }) => h("tr", {},
        h("td", {}, line.name),
        h("td", { class: "num" }, number(line.quantity)),
        h("td", { class: "num" }, number(line.returned_quantity || 0)),
        h("td", {}, h("label", { class: "visually-hidden", for: (input.id = `ret-${line.product}`) }, t("returns.qty_of", { name: line.name })), input)))),
    field(t("returns.reason"), reason),
    field(t("returns.refund_method"), method),
    submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const lines = inputs.map(({ line, input }) => ({ product: line.product, quantity: Math.floor(Number(input.value) || 0) }))
      .filter((l) => l.quantity > 0);
    if (!lines.length) {
      showError(box, formProblem(t("returns.nothing")));
      return;
    }
    const body = { lines, reason: reason.value.trim(), refund_method: method.value };
    const signature = JSON.stringify(body);
    if (!attempt || attempt.body !== signature) attempt = { key: newIdempotencyKey(), body: signature };
    submit.disabled = true;
    const send = (extra = {}) => api(`/api/sales/${sale.id}/returns/`, { method: "POST", body: { ...body, ...extra },
      headers: { "Idempotency-Key": attempt.key } });
    try {
      let done;
      try {
        done = await send();
      } catch (error) {
        // another cashier's sale, or older than the company's return days: a manager approves by PIN
        if (!(error instanceof ApiError && error.code === "return_needs_manager")) throw error;
        let tries = 0;
        done = await withApproval({ reason: message(error), attempt: (approval) => {
          if (tries > 0) attempt.key = newIdempotencyKey();
          tries += 1;
          return send({ approval });
        } });
        if (!done) return;
      }
      attempt = null;
      ctx.notify(done.status === "pending" ? t("returns.pending") : t("returns.completed", { amount: money(done.refund_amount) }));
      ctx.rerender();
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.code !== "idempotency_in_progress") attempt = null;
      showError(box, error, { form, names: Object.fromEntries(sale.lines.map((l) => [l.product, l.name])) });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
