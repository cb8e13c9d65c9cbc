// Point of sale: scan or search, a cart with quantities and discounts, the buyer (a customer found or created by
// document number, a receipt or an invoice, points spent as a payment), split payments with change, a manager's
// approval by PIN for a discount over the cashier's limit, and the receipt printed on 80 mm or A4.
// The keyboard drives it: F2 scan, Enter add, F4 payment, F9 charge, F8 new sale.
import { ApiError, api, get, newIdempotencyKey } from "../api.js";
import { h, replace, select } from "../dom.js";
import { message, showError } from "../errors.js";
import { amountText, money, t } from "../i18n.js";
import { fromCents, toCents } from "../money.js";
import { discountBody, parseDiscount, quote } from "../pricing.js";
import { withApproval } from "./approval.js";
import { alertBox, page, rememberProducts } from "./common.js";
import { cashSessionStatus } from "./cash.js";
import { customerPanel } from "./poscustomer.js";
import { loadReceipt, receiptPanel } from "./receipt.js";
import { saleLines } from "./sales.js";

const METHODS = ["cash", "card", "transfer"];
const POINTS = "points"; // loyalty points, offered only while a customer holding some is on the sale
const PENDING_RETRIES = 5;
const COMPANY_KEY = "ewtto.company";
// what the sales service assumes until the company says otherwise (common-interfaces.md, A)
const DEFAULT_COMPANY = { prices_include_tax: true, default_tax_rate: "0.1800" };

// The company's pricing settings, asked once per tab and kept for the next visit.
async function companySettings() {
  try {
    const company = await get("/api/branches/company/");
    sessionStorage.setItem(COMPANY_KEY, JSON.stringify(company));
    return company;
  } catch {
    try {
      return JSON.parse(sessionStorage.getItem(COMPANY_KEY)) || DEFAULT_COMPANY;
    } catch {
      return DEFAULT_COMPANY;
    }
  }
}

export default async function pos(ctx) {
  if (!ctx.branch) return { title: t("nav.pos"), node: page(t("nav.pos"), h("p", {}, t("common.no_branch"))) };
  const state = {
    cart: new Map(), // product id -> {product, quantity, discountText, discount}
    payments: [],
    attempt: null, // {key, body}: the Idempotency-Key of this sale attempt, reused on retry
    company: await companySettings(),
    saleDiscountText: "",
    saleDiscount: undefined,
    sale: null,
  };
  const box = alertBox();
  const status = h("p", { class: "pos-status", role: "status", "aria-live": "polite" });
  const scan = h("input", { id: "pos-scan", type: "search", autocomplete: "off", accesskey: "b",
    placeholder: t("pos.scan_placeholder"), "aria-describedby": "pos-scan-hint" });
  const matches = h("ul", { class: "picker-list", id: "pos-matches", role: "listbox", hidden: true, "aria-label": t("pos.matches") });
  const cartBody = h("tbody");
  const totals = h("dl", { class: "totals", id: "pos-totals" });
  const saleDiscount = h("input", { id: "pos-sale-discount", type: "text", autocomplete: "off", class: "discount",
    "aria-describedby": "pos-discount-hint" });
  const paymentList = h("div", { class: "payments" });
  const paySummary = h("dl", { class: "totals pay-summary" });
  const chargeButton = h("button", { type: "button", class: "primary big", id: "pos-charge", accesskey: "c" }, t("pos.charge"));
  const newButton = h("button", { type: "button", class: "secondary", id: "pos-new" }, t("pos.new_sale"));
  const work = h("div", { class: "pos-layout" });
  const receiptArea = h("div", { class: "receipt-area" });
  const session = h("p", { class: "pos-session" });
  const quickPay = h("div", { class: "quick-pay" });
  const pointsNote = h("p", { class: "field-error", id: "pos-points-problem", role: "status" });
  const buyer = customerPanel({ onChange: () => {
    // points belong to the customer on the sale: another customer (or none) takes them off the payments
    if (!methods().includes(POINTS)) state.payments = state.payments.filter((p) => p.method !== POINTS);
    renderPayments();
  } });
  const methods = () => ((buyer.customer()?.points ?? 0) > 0 ? [...METHODS, POINTS] : METHODS);
  // points pay in whole points: the amount is a multiple of one point's value, at most what the balance is worth
  // (null while the ledger has not said; the service checks it anyway, 400 points_not_whole)
  const pointCents = () => (buyer.wallet()?.point_value ? toCents(String(buyer.wallet().point_value)) : null);
  const pointsWorthCents = () => (buyer.wallet()?.value !== undefined ? toCents(String(buyer.wallet().value)) : null);
  const pointsProblem = (payment) => {
    if (payment.method !== POINTS || Number.isNaN(payment.cents)) return false;
    const one = pointCents();
    return (one && payment.cents % one !== 0) || (pointsWorthCents() !== null && payment.cents > pointsWorthCents());
  };

  // ---- amounts (the service's rule, pricing.js) ----------------------------------
  const includesTax = () => state.company.prices_include_tax !== false;
  const rateOf = (product) => product.tax_rate ?? state.company.default_tax_rate ?? DEFAULT_COMPANY.default_tax_rate;
  const priced = () => quote([...state.cart.values()].map((l) => ({
    price: toCents(l.product.price), quantity: l.quantity, rate: rateOf(l.product), discount: l.discount || undefined,
  })), { includesTax: includesTax(), discount: state.saleDiscount || undefined });
  const total = () => priced().total;
  const paid = () => state.payments.reduce((s, p) => s + (Number.isNaN(p.cents) ? 0 : p.cents), 0);
  const discountsReadable = () => state.saleDiscount !== null && [...state.cart.values()].every((l) => l.discount !== null);

  function renderTotals() {
    const q = priced();
    replace(totals,
      h("dt", {}, t("sale.gross")), h("dd", { id: "pos-gross" }, money(fromCents(q.gross))),
      q.discount ? [h("dt", {}, t("sale.discount_total")), h("dd", { id: "pos-discount" }, `−${money(fromCents(q.discount))}`)] : null,
      h("dt", {}, t("sale.net")), h("dd", { id: "pos-net" }, money(fromCents(q.net))),
      h("dt", {}, includesTax() ? t("sale.tax_included") : t("sale.tax")), h("dd", { id: "pos-tax" }, money(fromCents(q.tax))),
      h("dt", { class: "grand" }, t("sale.total")), h("dd", { class: "grand", id: "pos-total" }, money(fromCents(q.total))),
      q.problem ? h("dd", { class: "field-error wide", id: "pos-discount-problem" }, t("pos.discount_too_big")) : null);
    const due = q.total - paid();
    const cashIn = state.payments.filter((p) => p.method === "cash").reduce((s, p) => s + (p.cents || 0), 0);
    replace(paySummary,
      h("dt", {}, t("pos.paid")), h("dd", { id: "pos-paid" }, money(fromCents(paid()))),
      h("dt", {}, t("pos.remaining")), h("dd", { id: "pos-remaining", class: due > 0 ? "due" : "" }, money(fromCents(Math.max(due, 0)))),
      h("dt", {}, t("sale.change")), h("dd", { id: "pos-change", class: "change" }, money(fromCents(due < 0 ? Math.min(-due, cashIn) : 0))));
    state.payments.forEach((p, i) => paymentList.children[i]?.querySelector(".amount")
      ?.setAttribute("aria-invalid", String(Number.isNaN(p.cents) || pointsProblem(p))));
    replace(pointsNote, state.payments.some(pointsProblem) ? t("pos.points_whole", {
      value: money(fromCents(pointCents() || 0)), worth: money(fromCents(pointsWorthCents() ?? 0)) }) : "");
    chargeButton.disabled = !state.cart.size || due > 0 || state.payments.some((p) => Number.isNaN(p.cents) || p.cents <= 0)
      || state.payments.some(pointsProblem)
      || Boolean(q.problem) || !discountsReadable();
  }

  // ---- cart ----------------------------------------------------------------
  function add(product, quantity = 1) {
    rememberProducts([product]);
    const line = state.cart.get(product.id) || { product, quantity: 0, discountText: "", discount: undefined };
    line.quantity += quantity;
    state.cart.delete(product.id); // the last touched line goes to the bottom, where the eye is
    state.cart.set(product.id, line);
    renderCart();
    ctx.notify(t("pos.added", { name: product.name, quantity: line.quantity }));
  }

  function renderCart() {
    const q = priced();
    replace(cartBody, [...state.cart.values()].map((line, index) => {
      const { product, quantity } = line;
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
      // "5%" or an amount off this line; the line's figures follow as it is typed
      const discount = h("input", { type: "text", value: line.discountText, class: "discount", autocomplete: "off",
        "aria-label": t("pos.discount_of", { name: product.name }), "aria-describedby": "pos-discount-hint",
        "aria-invalid": String(line.discount === null) });
      discount.addEventListener("change", () => {
        line.discountText = discount.value;
        line.discount = parseDiscount(discount.value);
        renderCart();
        cartBody.querySelector(`[data-product="${product.id}"] .discount`)?.focus();
      });
      discount.addEventListener("keydown", (event) => {
        if (event.key === "Enter") { event.preventDefault(); discount.dispatchEvent(new Event("change")); scan.focus(); }
      });
      const remove = h("button", { type: "button", class: "link danger", onclick: () => { state.cart.delete(product.id); renderCart(); scan.focus(); } },
        t("pos.remove"), h("span", { class: "visually-hidden" }, ` ${product.name}`));
      const figures = q.lines[index];
      return h("tr", { dataset: { product: product.id } },
        h("td", {}, h("span", { class: "name" }, product.name), h("br"), h("small", {}, product.sku)),
        h("td", { class: "num" }, money(product.price)),
        h("td", { class: "num" }, qty),
        h("td", { class: "num" }, discount,
          figures.discount ? h("small", { class: "line-discount" }, h("br"), `−${money(fromCents(figures.discount))}`) : null),
        h("td", { class: "num line-total" }, money(fromCents(figures.total))),
        h("td", {}, remove));
    }));
    if (!state.cart.size) replace(cartBody, h("tr", {}, h("td", { colspan: "6", class: "empty" }, t("pos.empty_cart"))));
    renderTotals();
  }

  saleDiscount.addEventListener("change", () => {
    state.saleDiscountText = saleDiscount.value;
    state.saleDiscount = parseDiscount(saleDiscount.value);
    saleDiscount.setAttribute("aria-invalid", String(state.saleDiscount === null));
    renderCart();
  });
  saleDiscount.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); saleDiscount.dispatchEvent(new Event("change")); }
  });

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
      // a scanner may have sent the next code while this one was looked up: that one stays
      if (scan.value.trim() === raw) scan.value = "";
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
    let remaining = Math.max(total() - paid(), 0);
    if (method === POINTS) {
      if (pointsWorthCents() !== null) remaining = Math.min(remaining, pointsWorthCents());
      if (pointCents()) remaining -= remaining % pointCents();
    }
    state.payments.push({ method, cents: remaining, text: amountText(fromCents(remaining)) });
    renderPayments();
    paymentList.querySelector(".payment:last-child input")?.select();
  }

  function renderPayments() {
    replace(paymentList, state.payments.map((payment, index) => {
      const methodSelect = select("method", methods().map((m) => [m, t(`method.${m}`)]), payment.method,
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
    replace(quickPay, methods().map((m) => h("button", { type: "button", class: "secondary",
      id: `pos-add-${m}`, onclick: () => addPayment(m) }, t("pos.add_payment", { method: t(`method.${m}`) }))));
    renderTotals();
  }

  // ---- charging --------------------------------------------------------------
  function saleBody() {
    const body = {
      branch: ctx.branch,
      lines: [...state.cart.values()].map((l) => {
        const line = { product: l.product.id, quantity: l.quantity };
        if (l.discount) line.discount = discountBody(l.discount);
        return line;
      }),
      payments: state.payments.map((p) => ({ method: p.method, amount: fromCents(p.cents) })),
    };
    if (state.saleDiscount) body.discount = discountBody(state.saleDiscount);
    const customer = buyer.customer();
    if (customer) body.customer = customer.id;
    body.document_type = buyer.documentType();
    return body;
  }

  // the sale, asked again while the service answers it pending (same key: never sold twice)
  async function run(body) {
    let sale = await submit(body);
    for (let i = 0; sale.status === "pending" && i < PENDING_RETRIES; i += 1) {
      replace(status, t("pos.pending"));
      await new Promise((resolve) => { setTimeout(resolve, 2000); });
      sale = await submit(body);
    }
    return sale;
  }

  // Over the cashier's limit: a manager types their username and PIN; the first try keeps the attempt's key
  // (the refusal stored nothing), a try after a wrong PIN is a new attempt.
  async function runApproved(body, refusal) {
    let tries = 0;
    return withApproval({
      reason: message(refusal),
      attempt: async (approval) => {
        if (tries > 0) state.attempt.key = newIdempotencyKey();
        tries += 1;
        return run({ ...body, approval });
      },
    });
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
      let sale;
      try {
        sale = await run(body);
      } catch (error) {
        if (!(error instanceof ApiError && error.code === "discount_needs_approval")) throw error;
        replace(status, t("pos.approval_waiting"));
        sale = await runApproved(body, error);
        if (!sale) {
          replace(status, t("pos.approval_cancelled"));
          return;
        }
      }
      if (sale.status === "pending") {
        replace(status, t("pos.still_pending", { key: state.attempt.key }));
        return;
      }
      state.attempt = null;
      await showReceipt(sale);
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
  async function showReceipt(sale) {
    state.sale = sale;
    replace(status);
    work.hidden = true;
    const again = h("button", { type: "button", class: "secondary", id: "receipt-new", onclick: reset }, t("pos.new_sale_key"));
    let printable;
    try {
      printable = receiptPanel(await loadReceipt(sale.id), { extra: [again] });
    } catch (error) {
      // the sale is done; only its printout is missing: say so and offer it from the sales list
      printable = h("div", { class: "receipt-area" }, h("p", { class: "alert", role: "alert" }, message(error)),
        h("p", {}, h("a", { href: `#/receipt/${sale.id}` }, t("receipt.retry"))), h("div", { class: "actions" }, again));
    }
    replace(receiptArea, printable,
      h("section", { class: "no-print sold-lines", "aria-labelledby": "sold-lines-title" },
        h("h2", { id: "sold-lines-title" }, t("pos.sold_title", { number: sale.number || `#${sale.id}` })),
        saleLines(sale)));
    receiptArea.hidden = false;
    ctx.notify(t("pos.sold", { number: sale.document_number || sale.number, total: money(sale.total) }));
    buyer.refresh();
    receiptArea.querySelector("#receipt-new").focus();
  }

  function reset() {
    state.cart.clear();
    state.payments = [];
    state.attempt = null;
    state.sale = null;
    state.saleDiscount = undefined;
    state.saleDiscountText = "";
    buyer.reset();
    saleDiscount.value = "";
    saleDiscount.removeAttribute("aria-invalid");
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
    h("div", { class: "pos-first" },
      h("section", { class: "pos-scan panel", "aria-labelledby": "pos-scan-title" },
        h("h2", { id: "pos-scan-title" }, t("pos.scan_title")),
        h("label", { for: "pos-scan" }, t("pos.scan_label")), scan,
        h("p", { class: "hint", id: "pos-scan-hint" }, t("pos.scan_hint")),
        matches),
      buyer.node),
    h("section", { class: "pos-cart panel", "aria-labelledby": "pos-cart-title" },
      h("h2", { id: "pos-cart-title" }, t("pos.cart")),
      h("div", { class: "table-wrap" }, h("table", { id: "pos-cart" },
        h("thead", {}, h("tr", {}, [t("common.product"), t("sale.unit_price"), t("sale.quantity"), t("sale.discount"),
          t("sale.line_total"), ""].map((c, i) => h("th", { scope: "col", class: i && i < 5 ? "num" : "" }, c)))),
        cartBody)),
      h("div", { class: "field sale-discount" }, h("label", { for: "pos-sale-discount" }, t("pos.sale_discount")), saleDiscount),
      h("p", { class: "hint", id: "pos-discount-hint" }, t("pos.discount_hint")),
      includesTax() ? h("p", { class: "hint", id: "pos-tax-note" }, t("pos.prices_include_tax")) : null,
      totals),
    h("section", { class: "pos-pay panel", "aria-labelledby": "pos-pay-title" },
      h("h2", { id: "pos-pay-title" }, t("pos.payments")),
      paymentList,
      pointsNote,
      quickPay,
      paySummary,
      h("div", { class: "actions" }, chargeButton, newButton)),
    h("aside", { class: "shortcuts panel", "aria-labelledby": "pos-keys-title" },
      h("h2", { id: "pos-keys-title" }, t("pos.shortcuts")),
      h("dl", {}, [["F2", "pos.key_scan"], ["Enter", "pos.key_enter"], ["↑ ↓", "pos.key_arrows"], ["F4", "pos.key_pay"],
        ["F9", "pos.key_charge"], ["F8", "pos.key_new"]].map(([key, label]) => h("div", {},
        h("dt", {}, h("kbd", {}, key)), h("dd", {}, t(label)))))));

  renderCart();
  renderPayments();
  cashSessionStatus(ctx).then((node) => replace(session, node)).catch(() => replace(session));

  const node = page(t("nav.pos"),
    h("p", { class: "subtitle" }, t("pos.at_branch", { branch: ctx.branchLabel(ctx.branch) })),
    session, box, status, work, receiptArea);
  return { title: t("nav.pos"), node, focus: scan, cleanup: () => document.removeEventListener("keydown", onKey) };
}
