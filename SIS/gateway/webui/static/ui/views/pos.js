// Point of sale: scan or search, a cart with quantities, split payments with change, and a printable receipt.
// The keyboard drives it: F2 scan, Enter add, F4 payment, F9 charge, F8 new sale.
import { ApiError, api, get, newIdempotencyKey } from "../api.js";
import { h, replace, select } from "../dom.js";
import { showError } from "../errors.js";
import { amountText, dateTime, money, number, t } from "../i18n.js";
import { fromCents, taxCents, toCents } from "../money.js";
import { alertBox, page, rememberProducts } from "./common.js";
import { cashSessionStatus } from "./cash.js";

const METHODS = ["cash", "card", "transfer"];
const PENDING_RETRIES = 5;
const RATE_KEY = "ewtto.taxRate";

export default async function pos(ctx) {
  if (!ctx.branch) return { title: t("nav.pos"), node: page(t("nav.pos"), h("p", {}, t("common.no_branch"))) };
  const state = {
    cart: new Map(), // product id -> {product, quantity}
    payments: [],
    attempt: null, // {key, body}: the Idempotency-Key of this sale attempt, reused on retry
    rate: sessionStorage.getItem(RATE_KEY) || "0.18",
    sale: null,
  };
  const box = alertBox();
  const status = h("p", { class: "pos-status", role: "status", "aria-live": "polite" });
  const scan = h("input", { id: "pos-scan", type: "search", autocomplete: "off", accesskey: "b",
    placeholder: t("pos.scan_placeholder"), "aria-describedby": "pos-scan-hint" });
  const matches = h("ul", { class: "picker-list", id: "pos-matches", role: "listbox", hidden: true, "aria-label": t("pos.matches") });
  const cartBody = h("tbody");
  const totals = h("dl", { class: "totals" });
  const paymentList = h("div", { class: "payments" });
  const paySummary = h("dl", { class: "totals pay-summary" });
  const chargeButton = h("button", { type: "button", class: "primary big", id: "pos-charge", accesskey: "c" }, t("pos.charge"));
  const newButton = h("button", { type: "button", class: "secondary", id: "pos-new" }, t("pos.new_sale"));
  const work = h("div", { class: "pos-layout" });
  const receiptArea = h("div", { class: "receipt-area" });
  const session = h("p", { class: "pos-session" });

  // ---- amounts -------------------------------------------------------------
  const subtotal = () => [...state.cart.values()].reduce((s, l) => s + toCents(l.product.price) * l.quantity, 0);
  const total = () => subtotal() + taxCents(subtotal(), state.rate);
  const paid = () => state.payments.reduce((s, p) => s + (Number.isNaN(p.cents) ? 0 : p.cents), 0);

  function renderTotals() {
    const sub = subtotal();
    replace(totals,
      h("dt", {}, t("sale.subtotal")), h("dd", {}, money(fromCents(sub))),
      h("dt", {}, t("sale.tax_rate", { rate: number(Number(state.rate) * 100) })), h("dd", {}, money(fromCents(taxCents(sub, state.rate)))),
      h("dt", { class: "grand" }, t("sale.total")), h("dd", { class: "grand", id: "pos-total" }, money(fromCents(total()))));
    const due = total() - paid();
    const cashIn = state.payments.filter((p) => p.method === "cash").reduce((s, p) => s + (p.cents || 0), 0);
    replace(paySummary,
      h("dt", {}, t("pos.paid")), h("dd", { id: "pos-paid" }, money(fromCents(paid()))),
      h("dt", {}, t("pos.remaining")), h("dd", { id: "pos-remaining", class: due > 0 ? "due" : "" }, money(fromCents(Math.max(due, 0)))),
      h("dt", {}, t("sale.change")), h("dd", { id: "pos-change", class: "change" }, money(fromCents(due < 0 ? Math.min(-due, cashIn) : 0))));
    chargeButton.disabled = !state.cart.size || due > 0 || state.payments.some((p) => Number.isNaN(p.cents) || p.cents <= 0);
  }

  // ---- cart ----------------------------------------------------------------
  function add(product, quantity = 1) {
    rememberProducts([product]);
    const line = state.cart.get(product.id) || { product, quantity: 0 };
    line.quantity += quantity;
    state.cart.delete(product.id); // the last touched line goes to the bottom, where the eye is
    state.cart.set(product.id, line);
    renderCart();
    ctx.notify(t("pos.added", { name: product.name, quantity: line.quantity }));
  }

  function renderCart() {
    replace(cartBody, [...state.cart.values()].map(({ product, quantity }) => {
      const qty = h("input", { type: "number", min: "1", max: "100000", step: "1", value: String(quantity), class: "qty",
        "aria-label": t("pos.quantity_of", { name: product.name }), inputmode: "numeric" });
      qty.addEventListener("change", () => {
        const value = Math.floor(Number(qty.value));
        if (value >= 1) state.cart.get(product.id).quantity = value;
        renderCart();
        cartBody.querySelector(`[data-product="${product.id}"] .qty`)?.focus();
      });
      qty.addEventListener("keydown", (event) => {
        if (event.key === "Enter") { event.preventDefault(); qty.dispatchEvent(new Event("change")); scan.focus(); }
      });
      const remove = h("button", { type: "button", class: "link danger", onclick: () => { state.cart.delete(product.id); renderCart(); scan.focus(); } },
        t("pos.remove"), h("span", { class: "visually-hidden" }, ` ${product.name}`));
      return h("tr", { dataset: { product: product.id } },
        h("td", {}, h("span", { class: "name" }, product.name), h("br"), h("small", {}, product.sku)),
        h("td", { class: "num" }, money(product.price)),
        h("td", { class: "num" }, qty),
        h("td", { class: "num" }, money(fromCents(toCents(product.price) * quantity))),
        h("td", {}, remove));
    }));
    if (!state.cart.size) replace(cartBody, h("tr", {}, h("td", { colspan: "5", class: "empty" }, t("pos.empty_cart"))));
    renderTotals();
  }

  async function lookUp() {
    const raw = scan.value.trim();
    if (!raw) return;
    // "3*7501234567890" adds three at once
    const multi = /^(\d{1,5})\s*[*x]\s*(.+)$/i.exec(raw);
    const quantity = multi ? Number(multi[1]) : 1;
    const term = multi ? multi[2].trim() : raw;
    matches.hidden = true;
    let results;
    try {
      results = ((await get("/api/inventory/products/", { search: term, page_size: 20 })).results || [])
        .filter((p) => p.is_active !== false);
    } catch (error) {
      showError(box, error);
      return;
    }
    const exact = results.filter((p) => p.barcode === term || p.sku === term);
    if (exact.length === 1 || results.length === 1) {
      add(exact[0] || results[0], quantity);
      scan.value = "";
      return;
    }
    if (!results.length) {
      replace(status, t("pos.not_found", { term }));
      scan.select();
      return;
    }
    replace(matches, results.map((p) => h("li", { role: "option", tabindex: "-1",
      onclick: () => pickMatch(p, quantity),
      onkeydown: (event) => { if (event.key === "Enter") { event.preventDefault(); pickMatch(p, quantity); } } },
    `${p.sku} · ${p.name} · ${money(p.price)}`)));
    matches.hidden = false;
    replace(status, t("pos.choose", { count: results.length }));
    matches.querySelector("[role=option]").focus();
  }

  function pickMatch(product, quantity) {
    add(product, quantity);
    matches.hidden = true;
    scan.value = "";
    scan.focus();
  }

  matches.addEventListener("keydown", (event) => {
    const items = [...matches.querySelectorAll("[role=option]")];
    const index = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown") items[Math.min(index + 1, items.length - 1)]?.focus();
    else if (event.key === "ArrowUp") (index <= 0 ? scan : items[index - 1]).focus();
    else if (event.key === "Escape") { matches.hidden = true; scan.focus(); } else return;
    event.preventDefault();
  });
  scan.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); lookUp(); }
    if (event.key === "ArrowDown" && !matches.hidden) { event.preventDefault(); matches.querySelector("[role=option]")?.focus(); }
  });

  // ---- payments --------------------------------------------------------------
  function addPayment(method = "cash") {
    const remaining = Math.max(total() - paid(), 0);
    state.payments.push({ method, cents: remaining, text: amountText(fromCents(remaining)) });
    renderPayments();
    paymentList.querySelector(".payment:last-child input")?.select();
  }

  function renderPayments() {
    replace(paymentList, state.payments.map((payment, index) => {
      const methodSelect = select("method", METHODS.map((m) => [m, t(`method.${m}`)]), payment.method,
        { "aria-label": t("pos.payment_method_n", { n: index + 1 }) });
      methodSelect.addEventListener("change", () => { payment.method = methodSelect.value; renderTotals(); });
      const amount = h("input", { type: "text", inputmode: "decimal", value: payment.text, class: "amount",
        "aria-label": t("pos.payment_amount_n", { n: index + 1 }), autocomplete: "off" });
      amount.addEventListener("input", () => {
        payment.text = amount.value;
        payment.cents = toCents(amount.value);
        amount.setAttribute("aria-invalid", String(Number.isNaN(payment.cents)));
        renderTotals();
      });
      amount.addEventListener("keydown", (event) => {
        if (event.key === "Enter") { event.preventDefault(); if (!chargeButton.disabled) charge(); }
      });
      const remove = h("button", { type: "button", class: "link danger", onclick: () => {
        state.payments.splice(index, 1);
        renderPayments();
      } }, t("pos.remove"), h("span", { class: "visually-hidden" }, ` ${t("pos.payment_n", { n: index + 1 })}`));
      return h("div", { class: "payment" }, methodSelect, amount, remove);
    }));
    renderTotals();
  }

  // ---- charging --------------------------------------------------------------
  function saleBody() {
    return {
      branch: ctx.branch,
      lines: [...state.cart.values()].map((l) => ({ product: l.product.id, quantity: l.quantity })),
      payments: state.payments.map((p) => ({ method: p.method, amount: fromCents(p.cents) })),
    };
  }

  async function charge() {
    if (chargeButton.disabled) return;
    const body = saleBody();
    const signature = JSON.stringify(body);
    // the same attempt (same cart and payments) keeps its key, so a retry can never sell twice
    if (!state.attempt || state.attempt.body !== signature) state.attempt = { key: newIdempotencyKey(), body: signature };
    chargeButton.disabled = true;
    box.hidden = true;
    replace(status, t("pos.charging"));
    try {
      let sale = await submit(body);
      for (let i = 0; sale.status === "pending" && i < PENDING_RETRIES; i += 1) {
        replace(status, t("pos.pending"));
        await new Promise((resolve) => { setTimeout(resolve, 2000); });
        sale = await submit(body);
      }
      if (sale.status === "pending") {
        replace(status, t("pos.still_pending", { key: state.attempt.key }));
        return;
      }
      state.attempt = null;
      if (sale.tax_rate) sessionStorage.setItem(RATE_KEY, (state.rate = String(sale.tax_rate)));
      showReceipt(sale);
    } catch (error) {
      // a refusal is final for this cart; a lost answer keeps the key so the retry is the same attempt
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.code !== "idempotency_in_progress") {
        state.attempt = null;
      }
      const names = Object.fromEntries([...state.cart.values()].map((l) => [l.product.id, l.product.name]));
      replace(status);
      showError(box, error, { names });
    } finally {
      renderTotals();
    }
  }

  function submit(body) {
    return api("/api/sales/", { method: "POST", body, headers: { "Idempotency-Key": state.attempt.key } });
  }

  // ---- receipt ------------------------------------------------------------------
  function showReceipt(sale) {
    state.sale = sale;
    replace(status);
    work.hidden = true;
    replace(receiptArea, receipt(sale, ctx),
      h("div", { class: "actions no-print" },
        h("button", { type: "button", class: "primary", id: "receipt-print", onclick: () => window.print() }, t("receipt.print")),
        h("button", { type: "button", class: "secondary", id: "receipt-new", onclick: reset }, t("pos.new_sale_key"))));
    receiptArea.hidden = false;
    ctx.notify(t("pos.sold", { number: sale.number, total: money(sale.total) }));
    receiptArea.querySelector("#receipt-new").focus();
  }

  function reset() {
    state.cart.clear();
    state.payments = [];
    state.attempt = null;
    state.sale = null;
    receiptArea.hidden = true;
    replace(receiptArea);
    work.hidden = false;
    box.hidden = true;
    replace(status);
    scan.value = "";
    renderCart();
    renderPayments();
    scan.focus();
  }

  chargeButton.addEventListener("click", charge);
  newButton.addEventListener("click", reset);

  const onKey = (event) => {
    const keys = {
      F2: () => { if (!work.hidden) scan.focus(); },
      F4: () => { if (!work.hidden) { if (!state.payments.length) addPayment("cash"); paymentList.querySelector("input")?.select(); } },
      F8: reset,
      F9: () => { if (!work.hidden) charge(); },
    };
    if (keys[event.key]) {
      event.preventDefault();
      keys[event.key]();
    }
  };
  document.addEventListener("keydown", onKey);

  replace(work,
    h("section", { class: "pos-scan panel", "aria-labelledby": "pos-scan-title" },
      h("h2", { id: "pos-scan-title" }, t("pos.scan_title")),
      h("label", { for: "pos-scan" }, t("pos.scan_label")), scan,
      h("p", { class: "hint", id: "pos-scan-hint" }, t("pos.scan_hint")),
      matches),
    h("section", { class: "pos-cart panel", "aria-labelledby": "pos-cart-title" },
      h("h2", { id: "pos-cart-title" }, t("pos.cart")),
      h("div", { class: "table-wrap" }, h("table", { id: "pos-cart" },
        h("thead", {}, h("tr", {}, [t("common.product"), t("sale.unit_price"), t("sale.quantity"), t("sale.line_total"), ""]
          .map((c, i) => h("th", { scope: "col", class: i && i < 4 ? "num" : "" }, c)))),
        cartBody)),
      totals),
    h("section", { class: "pos-pay panel", "aria-labelledby": "pos-pay-title" },
      h("h2", { id: "pos-pay-title" }, t("pos.payments")),
      paymentList,
      h("div", { class: "quick-pay" }, METHODS.map((m) => h("button", { type: "button", class: "secondary",
        id: `pos-add-${m}`, onclick: () => addPayment(m) }, t("pos.add_payment", { method: t(`method.${m}`) })))),
      paySummary,
      h("div", { class: "actions" }, chargeButton, newButton)),
    h("aside", { class: "shortcuts panel", "aria-labelledby": "pos-keys-title" },
      h("h2", { id: "pos-keys-title" }, t("pos.shortcuts")),
      h("dl", {}, [["F2", "pos.key_scan"], ["Enter", "pos.key_enter"], ["↑ ↓", "pos.key_arrows"], ["F4", "pos.key_pay"],
        ["F9", "pos.key_charge"], ["F8", "pos.key_new"]].map(([key, label]) => h("div", {},
        h("dt", {}, h("kbd", {}, key)), h("dd", {}, t(label)))))));

  renderCart();
  renderPayments();
  // the rate of the branch's latest sale is the service's current one (a sale keeps the rate it used)
  get("/api/sales/", { branch: ctx.branch, page_size: 1 }).then((latest) => {
    const rate = latest.results?.[0]?.tax_rate;
    if (rate && String(rate) !== state.rate) {
      state.rate = String(rate);
      sessionStorage.setItem(RATE_KEY, state.rate);
      renderTotals();
    }
  }).catch(() => {});
  cashSessionStatus(ctx).then((node) => replace(session, node)).catch(() => replace(session));

  const node = page(t("nav.pos"),
    h("p", { class: "subtitle" }, t("pos.at_branch", { branch: ctx.branchLabel(ctx.branch) })),
    session, box, status, work, receiptArea);
  return { title: t("nav.pos"), node, focus: scan, cleanup: () => document.removeEventListener("keydown", onKey) };
}

// The receipt as the customer gets it; @media print shows only this.
export function receipt(sale, ctx) {
  const rows = sale.lines.map((line) => h("tr", {},
    h("td", {}, line.name || `#${line.product}`, h("br"), h("small", {}, `${line.quantity} × ${money(line.unit_price)}`)),
    h("td", { class: "num" }, money(line.total))));
  return h("article", { class: "receipt", "aria-labelledby": "receipt-title" },
    h("header", {},
      h("p", { class: "receipt-brand" }, "E-WTTO"),
      h("p", {}, ctx.branchLabel(sale.branch)),
      h("h2", { id: "receipt-title" }, t("receipt.title", { number: sale.number || `#${sale.id}` })),
      h("p", {}, dateTime(sale.completed_at || sale.created_at))),
    h("table", {}, h("thead", { class: "visually-hidden" }, h("tr", {}, h("th", { scope: "col" }, t("common.product")), h("th", { scope: "col" }, t("sale.line_total")))),
      h("tbody", {}, rows)),
    h("dl", { class: "totals" },
      h("dt", {}, t("sale.subtotal")), h("dd", {}, money(sale.subtotal)),
      h("dt", {}, t("sale.tax")), h("dd", {}, money(sale.tax)),
      h("dt", { class: "grand" }, t("sale.total")), h("dd", { class: "grand", id: "receipt-total" }, money(sale.total)),
      sale.payments.map((p) => [h("dt", {}, t(`method.${p.method}`)), h("dd", {}, money(p.amount))]),
      h("dt", {}, t("sale.change")), h("dd", { id: "receipt-change" }, money(sale.change))),
    h("footer", {}, h("p", {}, t("receipt.thanks"))));
}
