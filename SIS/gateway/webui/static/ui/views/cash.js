// Cash sessions: open the till with a float, see what it should hold, close it with what was counted.
import { ApiError, api, get, newIdempotencyKey, withQuery } from "../api.js";
import { field, h, replace, table } from "../dom.js";
import { formProblem, showError } from "../errors.js";
import { amountText, dateTime, money, t } from "../i18n.js";
import { fromCents, toCents } from "../money.js";
import { alertBox, page, pager, statusBadge } from "./common.js";

const METHODS = ["cash", "card", "transfer"];
let justClosed = null; // the session closed a moment ago, summarised once on the next render

async function current(ctx) {
  try {
    return await get("/api/sales/cash-sessions/current/", { branch: ctx.branch });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

// One line for the point of sale: is my till open here?
export async function cashSessionStatus(ctx) {
  const session = await current(ctx);
  if (!session) return h("span", { class: "badge badge-closed" }, t("cash.none_open"), " ", h("a", { href: "#/cash" }, t("cash.open_link")));
  return h("span", { class: "badge badge-open" }, t("cash.open_since", { time: dateTime(session.opened_at), id: session.id }));
}

export default async function cash(ctx) {
  if (!ctx.branch) return { title: t("nav.cash"), node: page(t("nav.cash"), h("p", {}, t("common.no_branch"))) };
  const box = alertBox();
  const session = await current(ctx);
  const history = h("div", { id: "cash-history" });
  const load = async (path) => {
    try {
      const data = await get(path);
      replace(history, table([t("cash.session"), t("cash.cashier"), t("cash.opened_at"), t("cash.closed_at"),
        { label: t("cash.float"), class: "num" }, { label: t("cash.difference_cash"), class: "num" }, t("common.status")],
      data.results.map((s) => h("tr", {},
        h("td", {}, `#${s.id}`), h("td", {}, `#${s.cashier}`), h("td", {}, dateTime(s.opened_at)), h("td", {}, dateTime(s.closed_at)),
        h("td", { class: "num" }, money(s.opening_float)),
        h("td", { class: "num" }, s.difference ? money(s.difference.cash) : ""),
        h("td", {}, statusBadge(s.status)))),
      { empty: t("cash.no_sessions") }), pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(withQuery("/api/sales/cash-sessions/", { branch: ctx.branch, page_size: 10 }));
  const summary = justClosed?.branch === ctx.branch ? closingSummary(justClosed) : null;
  justClosed = null;
  const node = page(t("nav.cash"),
    h("p", { class: "subtitle" }, ctx.branchLabel(ctx.branch)), box, summary,
    session ? closeForm(ctx, session, box) : openForm(ctx, box),
    h("section", { "aria-labelledby": "cash-history-title" }, h("h2", { id: "cash-history-title" }, t("cash.history")), history));
  return { title: t("nav.cash"), node };
}

function openForm(ctx, box) {
  let key = null;
  const amount = h("input", { name: "opening_float", inputmode: "decimal", required: true, value: amountText("0.00"), autocomplete: "off" });
  const submit = h("button", { type: "submit", class: "primary", id: "cash-open" }, t("cash.open"));
  const form = h("form", { class: "stacked", id: "cash-open-form", "aria-labelledby": "cash-open-title" },
    h("h2", { id: "cash-open-title" }, t("cash.open_title")),
    field(t("cash.float"), amount, { hint: t("cash.float_hint") }), submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const cents = toCents(amount.value);
    if (Number.isNaN(cents) || cents < 0) {
      showError(box, formProblem(t("cash.bad_amount"), { opening_float: [t("cash.bad_amount")] }), { form });
      return;
    }
    key ||= newIdempotencyKey();
    submit.disabled = true;
    try {
      const opened = await api("/api/sales/cash-sessions/", { method: "POST", body: { branch: ctx.branch, opening_float: fromCents(cents) },
        headers: { "Idempotency-Key": key } });
      ctx.notify(t("cash.opened", { id: opened.id }));
      ctx.rerender();
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) key = null;
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function closeForm(ctx, session, box) {
  let key = null;
  const expected = session.expected || {};
  const counted = Object.fromEntries(METHODS.map((m) => [m, h("input", { name: `counted_${m}`, inputmode: "decimal",
    required: m === "cash", value: m === "cash" ? "" : amountText(expected[m] ?? ""), autocomplete: "off" })]));
  const submit = h("button", { type: "submit", class: "primary", id: "cash-close" }, t("cash.close"));
  const form = h("form", { class: "stacked", id: "cash-close-form", "aria-labelledby": "cash-close-title" },
    h("h2", { id: "cash-close-title" }, t("cash.open_session", { id: session.id, time: dateTime(session.opened_at) })),
    h("dl", { class: "totals" },
      h("dt", {}, t("cash.float")), h("dd", {}, money(session.opening_float)),
      METHODS.map((m) => [h("dt", {}, t("cash.expected", { method: t(`method.${m}`) })), h("dd", { id: `cash-expected-${m}` }, money(expected[m] ?? 0))])),
    h("div", { class: "row" }, METHODS.map((m) => field(t("cash.counted", { method: t(`method.${m}`) }), counted[m]))),
    field(t("ledger.note"), h("input", { name: "note", maxlength: "255" })),
    submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { note: form.note.value.trim() };
    for (const m of METHODS) {
      const raw = counted[m].value.trim();
      if (!raw && m !== "cash") continue;
      const cents = toCents(raw);
      if (Number.isNaN(cents) || cents < 0) {
        showError(box, formProblem(t("cash.bad_amount"), { [`counted_${m}`]: [t("cash.bad_amount")] }), { form });
        return;
      }
      body[`counted_${m}`] = fromCents(cents);
    }
    key ||= newIdempotencyKey();
    submit.disabled = true;
    try {
      const closed = await api(`/api/sales/cash-sessions/${session.id}/close/`, { method: "POST", body, headers: { "Idempotency-Key": key } });
      ctx.notify(t("cash.closed_summary", { id: closed.id, difference: money(closed.difference?.cash ?? 0) }));
      justClosed = closed;
      ctx.rerender();
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) key = null;
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function closingSummary(session) {
  const cell = (group, m) => h("td", { class: "num" }, session[group] ? money(session[group][m]) : "");
  return h("section", { class: "stacked", "aria-labelledby": "cash-summary-title", id: "cash-summary" },
    h("h2", { id: "cash-summary-title" }, t("cash.summary", { id: session.id })),
    table([t("cash.method"), { label: t("cash.expected_col"), class: "num" }, { label: t("cash.counted_col"), class: "num" },
      { label: t("cash.difference_col"), class: "num" }],
    METHODS.map((m) => h("tr", { dataset: { method: m } }, h("th", { scope: "row" }, t(`method.${m}`)),
      cell("expected", m), cell("counted", m), cell("difference", m)))));
}
