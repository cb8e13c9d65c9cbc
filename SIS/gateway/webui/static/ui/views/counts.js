// Stock counts: open one (some products, a category or everything), scan to count, see the differences, post or cancel.
import { ApiError, api, get, listAll, newIdempotencyKey, post } from "../api.js";
import { field, h, replace, select, table } from "../dom.js";
import { formProblem, message, showError } from "../errors.js";
import { dateTime, number, t } from "../i18n.js";
import { alertBox, branchSelect, loadProducts, page, productName, productSku, statusBadge } from "./common.js";
import { scanBox } from "./scan.js";

// auditors read counts; the others who see this screen count and post (the service enforces it)
const canCount = (ctx) => ctx.me.role !== "auditor";

export default async function counts(ctx) {
  return ctx.params[0] ? countView(ctx, Number(ctx.params[0])) : countList(ctx);
}

async function countList(ctx) {
  const box = alertBox();
  const branch = branchSelect(ctx, { name: "branch", id: "count-branch" });
  const scope = select("scope", [["all", t("counts.scope_all")], ["category", t("counts.scope_category")],
    ["products", t("counts.scope_products")]], "all", { id: "count-scope" });
  const categories = await listAll("/api/inventory/categories/").catch(() => []);
  const category = select("category", categories.map((c) => [c.id, c.name]), "", { id: "count-category" });
  const chosen = new Map();
  const chosenList = h("ul", { id: "count-products", class: "chips" });
  const scan = scanBox({ id: "count-open-scan", onProduct: (product) => {
    if (chosen.has(product.id)) return;
    chosen.set(product.id, product);
    chosenList.append(h("li", { dataset: { product: product.id } }, `${product.sku} · ${product.name}`));
  } });
  const categoryField = field(t("counts.category"), category);
  const show = () => {
    categoryField.hidden = scope.value !== "category";
    scan.node.hidden = scope.value !== "products";
    chosenList.hidden = scope.value !== "products";
  };
  scope.addEventListener("change", show);
  show();
  const submit = h("button", { type: "submit", class: "primary", id: "count-open" }, t("counts.open"));
  const form = h("form", { class: "stacked", id: "count-form", "aria-labelledby": "count-form-title" },
    h("h2", { id: "count-form-title" }, t("counts.new")),
    field(t("nav.branch"), branch), field(t("counts.scope"), scope), categoryField, scan.node, chosenList, submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await scan.settled();
    const body = { branch: Number(branch.value) };
    if (scope.value === "category") {
      if (!category.value) return showError(box, formProblem(t("counts.pick_category")));
      body.category = Number(category.value);
    } else if (scope.value === "products") {
      if (!chosen.size) return showError(box, formProblem(t("counts.pick_products")));
      body.products = [...chosen.keys()];
    }
    submit.disabled = true;
    try {
      const count = await post("/api/inventory/counts/", body);
      ctx.go(`#/counts/${count.id}`);
    } catch (error) {
      showError(box, error, { form });
    } finally {
      submit.disabled = false;
    }
    return undefined;
  });
  const list = h("section", { "aria-labelledby": "count-list-title" });
  const showList = async () => {
    try {
      const data = await get("/api/inventory/counts/", { branch: branch.value, page_size: 20 });
      const rows = data.results || data;
      replace(list, h("h2", { id: "count-list-title" }, t("counts.latest", { branch: ctx.branchLabel(branch.value) })),
        table([t("counts.reference"), t("common.status"), t("common.time"), { label: t("counts.progress"), class: "num" }],
          rows.map((c) => h("tr", { dataset: { count: c.id } },
            h("td", {}, h("a", { href: `#/counts/${c.id}` }, c.reference || `#${c.id}`)),
            h("td", {}, statusBadge(c.status)),
            h("td", {}, dateTime(c.created_at)),
            h("td", { class: "num" }, t("counts.progress_of", { counted: number(c.lines_counted), total: number(c.lines_total) })))),
          { empty: t("counts.none") }));
    } catch (error) {
      replace(list, h("p", { class: "alert" }, message(error)));
    }
  };
  branch.addEventListener("change", showList);
  await showList();
  const title = t("nav.counts");
  return { title, node: page(title, box, h("div", { class: "columns" }, canCount(ctx) ? form : null, list)) };
}

async function countView(ctx, id) {
  const box = alertBox();
  let count = await get(`/api/inventory/counts/${id}/`);
  let postKey = null; // one key per posting attempt: a lost answer cannot post twice
  await loadProducts(count.lines.map((l) => l.product));
  const header = h("div", { id: "count-header" });
  const body = h("tbody", { id: "count-lines" });
  const summary = h("p", { id: "count-summary", role: "status" });
  const actions = h("div", { class: "actions" });
  const onlyDiffs = h("input", { type: "checkbox", id: "count-only-diffs" });
  const open = () => count.status === "open" && canCount(ctx);

  const send = async (product, counted) => {
    try {
      count = await post(`/api/inventory/counts/${id}/lines/`, { lines: [{ product, counted }] });
      box.hidden = true;
      render();
    } catch (error) {
      showError(box, error);
    }
  };
  const lineOf = (product) => count.lines.find((l) => l.product === product);
  const scan = scanBox({ id: "count-scan", onProduct: async (product, quantity) => {
    const line = lineOf(product.id);
    if (!line) {
      scan.say(t("counts.not_in_count", { name: product.name }));
      return;
    }
    await send(product.id, (line.counted ?? 0) + quantity);
  } });

  function render() {
    replace(header, h("p", {}, statusBadge(count.status), " ", count.reference || `#${count.id}`, " · ",
      ctx.branchLabel(count.branch), " · ", dateTime(count.created_at)));
    const shown = count.lines.filter((l) => !onlyDiffs.checked || (l.difference ?? 0) !== 0);
    replace(body, shown.map((l) => {
      const input = h("input", { type: "number", min: "0", step: "1", inputmode: "numeric", class: "counted",
        value: l.counted === null ? "" : String(l.counted), disabled: !open(),
        "aria-label": t("counts.counted_of", { name: productName(l.product) }) });
      const typed = () => {
        if (input.value === "" || Number(input.value) === l.counted) return;
        send(l.product, Math.max(0, Math.trunc(Number(input.value))));
      };
      input.addEventListener("change", typed);
      input.addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        event.preventDefault();
        typed();
      });
      const diff = l.difference;
      return h("tr", { dataset: { product: l.product } },
        h("td", {}, productSku(l.product)), h("td", {}, productName(l.product)),
        h("td", { class: "num expected" }, number(l.expected)),
        h("td", { class: "num moved" }, l.moved === null ? "—" : number(l.moved)),
        h("td", { class: "num" }, input),
        h("td", { class: `num difference${diff ? (diff < 0 ? " low" : " high") : ""}` },
          diff === null ? "—" : (diff > 0 ? `+${number(diff)}` : number(diff))));
    }));
    const counted = count.lines.filter((l) => l.counted !== null);
    const diffs = counted.filter((l) => (l.difference ?? 0) !== 0);
    const net = diffs.reduce((sum, l) => sum + l.difference, 0);
    replace(summary, t("counts.summary", { counted: number(counted.length), total: number(count.lines.length),
      diffs: number(diffs.length), net: net > 0 ? `+${number(net)}` : number(net) }));
    scan.node.hidden = !open();
    replace(actions, open() ? [
      h("button", { type: "button", class: "primary", id: "count-post", onclick: postCount }, t("counts.post")),
      h("button", { type: "button", class: "secondary", id: "count-cancel", onclick: cancelCount }, t("counts.cancel")),
    ] : h("a", { href: `#/ledger?branch=${count.branch}&kind=count` }, t("counts.see_ledger")));
  }
  onlyDiffs.addEventListener("change", render);

  async function postCount() {
    const diffs = count.lines.filter((l) => (l.difference ?? 0) !== 0).length;
    if (!window.confirm(t("counts.confirm_post", { diffs: number(diffs) }))) return;
    postKey ||= newIdempotencyKey();
    try {
      count = await api(`/api/inventory/counts/${id}/post/`, { method: "POST", body: {}, headers: { "Idempotency-Key": postKey } });
      postKey = null;
      ctx.notify(t("counts.posted", { reference: count.reference || `#${count.id}` }));
      render();
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.code !== "idempotency_in_progress") postKey = null;
      showError(box, error);
    }
  }
  async function cancelCount() {
    if (!window.confirm(t("counts.confirm_cancel"))) return;
    try {
      count = await post(`/api/inventory/counts/${id}/cancel/`, {});
      ctx.notify(t("counts.cancelled"));
      render();
    } catch (error) {
      showError(box, error);
    }
  }
  render();
  const title = t("counts.title", { reference: count.reference || `#${count.id}` });
  return { title, focus: open() ? scan.input : undefined, node: page(title, header, box,
    scan.node,
    h("div", { class: "field check" }, onlyDiffs, h("label", { for: "count-only-diffs" }, t("counts.only_diffs"))),
    h("p", { class: "hint" }, t("counts.hint")),
    countTable(body),
    summary, actions,
    h("p", {}, h("a", { href: "#/counts" }, t("counts.back")))) };
}

function countTable(body) {
  return h("div", { class: "table-wrap" }, h("table", { id: "count-table" },
    h("thead", {}, h("tr", {}, [["documents.sku"], ["common.product"], ["counts.expected", "num"], ["counts.moved", "num"],
      ["counts.counted", "num"], ["counts.difference", "num"]].map(([k, c]) => h("th", { scope: "col", class: c }, t(k))))),
    body));
}
