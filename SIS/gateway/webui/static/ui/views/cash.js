// Cash sessions: open the till with a float, put cash in or pay it out, close it blind with a count by
// denomination, print the Z report; a manager sees the branch's open tills and closes a forgotten one.
import { ApiError, api, get, newIdempotencyKey, withQuery } from "../api.js";
import { field, h, replace, select, table } from "../dom.js";
import { formProblem, message, showError } from "../errors.js";
import { amountText, dateTime, money, number, t } from "../i18n.js";
import { fromCents, toCents } from "../money.js";
import { withApproval } from "./approval.js";
import { alertBox, page, pager, statusBadge } from "./common.js";

const METHODS = ["cash", "card", "transfer"];
// the methods a summary lists: loyalty points too once the service reports them (they are never counted)
const listed = (...groups) => (groups.some((g) => g && g.points !== undefined) ? [...METHODS, "points"] : METHODS);
// Peruvian soles: notes of 200 to 10, coins of 5 to 0.10 (cents per unit)
export const DENOMINATIONS = [20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10];
const SUPERVISORS = new Set(["admin", "manager"]);
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

// One Idempotency-Key per attempt (same body: same key, so a lost answer is never applied twice).
function attempts() {
  let attempt = null;
  return {
    key(body) {
      const signature = JSON.stringify(body);
      if (!attempt || attempt.body !== signature) attempt = { key: newIdempotencyKey(), body: signature };
      return attempt.key;
    },
    renew() {
      if (attempt) attempt.key = newIdempotencyKey();
    },
    refused(error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.code !== "idempotency_in_progress") attempt = null;
    },
    done() {
      attempt = null;
    },
  };
}

export default async function cash(ctx) {
  if (ctx.params[0] === "report") return zReportView(ctx, Number(ctx.params[1]));
  if (!ctx.branch) return { title: t("nav.cash"), node: page(t("nav.cash"), h("p", {}, t("common.no_branch"))) };
  const box = alertBox();
  const session = await current(ctx);
  const supervisor = SUPERVISORS.has(ctx.me.role);
  const history = h("div", { id: "cash-history" });
  const load = async (path) => {
    try {
      const data = await get(path);
      replace(history, table([t("cash.session"), t("cash.cashier"), t("cash.opened_at"), t("cash.closed_at"),
        { label: t("cash.float"), class: "num" }, { label: t("cash.difference_cash"), class: "num" }, t("common.status"), ""],
      data.results.map((s) => h("tr", { dataset: { session: s.id } },
        h("td", {}, `#${s.id}`), h("td", {}, `#${s.cashier}`), h("td", {}, dateTime(s.opened_at)), h("td", {}, dateTime(s.closed_at)),
        h("td", { class: "num" }, money(s.opening_float)),
        h("td", { class: "num" }, s.difference ? money(s.difference.cash) : ""),
        h("td", {}, statusBadge(s.status)),
        h("td", {}, s.status === "closed" || supervisor ? h("a", { href: `#/cash/report/${s.id}` }, t("cash.z_report")) : null))),
      { empty: t("cash.no_sessions") }), pager(data, load));
    } catch (error) {
      showError(box, error);
    }
  };
  await load(withQuery("/api/sales/cash-sessions/", { branch: ctx.branch, page_size: 10 }));
  const summary = justClosed?.branch === ctx.branch ? closingSummary(justClosed) : null;
  justClosed = null;
  const mine = session ? await mySession(ctx, session, box) : [openForm(ctx, box)];
  const others = supervisor ? await openSessions(ctx, session, box) : null;
  const node = page(t("nav.cash"),
    h("p", { class: "subtitle" }, ctx.branchLabel(ctx.branch)), box, summary,
    ...mine, others,
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

// My open till: what it started with, its movements, the movement form and the blind close (no expected shown).
async function mySession(ctx, session, box) {
  const movements = await get(`/api/sales/cash-sessions/${session.id}/movements/`).catch(() => []);
  return [
    h("section", { class: "stacked", id: "cash-session", "aria-labelledby": "cash-session-title" },
      h("h2", { id: "cash-session-title" }, t("cash.open_session", { id: session.id, time: dateTime(session.opened_at) })),
      h("dl", { class: "totals" }, h("dt", {}, t("cash.float")), h("dd", { id: "cash-float" }, money(session.opening_float))),
      movementList(Array.isArray(movements) ? movements : movements.results || [])),
    movementForm(ctx, session, box),
    closeForm(ctx, session, box),
  ];
}

function movementList(rows) {
  return h("div", { id: "cash-movements" }, h("h3", {}, t("cash.movements")),
    table([t("common.time"), t("cash.kind"), { label: t("cash.amount"), class: "num" }, t("cash.reason")],
      rows.map((m) => h("tr", { dataset: { movement: m.id, kind: m.kind } },
        h("td", {}, dateTime(m.created_at)), h("td", {}, t(`cash.kind_${m.kind}`)),
        h("td", { class: "num" }, `${m.kind === "out" ? "−" : "+"}${money(m.amount)}`), h("td", {}, m.reason || ""))),
      { empty: t("cash.no_movements") }));
}

function movementForm(ctx, session, box) {
  const attempt = attempts();
  const kind = select("kind", [["out", t("cash.kind_out")], ["in", t("cash.kind_in")]], "out", { id: "cash-movement-kind" });
  const amount = h("input", { name: "amount", id: "cash-movement-amount", inputmode: "decimal", required: true, autocomplete: "off" });
  const reason = h("input", { name: "reason", id: "cash-movement-reason", maxlength: "255", autocomplete: "off" });
  const submit = h("button", { type: "submit", class: "primary", id: "cash-movement-save" }, t("cash.movement_save"));
  const form = h("form", { class: "stacked", id: "cash-movement-form", "aria-labelledby": "cash-movement-title" },
    h("h2", { id: "cash-movement-title" }, t("cash.movement_title")),
    h("div", { class: "row" }, field(t("cash.kind"), kind), field(t("cash.amount"), amount),
      field(t("cash.reason"), reason, { hint: t("cash.reason_hint") })),
    submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const cents = toCents(amount.value);
    if (Number.isNaN(cents) || cents <= 0) {
      showError(box, formProblem(t("cash.bad_amount"), { amount: [t("cash.bad_amount")] }), { form });
      return;
    }
    if (kind.value === "out" && !reason.value.trim()) {
      showError(box, formProblem(t("cash.reason_needed"), { reason: [t("cash.reason_needed")] }), { form });
      return;
    }
    const body = { kind: kind.value, amount: fromCents(cents), reason: reason.value.trim() };
    const path = `/api/sales/cash-sessions/${session.id}/movements/`;
    const send = (extra = {}) => api(path, { method: "POST", body: { ...body, ...extra },
      headers: { "Idempotency-Key": attempt.key(body) } });
    submit.disabled = true;
    try {
      let done;
      try {
        done = await send();
      } catch (error) {
        if (!(error instanceof ApiError && error.code === "cash_out_needs_approval")) throw error;
        let tries = 0;
        // the refusal stored nothing: the first approved try keeps the key, one after a wrong PIN is a new attempt
        done = await withApproval({ reason: message(error), attempt: (approval) => {
          if (tries > 0) attempt.renew();
          tries += 1;
          return send({ approval });
        } });
        if (!done) return;
      }
      attempt.done();
      ctx.notify(t(done.kind === "out" ? "cash.paid_out" : "cash.put_in", { amount: money(done.amount) }));
      ctx.rerender();
    } catch (error) {
      attempt.refused(error);
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// The blind close: cash counted by denomination (its sum is the cash counted), card and transfer as counted.
function closeForm(ctx, session, box, { forgotten = false } = {}) {
  const attempt = attempts();
  const counts = DENOMINATIONS.map((cents) => ({ cents, input: h("input", { type: "number", min: "0", max: "1000000", step: "1",
    inputmode: "numeric", value: "", class: "qty", name: `denomination_${cents}`,
    "aria-label": t("cash.count_of", { value: money(fromCents(cents)) }) }), subtotal: h("td", { class: "num" }) }));
  const cashTotal = h("strong", { id: forgotten ? "cash-forgotten-counted" : "cash-counted-cash", class: "grand" });
  const sum = () => counts.reduce((s, c) => s + c.cents * Math.max(0, Math.floor(Number(c.input.value) || 0)), 0);
  const refresh = () => {
    counts.forEach((c) => replace(c.subtotal, money(fromCents(c.cents * Math.max(0, Math.floor(Number(c.input.value) || 0))))));
    replace(cashTotal, money(fromCents(sum())));
  };
  counts.forEach((c) => c.input.addEventListener("input", refresh));
  refresh();
  const others = Object.fromEntries(METHODS.filter((m) => m !== "cash").map((m) => [m,
    h("input", { name: `counted_${m}`, inputmode: "decimal", autocomplete: "off" })]));
  const note = h("input", { name: "note", maxlength: "255" });
  const submit = h("button", { type: "submit", class: "primary", id: forgotten ? "cash-forgotten-close" : "cash-close" },
    forgotten ? t("cash.close_forgotten", { id: session.id }) : t("cash.close"));
  const title = forgotten ? t("cash.close_forgotten_title", { id: session.id, cashier: session.cashier }) : t("cash.close_title");
  const form = h("form", { class: "stacked cash-close", id: forgotten ? "cash-forgotten-form" : "cash-close-form",
    "aria-labelledby": `${forgotten ? "cash-forgotten" : "cash-close"}-title` },
    h("h2", { id: `${forgotten ? "cash-forgotten" : "cash-close"}-title` }, title),
    h("p", { class: "hint" }, t("cash.blind_hint")),
    h("div", { class: "table-wrap denominations" }, h("table", { id: forgotten ? "cash-forgotten-grid" : "cash-denominations" },
      h("caption", {}, t("cash.denominations")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("cash.denomination")), h("th", { scope: "col", class: "num" }, t("cash.count")),
        h("th", { scope: "col", class: "num" }, t("cash.amount")))),
      h("tbody", {}, counts.map((c) => h("tr", { dataset: { value: fromCents(c.cents) } },
        h("th", { scope: "row" }, money(fromCents(c.cents))), h("td", { class: "num" }, c.input), c.subtotal))),
      h("tfoot", {}, h("tr", {}, h("th", { scope: "row", colspan: "2" }, t("cash.counted", { method: t("method.cash") })),
        h("td", { class: "num" }, cashTotal))))),
    h("div", { class: "row" }, Object.entries(others).map(([m, input]) => field(t("cash.counted", { method: t(`method.${m}`) }), input,
      { hint: t("cash.counted_other_hint") }))),
    field(t("ledger.note"), note),
    submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const counted = { cash: fromCents(sum()) };
    for (const [m, input] of Object.entries(others)) {
      const raw = input.value.trim();
      if (!raw) continue;
      const cents = toCents(raw);
      if (Number.isNaN(cents) || cents < 0) {
        showError(box, formProblem(t("cash.bad_amount"), { [`counted_${m}`]: [t("cash.bad_amount")] }), { form });
        return;
      }
      counted[m] = fromCents(cents);
    }
    const denominations = counts.map((c) => ({ value: fromCents(c.cents), count: Math.max(0, Math.floor(Number(c.input.value) || 0)) }))
      .filter((d) => d.count > 0);
    const body = { counted, note: note.value.trim() };
    if (denominations.length) body.denominations = denominations;
    if (!forgotten && !window.confirm(t("cash.confirm_close", { amount: money(counted.cash) }))) return;
    submit.disabled = true;
    try {
      const closed = await api(`/api/sales/cash-sessions/${session.id}/close/`, { method: "POST", body,
        headers: { "Idempotency-Key": attempt.key(body) } });
      attempt.done();
      ctx.notify(t("cash.closed_summary", { id: closed.id, difference: money(closed.difference?.cash ?? 0) }));
      justClosed = closed;
      ctx.rerender();
    } catch (error) {
      attempt.refused(error);
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// A manager's view of the branch's open tills (their cashiers' forgotten ones among them), each closable here.
async function openSessions(ctx, mine, box) {
  let data;
  try {
    data = await get("/api/sales/cash-sessions/", { branch: ctx.branch, status: "open", page_size: 50 });
  } catch (error) {
    showError(box, error);
    return null;
  }
  const rows = (data.results || []).filter((s) => s.id !== mine?.id);
  const slot = h("div", { id: "cash-forgotten" });
  return h("section", { "aria-labelledby": "cash-open-sessions-title", id: "cash-open-sessions" },
    h("h2", { id: "cash-open-sessions-title" }, t("cash.open_sessions")),
    table([t("cash.session"), t("cash.cashier"), t("cash.opened_at"), { label: t("cash.float"), class: "num" }, ""],
      rows.map((s) => h("tr", { dataset: { session: s.id } },
        h("td", {}, `#${s.id}`), h("td", {}, `#${s.cashier}`), h("td", {}, dateTime(s.opened_at)),
        h("td", { class: "num" }, money(s.opening_float)),
        h("td", {}, h("button", { type: "button", class: "link", onclick: () => {
          replace(slot, closeForm(ctx, s, box, { forgotten: true }));
          slot.querySelector("h2").setAttribute("tabindex", "-1");
          slot.querySelector("h2").focus();
        } }, t("cash.close_this"), h("span", { class: "visually-hidden" }, ` #${s.id}`))))),
      { empty: t("cash.no_open_sessions") }),
    slot);
}

function closingSummary(session) {
  const cell = (group, m) => h("td", { class: "num" }, session[group] ? money(session[group][m]) : "");
  return h("section", { class: "stacked", "aria-labelledby": "cash-summary-title", id: "cash-summary" },
    h("h2", { id: "cash-summary-title" }, t("cash.summary", { id: session.id })),
    table([t("cash.method"), { label: t("cash.expected_col"), class: "num" }, { label: t("cash.counted_col"), class: "num" },
      { label: t("cash.difference_col"), class: "num" }],
    listed(session.expected).map((m) => h("tr", { dataset: { method: m } }, h("th", { scope: "row" }, t(`method.${m}`)),
      cell("expected", m), cell("counted", m), cell("difference", m)))),
    h("p", { class: "actions" }, h("a", { href: `#/cash/report/${session.id}`, class: "button", id: "cash-z-link" }, t("cash.z_report"))));
}

// #/cash/report/<id>: the end-of-day (Z) report of a till, printable.
async function zReportView(ctx, id) {
  const report = await get(`/api/sales/cash-sessions/${id}/report/`);
  const title = t("z.title", { id: report.session ?? id });
  const amounts = (group) => h("tbody", {}, listed(group?.by_method).map((m) => h("tr", { dataset: { method: m } },
    h("th", { scope: "row" }, t(`method.${m}`)), h("td", { class: "num" }, number(group?.by_method?.[m]?.count ?? 0)),
    h("td", { class: "num" }, money(group?.by_method?.[m]?.amount ?? 0)))));
  const byMethodTable = (caption, group, id_) => h("table", { id: id_ },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("cash.method")), h("th", { scope: "col", class: "num" }, t("z.count")),
      h("th", { scope: "col", class: "num" }, t("cash.amount")))),
    amounts(group));
  const sales = report.sales || {};
  const returns = report.returns || {};
  const movements = report.movements || {};
  const close = (group, m) => h("td", { class: "num" }, report[group] ? money(report[group][m]) : "");
  const doc = h("article", { class: "zreport", id: "z-report", "aria-labelledby": "z-title" },
    h("header", {},
      h("h2", { id: "z-title" }, title),
      h("p", {}, ctx.branchLabel(report.branch), " · ", t("z.cashier", { id: report.cashier })),
      h("p", {}, t("z.opened", { time: dateTime(report.opened_at) }),
        report.closed_at ? [" · ", t("z.closed", { time: dateTime(report.closed_at), id: report.closed_by })] : null)),
    h("dl", { class: "totals" },
      h("dt", {}, t("cash.float")), h("dd", { id: "z-float" }, money(report.opening_float)),
      h("dt", {}, t("z.sales_count")), h("dd", { id: "z-sales-count" }, number(sales.count ?? 0)),
      h("dt", {}, t("sale.net")), h("dd", {}, money(sales.subtotal ?? 0)),
      h("dt", {}, t("sale.tax")), h("dd", {}, money(sales.tax ?? 0)),
      sales.discount_total !== undefined ? [h("dt", {}, t("sale.discount_total")), h("dd", { id: "z-discounts" }, money(sales.discount_total))]
        : report.discount_total !== undefined ? [h("dt", {}, t("sale.discount_total")), h("dd", { id: "z-discounts" }, money(report.discount_total))] : null,
      h("dt", { class: "grand" }, t("z.sales_total")), h("dd", { class: "grand", id: "z-sales-total" }, money(sales.total ?? 0)),
      h("dt", {}, t("z.change_given")), h("dd", {}, money(sales.change ?? 0)),
      h("dt", {}, t("z.returns_total", { count: number(returns.count ?? 0) })), h("dd", { id: "z-returns-total" }, money(returns.total ?? 0)),
      h("dt", {}, t("z.cash_in", { count: number(movements.in?.count ?? 0) })), h("dd", { id: "z-in" }, money(movements.in?.total ?? 0)),
      h("dt", {}, t("z.cash_out", { count: number(movements.out?.count ?? 0) })), h("dd", { id: "z-out" }, money(movements.out?.total ?? 0))),
    h("div", { class: "columns" },
      h("div", { class: "table-wrap" }, byMethodTable(t("z.sales_by_method"), sales, "z-sales")),
      h("div", { class: "table-wrap" }, byMethodTable(t("z.returns_by_method"), returns, "z-returns"))),
    movements.lines?.length ? h("div", { class: "table-wrap" }, h("table", { id: "z-movements" },
      h("caption", {}, t("cash.movements")),
      h("thead", {}, h("tr", {}, [t("common.time"), t("cash.kind"), t("cash.amount"), t("cash.reason")].map((c, i) =>
        h("th", { scope: "col", class: i === 2 ? "num" : "" }, c)))),
      h("tbody", {}, movements.lines.map((m) => h("tr", {}, h("td", {}, dateTime(m.created_at)), h("td", {}, t(`cash.kind_${m.kind}`)),
        h("td", { class: "num" }, money(m.amount)), h("td", {}, m.reason || "")))))) : null,
    h("div", { class: "table-wrap" }, h("table", { id: "z-close" },
      h("caption", {}, t("z.close")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("cash.method")),
        ...["cash.expected_col", "cash.counted_col", "cash.difference_col"].map((k) => h("th", { scope: "col", class: "num" }, t(k))))),
      h("tbody", {}, listed(report.expected).map((m) => h("tr", { dataset: { method: m } }, h("th", { scope: "row" }, t(`method.${m}`)),
        close("expected", m), close("counted", m), close("difference", m)))))),
    report.denominations?.length ? h("div", { class: "table-wrap" }, h("table", { id: "z-denominations" },
      h("caption", {}, t("cash.denominations")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("cash.denomination")), h("th", { scope: "col", class: "num" }, t("cash.count")),
        h("th", { scope: "col", class: "num" }, t("cash.amount")))),
      h("tbody", {}, report.denominations.map((d) => h("tr", {}, h("th", { scope: "row" }, money(d.value)),
        h("td", { class: "num" }, number(d.count)), h("td", { class: "num" }, money(fromCents(toCents(d.value) * d.count)))))))) : null,
    report.note ? h("p", {}, `${t("ledger.note")}: ${report.note}`) : null);
  const node = page(t("z.page_title"),
    h("p", { class: "no-print" }, h("a", { href: "#/cash" }, t("z.back"))),
    doc,
    h("div", { class: "actions no-print" },
      h("button", { type: "button", class: "primary", id: "z-print", onclick: () => window.print() }, t("z.print"))));
  return { title, node };
}
