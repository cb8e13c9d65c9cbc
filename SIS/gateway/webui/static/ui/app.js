// The web UI's entry: sign-in gate, the page chrome (navigation, branch, language, logout) and a hash router.
import { api, get, listAll, onSessionExpired } from "./api.js";
import { h, replace, select } from "./dom.js";
import { message } from "./errors.js";
import { LANGUAGES, lang, setCurrency, setLang, t } from "./i18n.js";
import { may, screensFor, seesAllBranches, session } from "./session.js";

const root = document.getElementById("app");
setCurrency(root.dataset.currency);

// screen name -> module (loaded on first visit, so the first paint stays small)
const SCREENS = {
  dashboard: "./views/dashboard.js",
  pos: "./views/pos.js",
  sales: "./views/sales.js",
  customers: "./views/customers.js",
  reports: "./views/reports.js",
  cash: "./views/cash.js",
  stock: "./views/stock.js",
  ledger: "./views/ledger.js",
  movements: "./views/movements.js",
  documents: "./views/documents.js",
  counts: "./views/counts.js",
  transfers: "./views/transfers.js",
  products: "./views/products.js",
  imports: "./views/imports.js",
  reorder: "./views/reorder.js",
  orders: "./views/orders.js",
  suppliers: "./views/suppliers.js",
  purchase_reports: "./views/purchase_reports.js",
  branches: "./views/branches.js",
  users: "./views/users.js",
  company: "./views/company.js",
  receipt: "./views/receipt.js",
  account: "./views/account.js",
};

const state = { me: null, branches: [], cleanup: null, notice: "", turn: 0 };

function visibleBranches() {
  if (seesAllBranches(state.me)) return state.branches.filter((b) => b.is_active !== false);
  const mine = new Set(state.me?.branches || []);
  const known = state.branches.filter((b) => mine.has(b.id));
  // a branch the directory did not list (or could not be read) is still the user's
  const missing = [...mine].filter((id) => !known.some((b) => b.id === id)).map((id) => ({ id, code: `#${id}`, name: "" }));
  return [...known, ...missing];
}

function currentBranch() {
  const visible = visibleBranches();
  const chosen = session.branch;
  if (visible.some((b) => b.id === chosen)) return chosen;
  const first = visible[0]?.id ?? null;
  if (first) session.branch = first;
  return first;
}

export function branchLabel(id) {
  const branch = state.branches.find((b) => b.id === Number(id));
  return branch ? `${branch.code} · ${branch.name}` : `#${id}`;
}

function context(params, query) {
  return {
    me: state.me,
    branch: currentBranch(),
    branches: visibleBranches(),
    allBranches: state.branches,
    branchLabel,
    params,
    query,
    go: (hash) => { window.location.hash = hash; },
    rerender: () => route(),
    notify,
  };
}

// A short message read out by screen readers and shown at the top, e.g. "Sale completed".
export function notify(text) {
  const box = document.getElementById("notice");
  if (!box) return;
  replace(box, text);
  box.hidden = !text;
}

function parseHash() {
  const [path, search = ""] = window.location.hash.replace(/^#\/?/, "").split("?");
  const [screen, ...params] = path.split("/").filter(Boolean);
  return { screen, params, query: new URLSearchParams(search) };
}

async function route() {
  if (!session.access || !state.me) return renderLogin();
  let { screen, params, query } = parseHash();
  if (!screen || !SCREENS[screen] || !may(state.me, screen)) {
    const fallback = screensFor(state.me)[0];
    if (!fallback) return renderNoAccess();
    if (screen !== fallback) {
      window.location.replace(`#/${fallback}`);
      return undefined;
    }
  }
  state.cleanup?.();
  state.cleanup = null;
  markNav(screen);
  // routes overlap (sign-in, a branch change, a hash change): only the latest may fill the page, or a form being
  // typed into could be replaced by an older render finishing late
  state.turn += 1;
  const turn = state.turn;
  const main = document.getElementById("main");
  main.setAttribute("aria-busy", "true");
  try {
    const { default: view } = await import(SCREENS[screen]);
    const rendered = await view(context(params, query));
    if (turn !== state.turn || parseHash().screen !== screen) { // the user moved on meanwhile
      rendered.cleanup?.();
      return undefined;
    }
    replace(main, rendered.node);
    state.cleanup = rendered.cleanup || null;
    document.title = `${rendered.title} · E-WTTO`;
    (rendered.focus || main.querySelector("h1"))?.focus();
  } catch (error) {
    if (turn !== state.turn) return undefined;
    replace(main, h("h1", { tabindex: "-1" }, t("error.title")), h("p", { class: "alert", role: "alert" }, message(error)));
    main.querySelector("h1").focus();
  } finally {
    if (turn === state.turn) main.removeAttribute("aria-busy");
  }
  return undefined;
}

function markNav(screen) {
  document.querySelectorAll("#nav a").forEach((a) => {
    if (a.dataset.screen === screen) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
}

function renderChrome() {
  const branches = visibleBranches();
  const branchSelect = select("branch", branches.map((b) => [b.id, b.name ? `${b.code} · ${b.name}` : b.code]), currentBranch(),
    { id: "branch-select", onchange: (event) => { session.branch = Number(event.target.value); route(); } });
  const langSelect = select("lang", LANGUAGES, lang(), {
    id: "lang-select",
    onchange: (event) => { setLang(event.target.value); renderChrome(); route(); },
  });
  const me = state.me;
  replace(root,
    h("a", { class: "skip", href: "#main", onclick: (e) => { e.preventDefault(); document.getElementById("main").focus(); } }, t("nav.skip")),
    h("header", { class: "topbar" },
      h("a", { class: "brand", href: "#/" }, "E-WTTO"),
      h("nav", { id: "nav", "aria-label": t("nav.label") },
        h("ul", {}, screensFor(me).map((screen) =>
          h("li", {}, h("a", { href: `#/${screen}`, dataset: { screen } }, t(`nav.${screen}`)))))),
      h("div", { class: "context" },
        branches.length ? h("label", { for: "branch-select" }, t("nav.branch")) : null,
        branches.length ? branchSelect : null,
        h("label", { for: "lang-select" }, t("nav.language")),
        langSelect,
        h("a", { class: "who", href: "#/account", id: "my-account", title: t("account.title") }, `${me.username} (${t(`role.${me.role}`)})`),
        h("button", { type: "button", class: "secondary", id: "logout", onclick: logout }, t("nav.logout")))),
    h("p", { id: "notice", class: "notice", role: "status", "aria-live": "polite", hidden: true }),
    h("main", { id: "main", tabindex: "-1" }));
}

function renderNoAccess() {
  renderChrome();
  replace(document.getElementById("main"), h("h1", { tabindex: "-1" }, t("error.no_screens")));
}

function renderLogin() {
  state.cleanup?.();
  state.cleanup = null;
  const error = h("div", { class: "alert", role: "alert", tabindex: "-1", hidden: !state.notice }, state.notice);
  state.notice = "";
  const username = h("input", { id: "login-username", name: "username", autocomplete: "username", required: true, autocapitalize: "none" });
  const password = h("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const button = h("button", { type: "submit", class: "primary" }, t("login.submit"));
  const form = h("form", { class: "login", "aria-labelledby": "login-title" },
    h("h1", { id: "login-title", tabindex: "-1" }, t("login.title")),
    error,
    h("div", { class: "field" }, h("label", { for: "login-username" }, t("login.username")), username),
    h("div", { class: "field" }, h("label", { for: "login-password" }, t("login.password")), password),
    button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    error.hidden = true;
    try {
      const tokens = await api("/api/auth/token/", {
        method: "POST", auth: false, body: { username: username.value.trim(), password: password.value },
      });
      session.clear();
      session.setTokens(tokens);
      await loadProfile();
      renderChrome();
      if (!parseHash().screen || parseHash().screen === "login") window.location.hash = "#/";
      await route();
    } catch (failure) {
      session.clear();
      error.hidden = false;
      replace(error, failure.status === 401 ? t("login.bad_credentials") : message(failure));
      password.value = "";
      password.focus();
    } finally {
      button.disabled = false;
    }
  });
  const langSelect = select("lang", LANGUAGES, lang(), {
    id: "login-lang", onchange: (event) => { setLang(event.target.value); renderLogin(); },
  });
  replace(root, h("main", { id: "main", class: "login-page" },
    h("p", { class: "brand" }, "E-WTTO"), form,
    h("div", { class: "field lang" }, h("label", { for: "login-lang" }, t("nav.language")), langSelect)));
  document.title = `${t("login.title")} · E-WTTO`;
  (state.notice || !error.hidden ? error : username).focus();
}

async function loadProfile() {
  state.me = await get("/api/auth/me/");
  session.me = state.me;
  try {
    state.branches = await listAll("/api/branches/");
  } catch {
    state.branches = []; // the branch directory being down must not keep a cashier from selling
  }
}

async function logout() {
  const { access, refresh } = session;
  // this tab forgets everything first, so nothing can use the tokens while the server is told
  session.clear();
  state.me = null;
  state.branches = [];
  window.location.hash = "#/login";
  renderLogin();
  if (refresh) await revoke(access, refresh).catch(() => {});
}

// The server forgets the refresh token; an expired access token is renewed once just to say so.
async function revoke(access, refresh) {
  const logout = (token, body) => api("/api/auth/logout/", { method: "POST", auth: false, body,
    headers: token ? { Authorization: `Bearer ${token}` } : {} });
  try {
    await logout(access, { refresh });
  } catch (error) {
    if (error.status !== 401) throw error;
    const renewed = await api("/api/auth/token/refresh/", { method: "POST", auth: false, body: { refresh } });
    await logout(renewed.access, { refresh: renewed.refresh });
  }
}

onSessionExpired(() => {
  state.me = null;
  state.notice = t("login.expired");
  renderLogin();
});

window.addEventListener("hashchange", () => {
  notify(""); // a message belongs to the screen it was said on
  if (state.me) route();
});

async function boot() {
  if (session.access) {
    try {
      state.me = session.me;
      await loadProfile();
    } catch {
      session.clear();
      state.me = null;
    }
  }
  if (!state.me) return renderLogin();
  renderChrome();
  return route();
}

boot();
