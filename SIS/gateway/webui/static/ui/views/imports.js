// Imports of products and stock from a CSV or XLSX: a dry run first (the rows and columns at fault, or what
// would be written), then the import itself with the same file, the upload's progress shown as it goes.
import { newIdempotencyKey, upload } from "../api.js";
import { field, h, replace, table } from "../dom.js";
import { showError } from "../errors.js";
import { number, t } from "../i18n.js";
import { alertBox, page } from "./common.js";

const KINDS = {
  products: { path: "/api/inventory/products/import/", roles: ["admin"],
    columns: "sku, name, barcode, category, price, cost, tax_rate, is_active" },
  stock: { path: "/api/inventory/stock/import/", roles: ["admin", "manager", "warehouse"],
    columns: "branch_code, sku, quantity, unit_cost" },
};

export default async function imports(ctx) {
  const kinds = Object.keys(KINDS).filter((k) => KINDS[k].roles.includes(ctx.me.role));
  const asked = ctx.query.get("kind");
  const kind = kinds.includes(asked) ? asked : kinds[0];
  const spec = KINDS[kind];
  const box = alertBox();
  const fileInput = h("input", { type: "file", name: "file", id: "import-file", accept: ".csv,.xlsx,text/csv" });
  const check = h("button", { type: "submit", class: "secondary", id: "import-check" }, t("imports.check"));
  const run = h("button", { type: "button", class: "primary", id: "import-run", disabled: true }, t("imports.run"));
  const bar = h("progress", { id: "import-progress", max: "100", hidden: true, "aria-label": t("imports.progress") });
  const status = h("p", { id: "import-status", role: "status", "aria-live": "polite" });
  const report = h("section", { id: "import-report", "aria-live": "polite" });
  let checked = null; // the File whose dry run found nothing wrong; the import sends that same file
  let key = null; // one key per import attempt of that file: a retry after a lost answer replays it

  const progress = (fraction) => {
    bar.hidden = false;
    if (fraction === null) {
      bar.removeAttribute("value"); // indeterminate: the file is up, the server reads and writes it
      replace(status, t("imports.processing"));
    } else {
      bar.value = Math.round(fraction * 100);
      replace(status, t("imports.uploading", { percent: Math.round(fraction * 100) }));
    }
  };
  const done = () => { bar.hidden = true; };

  const send = async (dryRun) => {
    const file = dryRun ? fileInput.files[0] : checked;
    if (!file) {
      replace(status, t("imports.choose_file"));
      return;
    }
    box.hidden = true;
    check.disabled = true;
    run.disabled = true;
    replace(report);
    progress(0);
    try {
      const headers = dryRun ? {} : { "Idempotency-Key": (key ||= newIdempotencyKey()) };
      const answer = await upload(`${spec.path}${dryRun ? "?dry_run=true" : ""}`, file, { headers, onProgress: progress });
      replace(report, summary(kind, answer, dryRun, ctx));
      replace(status, t(dryRun ? "imports.checked_ok" : "imports.done"));
      checked = dryRun ? file : null;
      if (!dryRun) key = null;
      run.disabled = !dryRun;
    } catch (error) {
      if (error.code === "import_invalid") {
        replace(report, faults(error.body.errors || []));
        replace(status, t("imports.has_errors", { count: (error.body.errors || []).length }));
        checked = null;
        key = null;
      } else {
        showError(box, error);
        replace(status);
        // a lost answer of the import: the same file may be sent again under the same key
        if (!dryRun && error.status !== 0 && error.status < 500) key = null;
        run.disabled = dryRun || !checked;
      }
    } finally {
      done();
      check.disabled = false;
    }
  };

  const form = h("form", { class: "stacked", id: "import-form", novalidate: true },
    field(t("imports.file"), fileInput, { hint: t("imports.columns", { columns: spec.columns }) }),
    h("div", { class: "actions" }, check, run), bar, status);
  form.addEventListener("submit", (event) => { event.preventDefault(); send(true); });
  fileInput.addEventListener("change", () => {
    checked = null;
    key = null;
    run.disabled = true;
    replace(report);
    replace(status);
  });
  run.addEventListener("click", () => send(false));

  const tabs = kinds.length > 1 ? h("nav", { class: "tabs", "aria-label": t("imports.kinds") },
    kinds.map((k) => h("a", { href: `#/imports?kind=${k}`, "aria-current": k === kind ? "page" : undefined,
      id: `import-tab-${k}` }, t(`imports.kind_${k}`)))) : null;
  return {
    title: t("nav.imports"),
    node: page(t("nav.imports"), tabs, h("h2", {}, t(`imports.kind_${kind}`)),
      h("p", { class: "hint" }, t(`imports.about_${kind}`)), box, form, report),
  };
}

function summary(kind, answer, dryRun, ctx) {
  const heading = h("h3", {}, t(dryRun ? "imports.would" : "imports.did"));
  if (kind === "products") {
    return [heading, h("dl", { class: "card", id: "import-counts" },
      h("dt", {}, t("imports.created")), h("dd", { id: "import-created" }, number(answer.created)),
      h("dt", {}, t("imports.updated")), h("dd", { id: "import-updated" }, number(answer.updated)),
      h("dt", {}, t("imports.unchanged")), h("dd", { id: "import-unchanged" }, number(answer.unchanged)))];
  }
  return [heading, h("p", {}, t("imports.rows", { count: number(answer.rows) })),
    table([t("nav.branch"), { label: t("imports.lines"), class: "num" }, { label: t("imports.units"), class: "num" },
      t("documents.number")],
    answer.receipts.map((r) => h("tr", { dataset: { branch: r.branch } },
      h("td", {}, ctx.branchLabel(r.branch) === `#${r.branch}` ? r.branch_code : ctx.branchLabel(r.branch)),
      h("td", { class: "num" }, number(r.lines)), h("td", { class: "num" }, number(r.quantity)),
      h("td", {}, r.number || "—"))), { caption: t("imports.receipts") })];
}

function faults(errors) {
  return [h("h3", {}, t("imports.faults")),
    table([{ label: t("imports.row"), class: "num" }, t("imports.column"), t("imports.message")],
      errors.map((e) => h("tr", { dataset: { row: e.row, column: e.column } },
        h("td", { class: "num" }, e.row), h("td", {}, e.column), h("td", {}, e.message))),
      { caption: t("imports.faults_caption") })];
}
