/**
 * `npm run bench`: runs every bench/*.bench.ts suite (or those named on the command line) and prints
 * each suite's rows side by side. Suites measure the built CLI (dist/) and the real servers.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface BenchRow {
  /** what was measured */
  name: string;
  /** the figure, already in its unit (ms, /s, MB, ratio) */
  value: number;
  unit: string;
  /** free text: the baseline it is compared with, the target */
  note?: string;
}

export interface BenchSuite {
  name: string;
  run(): Promise<BenchRow[]>;
}

const dir = fileURLToPath(new URL(".", import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

let failed = false;
for (const file of files) {
  const suite = (await import(new URL(file, import.meta.url).href)).default as BenchSuite;
  process.stdout.write(`\n## ${suite.name}\n`);
  try {
    const rows = await suite.run();
    const width = Math.max(...rows.map((r) => r.name.length), 10);
    for (const row of rows) {
      const value = Number.isInteger(row.value) ? String(row.value) : row.value.toFixed(2);
      process.stdout.write(`${row.name.padEnd(width)}  ${value.padStart(10)} ${row.unit.padEnd(6)} ${row.note ?? ""}\n`);
    }
  } catch (err) {
    failed = true;
    process.stdout.write(`FAILED: ${(err as Error).stack ?? String(err)}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
