// My account: who I am, and my point-of-sale PIN (a manager's PIN approves discounts and cash-outs).
import { get, post } from "../api.js";
import { field, h, replace } from "../dom.js";
import { formProblem, showError } from "../errors.js";
import { t } from "../i18n.js";
import { alertBox, page } from "./common.js";

const PIN = /^[0-9]{4,8}$/;

export default async function account(ctx) {
  const me = await get("/api/auth/me/");
  const box = alertBox();
  const state = h("p", { id: "pin-state" }, me.has_pin ? t("account.pin_set") : t("account.pin_unset"));
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const pin = h("input", { name: "pin", type: "password", inputmode: "numeric", autocomplete: "off", required: true,
    maxlength: "8" });
  const again = h("input", { name: "pin_again", type: "password", inputmode: "numeric", autocomplete: "off", required: true,
    maxlength: "8" });
  const submit = h("button", { type: "submit", class: "primary", id: "pin-save" }, t("account.pin_save"));
  const form = h("form", { class: "stacked", id: "pin-form", "aria-labelledby": "pin-title" },
    h("h2", { id: "pin-title" }, t("account.pin_title")), state,
    h("p", { class: "hint" }, t("account.pin_why")),
    field(t("account.password"), password),
    field(t("account.pin"), pin, { hint: t("approval.pin_hint") }),
    field(t("account.pin_again"), again),
    submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!PIN.test(pin.value)) {
      showError(box, formProblem(t("approval.pin_hint"), { pin: [t("approval.pin_hint")] }), { form });
      return;
    }
    if (pin.value !== again.value) {
      showError(box, formProblem(t("account.pin_mismatch"), { pin_again: [t("account.pin_mismatch")] }), { form });
      return;
    }
    submit.disabled = true;
    try {
      await post("/api/auth/me/pin/", { password: password.value, pin: pin.value });
      [password, pin, again].forEach((input) => { input.value = ""; });
      box.hidden = true;
      replace(state, t("account.pin_set"));
      ctx.notify(t("account.pin_saved"));
    } catch (error) {
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
  });
  const name = [me.first_name, me.last_name].filter(Boolean).join(" ");
  const node = page(t("account.title"),
    h("p", { class: "subtitle" }, `${me.username}${name ? ` · ${name}` : ""} · ${t(`role.${me.role}`)}`),
    box, form);
  return { title: t("account.title"), node };
}
