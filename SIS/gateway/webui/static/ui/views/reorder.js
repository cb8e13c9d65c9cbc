// The reorder list of a branch: what is at or below its minimum, by supplier; the chosen lines become draft orders.
import { api, get, newIdempotencyKey } from "../api.js";
import { field, h, replace, table } from "../dom.js";
import { formProblem, showError } from "../errors.js";
import { money, number, t } from "../i18n.js";
import { alertBox, branchSelect, loadProducts, page, productName, productSku, rememberProducts } from "./common.js";
import {
  lineTotal, loadSuppliers, orderLink, orderSupplier, settled, supplierId, supplierName, writesOrders,
} from "./purchasing.js";

// The answer's groups as the page uses them: a supplier id (null: no supplier sells it) and its suggested lines.
export function groupsOf(answer) {
  const groups = answer.groups || answer.suppliers || answer.results || [];
  return groups.map((g) => ({
    supplier: supplierId(g.supplier) ?? null,
    label: g.supplier && typeof g.supplier === "object" ? `${g.supplier.code} · ${g.supplier.name}` : null,
    lines: (g.lines || []).map((l) => ({
      product: l.product,
      onHand: l.quantity ?? l.on_hand,
      min: l.min_quantity,
      max: l.max_quantity,
      pack: l.pack_size ?? null,
      suggested: l.suggested ?? l.suggested_quantity ?? l.order_quantity ?? 0,
      unitCost: l.unit_cost ?? null,
    })),
  })).concat((answer.unassigned || answer.without_supplier || []).length ? [{
    supplier: null,
    lines: (answer.unassigned || answer.without_supplier).map((l) => ({ product: l.product, onHand: l.quantity ?? l.on_hand,
      min: l.min_quantity, max: l.max_quantity, pack: null, suggested: l.suggested ?? l.suggested_quantity ?? 0, unitCost: null })),
  }] : []);
}

export default async function reorder(ctx) {
  const box = alertBox();
  const branch = branchSelect(ctx, { id: "reorder-branch", value: ctx.query.get("branch") || ctx.branch });
  const holder = h("div", { id: "reorder-groups" });
  const created = h("section", { id: "reorder-created", "aria-live": "polite" });
  const writes = writesOrders(ctx);
  let attempt = null; // {key, body}: the same selection sent again reuses its key (never two sets of drafts)
  let chosen = new Map(); // product id -> {box, qty, supplier}

  const show = async () => {
    chosen = new Map();
    try {
      const [answer] = await Promise.all([get("/api/purchasing/reorder/", { branch: branch.value }), loadSuppliers().catch(() => [])]);
      const groups = groupsOf(answer);
      // the suggestions name their products; only a line without its name is looked up
      rememberProducts((answer.groups || []).flatMap((g) => g.lines || []).filter((l) => l.name)
        .map((l) => ({ id: l.product, sku: l.sku, name: l.name })));
      await loadProducts(groups.flatMap((g) => g.lines.map((l) => l.product)));
      if (!groups.some((g) => g.lines.length)) {
        replace(holder, h("p", { class: "empty", id: "reorder-empty" }, t("reorder.nothing", { branch: ctx.branchLabel(branch.value) })));
        return;
      }
      replace(holder, answer.truncated ? h("p", { class: "alert", id: "reorder-truncated" }, t("reorder.truncated")) : null,
        groups.filter((g) => g.lines.length).map((g) => groupSection(g)));
    } catch (error) {
      replace(holder);
      showError(box, error);
    }
  };

  function groupSection(group) {
    const assigned = group.supplier !== null;
    const heading = assigned ? group.label || supplierName(group.supplier) : t("reorder.no_supplier");
    const all = h("input", { type: "checkbox", checked: assigned, disabled: !assigned || !writes,
      "aria-label": t("reorder.all_of", { supplier: heading }) });
    const boxes = [];
    const rows = group.lines.map((l) => {
      const pick = h("input", { type: "checkbox", checked: assigned, disabled: !assigned || !writes, class: "reorder-pick",
        "aria-label": t("reorder.pick", { name: productName(l.product) }) });
      const qty = h("input", { type: "number", min: "1", step: l.pack || 1, inputmode: "numeric", class: "counted",
        value: String(l.suggested), disabled: !assigned || !writes, "aria-label": t("reorder.quantity_of", { name: productName(l.product) }) });
      const total = h("td", { class: "num" });
      const refresh = () => replace(total, l.unitCost === null ? "—" : money(lineTotal({ quantity: Number(qty.value) || 0, unit_cost: l.unitCost })));
      qty.addEventListener("input", refresh);
      refresh();
      if (assigned) {
        chosen.set(l.product, { pick, qty, supplier: group.supplier });
        boxes.push(pick);
      }
      return h("tr", { dataset: { product: l.product } },
        h("td", {}, pick), h("td", {}, productSku(l.product)), h("td", {}, productName(l.product)),
        h("td", { class: "num on-hand" }, number(l.onHand)), h("td", { class: "num" }, number(l.min)),
        h("td", { class: "num" }, l.max === null || l.max === undefined ? "—" : number(l.max)),
        h("td", { class: "num" }, l.pack ? number(l.pack) : "—"),
        h("td", { class: "num suggested" }, qty),
        h("td", { class: "num" }, l.unitCost === null ? "—" : money(l.unitCost)), total);
    });
    all.addEventListener("change", () => boxes.forEach((b) => { b.checked = all.checked; }));
    return h("section", { class: "reorder-group", dataset: { supplier: group.supplier ?? "none" },
      "aria-label": heading },
    h("h2", {}, h("label", { class: "check" }, all, " ", heading)),
    assigned ? null : h("p", { class: "hint" }, t("reorder.no_supplier_hint"), " ", h("a", { href: "#/suppliers" }, t("nav.suppliers"))),
    table([{ label: h("span", { class: "visually-hidden" }, t("reorder.pick_column")) }, t("common.sku"), t("common.product"),
      { label: t("reorder.on_hand"), class: "num" }, { label: t("reorder.min"), class: "num" }, { label: t("reorder.max"), class: "num" },
      { label: t("suppliers.pack_size"), class: "num" }, { label: t("reorder.to_order"), class: "num" },
      { label: t("suppliers.unit_cost"), class: "num" }, { label: t("orders.line_total"), class: "num" }], rows));
  }

  const submit = h("button", { type: "button", class: "primary", id: "reorder-submit", onclick: async () => {
    const lines = [];
    for (const [product, { pick, qty, supplier }] of chosen) {
      if (!pick.checked) continue;
      const quantity = Number(qty.value);
      if (!Number.isInteger(quantity) || quantity < 1) {
        showError(box, formProblem(t("orders.bad_quantity", { name: productName(product) })));
        qty.focus();
        return;
      }
      lines.push({ product, quantity, supplier });
    }
    if (!lines.length) {
      showError(box, formProblem(t("reorder.pick_some")));
      return;
    }
    const body = { branch: Number(branch.value), lines };
    const signature = JSON.stringify(body);
    if (!attempt || attempt.body !== signature) attempt = { key: newIdempotencyKey(), body: signature };
    submit.disabled = true;
    box.hidden = true;
    try {
      const answer = await api("/api/purchasing/reorder/", { method: "POST", body, headers: { "Idempotency-Key": attempt.key } });
      attempt = null;
      const orders = Array.isArray(answer) ? answer : answer.orders || answer.results || [];
      ctx.notify(t("reorder.created", { count: number(orders.length) }));
      replace(created, h("h2", { id: "reorder-created-title" }, t("reorder.created", { count: number(orders.length) })),
        h("ul", {}, orders.map((o) => h("li", { dataset: { order: o.id } }, orderLink(o), " · ", orderSupplier(o),
          " · ", t("orders.lines_count", { count: number(o.lines.length) }), " · ", money(o.total)))));
      await show();
    } catch (error) {
      if (settled(error)) attempt = null;
      showError(box, error, { names: Object.fromEntries(lines.map((l) => [l.product, productName(l.product)])) });
    } finally {
      submit.disabled = false;
    }
  } }, t("reorder.submit"));
  branch.addEventListener("change", () => { replace(created); show(); });
  await show();
  const title = t("nav.reorder");
  return { title, node: page(title, box, created,
    h("div", { class: "filters" }, field(t("nav.branch"), branch)),
    h("p", { class: "hint" }, t("reorder.hint")),
    holder, writes ? h("div", { class: "actions" }, submit) : null) };
}
