// Money in integer cents, so the till never meets floating-point error; the API speaks "12.50".

export function toCents(value) {
  if (value === null || value === undefined || value === "") return 0;
  const text = String(value).trim().replace(/\s/g, "");
  // the last "," or "." is the decimal separator: people type 12,50 or 12.50
  const match = /^(-?)(\d*)(?:[.,](\d{0,2}))?$/.exec(text.replace(/[.,](?=.*[.,])/g, ""));
  if (!match || (match[2] === "" && !match[3])) return NaN;
  const cents = Number(match[2] || 0) * 100 + Number((match[3] || "").padEnd(2, "0"));
  return match[1] ? -cents : cents;
}

export function fromCents(cents) {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

// tax = subtotal x rate, rounded once, half up, to the cent (the sales service's rule)
export function taxCents(subtotalCents, rate) {
  const [whole, fraction = ""] = String(rate).split(".");
  const denominator = 10n ** BigInt(fraction.length);
  const numerator = BigInt(whole || 0) * denominator + BigInt(fraction || 0);
  const product = BigInt(subtotalCents) * numerator;
  return Number((product * 2n + denominator) / (2n * denominator));
}
