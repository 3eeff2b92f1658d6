/** `npm run rules:doc`: writes cdktf/validation/RULES.md. */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { rulesMarkdown } from "./rules-doc.js";

const target = fileURLToPath(new URL("./RULES.md", import.meta.url).href.replace("/dist/cdktf/", "/cdktf/"));
writeFileSync(target, rulesMarkdown());
process.stdout.write(`wrote ${target}\n`);
