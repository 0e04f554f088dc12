// Compiles GOV.UK Frontend for a council service: Arial instead of GOV.UK's restricted typeface,
// no crown, assets served from Django's static files. Output goes to src/wholecouncil/web/static/wc/.
import { compileString } from "sass";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const govuk = join(root, "node_modules", "govuk-frontend", "dist");
const out = join(root, "src", "wholecouncil", "web", "static", "wc");
mkdirSync(out, { recursive: true });

const scss = `
$govuk-font-family: arial, sans-serif;
$govuk-include-default-font-face: false;
$govuk-assets-path: "/static/wc/";
@import "govuk/index";
`;
const css = compileString(scss, {
  loadPaths: [govuk],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
}).css;
writeFileSync(join(out, "govuk.css"), css);
copyFileSync(join(govuk, "govuk", "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
const version = JSON.parse(readFileSync(join(root, "node_modules", "govuk-frontend", "package.json"))).version;
writeFileSync(join(out, "VERSION"), `govuk-frontend ${version}\n`);
console.log(`built ${out}/govuk.css (${css.length} bytes) from govuk-frontend ${version}`);
