// Suppliers: search, add and edit them (admins and purchasers); one supplier's products with their cost and pack.
import { get, patch, post, withQuery } from "../api.js";
import { field, formData, h, replace, select, table } from "../dom.js";
import { showError } from "../errors.js";
import { money, number, t } from "../i18n.js";
import { alertBox, loadProducts, page, pager, productName, productPicker, productSku } from "./common.js";
import { asMoney, writesSuppliers } from "./purchasing.js";

export default async function suppliers(ctx) {
  return ctx.params[0] ? supplierView(ctx, Number(ctx.params[0])) : supplierList(ctx);
}

async function supplierList(ctx) {
  const box = alertBox();
  const search = ctx.query.get("search") || "";
  const active = ctx.query.get("is_active") ?? "";
  const filter = h("form", { class: "filters", role: "search", id: "supplier-filters" },
    field(t("suppliers.search"), h("input", { type: "search", name: "search", value: search })),
    field(t("common.status"), select("is_active", [["", t("common.all")], ["true", t("common.active_m")],
      ["false", t("common.inactive_m")]], active)),
    h("button", { type: "submit", class: "secondary" }, t("common.search")));
  filter.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.go(withQuery("#/suppliers", { search: filter.search.value.trim(), is_active: filter.is_active.value }));
  });
  const writes = writesSuppliers(ctx);
  const results = h("div", { id: "supplier-results" });
  const load = async (path) => {
    try {
      const data = await get(path);
      replace(results, table([t("suppliers.code"), t("suppliers.name"), t("suppliers.tax_id"), t("suppliers.phone"),
        t("suppliers.email"), { label: t("suppliers.terms"), class: "num" }, t("common.status"), ""],
      data.results.map((s) => h("tr", { dataset: { supplier: s.id } },
        h("td", {}, h("a", { href: `#/suppliers/${s.id}` }, s.code)), h("td", {}, s.name), h("td", {}, s.tax_id),
        h("td", {}, s.phone || ""), h("td", {}, s.email || ""),
        h("td", { class: "num" }, t("suppliers.days", { days: number(s.payment_terms_days) })),
        h("td", {}, s.is_active ? t("common.active_m") : t("common.inactive_m")),
        h("td", { class: "actions" },
          h("a", { href: `#/suppliers/${s.id}` }, t("suppliers.products")),
          writes ? h("button", { type: "button", class: "link", onclick: () => edit(ctx, s, box) }, t("common.edit")) : null))),
      { empty: t("common.no_results") }), pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(withQuery("/api/purchasing/suppliers/", { search, is_active: active, page_size: 50 }));
  const title = t("nav.suppliers");
  return { title, node: page(title, box, writes ? supplierForm(ctx, box) : null, filter, results) };
}

function supplierForm(ctx, box, supplier = null) {
  const input = (name, attrs = {}) => h("input", { name, value: supplier?.[name] ?? "", ...attrs });
  const submit = h("button", { type: "submit", class: "primary", id: "supplier-submit" },
    supplier ? t("common.save") : t("suppliers.create"));
  const active = h("input", { type: "checkbox", name: "is_active", id: "supplier-active", checked: supplier ? supplier.is_active : true });
  const form = h("form", { class: "stacked", id: "supplier-form", "aria-labelledby": "supplier-form-title" },
    h("h2", { id: "supplier-form-title", tabindex: "-1" }, supplier ? t("suppliers.edit", { name: supplier.name }) : t("suppliers.new")),
    h("div", { class: "row" },
      field(t("suppliers.code"), input("code", { required: true, maxlength: "20", autocapitalize: "characters" })),
      field(t("suppliers.name"), input("name", { required: true, maxlength: "200" })),
      field(t("suppliers.tax_id"), input("tax_id", { required: true, inputmode: "numeric", maxlength: "11" }),
        { hint: t("suppliers.tax_id_hint") }),
      field(t("suppliers.terms"), input("payment_terms_days", { type: "number", min: "0", max: "365", step: "1",
        value: supplier?.payment_terms_days ?? "30" }))),
    h("div", { class: "row" },
      field(t("suppliers.email"), input("email", { type: "email", maxlength: "254" })),
      field(t("suppliers.phone"), input("phone", { type: "tel", maxlength: "40" })),
      field(t("suppliers.address"), input("address", { maxlength: "255" }))),
    supplier ? h("div", { class: "field check" }, active, h("label", { for: "supplier-active" }, t("common.active_m"))) : null,
    h("div", { class: "actions" }, submit,
      supplier ? h("button", { type: "button", class: "secondary", onclick: () => ctx.rerender() }, t("common.cancel")) : null));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = formData(form);
    const body = { code: data.code.trim(), name: data.name.trim(), tax_id: data.tax_id.trim(), email: data.email.trim(),
      phone: data.phone.trim(), address: data.address.trim() };
    if (data.payment_terms_days !== "") body.payment_terms_days = Number(data.payment_terms_days);
    if (supplier) body.is_active = active.checked;
    submit.disabled = true;
    try {
      const saved = supplier ? await patch(`/api/purchasing/suppliers/${supplier.id}/`, body)
        : await post("/api/purchasing/suppliers/", body);
      ctx.notify(t("suppliers.saved", { name: saved.name }));
      ctx.rerender();
    } catch (error) {
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function edit(ctx, supplier, box) {
  const form = supplierForm(ctx, box, supplier);
  document.getElementById("supplier-form").replaceWith(form);
  form.querySelector("h2").focus();
}

// #/suppliers/<id>: the supplier's card and what it sells (one row per product; a product has one preferred supplier).
async function supplierView(ctx, id) {
  const box = alertBox();
  const supplier = await get(`/api/purchasing/suppliers/${id}/`);
  const results = h("div", { id: "supplier-products" });
  const load = async (path) => {
    try {
      const data = await get(path);
      await loadProducts(data.results.map((r) => r.product));
      replace(results, table([t("common.sku"), t("common.product"), t("suppliers.supplier_sku"),
        { label: t("suppliers.unit_cost"), class: "num" }, { label: t("suppliers.pack_size"), class: "num" },
        { label: t("suppliers.lead_time"), class: "num" }, t("suppliers.preferred")],
      data.results.map((r) => h("tr", { dataset: { product: r.product } },
        h("td", {}, productSku(r.product)), h("td", {}, productName(r.product)), h("td", {}, r.supplier_sku || ""),
        h("td", { class: "num" }, money(r.unit_cost)), h("td", { class: "num" }, number(r.pack_size)),
        h("td", { class: "num" }, t("suppliers.days", { days: number(r.lead_time_days) })),
        h("td", {}, r.is_preferred ? t("suppliers.preferred_yes") : ""))),
      { empty: t("suppliers.no_products") }), pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(`/api/purchasing/suppliers/${id}/products/?page_size=100`);
  const card = h("dl", { class: "card", id: "supplier-card" },
    h("dt", {}, t("suppliers.tax_id")), h("dd", {}, supplier.tax_id),
    h("dt", {}, t("suppliers.terms")), h("dd", {}, t("suppliers.days", { days: number(supplier.payment_terms_days) })),
    supplier.email ? [h("dt", {}, t("suppliers.email")), h("dd", {}, supplier.email)] : null,
    supplier.phone ? [h("dt", {}, t("suppliers.phone")), h("dd", {}, supplier.phone)] : null,
    supplier.address ? [h("dt", {}, t("suppliers.address")), h("dd", {}, supplier.address)] : null,
    h("dt", {}, t("common.status")), h("dd", {}, supplier.is_active ? t("common.active_m") : t("common.inactive_m")));
  const title = t("suppliers.title", { name: `${supplier.code} · ${supplier.name}` });
  return { title, node: page(title, box, card,
    writesSuppliers(ctx) ? supplierProductForm(ctx, box, supplier) : null,
    h("section", { "aria-labelledby": "supplier-products-title" },
      h("h2", { id: "supplier-products-title" }, t("suppliers.products")), results),
    h("p", {}, h("a", { href: `#/orders?supplier=${supplier.id}` }, t("suppliers.orders")), " · ",
      h("a", { href: "#/suppliers" }, t("suppliers.back")))) };
}

function supplierProductForm(ctx, box, supplier) {
  const picker = productPicker({ label: t("common.product") });
  const preferred = h("input", { type: "checkbox", name: "is_preferred", id: "sp-preferred" });
  const submit = h("button", { type: "submit", class: "primary", id: "sp-submit" }, t("suppliers.add_product"));
  const form = h("form", { class: "stacked", id: "supplier-product-form", "aria-labelledby": "sp-title" },
    h("h2", { id: "sp-title" }, t("suppliers.new_product")),
    h("div", { class: "row" }, picker.node,
      field(t("suppliers.supplier_sku"), h("input", { name: "supplier_sku", id: "sp-sku", maxlength: "40" })),
      field(t("suppliers.unit_cost"), h("input", { name: "unit_cost", id: "sp-cost", inputmode: "decimal", required: true })),
      field(t("suppliers.pack_size"), h("input", { name: "pack_size", id: "sp-pack", type: "number", min: "1", step: "1", value: "1" })),
      field(t("suppliers.lead_time"), h("input", { name: "lead_time_days", id: "sp-lead", type: "number", min: "0", max: "365",
        step: "1", value: "0" }))),
    h("div", { class: "field check" }, preferred, h("label", { for: "sp-preferred" }, t("suppliers.is_preferred"))),
    h("p", { class: "hint" }, t("suppliers.preferred_hint")),
    submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await picker.settled();
    const data = formData(form);
    const body = { product: picker.value(), supplier_sku: data.supplier_sku.trim(), unit_cost: asMoney(data.unit_cost),
      is_preferred: preferred.checked };
    if (data.pack_size !== "") body.pack_size = Number(data.pack_size);
    if (data.lead_time_days !== "") body.lead_time_days = Number(data.lead_time_days);
    submit.disabled = true;
    try {
      await post(`/api/purchasing/suppliers/${supplier.id}/products/`, body);
      ctx.notify(t("suppliers.product_added", { name: productName(body.product), supplier: supplier.name }));
      ctx.rerender();
    } catch (error) {
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
