// The company, for administrators: legal name and tax ID on receipts, taxes, discount and cash-out limits.
import { get, patch } from "../api.js";
import { field, h } from "../dom.js";
import { formProblem, showError } from "../errors.js";
import { amountText, t } from "../i18n.js";
import { fromCents, toCents } from "../money.js";
import { alertBox, page } from "./common.js";

// "18" or "18,5" (percent, as people say it) <-> the API's fraction "0.1800" / "0.1850"
export function percentText(fraction) {
  if (fraction === undefined || fraction === null || fraction === "") return "";
  const hundredths = Math.round(Number(fraction) * 10000); // percent with two places, in hundredths
  return amountText(`${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`).replace(/[.,]00$/, "");
}

export function fractionOf(percent) {
  const hundredths = toCents(percent);
  if (Number.isNaN(hundredths) || hundredths < 0 || hundredths > 10000) return null;
  return (hundredths / 10000).toFixed(4);
}

// "5" -> "5.00" (the API's percent strings)
export function percentValue(text) {
  const hundredths = toCents(text);
  if (Number.isNaN(hundredths) || hundredths < 0 || hundredths > 10000) return null;
  return fromCents(hundredths);
}

export default async function company(ctx) {
  const data = await get("/api/branches/company/");
  const box = alertBox();
  const text = (name, value, attrs = {}) => h("input", { name, value: value ?? "", ...attrs });
  const limits = data.discount_limits || {};
  const includes = h("input", { type: "checkbox", name: "prices_include_tax", id: "company-includes-tax",
    checked: Boolean(data.prices_include_tax) });
  const submit = h("button", { type: "submit", class: "primary", id: "company-save" }, t("common.save"));
  const form = h("form", { class: "stacked", id: "company-form", "aria-labelledby": "company-form-title" },
    h("h2", { id: "company-form-title" }, t("company.identity")),
    h("div", { class: "row" },
      field(t("company.name"), text("name", data.name, { required: true, maxlength: "200" })),
      field(t("company.legal_name"), text("legal_name", data.legal_name, { maxlength: "200" })),
      field(t("company.tax_id"), text("tax_id", data.tax_id, { maxlength: "32" })),
      field(t("company.currency"), text("currency", data.currency, { maxlength: "3", pattern: "[A-Za-z]{3}" }))),
    h("h2", {}, t("company.taxes")),
    h("div", { class: "field check" }, includes, h("label", { for: "company-includes-tax" }, t("company.prices_include_tax"))),
    h("div", { class: "row" },
      field(t("company.default_tax_rate"), text("default_tax_rate", percentText(data.default_tax_rate), { inputmode: "decimal" }),
        { hint: t("company.rate_hint") }),
      field(t("company.return_days"), text("return_days", data.return_days, { type: "number", min: "0", max: "3650" }))),
    h("h2", {}, t("company.limits")),
    h("div", { class: "row" },
      field(t("company.limit_cashier"), text("limit_cashier", percentText((Number(limits.cashier) / 100) || 0), { inputmode: "decimal" })),
      field(t("company.limit_manager"), text("limit_manager", percentText((Number(limits.manager) / 100) || 0), { inputmode: "decimal" })),
      field(t("company.cash_out_limit"), text("cash_out_limit", data.cash_out_limit ? amountText(data.cash_out_limit) : "",
        { inputmode: "decimal" }), { hint: t("company.cash_out_hint") })),
    submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const rate = fractionOf(form.default_tax_rate.value);
    const cashier = percentValue(form.limit_cashier.value);
    const manager = percentValue(form.limit_manager.value);
    const cashOut = toCents(form.cash_out_limit.value);
    const problems = {};
    if (rate === null) problems.default_tax_rate = [t("company.bad_percent")];
    if (cashier === null) problems.limit_cashier = [t("company.bad_percent")];
    if (manager === null) problems.limit_manager = [t("company.bad_percent")];
    if (Number.isNaN(cashOut) || cashOut < 0) problems.cash_out_limit = [t("cash.bad_amount")];
    if (Object.keys(problems).length) {
      showError(box, formProblem(t("code.invalid"), problems), { form });
      return;
    }
    const body = {
      name: form.name.value.trim(), legal_name: form.legal_name.value.trim(), tax_id: form.tax_id.value.trim(),
      currency: form.currency.value.trim().toUpperCase(), prices_include_tax: includes.checked,
      default_tax_rate: rate, return_days: Number(form.return_days.value),
      discount_limits: { cashier, manager }, cash_out_limit: fromCents(cashOut),
    };
    submit.disabled = true;
    try {
      await patch("/api/branches/company/", body);
      ctx.notify(t("company.saved"));
      box.hidden = true;
    } catch (error) {
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
  });
  return { title: t("nav.company"), node: page(t("nav.company"), box, form) };
}
