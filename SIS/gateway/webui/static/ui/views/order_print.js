// The purchase order as the supplier gets it, on an A4 sheet: buyer, supplier, where to deliver, lines and total.
import { get } from "../api.js";
import { h } from "../dom.js";
import { date, dateTime, money, number, t } from "../i18n.js";
import { alertBox, loadProducts, page, productName, productSku } from "./common.js";
import { lineTotal, orderLabel, supplierId, supplierOf } from "./purchasing.js";

export function orderDocument(order, { company = {}, supplier = {}, branch = {}, skus = {} }) {
  return h("article", { class: "receipt receipt-a4 purchase-order", id: "po-document", "aria-labelledby": "po-title" },
    h("header", { class: "po-parties" },
      h("div", { id: "po-buyer" },
        h("p", { class: "receipt-brand", id: "po-company" }, company.name || ""),
        company.legal_name && company.legal_name !== company.name ? h("p", {}, company.legal_name) : null,
        company.tax_id ? h("p", { id: "po-company-tax-id" }, t("receipt.tax_id", { tax_id: company.tax_id })) : null),
      h("div", { id: "po-supplier" },
        h("p", { class: "po-label" }, t("orders.supplier")),
        h("p", { class: "receipt-brand" }, supplier.name || order.supplier_name || `#${supplierId(order.supplier)}`),
        supplier.tax_id ? h("p", {}, t("receipt.tax_id", { tax_id: supplier.tax_id })) : null,
        supplier.address ? h("p", {}, supplier.address) : null,
        [supplier.email, supplier.phone].filter(Boolean).length ? h("p", {}, [supplier.email, supplier.phone].filter(Boolean).join(" · ")) : null)),
    h("h2", { id: "po-title" }, t("print.title", { number: orderLabel(order) })),
    h("dl", { class: "po-terms" },
      h("dt", {}, t("print.date")), h("dd", {}, dateTime(order.confirmed_at || order.created_at)),
      h("dt", {}, t("orders.deliver_to")), h("dd", { id: "po-deliver-to" },
        [branch.code, branch.name].filter(Boolean).join(" · "), branch.address ? ` — ${branch.address}` : ""),
      h("dt", {}, t("orders.expected_on")), h("dd", {}, order.expected_on ? date(order.expected_on) : "—"),
      supplier.payment_terms_days !== undefined
        ? [h("dt", {}, t("suppliers.terms")), h("dd", {}, t("suppliers.days", { days: number(supplier.payment_terms_days) }))] : null,
      h("dt", {}, t("common.status")), h("dd", {}, t(`order_status.${order.status}`))),
    h("table", { class: "receipt-lines", id: "po-lines" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, t("common.sku")),
        h("th", { scope: "col" }, t("suppliers.supplier_sku")),
        h("th", { scope: "col" }, t("common.product")),
        h("th", { scope: "col", class: "num" }, t("orders.quantity")),
        h("th", { scope: "col", class: "num" }, t("suppliers.unit_cost")),
        h("th", { scope: "col", class: "num" }, t("orders.line_total")))),
      h("tbody", {}, order.lines.map((l) => h("tr", { dataset: { product: l.product } },
        h("td", {}, productSku(l.product)), h("td", {}, skus[l.product] || ""), h("td", {}, productName(l.product)),
        h("td", { class: "num" }, number(l.quantity)), h("td", { class: "num" }, money(l.unit_cost)),
        h("td", { class: "num" }, money(lineTotal(l))))))),
    h("dl", { class: "totals" },
      h("dt", { class: "grand" }, t("orders.total")), h("dd", { class: "grand", id: "po-total" }, money(order.total))),
    h("footer", {}, h("p", {}, t("print.footer", { number: orderLabel(order) }))));
}

// #/orders/<id>/print: the order alone with its print button (the print media shows the sheet only).
export async function printView(ctx, id) {
  const box = alertBox();
  const order = await get(`/api/purchasing/orders/${id}/`);
  const sid = supplierId(order.supplier);
  const [company, supplier, catalogue] = await Promise.all([
    get("/api/branches/company/").catch(() => ({})),
    supplierOf(sid),
    get(`/api/purchasing/suppliers/${sid}/products/`, { page_size: 200 }).then((d) => d.results || []).catch(() => []),
    loadProducts(order.lines.map((l) => l.product)),
  ]);
  const branch = ctx.allBranches.find((b) => b.id === Number(order.branch)) || { code: `#${order.branch}` };
  const skus = Object.fromEntries(catalogue.map((c) => [c.product, c.supplier_sku]));
  const sheet = orderDocument(order, { company, supplier: supplier || {}, branch, skus });
  const title = t("print.view_title", { number: orderLabel(order) });
  return { title, node: page(title, box, h("div", { class: "receipt-area" }, sheet,
    h("div", { class: "actions no-print" },
      h("button", { type: "button", class: "primary", id: "po-print", onclick: () => window.print() }, t("print.print")),
      h("a", { href: `#/orders/${order.id}`, class: "button secondary" }, t("receive.to_order"))))) };
}
