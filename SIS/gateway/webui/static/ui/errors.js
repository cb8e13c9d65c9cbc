// API errors as clear messages: a translated text for known codes, the server's detail otherwise,
// and DRF field messages placed next to the fields they belong to.
import { ApiError } from "./api.js";
import { h, replace } from "./dom.js";
import { t } from "./i18n.js";

const BY_STATUS = { 0: "error.network", 401: "error.unauthenticated", 403: "error.forbidden", 404: "error.not_found",
  413: "error.too_large", 429: "error.throttled", 500: "error.server", 502: "error.unavailable",
  503: "error.unavailable", 504: "error.timeout" };

export function message(error) {
  if (!(error instanceof ApiError)) return t("error.unexpected");
  const known = t(`code.${error.code}`);
  if (known !== `code.${error.code}`) return error.status === 503 && error.body.service ? `${known} (${error.body.service})` : known;
  if (error.detail && error.status < 500) return error.detail;
  return t(BY_STATUS[error.status] || "error.unexpected");
}

// The lines of an insufficient_stock answer, named with the products we know.
function stockLines(error, names = {}) {
  // some refusals list their reasons as sentences, an over-receipt what each line still allows, a sale its stock
  return (error.body.lines || []).map((line) => {
    if (typeof line === "string") return line;
    const product = names[line.product] || `#${line.product}`;
    if (line.allowed !== undefined) {
      return t("error.over_line", { product, ordered: line.ordered, received: line.received, requested: line.requested,
        allowed: line.allowed });
    }
    return t("error.stock_line", { product, requested: line.requested, available: line.available });
  });
}

// Shows an error in a view's alert box and in the form's fields; returns the message.
export function showError(box, error, { form, names } = {}) {
  clearErrors(form);
  const text = message(error);
  const extra = [];
  if (error instanceof ApiError) {
    extra.push(...stockLines(error, names));
    for (const [name, messages] of Object.entries(error.fields)) {
      const slot = form?.querySelector(`[data-name="${CSS.escape(name)}"] .field-error`);
      if (slot) {
        slot.hidden = false;
        replace(slot, messages.join(" "));
        slot.parentElement.querySelector("input,select,textarea")?.setAttribute("aria-invalid", "true");
      } else {
        extra.push(`${name === "non_field_errors" ? "" : `${name}: `}${messages.join(" ")}`);
      }
    }
  }
  if (box) {
    box.hidden = false;
    replace(box, h("p", {}, text), extra.length ? h("ul", {}, extra.map((e) => h("li", {}, e))) : null);
    box.focus();
  }
  return text;
}

export function clearErrors(form, box) {
  form?.querySelectorAll(".field-error").forEach((slot) => {
    slot.hidden = true;
    slot.replaceChildren();
  });
  form?.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  if (box) {
    box.hidden = true;
    box.replaceChildren();
  }
}

// A problem the UI finds before asking the server, shown like the server's own refusals.
export function formProblem(detail, fields = {}) {
  return new ApiError(400, { detail, code: "form", ...fields });
}

export function alertBox() {
  return h("div", { class: "alert", role: "alert", tabindex: "-1", hidden: true });
}
