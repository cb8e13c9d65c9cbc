// Purchase orders: the list, a new order from a supplier's products, the order (edit while draft, confirm, cancel),
// and the routes to receive (#/orders/<id>/receive) and print (#/orders/<id>/print) it.
import { get, patch, post, withQuery } from "../api.js";
import { field, h, replace, select, table } from "../dom.js";
import { formProblem, showError } from "../errors.js";
import { date, dateTime, money, number, t } from "../i18n.js";
import { alertBox, branchSelect, loadProducts, page, pager, productName, productSku, statusBadge } from "./common.js";
import { printView } from "./order_print.js";
import { receiveView } from "./order_receive.js";
import {
  ORDER_STATUSES, RECEIVABLE, asMoney, lineTotal, loadSuppliers, orderBadge, orderHeader, orderLabel, orderLink, orderSupplier,
  outstanding, receives, supplierId, writesOrders,
} from "./purchasing.js";

export default async function orders(ctx) {
  const [first, second] = ctx.params;
  if (first === "new") return newOrder(ctx);
  if (first && second === "receive") return receiveView(ctx, Number(first));
  if (first && second === "print") return printView(ctx, Number(first));
  if (first) return orderView(ctx, Number(first));
  return orderList(ctx);
}

async function orderList(ctx) {
  const box = alertBox();
  const suppliers = await loadSuppliers().catch(() => []);
  const status = ctx.query.get("status") || "";
  const supplier = ctx.query.get("supplier") || "";
  const branch = ctx.query.get("branch") ?? (ctx.branches.length === 1 ? String(ctx.branch) : "");
  const filter = h("form", { class: "filters", id: "order-filters" },
    field(t("common.status"), select("status", [["", t("common.all")], ...ORDER_STATUSES.map((s) => [s, t(`order_status.${s}`)])], status)),
    field(t("orders.supplier"), select("supplier", [["", t("common.all")], ...suppliers.map((s) => [s.id, `${s.code} · ${s.name}`])],
      supplier)),
    field(t("nav.branch"), branchSelect(ctx, { value: branch, any: true })),
    h("button", { type: "submit", class: "secondary" }, t("common.show")));
  filter.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.go(withQuery("#/orders", { status: filter.status.value, supplier: filter.supplier.value, branch: filter.branch.value }));
  });
  const results = h("div", { id: "order-results" });
  const load = async (path) => {
    try {
      const data = await get(path);
      replace(results, table([t("orders.number"), t("orders.supplier"), t("nav.branch"), t("common.status"),
        t("orders.expected_on"), { label: t("orders.progress"), class: "num" }, { label: t("orders.total"), class: "num" }],
      data.results.map((o) => {
        const ordered = o.lines.reduce((sum, l) => sum + Number(l.quantity), 0);
        const received = o.lines.reduce((sum, l) => sum + Number(l.received || 0), 0);
        return h("tr", { dataset: { order: o.id, number: o.number } },
          h("td", {}, orderLink(o)), h("td", {}, orderSupplier(o)), h("td", {}, ctx.branchLabel(o.branch)),
          h("td", {}, orderBadge(o.status)), h("td", {}, date(o.expected_on)),
          h("td", { class: "num" }, t("orders.received_of", { received: number(received), ordered: number(ordered) })),
          h("td", { class: "num" }, money(o.total)));
      }),
      { empty: t("orders.none") }), pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(withQuery("/api/purchasing/orders/", { status, supplier, branch, page_size: 25 }));
  const title = t("nav.orders");
  const actions = writesOrders(ctx) ? h("p", { class: "actions" },
    h("a", { href: "#/orders/new", class: "button primary", id: "order-new" }, t("orders.new")),
    h("a", { href: "#/reorder", class: "button secondary" }, t("orders.from_reorder"))) : null;
  return { title, node: page(title, box, actions, filter, results) };
}

// The lines of an order as a table of the supplier's products: type how many of each (empty: none) and the cost.
async function lineEditor(supplierIdValue, lines = []) {
  const catalogue = supplierIdValue
    ? (await get(`/api/purchasing/suppliers/${supplierIdValue}/products/`, { page_size: 200 })).results || [] : [];
  const known = new Map(lines.map((l) => [l.product, l]));
  // a line of a product the supplier no longer lists stays editable (the service says whether it may stay)
  const rows = [...catalogue.map((c) => ({ product: c.product, unit_cost: c.unit_cost, pack_size: c.pack_size, supplier_sku: c.supplier_sku })),
    ...lines.filter((l) => !catalogue.some((c) => c.product === l.product))
      .map((l) => ({ product: l.product, unit_cost: l.unit_cost, pack_size: 1, supplier_sku: "" }))];
  await loadProducts(rows.map((r) => r.product));
  const inputs = new Map();
  const total = h("p", { class: "total", id: "order-form-total", role: "status" });
  const refresh = () => {
    const chosen = value();
    const sum = chosen.reduce((acc, l) => acc + Number(lineTotal(l)), 0);
    replace(total, t("orders.form_total", { lines: number(chosen.length), total: money(sum) }));
  };
  const body = h("tbody", { id: "order-form-lines" }, rows.map((r) => {
    const line = known.get(r.product);
    const qty = h("input", { type: "number", min: "0", step: "1", inputmode: "numeric", class: "counted",
      value: line ? String(line.quantity) : "", "aria-label": t("orders.quantity_of", { name: productName(r.product) }),
      oninput: refresh });
    const cost = h("input", { type: "text", inputmode: "decimal", class: "cost", value: String(line ? line.unit_cost : r.unit_cost),
      "aria-label": t("orders.cost_of", { name: productName(r.product) }), oninput: refresh });
    inputs.set(r.product, { qty, cost });
    return h("tr", { dataset: { product: r.product } },
      h("td", {}, productSku(r.product)), h("td", {}, productName(r.product)), h("td", {}, r.supplier_sku || ""),
      h("td", { class: "num" }, number(r.pack_size)), h("td", { class: "num" }, qty), h("td", { class: "num" }, cost));
  }));
  function value() {
    const out = [];
    for (const [product, { qty, cost }] of inputs) {
      const quantity = Number(qty.value);
      if (qty.value === "" || quantity === 0) continue;
      out.push({ product, quantity, unit_cost: asMoney(cost.value) });
    }
    return out;
  }
  const problem = () => {
    for (const [product, { qty }] of inputs) {
      const quantity = Number(qty.value);
      if (qty.value !== "" && (!Number.isInteger(quantity) || quantity < 0)) return [t("orders.bad_quantity", { name: productName(product) }), qty];
    }
    if (!value().length) return [t("orders.need_lines"), inputs.values().next().value?.qty];
    return null;
  };
  refresh();
  const node = rows.length ? h("div", {}, h("div", { class: "table-wrap" }, h("table", { id: "order-form-table" },
    h("caption", {}, t("orders.lines_hint")),
    h("thead", {}, h("tr", {}, [["common.sku"], ["common.product"], ["suppliers.supplier_sku"], ["suppliers.pack_size", "num"],
      ["orders.quantity", "num"], ["suppliers.unit_cost", "num"]].map(([k, c]) => h("th", { scope: "col", class: c }, t(k))))),
    body)), total)
    : h("p", { class: "empty", id: "order-form-empty" }, t("orders.supplier_sells_nothing"));
  return { node, value, problem };
}

async function newOrder(ctx) {
  const box = alertBox();
  const suppliers = (await loadSuppliers()).filter((s) => s.is_active);
  const chosen = ctx.query.get("supplier") || suppliers[0]?.id || "";
  const supplier = select("supplier", suppliers.map((s) => [s.id, `${s.code} · ${s.name}`]), chosen, { id: "order-supplier" });
  const branch = branchSelect(ctx, { id: "order-branch", value: ctx.query.get("branch") || ctx.branch });
  const expected = h("input", { type: "date", name: "expected_on", id: "order-expected" });
  const holder = h("div", { id: "order-lines-holder" });
  let editor = null;
  const showLines = async () => {
    editor = await lineEditor(Number(supplier.value));
    replace(holder, editor.node);
  };
  supplier.addEventListener("change", () => showLines().catch((error) => showError(box, error)));
  const submit = h("button", { type: "submit", class: "primary", id: "order-create" }, t("orders.create"));
  const form = h("form", { class: "stacked", id: "order-form", novalidate: true, "aria-labelledby": "page-title" },
    h("div", { class: "row" }, field(t("orders.supplier"), supplier), field(t("orders.deliver_to"), branch),
      field(t("orders.expected_on"), expected)),
    holder, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problem = editor?.problem() ?? [t("orders.need_supplier"), supplier];
    if (problem) {
      showError(box, formProblem(problem[0]));
      problem[1]?.focus();
      return;
    }
    const body = { supplier: Number(supplier.value), branch: Number(branch.value), lines: editor.value() };
    if (expected.value) body.expected_on = expected.value;
    submit.disabled = true;
    try {
      const order = await post("/api/purchasing/orders/", body);
      ctx.notify(t("orders.created", { number: orderLabel(order) }));
      ctx.go(`#/orders/${order.id}`);
    } catch (error) {
      showError(box, error, { form, names: Object.fromEntries(body.lines.map((l) => [l.product, productName(l.product)])) });
    } finally {
      submit.disabled = false;
    }
  });
  if (suppliers.length) await showLines();
  const title = t("orders.new");
  return { title, focus: supplier, node: page(title, box,
    suppliers.length ? form : h("p", { class: "empty" }, t("orders.no_suppliers"), " ", h("a", { href: "#/suppliers" }, t("nav.suppliers"))),
    h("p", {}, h("a", { href: "#/orders" }, t("orders.back")))) };
}

function linesTable(order) {
  return table([t("common.sku"), t("common.product"), { label: t("orders.quantity"), class: "num" },
    { label: t("suppliers.unit_cost"), class: "num" }, { label: t("orders.line_total"), class: "num" },
    { label: t("orders.received"), class: "num" }, { label: t("orders.outstanding"), class: "num" }],
  order.lines.map((l) => h("tr", { dataset: { product: l.product } },
    h("td", {}, productSku(l.product)), h("td", {}, productName(l.product)),
    h("td", { class: "num ordered" }, number(l.quantity)), h("td", { class: "num" }, money(l.unit_cost)),
    h("td", { class: "num" }, money(lineTotal(l))),
    h("td", { class: "num received" }, number(l.received || 0)),
    h("td", { class: "num outstanding" }, number(outstanding(l))))),
  { caption: t("orders.lines") });
}

function receiptsTable(receipts) {
  if (!receipts.length) return null;
  return h("section", { "aria-labelledby": "order-receipts-title", id: "order-receipts" },
    h("h2", { id: "order-receipts-title" }, t("orders.receipts")),
    table([t("receive.delivery_note"), t("common.status"), t("common.time"), t("receive.reference"), t("orders.lines")],
      receipts.map((r) => h("tr", { dataset: { receipt: r.id, reference: r.reference } },
        h("td", {}, r.delivery_note), h("td", {}, statusBadge(r.status)), h("td", {}, dateTime(r.settled_at || r.created_at)),
        h("td", { class: "reference" }, r.reference || ""),
        h("td", {}, (r.lines || []).map((l) => `${number(l.quantity)} × ${productName(l.product)}`).join(", "))))));
}

async function orderView(ctx, id) {
  const box = alertBox();
  const [order, receipts] = await Promise.all([get(`/api/purchasing/orders/${id}/`),
    get(`/api/purchasing/orders/${id}/receipts/`, { page_size: 100 }).then((d) => d.results || []).catch(() => [])]);
  await loadProducts(order.lines.map((l) => l.product));
  const title = t("orders.title", { number: orderLabel(order) });
  const act = (action, label, confirmText) => h("button", { type: "button", class: action === "confirm" ? "primary" : "secondary",
    id: `order-${action}`, onclick: async (event) => {
      if (confirmText && !window.confirm(confirmText)) return;
      event.target.disabled = true;
      try {
        const updated = await post(`/api/purchasing/orders/${order.id}/${action}/`, {});
        ctx.notify(t("orders.now", { number: orderLabel(order), status: t(`order_status.${updated.status}`) }));
        ctx.rerender();
      } catch (error) {
        showError(box, error);
        event.target.disabled = false;
      }
    } }, label);
  const writes = writesOrders(ctx);
  const editing = h("div", { id: "order-edit" });
  const actions = h("div", { class: "actions no-print" },
    RECEIVABLE.has(order.status) && receives(ctx)
      ? h("a", { href: `#/orders/${order.id}/receive`, class: "button primary", id: "order-receive" }, t("orders.receive")) : null,
    writes && order.status === "draft" ? [
      act("confirm", t("orders.confirm")),
      h("button", { type: "button", class: "secondary", id: "order-edit-button", onclick: () => editForm(ctx, order, box, editing) },
        t("common.edit")),
    ] : null,
    writes && ["draft", "confirmed", "partially_received"].includes(order.status)
      ? act("cancel", t("orders.cancel"), t(order.status === "partially_received" ? "orders.confirm_close" : "orders.confirm_cancel"))
      : null,
    h("a", { href: `#/orders/${order.id}/print`, class: "button secondary", id: "order-print" }, t("orders.print")));
  return { title, node: page(title, box, orderHeader(ctx, order), actions, editing, linesTable(order), receiptsTable(receipts),
    h("p", {}, h("a", { href: "#/orders" }, t("orders.back")))) };
}

async function editForm(ctx, order, box, holder) {
  try {
    const editor = await lineEditor(supplierId(order.supplier), order.lines);
    const expected = h("input", { type: "date", name: "expected_on", id: "order-edit-expected", value: order.expected_on || "" });
    const save = h("button", { type: "submit", class: "primary", id: "order-save" }, t("common.save"));
    const form = h("form", { class: "stacked", id: "order-edit-form", novalidate: true, "aria-labelledby": "order-edit-title" },
      h("h2", { id: "order-edit-title", tabindex: "-1" }, t("orders.edit")),
      field(t("orders.expected_on"), expected), editor.node,
      h("div", { class: "actions" }, save,
        h("button", { type: "button", class: "secondary", onclick: () => replace(holder) }, t("common.cancel"))));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const problem = editor.problem();
      if (problem) {
        showError(box, formProblem(problem[0]));
        problem[1]?.focus();
        return;
      }
      const body = { lines: editor.value(), expected_on: expected.value || null };
      save.disabled = true;
      try {
        await patch(`/api/purchasing/orders/${order.id}/`, body);
        ctx.notify(t("orders.saved", { number: orderLabel(order) }));
        ctx.rerender();
      } catch (error) {
        showError(box, error, { form, names: Object.fromEntries(body.lines.map((l) => [l.product, productName(l.product)])) });
      } finally {
        save.disabled = false;
      }
    });
    replace(holder, form);
    form.querySelector("h2").focus();
  } catch (error) {
    showError(box, error);
  }
}
