// A manager's approval by username and POS PIN, asked in a modal dialog when the server says one is needed.
import { ApiError } from "../api.js";
import { field, h, replace } from "../dom.js";
import { message } from "../errors.js";
import { t } from "../i18n.js";

// refusals of the approval itself: the dialog stays open for another try
const RETRY_CODES = new Set(["approval_invalid", "approval_locked"]);

// Asks for {username, pin} and runs `attempt(approval)` with it until it succeeds, fails otherwise, or the
// user cancels (null). The PIN never outlives the dialog.
export function withApproval({ reason, attempt }) {
  return new Promise((resolve, reject) => {
    const error = h("div", { class: "alert", role: "alert", id: "approval-error", hidden: true });
    const username = h("input", { name: "approval_username", id: "approval-username", autocomplete: "off",
      autocapitalize: "none", required: true });
    const pin = h("input", { name: "approval_pin", id: "approval-pin", type: "password", inputmode: "numeric",
      autocomplete: "off", required: true, pattern: "[0-9]{4,8}", maxlength: "8" });
    const approve = h("button", { type: "submit", class: "primary", id: "approval-submit" }, t("approval.submit"));
    const cancel = h("button", { type: "button", class: "secondary", id: "approval-cancel" }, t("common.cancel"));
    const form = h("form", { class: "stacked", id: "approval-form" },
      h("h2", { id: "approval-title" }, t("approval.title")),
      h("p", { id: "approval-reason" }, reason || t("approval.needed")),
      error,
      field(t("approval.username"), username),
      field(t("approval.pin"), pin, { hint: t("approval.pin_hint") }),
      h("div", { class: "actions" }, approve, cancel));
    const dialog = h("dialog", { class: "approval", "aria-labelledby": "approval-title", "aria-describedby": "approval-reason" }, form);
    let settled = false;
    const finish = (outcome, value) => {
      if (settled) return;
      settled = true;
      pin.value = "";
      if (dialog.open) dialog.close();
      dialog.remove();
      (outcome === "ok" ? resolve : reject)(value);
    };
    cancel.addEventListener("click", () => finish("ok", null));
    dialog.addEventListener("cancel", (event) => { event.preventDefault(); finish("ok", null); });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!pin.checkValidity()) {
        error.hidden = false;
        replace(error, t("approval.pin_hint"));
        pin.focus();
        return;
      }
      approve.disabled = true;
      cancel.disabled = true;
      try {
        const result = await attempt({ username: username.value.trim(), pin: pin.value });
        finish("ok", result);
      } catch (failure) {
        if (failure instanceof ApiError && RETRY_CODES.has(failure.code)) {
          error.hidden = false;
          replace(error, message(failure));
          pin.value = "";
          pin.focus();
        } else {
          finish("error", failure);
        }
      } finally {
        approve.disabled = false;
        cancel.disabled = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    username.focus();
  });
}
