// Who is signed in: tokens and profile kept in sessionStorage (gone with the tab), cleared on logout.

const ACCESS = "ewtto.access";
const REFRESH = "ewtto.refresh";
const ME = "ewtto.me";
const BRANCH = "ewtto.branch";

export const session = {
  get access() {
    return sessionStorage.getItem(ACCESS);
  },
  get refresh() {
    return sessionStorage.getItem(REFRESH);
  },
  setTokens({ access, refresh }) {
    sessionStorage.setItem(ACCESS, access);
    if (refresh) sessionStorage.setItem(REFRESH, refresh);
  },
  get me() {
    try {
      return JSON.parse(sessionStorage.getItem(ME));
    } catch {
      return null;
    }
  },
  set me(value) {
    sessionStorage.setItem(ME, JSON.stringify(value));
  },
  get branch() {
    const value = Number(sessionStorage.getItem(BRANCH));
    return Number.isInteger(value) && value > 0 ? value : null;
  },
  set branch(value) {
    sessionStorage.setItem(BRANCH, String(value));
  },
  clear() {
    // everything this app kept for the user; the language choice is the device's, not the user's
    sessionStorage.clear();
  },
};

const ALL_BRANCH_ROLES = new Set(["admin", "auditor"]);

export function seesAllBranches(me) {
  return ALL_BRANCH_ROLES.has(me?.role);
}

// What each role may open; the services enforce it, the UI only hides what would be refused.
const SCREENS = {
  admin: ["dashboard", "pos", "sales", "customers", "reports", "cash", "stock", "ledger", "movements", "documents", "counts",
    "transfers", "products", "imports", "reorder", "orders", "suppliers", "purchase_reports", "branches", "users", "company"],
  manager: ["dashboard", "pos", "sales", "customers", "reports", "cash", "stock", "ledger", "movements", "documents", "counts",
    "transfers", "products", "imports", "reorder", "orders", "suppliers", "purchase_reports"],
  cashier: ["dashboard", "pos", "sales", "customers", "cash", "stock"],
  warehouse: ["stock", "ledger", "movements", "documents", "counts", "transfers", "orders", "products", "imports"],
  auditor: ["dashboard", "sales", "customers", "reports", "stock", "ledger", "counts", "transfers", "products", "reorder",
    "orders", "suppliers", "purchase_reports"],
  purchaser: ["reorder", "orders", "suppliers", "purchase_reports", "stock", "products"],
};

// Screens reached from another screen or the top bar, not from the navigation.
const UNLISTED = {
  receipt: ["admin", "manager", "cashier", "auditor"],
  account: ["admin", "manager", "cashier", "warehouse", "auditor", "purchaser"],
};

export function screensFor(me) {
  return SCREENS[me?.role] || [];
}

export function may(me, screen) {
  return screensFor(me).includes(screen) || Boolean(UNLISTED[screen]?.includes(me?.role));
}
