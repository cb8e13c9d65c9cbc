// A customer of servicio_clientes: its document types, how it reads in one line, and its form (create or edit).
import { patch, post } from "../api.js";
import { field, formData, h, select } from "../dom.js";
import { showError } from "../errors.js";
import { t } from "../i18n.js";

export const DOC_TYPES = ["dni", "ruc", "ce", "passport", "none"];
const FIELDS = ["name", "email", "phone", "address"];

// "RUC 20123456789", or "" for a customer without a document.
export function docLabel(customer) {
  if (!customer || customer.doc_type === "none" || !customer.doc_number) return "";
  return `${t(`doc.${customer.doc_type}`)} ${customer.doc_number}`;
}

// What a typed number most likely is in Peru: 11 digits a RUC, 8 a DNI; anything else is searched by name or phone.
export function guessDocType(text) {
  if (/^\d{11}$/.test(text)) return "ruc";
  if (/^\d{8}$/.test(text)) return "dni";
  return null;
}

// `customer` to edit one (PATCH), or `initial` ({doc_type, doc_number}) to create one; onSaved(customer) after.
export function customerForm({ box, customer = null, initial = {}, onSaved, onCancel, id = "customer-form" }) {
  const values = customer || initial;
  const docType = select("doc_type", DOC_TYPES.map((d) => [d, t(`doc.${d}`)]), values.doc_type || "dni", { required: true });
  const docNumber = h("input", { name: "doc_number", value: values.doc_number || "", autocomplete: "off",
    maxlength: "12", inputmode: "text" });
  const sync = () => {
    docNumber.disabled = docType.value === "none";
    if (docNumber.disabled) docNumber.value = "";
    // a RUC is a company: its legal name and fiscal address go on the invoice
    nameField.querySelector("label").textContent = docType.value === "ruc" ? t("customers.legal_name") : t("customers.name");
  };
  docType.addEventListener("change", sync);
  const nameField = field(t("customers.name"), h("input", { name: "name", value: values.name || "", required: true,
    maxlength: "120", autocomplete: "off" }));
  const submit = h("button", { type: "submit", class: "primary" }, customer ? t("common.save") : t("customers.create"));
  const form = h("form", { class: "stacked customer-form", id, "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title`, tabindex: "-1" }, customer ? t("customers.edit", { name: customer.name }) : t("customers.new")),
    h("div", { class: "row" },
      field(t("customers.doc_type"), docType),
      field(t("customers.doc_number"), docNumber),
      nameField),
    h("div", { class: "row" },
      field(t("customers.email"), h("input", { name: "email", type: "email", value: values.email || "", maxlength: "254" })),
      field(t("customers.phone"), h("input", { name: "phone", type: "tel", value: values.phone || "", maxlength: "40" })),
      field(t("customers.address"), h("input", { name: "address", value: values.address || "", maxlength: "255" }))),
    customer && customer.is_active === false ? h("div", { class: "field check" },
      h("input", { type: "checkbox", name: "is_active", id: `${id}-active` }),
      h("label", { for: `${id}-active` }, t("customers.reactivate"))) : null,
    h("div", { class: "actions" }, submit,
      onCancel ? h("button", { type: "button", class: "secondary", onclick: onCancel }, t("common.cancel")) : null));
  sync();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = formData(form);
    const body = { doc_type: docType.value, doc_number: (data.doc_number || "").trim(),
      ...Object.fromEntries(FIELDS.map((name) => [name, (data[name] || "").trim()])) };
    if (data.is_active) body.is_active = true;
    submit.disabled = true;
    try {
      const saved = customer ? await patch(`/api/customers/${customer.id}/`, body) : await post("/api/customers/", body);
      onSaved?.(saved);
    } catch (error) {
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
