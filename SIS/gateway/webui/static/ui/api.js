// Every call to the API: JSON both ways, the bearer token, one silent refresh on 401, errors as ApiError.
import { lang } from "./i18n.js";
import { session } from "./session.js";

export class ApiError extends Error {
  constructor(status, body) {
    const detail = body && typeof body.detail === "string" ? body.detail : "";
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.code = this.body.code || (status === 0 ? "network_error" : `http_${status}`);
    this.detail = detail;
    // DRF-style field messages sit at the top level next to detail and code
    this.fields = {};
    for (const [name, value] of Object.entries(this.body)) {
      if (["detail", "code", "service", "lines"].includes(name)) continue;
      if (Array.isArray(value) && value.every((v) => typeof v === "string")) this.fields[name] = value;
      else if (typeof value === "string") this.fields[name] = [value];
    }
  }
}

let refreshing = null;
const expiredListeners = new Set();

export function onSessionExpired(listener) {
  expiredListeners.add(listener);
}

async function send(path, { method = "GET", body, headers = {}, auth = true }) {
  const all = { Accept: "application/json", "Accept-Language": lang(), ...headers };
  if (body !== undefined) all["Content-Type"] = "application/json";
  const token = session.access;
  if (auth && token) all.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method, headers: all, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin", cache: "no-store",
    });
  } catch {
    throw new ApiError(0, null);
  }
  return { response, token };
}

async function parse(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { detail: "" };
  }
}

// One refresh at a time: requests failing together wait for the same new token.
function refreshTokens() {
  refreshing ||= (async () => {
    const refresh = session.refresh;
    if (!refresh) throw new ApiError(401, { code: "session_expired" });
    const { response } = await send("/api/auth/token/refresh/", { method: "POST", body: { refresh }, auth: false });
    const body = await parse(response);
    if (!response.ok) throw new ApiError(401, { code: "session_expired" });
    session.setTokens(body);
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export async function api(path, options = {}) {
  let { response, token } = await send(path, options);
  if (response.status === 401 && options.auth !== false) {
    try {
      // another request may have refreshed already while this one was in flight
      if (session.access === token) await refreshTokens();
    } catch (error) {
      session.clear();
      expiredListeners.forEach((listener) => listener());
      throw error;
    }
    ({ response } = await send(path, options));
  }
  const body = await parse(response);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export const get = (path, params) => api(withQuery(path, params));
export const post = (path, body, headers) => api(path, { method: "POST", body: body ?? {}, headers });
export const patch = (path, body) => api(path, { method: "PATCH", body });
export const del = (path) => api(path, { method: "DELETE" });

export function withQuery(path, params) {
  if (!params) return path;
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(name, value);
  }
  const text = query.toString();
  return text ? `${path}${path.includes("?") ? "&" : "?"}${text}` : path;
}

// A `next`/`previous` link from a paginated list, kept on this origin whatever host the service wrote.
export function samePath(url) {
  if (!url) return null;
  const parsed = new URL(url, window.location.origin);
  return parsed.pathname + parsed.search;
}

// Every page of a list, up to `limit` rows (for small lists such as branches).
export async function listAll(path, params = {}, limit = 1000) {
  let page = await get(path, { page_size: 200, ...params });
  const rows = [...(page.results || [])];
  while (page.next && rows.length < limit) {
    page = await get(samePath(page.next));
    rows.push(...(page.results || []));
  }
  return rows;
}

// One key per sale (or return, or movement) attempt; a retry of the same attempt reuses it.
export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // randomUUID needs a secure context; a shop reaching the server over plain http on its LAN has not one
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// A file sent as the multipart field `file` (the imports), with upload progress: fetch reports none, so
// XMLHttpRequest. `onProgress(fraction)` gets 0..1 while the file goes up, then null while the server works.
// A 401 refreshes the token once and sends the file again, as `api` does.
export async function upload(path, file, { headers = {}, onProgress } = {}) {
  const attempt = () => new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", path);
    const all = { Accept: "application/json", "Accept-Language": lang(), ...headers };
    if (session.access) all.Authorization = `Bearer ${session.access}`;
    for (const [name, value] of Object.entries(all)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => { if (event.lengthComputable) onProgress?.(event.loaded / event.total); };
    request.upload.onload = () => onProgress?.(null);
    request.onload = () => resolve({ status: request.status, text: request.responseText });
    request.onerror = () => resolve({ status: 0, text: "" });
    const form = new FormData();
    form.append("file", file, file.name);
    request.send(form);
  });
  const token = session.access;
  let answer = await attempt();
  if (answer.status === 401) {
    try {
      if (session.access === token) await refreshTokens();
    } catch (error) {
      session.clear();
      expiredListeners.forEach((listener) => listener());
      throw error;
    }
    answer = await attempt();
  }
  let body = null;
  try {
    body = answer.text ? JSON.parse(answer.text) : null;
  } catch {
    body = { detail: "" };
  }
  if (answer.status < 200 || answer.status >= 300) throw new ApiError(answer.status, body);
  return body;
}

// A report or export as a file saved by the browser: fetched with the bearer token (a plain link would
// carry none), then handed to the browser under the name the service gave it.
export async function download(path, fallbackName) {
  let { response, token } = await send(path, {});
  if (response.status === 401) {
    if (session.access === token) await refreshTokens();
    ({ response } = await send(path, {}));
  }
  if (!response.ok) throw new ApiError(response.status, await parse(response));
  const blob = await response.blob();
  const named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
  const name = named ? named[1] : fallbackName;
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return { name, size: blob.size };
}
