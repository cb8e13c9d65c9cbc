// Transfers between branches: create a draft with lines, dispatch it from one branch, receive it at the other.
import { ApiError, get, newIdempotencyKey, post, withQuery } from "../api.js";
import { field, h, replace, select, table } from "../dom.js";
import { formProblem, showError } from "../errors.js";
import { dateTime, number, t } from "../i18n.js";
import { alertBox, branchSelect, loadProducts, page, pager, productName, productPicker, statusBadge } from "./common.js";

const WRITERS = new Set(["admin", "manager", "warehouse"]);
const STATUSES = ["draft", "dispatched", "received", "cancelled"];

export default async function transfers(ctx) {
  const box = alertBox();
  const status = ctx.query.get("status") || "";
  const filter = h("form", { class: "filters", id: "transfer-filters" },
    field(t("common.status"), select("status", [["", t("common.all")], ...STATUSES.map((s) => [s, t(`status.${s}`)])], status)),
    h("button", { type: "submit", class: "secondary" }, t("common.show")));
  filter.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.go(withQuery("#/transfers", { status: filter.status.value }));
  });
  const results = h("div", { id: "transfer-results" });
  const writes = WRITERS.has(ctx.me.role);
  const load = async (path) => {
    try {
      const data = await get(path);
      await loadProducts(data.results.flatMap((tr) => tr.lines.map((l) => l.product)));
      replace(results, table(
        ["#", t("transfers.from"), t("transfers.to"), t("transfers.lines"), t("common.status"), t("common.date"), ""],
        data.results.map((tr) => transferRow(ctx, tr, writes, box)),
        { empty: t("transfers.none") }), pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(withQuery("/api/inventory/transfers/", { status, branch: ctx.branches.length === 1 ? ctx.branch : "", page_size: 25 }));
  const node = page(t("nav.transfers"), box,
    writes ? createForm(ctx, box) : null,
    h("section", { "aria-labelledby": "transfer-list" }, h("h2", { id: "transfer-list" }, t("transfers.list")), filter, results));
  return { title: t("nav.transfers"), node };
}

function mayActOn(ctx, branch) {
  return ["admin"].includes(ctx.me.role) || (ctx.me.branches || []).includes(Number(branch));
}

// An attempt keeps its Idempotency-Key until it has an answer: a retry after a lost answer is the same request.
function settled(error) {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.code !== "idempotency_in_progress";
}

function transferRow(ctx, tr, writes, box) {
  const keys = {};
  const act = (action, label) => h("button", { type: "button", class: "secondary small", dataset: { action },
    onclick: async (event) => {
      event.target.disabled = true;
      keys[action] ||= newIdempotencyKey();
      try {
        const updated = await post(`/api/inventory/transfers/${tr.id}/${action}/`, {}, { "Idempotency-Key": keys[action] });
        ctx.notify(t("transfers.now", { id: tr.id, status: t(`status.${updated.status}`) }));
        ctx.rerender();
      } catch (error) {
        if (settled(error)) delete keys[action];
        showError(box, error, { names: Object.fromEntries(tr.lines.map((l) => [l.product, productName(l.product)])) });
        event.target.disabled = false;
      }
    } }, label);
  const actions = [];
  if (writes && tr.status === "draft" && mayActOn(ctx, tr.from_branch)) {
    actions.push(act("dispatch", t("transfers.dispatch")), act("cancel", t("transfers.cancel")));
  }
  if (writes && tr.status === "dispatched" && mayActOn(ctx, tr.to_branch)) actions.push(act("receive", t("transfers.receive")));
  return h("tr", { dataset: { transfer: tr.id } },
    h("td", {}, String(tr.id)),
    h("td", {}, ctx.branchLabel(tr.from_branch)),
    h("td", {}, ctx.branchLabel(tr.to_branch)),
    h("td", {}, tr.lines.map((l) => `${number(l.quantity)} × ${productName(l.product)}`).join(", ")),
    h("td", {}, statusBadge(tr.status)),
    h("td", {}, dateTime(tr.received_at || tr.dispatched_at || tr.cancelled_at || tr.created_at)),
    h("td", { class: "actions" }, actions));
}

function createForm(ctx, box) {
  const lines = [];
  let attempt = null; // {key, body}: the Idempotency-Key of this transfer attempt, reused on retry
  const from = branchSelect(ctx, { name: "from_branch" });
  const destinations = ctx.allBranches.filter((b) => b.is_active !== false);
  const to = select("to_branch", destinations.map((b) => [b.id, `${b.code} · ${b.name}`]),
    destinations.find((b) => b.id !== ctx.branch)?.id);
  const picker = productPicker({ label: t("common.product"), required: false });
  const qty = h("input", { type: "number", min: "1", step: "1", value: "1", inputmode: "numeric" });
  const lineList = h("ul", { class: "lines", "aria-live": "polite" });
  const note = h("input", { name: "note", maxlength: "255" });
  const renderLines = () => replace(lineList, lines.map((line, i) => h("li", {},
    `${number(line.quantity)} × ${productName(line.product)} `,
    h("button", { type: "button", class: "link danger", onclick: () => { lines.splice(i, 1); renderLines(); } },
      t("pos.remove"), h("span", { class: "visually-hidden" }, ` ${productName(line.product)}`)))));
  const addLine = h("button", { type: "button", class: "secondary", onclick: async () => {
    await picker.settled();
    const product = picker.value();
    const quantity = Math.floor(Number(qty.value));
    if (!product || quantity < 1) {
      showError(box, formProblem(t(product ? "transfers.bad_quantity" : "movements.pick_product")));
      (product ? qty : picker.input).focus();
      return;
    }
    box.hidden = true;
    const existing = lines.find((l) => l.product === product);
    if (existing) existing.quantity += quantity;
    else lines.push({ product, quantity });
    picker.reset();
    qty.value = "1";
    renderLines();
    picker.input.focus();
  } }, t("transfers.add_line"));
  const submit = h("button", { type: "submit", class: "primary" }, t("transfers.create"));
  const form = h("form", { class: "stacked", id: "transfer-form", "aria-labelledby": "transfer-new" },
    h("h2", { id: "transfer-new" }, t("transfers.new")),
    h("div", { class: "row" }, field(t("transfers.from"), from), field(t("transfers.to"), to)),
    h("fieldset", {}, h("legend", {}, t("transfers.lines")),
      h("div", { class: "row" }, picker.node, field(t("ledger.quantity"), qty), addLine), lineList),
    field(t("ledger.note"), note), submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!lines.length) {
      showError(box, formProblem(t("transfers.no_lines")));
      return;
    }
    submit.disabled = true;
    const body = { from_branch: Number(from.value), to_branch: Number(to.value), lines, note: note.value.trim() };
    const signature = JSON.stringify(body);
    if (!attempt || attempt.body !== signature) attempt = { key: newIdempotencyKey(), body: signature };
    try {
      const created = await post("/api/inventory/transfers/", body, { "Idempotency-Key": attempt.key });
      attempt = null;
      ctx.notify(t("transfers.created", { id: created.id }));
      ctx.rerender();
    } catch (error) {
      if (settled(error)) attempt = null;
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
