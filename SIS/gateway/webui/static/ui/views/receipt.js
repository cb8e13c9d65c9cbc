// The printed receipt, from the sales service's receipt answer, on an 80 mm roll or an A4 sheet.
import { get } from "../api.js";
import { h, replace } from "../dom.js";
import { showError } from "../errors.js";
import { dateTime, money, number, t } from "../i18n.js";
import { alertBox, page } from "./common.js";
import { docLabel } from "./customerform.js";

export const LAYOUTS = ["80", "a4"];
const LAYOUT_KEY = "ewtto.receiptLayout";

export function preferredLayout() {
  const chosen = localStorage.getItem(LAYOUT_KEY);
  return LAYOUTS.includes(chosen) ? chosen : "80";
}

export function loadReceipt(saleId) {
  return get(`/api/sales/${saleId}/receipt/`);
}

const percent = (rate) => `${number(Number(rate) * 100)} %`;
const hasDiscount = (value) => value !== undefined && value !== null && Number(value) !== 0;

function lines80(doc) {
  return h("table", { class: "receipt-lines" },
    h("thead", { class: "visually-hidden" }, h("tr", {},
      h("th", { scope: "col" }, t("common.product")), h("th", { scope: "col" }, t("sale.line_total")))),
    h("tbody", {}, doc.lines.map((line) => h("tr", {},
      h("td", {}, line.name, h("br"),
        h("small", {}, `${number(line.quantity)} × ${money(line.unit_price)}`,
          hasDiscount(line.discount) ? ` ${t("receipt.discount_short", { amount: money(line.discount) })}` : "")),
      h("td", { class: "num" }, money(line.total))))));
}

function linesA4(doc) {
  return h("table", { class: "receipt-lines" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t("common.product")),
      h("th", { scope: "col", class: "num" }, t("sale.quantity")),
      h("th", { scope: "col", class: "num" }, t("sale.unit_price")),
      h("th", { scope: "col", class: "num" }, t("sale.discount")),
      h("th", { scope: "col", class: "num" }, t("sale.line_total")))),
    h("tbody", {}, doc.lines.map((line) => h("tr", {},
      h("td", {}, line.name),
      h("td", { class: "num" }, number(line.quantity)),
      h("td", { class: "num" }, money(line.unit_price)),
      h("td", { class: "num" }, hasDiscount(line.discount) ? money(line.discount) : ""),
      h("td", { class: "num" }, money(line.total))))));
}

// The buyer as the document names them: an invoice's company with its RUC and fiscal address.
function customerLines(customer) {
  if (!customer) return null;
  const label = docLabel(customer);
  return h("div", { class: "receipt-customer", id: "receipt-customer" },
    // clientes unreachable when the receipt was read: only the customer's id is known
    h("p", {}, t("receipt.customer", { name: customer.name || `#${customer.id}` })),
    label ? h("p", { id: "receipt-customer-doc" }, label) : null,
    customer.address ? h("p", {}, customer.address) : null);
}

// Points the sale earned and what the customer holds after it, when the service says.
function pointsLines(doc) {
  const earned = doc.points_earned ?? doc.loyalty?.earned;
  const balance = doc.points_balance ?? doc.loyalty?.balance;
  if (earned === undefined && balance === undefined) return null;
  return h("p", { id: "receipt-points" }, [
    earned !== undefined ? t("receipt.points_earned", { points: number(earned) }) : null,
    balance !== undefined ? t("receipt.points_balance", { points: number(balance) }) : null,
  ].filter(Boolean).join(" · "));
}

// The receipt as the customer gets it: company, branch, cashier, lines, taxes by rate, payments, change.
export function receiptDocument(doc, layout = "80") {
  const { company = {}, branch = {}, cashier = {} } = doc;
  const number_ = doc.document_number || doc.number;
  return h("article", { class: `receipt receipt-${layout}`, id: "receipt", "aria-labelledby": "receipt-title", dataset: { layout } },
    h("header", {},
      h("p", { class: "receipt-brand", id: "receipt-company" }, company.name || ""),
      company.legal_name && company.legal_name !== company.name ? h("p", {}, company.legal_name) : null,
      company.tax_id ? h("p", { id: "receipt-tax-id" }, t("receipt.tax_id", { tax_id: company.tax_id })) : null,
      h("p", { id: "receipt-branch" }, [branch.code, branch.name].filter(Boolean).join(" · ")),
      branch.address ? h("p", { id: "receipt-address" }, branch.address) : null,
      branch.receipt_header ? h("p", { class: "receipt-note" }, branch.receipt_header) : null,
      doc.document_type ? h("p", { class: "receipt-kind", id: "receipt-kind" }, t(`receipt.kind_${doc.document_type}`)) : null,
      h("h2", { id: "receipt-title" }, t("receipt.title", { number: number_ })),
      doc.document_number ? h("p", {}, t("receipt.sale_number", { number: doc.number })) : null,
      h("p", {}, dateTime(doc.created_at)),
      h("p", { id: "receipt-cashier" }, t("receipt.cashier", { name: cashier.full_name || cashier.username || "" })),
      customerLines(doc.customer)),
    layout === "a4" ? linesA4(doc) : lines80(doc),
    h("dl", { class: "totals" },
      hasDiscount(doc.discount_total) ? [h("dt", {}, t("sale.discount_total")),
        h("dd", { id: "receipt-discount" }, money(doc.discount_total))] : null,
      (doc.tax_breakdown || []).map((row) => (Number(row.rate) === 0
        ? [h("dt", {}, t("receipt.exempt")), h("dd", { dataset: { rate: row.rate } }, money(row.net))]
        : [h("dt", {}, t("receipt.net_at", { rate: percent(row.rate) })), h("dd", {}, money(row.net)),
          h("dt", {}, t("receipt.tax_at", { rate: percent(row.rate) })), h("dd", { dataset: { rate: row.rate } }, money(row.tax))])),
      h("dt", { class: "grand" }, t("sale.total")), h("dd", { class: "grand", id: "receipt-total" }, money(doc.total)),
      (doc.payments || []).map((p) => [h("dt", {}, t(`method.${p.method}`)), h("dd", {}, money(p.amount))]),
      h("dt", {}, t("sale.change")), h("dd", { id: "receipt-change" }, money(doc.change))),
    h("footer", {},
      pointsLines(doc),
      branch.receipt_footer ? h("p", { class: "receipt-note" }, branch.receipt_footer) : null,
      h("p", {}, t("receipt.thanks"))));
}

// The receipt with its print buttons (80 mm, A4); `extra` are more buttons (e.g. the point of sale's new sale).
export function receiptPanel(doc, { extra = [] } = {}) {
  const holder = h("div", { class: "receipt-holder" });
  const show = (layout) => replace(holder, receiptDocument(doc, layout));
  show(preferredLayout());
  const print = (layout) => {
    localStorage.setItem(LAYOUT_KEY, layout);
    show(layout);
    window.print();
  };
  return h("div", { class: "receipt-area" }, holder,
    h("div", { class: "actions no-print" },
      h("button", { type: "button", class: "primary", id: "receipt-print-80", onclick: () => print("80") }, t("receipt.print_80")),
      h("button", { type: "button", class: "secondary", id: "receipt-print-a4", onclick: () => print("a4") }, t("receipt.print_a4")),
      extra));
}

// #/receipt/<sale id>: the receipt on its own, to print or reprint.
export default async function receiptView(ctx) {
  const id = Number(ctx.params[0]);
  const box = alertBox();
  let body = null;
  try {
    const doc = await loadReceipt(id);
    body = receiptPanel(doc, { extra: [h("a", { href: `#/sales/${id}`, class: "no-print" }, t("receipt.to_sale"))] });
  } catch (error) {
    showError(box, error);
  }
  const title = t("receipt.view_title");
  return { title, node: page(title, box, body) };
}
