// Branches, for administrators: list, add, edit, deactivate.
import { del, listAll, patch, post } from "../api.js";
import { field, formData, h, table } from "../dom.js";
import { showError } from "../errors.js";
import { t } from "../i18n.js";
import { alertBox, page } from "./common.js";

const FIELDS = ["code", "name", "address", "city", "phone"];
const RECEIPT_TEXTS = ["receipt_header", "receipt_footer"]; // printed above and below each receipt

export default async function branches(ctx) {
  const box = alertBox();
  const rows = await listAll("/api/branches/");
  const list = table([t("branches.code"), t("branches.name"), t("branches.city"), t("branches.phone"), t("common.status"), ""],
    rows.map((b) => h("tr", { dataset: { branch: b.id } },
      h("td", {}, b.code), h("td", {}, b.name), h("td", {}, b.city), h("td", {}, b.phone),
      h("td", {}, b.is_active ? t("common.active") : t("common.inactive")),
      h("td", { class: "actions" },
        h("button", { type: "button", class: "link", onclick: () => edit(ctx, b, box) }, t("common.edit")),
        b.is_active ? h("button", { type: "button", class: "link danger", onclick: async () => {
          if (!window.confirm(t("branches.confirm_deactivate", { name: b.name }))) return;
          try {
            await del(`/api/branches/${b.id}/`);
            ctx.notify(t("branches.deactivated", { name: b.name }));
            ctx.rerender();
          } catch (error) {
            showError(box, error);
          }
        } }, t("branches.deactivate")) : null))),
    { empty: t("common.no_results") });
  return { title: t("nav.branches"), node: page(t("nav.branches"), box, branchForm(ctx, box), list) };
}

function branchForm(ctx, box, branch = null) {
  const submit = h("button", { type: "submit", class: "primary" }, branch ? t("common.save") : t("branches.create"));
  const form = h("form", { class: "stacked", id: "branch-form", "aria-labelledby": "branch-form-title" },
    h("h2", { id: "branch-form-title", tabindex: "-1" }, branch ? t("branches.edit", { name: branch.name }) : t("branches.new")),
    h("div", { class: "row" }, FIELDS.map((name) => field(t(`branches.${name}`),
      h("input", { name, value: branch?.[name] ?? "", required: name === "code" || name === "name" })))),
    h("div", { class: "row" }, RECEIPT_TEXTS.map((name) => field(t(`branches.${name}`),
      h("textarea", { name, maxlength: "500", rows: "2" }, branch?.[name] ?? "")))),
    branch && !branch.is_active ? h("div", { class: "field check" },
      h("input", { type: "checkbox", name: "is_active", id: "branch-active" }),
      h("label", { for: "branch-active" }, t("branches.reactivate"))) : null,
    h("div", { class: "actions" }, submit,
      branch ? h("button", { type: "button", class: "secondary", onclick: () => ctx.rerender() }, t("common.cancel")) : null));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = formData(form);
    const body = Object.fromEntries([...FIELDS, ...RECEIPT_TEXTS].map((name) => [name, (data[name] || "").trim()]));
    if (data.is_active) body.is_active = true;
    submit.disabled = true;
    try {
      const saved = branch ? await patch(`/api/branches/${branch.id}/`, body) : await post("/api/branches/", body);
      ctx.notify(t("branches.saved", { name: saved.name }));
      ctx.rerender();
    } catch (error) {
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function edit(ctx, branch, box) {
  const form = branchForm(ctx, box, branch);
  document.getElementById("branch-form").replaceWith(form);
  form.querySelector("h2").focus();
}
