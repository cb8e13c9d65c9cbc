// Receipts and adjustments of many lines: scan to add lines, send once with an Idempotency-Key, list the branch's documents.
import { ApiError, api, get, newIdempotencyKey } from "../api.js";
import { field, h, replace, select, table } from "../dom.js";
import { formProblem, showError } from "../errors.js";
import { dateTime, money, number, t } from "../i18n.js";
import { alertBox, branchSelect, loadProducts, page, productName, productSku } from "./common.js";
import { scanBox } from "./scan.js";

const KINDS = { receipt: "/api/inventory/receipts/", adjustment: "/api/inventory/adjustments/" };
const REASONS = ["damage", "loss", "theft", "expiry", "correction"];

export default async function documents(ctx) {
  const kind = KINDS[ctx.query.get("kind")] ? ctx.query.get("kind") : "receipt";
  const receipt = kind === "receipt";
  const box = alertBox();
  let attempt = null; // {key, body}: a retry of the same document reuses its key
  const lines = new Map(); // product id -> {quantity input, cost input, row}
  const branch = branchSelect(ctx, { name: "branch", id: "doc-branch" });
  const supplier = h("input", { name: "supplier_ref", id: "doc-supplier", maxlength: "64" });
  const reason = select("reason", REASONS.map((r) => [r, t(`reason.${r}`)]), "damage", { id: "doc-reason" });
  const note = h("input", { name: "note", id: "doc-note", maxlength: "255" });
  const body = h("tbody", { id: "doc-lines" });
  const empty = h("p", { class: "empty", id: "doc-empty" }, t("documents.no_lines"));
  const submit = h("button", { type: "submit", class: "primary", id: "doc-submit" },
    t(receipt ? "documents.submit_receipt" : "documents.submit_adjustment"));
  const created = h("section", { id: "doc-created", "aria-live": "polite" });
  const list = h("section", { "aria-labelledby": "doc-list-title" });

  const refreshEmpty = () => { empty.hidden = lines.size > 0; };
  const addLine = (product, quantity) => {
    const known = lines.get(product.id);
    if (known) {
      known.quantity.value = String(Number(known.quantity.value || 0) + quantity);
      known.row.dataset.bumped = String(Number(known.row.dataset.bumped || 0) + 1);
      return;
    }
    const qty = h("input", { type: "number", name: "quantity", step: "1", value: String(quantity), required: true,
      inputmode: "numeric", "aria-label": t("documents.quantity_of", { name: product.name }),
      min: receipt ? "1" : undefined });
    const cost = receipt ? h("input", { type: "text", name: "unit_cost", inputmode: "decimal", placeholder: product.cost || "",
      "aria-label": t("documents.cost_of", { name: product.name }) }) : null;
    const row = h("tr", { dataset: { product: product.id } },
      h("td", {}, product.sku), h("td", {}, product.name),
      h("td", { class: "num" }, qty),
      receipt ? h("td", { class: "num" }, cost) : null,
      h("td", {}, h("button", { type: "button", class: "secondary", onclick: () => {
        lines.delete(product.id);
        row.remove();
        refreshEmpty();
      } }, t("documents.remove"))));
    lines.set(product.id, { quantity: qty, cost, row });
    body.append(row);
    refreshEmpty();
  };
  const scan = scanBox({ id: "doc-scan", onProduct: addLine });

  const headers = [t("documents.sku"), t("common.product"), { label: t("ledger.quantity"), class: "num" },
    receipt ? { label: t("documents.unit_cost"), class: "num" } : null, ""].filter((c) => c !== null);
  const form = h("form", { class: "stacked", id: "document-form", "aria-labelledby": "doc-form-title", novalidate: true },
    h("h2", { id: "doc-form-title" }, t(receipt ? "documents.new_receipt" : "documents.new_adjustment")),
    field(t("nav.branch"), branch),
    receipt ? field(t("documents.supplier_ref"), supplier) : field(t("documents.reason"), reason),
    field(t("ledger.note"), note),
    scan.node,
    !receipt ? h("p", { class: "hint" }, t("documents.adjustment_hint")) : null,
    h("div", { class: "table-wrap" }, h("table", {},
      h("caption", {}, t("documents.lines")),
      h("thead", {}, h("tr", {}, headers.map((c) => h("th", { scope: "col", class: c.class }, c.label ?? c)))),
      body)),
    empty, submit);

  const showList = async () => {
    try {
      const data = await get(KINDS[kind], { branch: branch.value, page_size: 10 });
      const rows = data.results || data;
      await loadProducts(rows.flatMap((d) => d.lines.map((l) => l.product)));
      replace(list, h("h2", { id: "doc-list-title" }, t(receipt ? "documents.latest_receipts" : "documents.latest_adjustments",
        { branch: ctx.branchLabel(branch.value) })),
      table([t("documents.number"), t("common.time"), receipt ? t("documents.supplier_ref") : t("documents.reason"),
        { label: t("documents.lines_count"), class: "num" }, t("ledger.note")],
      rows.map((d) => h("tr", { dataset: { number: d.number } },
        h("td", { class: "doc-number" }, d.number),
        h("td", {}, dateTime(d.created_at)),
        h("td", {}, receipt ? d.supplier_ref : t(`reason.${d.reason}`)),
        h("td", { class: "num" }, number(d.lines.length)),
        h("td", {}, d.note))),
      { empty: t("documents.none") }));
    } catch (error) {
      replace(list, h("p", { class: "alert" }, error.message));
    }
  };
  branch.addEventListener("change", showList);

  const showCreated = (doc) => replace(created,
    h("h2", { id: "doc-created-title" }, t(receipt ? "documents.receipt_done" : "documents.adjustment_done", { number: doc.number })),
    table([t("documents.sku"), t("common.product"), { label: t("ledger.quantity"), class: "num" },
      receipt ? { label: t("documents.unit_cost"), class: "num" } : null].filter((c) => c !== null),
    doc.lines.map((l) => h("tr", {},
      h("td", {}, productSku(l.product)), h("td", {}, productName(l.product)),
      h("td", { class: "num" }, number(l.quantity)),
      receipt ? h("td", { class: "num" }, l.unit_cost === null ? "—" : money(l.unit_cost)) : null))));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await scan.settled();
    if (!lines.size) {
      showError(box, formProblem(t("documents.need_lines")));
      scan.input.focus();
      return;
    }
    const out = [];
    for (const [product, line] of lines) {
      const quantity = Math.trunc(Number(line.quantity.value));
      if (!Number.isFinite(quantity) || quantity === 0 || (receipt && quantity < 0)) {
        showError(box, formProblem(t("documents.bad_quantity", { name: productName(product) })));
        line.quantity.focus();
        return;
      }
      const entry = { product, quantity };
      const cost = line.cost?.value.trim().replace(",", ".");
      if (cost) entry.unit_cost = cost;
      out.push(entry);
    }
    const payload = receipt
      ? { branch: Number(branch.value), supplier_ref: supplier.value.trim(), note: note.value.trim(), lines: out }
      : { branch: Number(branch.value), reason: reason.value, note: note.value.trim(), lines: out };
    const signature = JSON.stringify(payload);
    if (!attempt || attempt.body !== signature) attempt = { key: newIdempotencyKey(), body: signature };
    submit.disabled = true;
    box.hidden = true;
    try {
      const doc = await api(KINDS[kind], { method: "POST", body: payload, headers: { "Idempotency-Key": attempt.key } });
      attempt = null;
      ctx.notify(t(receipt ? "documents.receipt_done" : "documents.adjustment_done", { number: doc.number }));
      showCreated(doc);
      lines.clear();
      replace(body);
      refreshEmpty();
      supplier.value = "";
      note.value = "";
      scan.input.focus();
      await showList();
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.code !== "idempotency_in_progress") attempt = null;
      showError(box, error, { form, names: Object.fromEntries([...lines.keys()].map((id) => [id, productName(id)])) });
    } finally {
      submit.disabled = false;
    }
  });
  await showList();
  const title = t("nav.documents");
  const tabs = h("nav", { class: "tabs", "aria-label": t("documents.kinds") },
    Object.keys(KINDS).map((k) => h("a", { href: `#/documents?kind=${k}`, id: `doc-tab-${k}`,
      "aria-current": k === kind ? "page" : undefined }, t(`kind.${k}`))));
  return { title, node: page(title, tabs, box, created, h("div", { class: "columns" }, form, list)), focus: scan.input };
}
