// Users, for administrators: list, add with a role and branches, change role/branches, disable.
import { get, patch, post, withQuery } from "../api.js";
import { field, formData, h, replace, select, table } from "../dom.js";
import { showError } from "../errors.js";
import { t } from "../i18n.js";
import { alertBox, page, pager } from "./common.js";

const ROLES = ["admin", "manager", "cashier", "warehouse", "auditor", "purchaser"];

export default async function users(ctx) {
  const box = alertBox();
  const results = h("div", { id: "user-results" });
  const load = async (path) => {
    try {
      const data = await get(path);
      replace(results, table([t("users.username"), t("users.name"), t("users.role"), t("users.branches"), t("users.pin"),
        t("common.status"), ""],
        data.results.map((u) => h("tr", { dataset: { user: u.id } },
          h("td", {}, u.username),
          h("td", {}, [u.first_name, u.last_name].filter(Boolean).join(" ")),
          h("td", {}, t(`role.${u.role}`)),
          h("td", {}, (u.branches || []).map((b) => ctx.branchLabel(b)).join(", ")),
          h("td", { class: "has-pin" }, u.has_pin ? t("users.pin_yes") : t("users.pin_no")),
          h("td", {}, u.is_active ? t("common.active_m") : t("common.inactive_m")),
          h("td", {}, h("button", { type: "button", class: "link", onclick: () => edit(ctx, u, box) }, t("common.edit"))))),
        { empty: t("common.no_results") }), pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(withQuery("/api/auth/users/", { page_size: 50 }));
  return { title: t("nav.users"), node: page(t("nav.users"), box, userForm(ctx, box), results) };
}

function userForm(ctx, box, user = null) {
  const branchBoxes = ctx.allBranches.map((b) => h("label", { class: "check" },
    h("input", { type: "checkbox", name: "branches", value: String(b.id), checked: (user?.branches || []).includes(b.id) }),
    ` ${b.code} · ${b.name}`));
  const active = h("input", { type: "checkbox", name: "is_active", id: "user-active", checked: user ? user.is_active : true });
  const submit = h("button", { type: "submit", class: "primary" }, user ? t("common.save") : t("users.create"));
  const form = h("form", { class: "stacked", id: "user-form", "aria-labelledby": "user-form-title" },
    h("h2", { id: "user-form-title", tabindex: "-1" }, user ? t("users.edit", { name: user.username }) : t("users.new")),
    h("div", { class: "row" },
      user ? null : field(t("users.username"), h("input", { name: "username", required: true, autocomplete: "off", autocapitalize: "none" })),
      field(user ? t("users.new_password") : t("users.password"), h("input", { name: "password", type: "password",
        required: !user, autocomplete: "new-password" })),
      field(t("users.email"), h("input", { name: "email", type: "email", value: user?.email || "" })),
      field(t("users.first_name"), h("input", { name: "first_name", value: user?.first_name || "" })),
      field(t("users.last_name"), h("input", { name: "last_name", value: user?.last_name || "" })),
      field(t("users.role"), select("role", ROLES.map((r) => [r, t(`role.${r}`)]), user?.role || "cashier")),
      field(user?.has_pin ? t("users.new_pin") : t("users.pin_optional"), h("input", { name: "pin", type: "password",
        inputmode: "numeric", autocomplete: "new-password", pattern: "[0-9]{4,8}", maxlength: "8" }),
      { hint: t("approval.pin_hint") })),
    h("fieldset", { class: "field", dataset: { name: "branches" } }, h("legend", {}, t("users.branches")),
      h("div", { class: "checks" }, branchBoxes), h("p", { class: "field-error", hidden: true })),
    user ? h("div", { class: "field check" }, active, h("label", { for: "user-active" }, t("common.active_m"))) : null,
    h("div", { class: "actions" }, submit,
      user ? h("button", { type: "button", class: "secondary", onclick: () => ctx.rerender() }, t("common.cancel")) : null));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = formData(form);
    const body = {
      email: (data.email || "").trim(), first_name: (data.first_name || "").trim(), last_name: (data.last_name || "").trim(),
      role: data.role, branches: [...form.querySelectorAll("input[name=branches]:checked")].map((c) => Number(c.value)),
    };
    if (!user) body.username = data.username.trim();
    if (data.password) body.password = data.password;
    if (data.pin) body.pin = data.pin;
    if (user) body.is_active = active.checked;
    submit.disabled = true;
    try {
      const saved = user ? await patch(`/api/auth/users/${user.id}/`, body) : await post("/api/auth/users/", body);
      ctx.notify(t("users.saved", { name: saved.username }));
      ctx.rerender();
    } catch (error) {
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function edit(ctx, user, box) {
  const form = userForm(ctx, box, user);
  document.getElementById("user-form").replaceWith(form);
  form.querySelector("h2").focus();
}
