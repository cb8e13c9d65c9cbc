// The catalogue: search products; administrators add and edit them.
import { get, patch, post, withQuery } from "../api.js";
import { field, formData, h, replace, table } from "../dom.js";
import { showError } from "../errors.js";
import { money, t } from "../i18n.js";
import { fromCents, toCents } from "../money.js";

// what people type (12,50 or 012.5) as the API's money string (12.50); anything else as typed, for the API to refuse
const asMoney = (text) => (Number.isNaN(toCents(text)) ? text.trim() : fromCents(toCents(text)));
import { alertBox, page, pager } from "./common.js";
import { fractionOf, percentText } from "./company.js";

export default async function products(ctx) {
  const box = alertBox();
  const search = ctx.query.get("search") || "";
  const admin = ctx.me.role === "admin";
  const filter = h("form", { class: "filters", role: "search" },
    field(t("products.search"), h("input", { type: "search", name: "search", value: search })),
    h("button", { type: "submit", class: "secondary" }, t("common.search")));
  filter.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.go(withQuery("#/products", { search: filter.search.value.trim() }));
  });
  const results = h("div", { id: "product-results" });
  const load = async (path) => {
    try {
      const data = await get(path);
      replace(results, table([t("common.sku"), t("products.barcode"), t("products.name"), { label: t("products.price"), class: "num" },
        { label: t("products.tax_rate"), class: "num" }, t("common.status"), ""],
      data.results.map((p) => h("tr", { dataset: { product: p.id } },
        h("td", {}, p.sku), h("td", {}, p.barcode || ""), h("td", {}, p.name),
        h("td", { class: "num" }, money(p.price)),
        h("td", { class: "num tax-rate" }, p.tax_rate !== undefined ? `${percentText(p.tax_rate)} %` : ""),
        h("td", {}, p.is_active ? t("common.active_m") : t("common.inactive_m")),
        h("td", {}, admin ? h("button", { type: "button", class: "link", onclick: () => edit(ctx, p, box) }, t("common.edit")) : ""))),
      { empty: t("common.no_results") }), pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(withQuery("/api/inventory/products/", { search, page_size: 50 }));
  return { title: t("nav.products"), node: page(t("nav.products"), box, admin ? productForm(ctx, box) : null, filter, results) };
}

function productForm(ctx, box, product = null) {
  const input = (name, attrs = {}) => h("input", { name, value: product?.[name] ?? "", ...attrs });
  const submit = h("button", { type: "submit", class: "primary" }, product ? t("common.save") : t("products.create"));
  const active = h("input", { type: "checkbox", name: "is_active", id: "product-active", checked: product ? product.is_active : true });
  const form = h("form", { class: "stacked", id: "product-form", "aria-labelledby": "product-form-title" },
    h("h2", { id: "product-form-title", tabindex: "-1" }, product ? t("products.edit", { name: product.name }) : t("products.new")),
    h("div", { class: "row" },
      field(t("common.sku"), input("sku", { required: true, maxlength: "64" })),
      field(t("products.barcode"), input("barcode", { maxlength: "64" })),
      field(t("products.name"), input("name", { required: true, maxlength: "200" })),
      field(t("products.price"), input("price", { required: true, inputmode: "decimal" })),
      field(t("products.cost"), input("cost", { inputmode: "decimal" })),
      field(t("products.tax_rate"), h("input", { name: "tax_rate", inputmode: "decimal",
        value: product?.tax_rate !== undefined ? percentText(product.tax_rate) : "" }), { hint: t("products.tax_rate_hint") })),
    product ? h("div", { class: "field check" }, active, h("label", { for: "product-active" }, t("common.active_m"))) : null,
    h("div", { class: "actions" }, submit,
      product ? h("button", { type: "button", class: "secondary", onclick: () => ctx.rerender() }, t("common.cancel")) : null));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = formData(form);
    const body = { sku: data.sku.trim(), name: data.name.trim(), price: asMoney(data.price),
      barcode: data.barcode.trim() || null };
    if (data.cost) body.cost = asMoney(data.cost);
    // a percent as people say it ("18", "0" exempt); empty leaves it to the company's default
    if (data.tax_rate.trim()) body.tax_rate = fractionOf(data.tax_rate) ?? data.tax_rate.trim();
    if (product) body.is_active = active.checked;
    submit.disabled = true;
    try {
      const saved = product ? await patch(`/api/inventory/products/${product.id}/`, body) : await post("/api/inventory/products/", body);
      ctx.notify(t("products.saved", { name: saved.name }));
      ctx.rerender();
    } catch (error) {
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function edit(ctx, product, box) {
  const current = document.getElementById("product-form");
  const form = productForm(ctx, box, product);
  current.replaceWith(form);
  form.querySelector("h2").focus();
}
