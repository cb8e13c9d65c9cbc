// The point of sale's buyer: a customer found by document number (or name, phone), created on the spot when new,
// the legal document the sale issues (a receipt, or an invoice for a customer with a RUC) and their points.
import { get } from "../api.js";
import { h, replace } from "../dom.js";
import { showError } from "../errors.js";
import { money, number, t } from "../i18n.js";
import { alertBox } from "./common.js";
import { customerForm, docLabel, guessDocType } from "./customerform.js";

// onChange() whenever the customer or the document type changes (the payments and the charge follow them).
export function customerPanel({ onChange }) {
  // wallet: what the customer's points are worth, as the points ledger says ({points, point_value, value})
  const state = { customer: null, documentType: "receipt", wallet: null };
  const box = alertBox();
  const input = h("input", { id: "pos-customer", type: "search", autocomplete: "off", inputmode: "text",
    "aria-describedby": "pos-customer-hint" });
  const find = h("button", { type: "button", class: "secondary", id: "pos-customer-find" }, t("common.search"));
  const matches = h("ul", { class: "picker-list", id: "pos-customer-matches", role: "listbox", hidden: true,
    "aria-label": t("pos.customer_matches") });
  const chosen = h("div", { id: "pos-customer-chosen", "aria-live": "polite" });
  const creating = h("div", { id: "pos-customer-new" });
  const receiptChoice = h("input", { type: "radio", name: "document_type", value: "receipt", id: "pos-doc-receipt", checked: true });
  const invoiceChoice = h("input", { type: "radio", name: "document_type", value: "invoice", id: "pos-doc-invoice" });
  const invoiceHint = h("p", { class: "hint", id: "pos-doc-hint" });
  const finder = h("div", { class: "customer-finder" },
    h("label", { for: "pos-customer" }, t("pos.customer_label")),
    h("div", { class: "inline" }, input, find),
    h("p", { class: "hint", id: "pos-customer-hint" }, t("pos.customer_hint")), matches);

  const canInvoice = () => state.customer?.doc_type === "ruc";

  function render() {
    finder.hidden = Boolean(state.customer);
    replace(chosen, state.customer ? [
      h("p", { class: "customer-name" }, h("strong", { id: "pos-customer-name" }, state.customer.name)),
      h("p", { id: "pos-customer-doc" }, docLabel(state.customer) || t("customers.no_document")),
      h("p", { id: "pos-customer-points" }, t("pos.customer_points", { points: number(state.customer.points ?? 0) }),
        state.wallet?.value !== undefined ? ` ${t("pos.customer_points_worth", { value: money(state.wallet.value) })}` : ""),
      h("button", { type: "button", class: "link danger", id: "pos-customer-clear", onclick: () => { choose(null); input.focus(); } },
        t("pos.customer_clear")),
    ] : null);
    invoiceChoice.disabled = !canInvoice();
    if (!canInvoice() && state.documentType === "invoice") state.documentType = "receipt";
    receiptChoice.checked = state.documentType === "receipt";
    invoiceChoice.checked = state.documentType === "invoice";
    replace(invoiceHint, canInvoice() ? "" : t("pos.invoice_needs_ruc"));
  }

  // the balance and what one point is worth, asked of the ledger (its first page, one row)
  async function loadWallet() {
    const customer = state.customer;
    state.wallet = null;
    if (!customer || !(customer.points > 0)) return;
    try {
      const page = await get(`/api/customers/${customer.id}/points/`, { page_size: 1 });
      if (state.customer === customer) state.wallet = { points: page.points, point_value: page.point_value, value: page.value };
    } catch {
      // without it the points are still offered; the service checks the amount
    }
  }

  function choose(customer) {
    state.customer = customer;
    state.wallet = null;
    // a company found by its RUC wants an invoice; anyone else a receipt (the cashier can still switch)
    state.documentType = customer?.doc_type === "ruc" ? "invoice" : "receipt";
    matches.hidden = true;
    replace(creating);
    box.hidden = true;
    input.value = "";
    render();
    onChange?.();
    loadWallet().then(() => { render(); onChange?.(); });
  }

  function offerCreation(text) {
    const docType = guessDocType(text);
    const initial = docType ? { doc_type: docType, doc_number: text } : { doc_type: "dni", name: text };
    replace(creating, h("p", { class: "hint", id: "pos-customer-unknown" }, t("pos.customer_unknown", { term: text })),
      customerForm({ box, initial, id: "pos-customer-form", onSaved: choose,
        onCancel: () => { replace(creating); input.focus(); } }));
    const first = creating.querySelector(docType ? "[name=name]" : "[name=doc_number]");
    first?.focus();
  }

  async function lookUp() {
    const text = input.value.trim();
    if (!text) return;
    matches.hidden = true;
    replace(creating);
    box.hidden = true;
    const docType = guessDocType(text);
    let results;
    try {
      // a document number is looked up exactly; anything else searched in document, name and phone
      const params = docType ? { doc_type: docType, doc_number: text } : { search: text, page_size: 10 };
      results = ((await get("/api/customers/", params)).results || []).filter((c) => c.is_active !== false);
    } catch (error) {
      showError(box, error);
      return;
    }
    if (results.length === 1 && (docType || results[0].doc_number === text)) {
      choose(results[0]);
      return;
    }
    if (!results.length) {
      offerCreation(text);
      return;
    }
    replace(matches, results.map((c) => h("li", { role: "option", tabindex: "-1", onclick: () => choose(c),
      onkeydown: (event) => { if (event.key === "Enter") { event.preventDefault(); choose(c); } } },
    [docLabel(c), c.name, c.phone].filter(Boolean).join(" · "))),
    h("li", {}, h("button", { type: "button", class: "link", id: "pos-customer-create", onclick: () => offerCreation(text) },
      t("pos.customer_create"))));
    matches.hidden = false;
    matches.querySelector("[role=option]")?.focus();
  }

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); event.stopPropagation(); lookUp(); }
    if (event.key === "ArrowDown" && !matches.hidden) { event.preventDefault(); matches.querySelector("[role=option]")?.focus(); }
  });
  find.addEventListener("click", lookUp);
  matches.addEventListener("keydown", (event) => {
    const items = [...matches.querySelectorAll("[role=option]")];
    const index = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown") items[Math.min(index + 1, items.length - 1)]?.focus();
    else if (event.key === "ArrowUp") (index <= 0 ? input : items[index - 1]).focus();
    else if (event.key === "Escape") { matches.hidden = true; input.focus(); } else return;
    event.preventDefault();
  });
  for (const choice of [receiptChoice, invoiceChoice]) {
    choice.addEventListener("change", () => {
      if (choice.checked) state.documentType = choice.value;
      onChange?.();
    });
  }

  const node = h("section", { class: "pos-customer panel", "aria-labelledby": "pos-customer-title" },
    h("h2", { id: "pos-customer-title" }, t("pos.customer_title")),
    box, finder, chosen, creating,
    h("fieldset", { class: "document-choice", id: "pos-document" },
      h("legend", {}, t("pos.document")),
      h("div", { class: "field check" }, receiptChoice, h("label", { for: "pos-doc-receipt" }, t("document.receipt"))),
      h("div", { class: "field check" }, invoiceChoice, h("label", { for: "pos-doc-invoice" }, t("document.invoice"))),
      invoiceHint));
  render();
  return {
    node,
    customer: () => state.customer,
    wallet: () => state.wallet,
    documentType: () => state.documentType,
    // the balance after a sale spent or earned points, as the service now holds it
    refresh: async () => {
      if (!state.customer) return;
      try {
        state.customer = await get(`/api/customers/${state.customer.id}/`);
        await loadWallet();
        render();
      } catch {
        // the balance shown stays the last one known; the sale itself is done
      }
    },
    reset: () => choose(null),
  };
}
