// Receipts and adjustments: one form that moves stock with an Idempotency-Key, and the branch's latest moves.
import { ApiError, api, get, newIdempotencyKey } from "../api.js";
import { field, h, replace, select } from "../dom.js";
import { formProblem, showError } from "../errors.js";
import { number, t } from "../i18n.js";
import { alertBox, branchSelect, loadProducts, page, productName, productPicker } from "./common.js";
import { ledgerTable } from "./ledger.js";

export default async function movements(ctx) {
  let attempt = null; // {key, body}: a retry of the same movement reuses its key
  const box = alertBox();
  const picker = productPicker({ label: t("common.product") });
  const kind = select("kind", [["receipt", t("kind.receipt")], ["adjustment", t("kind.adjustment")]], ctx.query.get("kind") || "receipt");
  const quantity = h("input", { type: "number", name: "quantity", step: "1", required: true, inputmode: "numeric" });
  const note = h("input", { name: "note", maxlength: "255" });
  const branch = branchSelect(ctx, { name: "branch" });
  const submit = h("button", { type: "submit", class: "primary" }, t("movements.submit"));
  const hint = h("p", { class: "hint", id: "movement-kind-hint" });
  const explain = () => replace(hint, t(kind.value === "receipt" ? "movements.receipt_hint" : "movements.adjustment_hint"));
  kind.addEventListener("change", explain);
  explain();
  const form = h("form", { class: "stacked", id: "movement-form", "aria-labelledby": "movement-title" },
    h("h2", { id: "movement-title" }, t("movements.new")),
    field(t("nav.branch"), branch), picker.node, field(t("ledger.kind"), kind), hint,
    field(t("ledger.quantity"), quantity), field(t("ledger.note"), note), submit);
  const latest = h("section", { "aria-labelledby": "latest-moves" });

  const showLatest = async () => {
    try {
      const data = await get("/api/inventory/movements/", { branch: branch.value, page_size: 10 });
      await loadProducts(data.results.map((r) => r.product));
      replace(latest, h("h2", { id: "latest-moves" }, t("movements.latest", { branch: ctx.branchLabel(branch.value) })),
        ledgerTable(ctx, data.results, { compact: true }));
    } catch (error) {
      replace(latest, h("p", { class: "alert" }, error.message));
    }
  };
  branch.addEventListener("change", showLatest);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await picker.settled();
    const body = { branch: Number(branch.value), product: picker.value(), kind: kind.value,
      quantity: Math.trunc(Number(quantity.value)), note: note.value.trim() };
    if (!body.product) {
      showError(box, formProblem(t("movements.pick_product")));
      picker.input.focus();
      return;
    }
    const signature = JSON.stringify(body);
    if (!attempt || attempt.body !== signature) attempt = { key: newIdempotencyKey(), body: signature };
    submit.disabled = true;
    box.hidden = true;
    try {
      const row = await api("/api/inventory/movements/", { method: "POST", body, headers: { "Idempotency-Key": attempt.key } });
      attempt = null;
      ctx.notify(t("movements.done", { kind: t(`kind.${row.kind}`), name: productName(row.product), balance: number(row.balance_after) }));
      quantity.value = "";
      note.value = "";
      picker.reset();
      picker.input.focus();
      await showLatest();
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.code !== "idempotency_in_progress") attempt = null;
      showError(box, error, { form, names: { [body.product]: productName(body.product) } });
    } finally {
      submit.disabled = false;
    }
  });
  await showLatest();
  return { title: t("nav.movements"), node: page(t("nav.movements"), box, h("div", { class: "columns" }, form, latest)) };
}
