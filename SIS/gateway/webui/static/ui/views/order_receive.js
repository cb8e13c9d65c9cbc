// Receiving a delivery against its order: scan what arrived, see it against what is still due, post it once.
import { api, get, newIdempotencyKey } from "../api.js";
import { field, h, replace } from "../dom.js";
import { formProblem, showError } from "../errors.js";
import { number, t } from "../i18n.js";
import { alertBox, loadProducts, page, productName, productSku } from "./common.js";
import {
  RECEIVABLE, asMoney, isPending, orderHeader, orderLabel, outstanding, receives, settled,
} from "./purchasing.js";
import { scanBox } from "./scan.js";

// a pending receipt is asked again (same key) this often before the page says it is still pending
const PENDING_RETRIES = 3;
const PENDING_WAIT_MS = 2000;

export async function receiveView(ctx, id) {
  const box = alertBox();
  let order = await get(`/api/purchasing/orders/${id}/`);
  await loadProducts(order.lines.map((l) => l.product));
  let attempt = null; // {key, body}: the same delivery sent again reuses its key, so it can never enter twice
  const counted = new Map(); // product id -> {qty input, cost input, diff cell, row}
  const note = h("input", { name: "delivery_note", id: "receive-note", maxlength: "40", required: true, autocomplete: "off" });
  const body = h("tbody", { id: "receive-lines" });
  const summary = h("div", { id: "receive-summary", role: "status", "aria-live": "polite" });
  const status = h("p", { id: "receive-status", class: "pos-status", role: "status", "aria-live": "polite" });
  const submit = h("button", { type: "submit", class: "primary", id: "receive-submit" }, t("receive.submit"));
  const done = h("section", { id: "receive-done", "aria-live": "polite" });

  const lineOf = (product) => order.lines.find((l) => l.product === product);
  const quantityOf = (product) => {
    const value = counted.get(product)?.qty.value ?? "";
    return value === "" ? 0 : Number(value);
  };
  function differences() {
    return order.lines.map((l) => ({ line: l, due: outstanding(l), counted: quantityOf(l.product) }))
      .map((d) => ({ ...d, difference: d.counted - d.due }));
  }
  function refresh() {
    const rows = differences();
    for (const d of rows) {
      const cell = counted.get(d.line.product)?.diff;
      if (!cell) continue;
      cell.className = `num difference${d.difference ? (d.difference < 0 ? " low" : " high") : ""}`;
      replace(cell, d.difference > 0 ? `+${number(d.difference)}` : number(d.difference));
    }
    const short = rows.filter((d) => d.difference < 0);
    const over = rows.filter((d) => d.difference > 0);
    const units = rows.reduce((sum, d) => sum + d.counted, 0);
    replace(summary,
      h("p", {}, t("receive.summary", { units: number(units), lines: number(rows.filter((d) => d.counted > 0).length),
        short: number(short.length), over: number(over.length) })),
      over.length ? h("ul", { class: "alert-list", id: "receive-over" }, over.map((d) => h("li", { class: "danger" },
        t("receive.over_line", { name: productName(d.line.product), over: number(d.difference), due: number(d.due) })))) : null,
      short.length ? h("ul", { id: "receive-short" }, short.map((d) => h("li", {},
        t("receive.short_line", { name: productName(d.line.product), short: number(-d.difference), due: number(d.due) })))) : null);
  }

  function render() {
    counted.clear();
    replace(body, order.lines.map((l) => {
      const qty = h("input", { type: "number", min: "0", step: "1", inputmode: "numeric", class: "counted", value: "",
        placeholder: "0", "aria-label": t("receive.counted_of", { name: productName(l.product) }), oninput: refresh });
      const cost = h("input", { type: "text", inputmode: "decimal", class: "cost", placeholder: String(l.unit_cost),
        "aria-label": t("receive.cost_of", { name: productName(l.product) }) });
      const diff = h("td", { class: "num difference" });
      const row = h("tr", { dataset: { product: l.product } },
        h("td", {}, productSku(l.product)), h("td", {}, productName(l.product)),
        h("td", { class: "num ordered" }, number(l.quantity)), h("td", { class: "num received" }, number(l.received || 0)),
        h("td", { class: "num outstanding" }, number(outstanding(l))),
        h("td", { class: "num" }, qty), diff, h("td", { class: "num" }, cost));
      counted.set(l.product, { qty, cost, diff, row });
      return row;
    }));
    refresh();
  }

  const scan = scanBox({ id: "receive-scan", onProduct: (product, quantity) => {
    const line = counted.get(product.id);
    if (!lineOf(product.id) || !line) {
      scan.say(t("receive.not_on_order", { name: product.name, number: orderLabel(order) }));
      return;
    }
    line.qty.value = String(quantityOf(product.id) + quantity);
    line.row.dataset.bumped = String(Number(line.row.dataset.bumped || 0) + 1);
    refresh();
  } });

  const form = h("form", { class: "stacked", id: "receive-form", novalidate: true, "aria-labelledby": "receive-title" },
    h("h2", { id: "receive-title" }, t("receive.delivery")),
    field(t("receive.delivery_note"), note, { hint: t("receive.delivery_note_hint") }),
    scan.node,
    h("p", { class: "hint" }, t("receive.hint")),
    h("div", { class: "table-wrap" }, h("table", { id: "receive-table" },
      h("thead", {}, h("tr", {}, [["common.sku"], ["common.product"], ["orders.quantity", "num"], ["orders.received", "num"],
        ["orders.outstanding", "num"], ["receive.counted", "num"], ["counts.difference", "num"], ["suppliers.unit_cost", "num"]]
        .map(([k, c]) => h("th", { scope: "col", class: c }, t(k))))),
      body)),
    summary, status, submit);

  const payload = () => {
    const lines = [];
    for (const l of order.lines) {
      const entry = counted.get(l.product);
      const quantity = quantityOf(l.product);
      if (!Number.isInteger(quantity) || quantity < 0) throw formProblem(t("receive.bad_quantity", { name: productName(l.product) }));
      if (quantity === 0) continue;
      const line = { product: l.product, quantity };
      const cost = entry.cost.value.trim();
      if (cost) line.unit_cost = asMoney(cost);
      lines.push(line);
    }
    if (!note.value.trim()) throw formProblem(t("receive.need_note"), { delivery_note: [t("receive.need_note")] });
    if (!lines.length) throw formProblem(t("receive.need_lines"));
    return { delivery_note: note.value.trim(), lines };
  };

  const send = () => api(`/api/purchasing/orders/${order.id}/receive/`,
    { method: "POST", body: JSON.parse(attempt.body), headers: { "Idempotency-Key": attempt.key } });

  let busy = false; // one delivery in flight at a time: a second click must not race the first with the same key
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    replace(done);
    record().finally(() => { busy = false; });
  });

  async function record() {
    await scan.settled();
    let request;
    try {
      request = payload();
    } catch (problem) {
      showError(box, problem, { form });
      return;
    }
    const rows = differences().filter((d) => d.counted !== 0 || d.due !== 0);
    const diffs = rows.filter((d) => d.difference !== 0);
    if (diffs.length && !window.confirm(t("receive.confirm_diffs", { diffs: number(diffs.length) }))) return;
    const signature = JSON.stringify(request);
    if (!attempt || attempt.body !== signature) attempt = { key: newIdempotencyKey(), body: signature };
    submit.disabled = true;
    box.hidden = true;
    replace(status, t("receive.sending"));
    try {
      let answer = await send();
      for (let i = 0; isPending(answer) && i < PENDING_RETRIES; i += 1) {
        replace(status, t("receive.pending"));
        await new Promise((resolve) => { setTimeout(resolve, PENDING_WAIT_MS); });
        answer = await send();
      }
      if (isPending(answer)) {
        // taken, not lost: inventory is behind; the same key asks again and never enters the goods twice
        replace(status, h("span", { class: "badge badge-pending" }, t("status.pending")), " ",
          t("receive.still_pending", { note: request.delivery_note }));
        replace(done, h("button", { type: "button", class: "secondary", id: "receive-ask-again", onclick: () => form.requestSubmit() },
          t("receive.ask_again")));
        return;
      }
      attempt = null;
      order = answer?.lines ? answer : await get(`/api/purchasing/orders/${order.id}/`);
      ctx.notify(t("receive.done", { note: request.delivery_note, number: orderLabel(order) }));
      replace(status);
      replace(done, h("h2", { id: "receive-done-title" }, t("receive.done", { note: request.delivery_note, number: orderLabel(order) })),
        h("p", {}, t("receive.now", { status: t(`order_status.${order.status}`) })),
        answer?.receipt?.reference
          ? h("p", { id: "receive-reference" }, t("receive.reference_is", { reference: answer.receipt.reference })) : null,
        h("p", {}, h("a", { href: `#/orders/${order.id}`, id: "receive-to-order" }, t("receive.to_order"))));
      note.value = "";
      replaceHeader();
      if (RECEIVABLE.has(order.status)) {
        render();
        scan.input.focus();
      } else {
        form.hidden = true;
      }
    } catch (error) {
      if (settled(error)) attempt = null;
      replace(status);
      showError(box, error, { form, names: Object.fromEntries(order.lines.map((l) => [l.product, productName(l.product)])) });
    } finally {
      submit.disabled = false;
    }
  }

  const headerHolder = h("div", {});
  const replaceHeader = () => replace(headerHolder, orderHeader(ctx, order));
  replaceHeader();
  const title = t("receive.title", { number: orderLabel(order) });
  const open = RECEIVABLE.has(order.status) && receives(ctx);
  if (open) render();
  return { title, focus: open ? note : undefined, node: page(title, headerHolder, box, done,
    open ? form : h("p", { class: "empty", id: "receive-closed" }, t("receive.not_receivable", { status: t(`order_status.${order.status}`) })),
    h("p", {}, h("a", { href: `#/orders/${order.id}` }, t("receive.to_order")))) };
}
