// The till's own copy of the sales service's pricing rule (sales/pricing.py, docs/sales.md), in integer cents,
// so the amount due is known before charging; the receipt always shows the server's figures.
//
// Per line: gross = price x quantity; the line's discount ({percent} of gross or {amount}); the sale's discount
// spread over what is left of the lines in proportion, whole cents by largest remainder; what is left is the
// line's total (prices include tax: net = total / (1 + rate)) or its net (tax = net x rate), half up, once.

// a / b rounded half up, for a >= 0 and b > 0 (BigInt)
function half(a, b) {
  return (2n * a + b) / (2n * b);
}

// "0.1800" -> [1800n, 10000n]
function fraction(text) {
  const [whole, decimals = ""] = String(text ?? "0").split(".");
  const den = 10n ** BigInt(decimals.length);
  return [BigInt(whole || 0) * den + BigInt(decimals || 0), den];
}

// A discount as typed by a cashier: "5%" or "5 %" is a percent, "2,50" an amount; "" none; null when unreadable.
export function parseDiscount(text) {
  const raw = String(text ?? "").trim();
  if (!raw) return undefined;
  const percent = /^(.*?)\s*%$/.exec(raw);
  const value = toHundredths(percent ? percent[1] : raw);
  if (value === null) return null;
  return percent ? { percent: value } : { amount: value };
}

// "12,5" -> 1250 (hundredths: cents of an amount, or hundredths of a percent); null when not a number >= 0
function toHundredths(text) {
  const match = /^(\d*)(?:[.,](\d{0,2}))?$/.exec(String(text).trim());
  if (!match || (match[1] === "" && !match[2])) return null;
  return Number(match[1] || 0) * 100 + Number((match[2] || "").padEnd(2, "0"));
}

export function hundredthsText(value) {
  return `${Math.floor(value / 100)}.${String(value % 100).padStart(2, "0")}`;
}

// {percent: 500} -> {percent: "5.00"}, the API's shape
export function discountBody(discount) {
  if (!discount) return undefined;
  return "percent" in discount ? { percent: hundredthsText(discount.percent) } : { amount: hundredthsText(discount.amount) };
}

function off(discount, base) {
  if (!discount) return 0n;
  if ("percent" in discount) return half(base * BigInt(discount.percent), 10000n);
  return BigInt(discount.amount);
}

// `amount` split over `weights` in proportion, by largest remainder (ties: larger weight, then earlier line).
function spread(amount, weights) {
  const whole = weights.reduce((s, w) => s + w, 0n);
  if (amount === 0n || whole === 0n) return weights.map(() => 0n);
  const parts = weights.map((w) => (amount * w) / whole);
  const remainders = weights.map((w) => (amount * w) % whole);
  let left = amount - parts.reduce((s, p) => s + p, 0n);
  const order = weights.map((_, i) => i).sort((a, b) => {
    if (remainders[a] !== remainders[b]) return remainders[b] > remainders[a] ? 1 : -1;
    if (weights[a] !== weights[b]) return weights[b] > weights[a] ? 1 : -1;
    return a - b;
  });
  for (const i of order) {
    if (left <= 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts;
}

// lines: [{price: cents, quantity, rate: "0.1800", discount?}], discount?: the sale's.
// -> {lines: [{gross, discount, net, tax, total}], gross, discount, net, tax, total, problem?} in cents;
// `problem` names a discount above what it applies to (the server would refuse it).
export function quote(lines, { includesTax, discount } = {}) {
  let problem = null;
  const gross = lines.map((l) => BigInt(l.price) * BigInt(l.quantity));
  const own = lines.map((l, i) => {
    const value = off(l.discount, gross[i]);
    if (value > gross[i]) problem ||= { line: i };
    return value > gross[i] ? gross[i] : value;
  });
  const left = gross.map((g, i) => g - own[i]);
  const leftTotal = left.reduce((s, v) => s + v, 0n);
  let saleOff = off(discount, leftTotal);
  if (saleOff > leftTotal) {
    problem ||= { sale: true };
    saleOff = leftTotal;
  }
  const shares = spread(saleOff, left);
  const priced = lines.map((l, i) => {
    const amount = left[i] - shares[i];
    const [n, d] = fraction(l.rate);
    if (includesTax) {
      const net = half(amount * d, d + n);
      return { gross: gross[i], discount: own[i] + shares[i], net, tax: amount - net, total: amount };
    }
    const tax = half(amount * n, d);
    return { gross: gross[i], discount: own[i] + shares[i], net: amount, tax, total: amount + tax };
  });
  const sum = (key) => Number(priced.reduce((s, l) => s + l[key], 0n));
  return {
    lines: priced.map((l) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, Number(v)]))),
    gross: sum("gross"), discount: sum("discount"), net: sum("net"), tax: sum("tax"), total: sum("total"), problem,
  };
}
