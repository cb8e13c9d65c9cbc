// The UI's own dictionary (Spanish by default, English available) and Intl formatting for the locale.
import en from "./i18n/en.js";
import es from "./i18n/es.js";

const DICTIONARIES = { es, en };
export const LANGUAGES = [["es", "Español"], ["en", "English"]];
const KEY = "ewtto.lang";

let current = DICTIONARIES[localStorage.getItem(KEY)] ? localStorage.getItem(KEY) : "es";
let currency = "";
let formats = {};

export function lang() {
  return current;
}

export function setLang(value) {
  if (!DICTIONARIES[value]) return;
  current = value;
  localStorage.setItem(KEY, value);
  document.documentElement.lang = value;
  formats = {};
}

export function setCurrency(code) {
  currency = code || "";
  formats = {};
}

// t("pos.change", {amount: "1,00"}) -> the phrase with {amount} filled in; unknown keys show themselves.
export function t(key, params = {}) {
  const phrase = DICTIONARIES[current][key] ?? DICTIONARIES.es[key] ?? key;
  return phrase.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

function format(kind, make) {
  formats[kind] ||= make(current);
  return formats[kind];
}

// Money arrives as a decimal string ("12.50"); it is shown with the locale's separators.
export function money(value) {
  const number = typeof value === "number" ? value : Number(value ?? 0);
  const options = currency
    ? { style: "currency", currency }
    : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
  return format("money", (locale) => new Intl.NumberFormat(locale, options)).format(number);
}

// An amount for an input box ("14.78" -> "14,78" in Spanish): the locale's decimal mark, no grouping.
export function amountText(decimal) {
  const mark = format("decimal", (locale) => new Intl.NumberFormat(locale).formatToParts(1.5)
    .find((part) => part.type === "decimal")?.value || ".");
  return String(decimal).replace(".", mark);
}

export function number(value) {
  return format("number", (locale) => new Intl.NumberFormat(locale)).format(Number(value ?? 0));
}

export function dateTime(value) {
  if (!value) return "";
  return format("datetime", (locale) => new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short" }))
    .format(new Date(value));
}

// A calendar date ("2025-03-01") is shown as that day, whatever the browser's zone.
export function date(value) {
  if (!value) return "";
  const [y, m, d] = String(value).slice(0, 10).split("-").map(Number);
  return format("date", (locale) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }))
    .format(new Date(Date.UTC(y, m - 1, d)));
}

document.documentElement.lang = current;
