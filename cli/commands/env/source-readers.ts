/**
 * Finds the environment variables a source file reads, per language, with regular expressions over
 * the text (no parser: the patterns people use to read env vars are few and regular). Seed 000 is
 * the reason this exists: the app read REDIS_HOST with a localhost default, PROJECT_ID and
 * META_PHONE_NUMBER_ID were never passed, and the code read NOME_BUCKET_MIDIAS_MIA where Terraform
 * set BUCKET_NAME.
 */
export type SourceLanguage = "python" | "javascript" | "java" | "go";

export interface EnvRead {
  name: string;
  file: string;
  /** 1-based */
  line: number;
  language: SourceLanguage;
  /** how it was read, e.g. os.getenv, process.env, BaseSettings */
  via: string;
  /** the literal default when the read has one (`os.getenv("REDIS_HOST", "localhost")`) */
  defaultValue?: string;
  /** true when a default exists but is not a literal */
  hasDefault: boolean;
}

/** A read whose variable name is computed at run time: reported, never guessed. */
export interface DynamicRead {
  file: string;
  line: number;
  expression: string;
}

export interface FileScan {
  reads: EnvRead[];
  dynamic: DynamicRead[];
}

export function languageOf(file: string): SourceLanguage | undefined {
  if (/\.py$/.test(file)) return "python";
  if (/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(file) && !/\.d\.ts$/.test(file)) return "javascript";
  if (/\.(java|kt)$/.test(file)) return "java";
  if (/\.go$/.test(file)) return "go";
  return undefined;
}

const NAME = "([A-Za-z_][A-Za-z0-9_]*)";
const STR = (q: string) => `${q}${NAME}${q}`;
const QUOTED = `(?:${STR('"')}|${STR("'")}|${STR("`")})`;
/** a literal default right after the name: , "localhost" | , 6379 */
const LITERAL = `\\s*,\\s*(?:"([^"]*)"|'([^']*)'|(-?[0-9.]+|True|False|None))`;

interface Pattern {
  via: string;
  regex: RegExp;
  /** capture groups holding the name (first defined wins) */
  nameGroups: number[];
  /** groups holding a literal default; `defaultAfter` = the text after the match is checked */
  defaultGroups?: number[];
  /** a default follows when this matches right after the read (JS `?? "x"`, `|| "x"`) */
  trailingDefault?: RegExp;
  /** a default exists when the read takes a second argument */
  secondArgument?: boolean;
}

const PATTERNS: Record<SourceLanguage, Pattern[]> = {
  python: [
    { via: "os.getenv", regex: new RegExp(`\\b(?:os\\.)?getenv\\(\\s*${QUOTED}(?:${LITERAL})?`, "g"), nameGroups: [1, 2, 3], defaultGroups: [4, 5, 6], secondArgument: true },
    { via: "os.environ.get", regex: new RegExp(`\\b(?:os\\.)?environ\\.(?:get|setdefault)\\(\\s*${QUOTED}(?:${LITERAL})?`, "g"), nameGroups: [1, 2, 3], defaultGroups: [4, 5, 6], secondArgument: true },
    { via: "os.environ[]", regex: new RegExp(`\\b(?:os\\.)?environ\\[\\s*${QUOTED}\\s*\\]`, "g"), nameGroups: [1, 2, 3] },
  ],
  javascript: [
    { via: "process.env", regex: new RegExp(`\\bprocess\\.env\\.${NAME}`, "g"), nameGroups: [1], trailingDefault: /^\s*(?:\?\?|\|\|)\s*(?:"([^"]*)"|'([^']*)'|`([^`$]*)`|(-?[0-9.]+))?/ },
    { via: "process.env[]", regex: new RegExp(`\\bprocess\\.env\\[\\s*${QUOTED}\\s*\\]`, "g"), nameGroups: [1, 2, 3], trailingDefault: /^\s*(?:\?\?|\|\|)\s*(?:"([^"]*)"|'([^']*)'|`([^`$]*)`|(-?[0-9.]+))?/ },
    { via: "import.meta.env", regex: new RegExp(`\\bimport\\.meta\\.env\\.${NAME}`, "g"), nameGroups: [1], trailingDefault: /^\s*(?:\?\?|\|\|)\s*(?:"([^"]*)"|'([^']*)'|`([^`$]*)`|(-?[0-9.]+))?/ },
  ],
  java: [
    { via: "System.getenv", regex: new RegExp(`\\bSystem\\.getenv\\(\\s*${STR('"')}\\s*\\)`, "g"), nameGroups: [1] },
    { via: "System.getenv().getOrDefault", regex: new RegExp(`\\bSystem\\.getenv\\(\\s*\\)\\.(?:getOrDefault|get)\\(\\s*${STR('"')}(?:\\s*,\\s*"([^"]*)")?`, "g"), nameGroups: [1], defaultGroups: [2], secondArgument: true },
  ],
  go: [
    { via: "os.Getenv", regex: new RegExp(`\\bos\\.(?:Getenv|LookupEnv)\\(\\s*${STR('"')}\\s*\\)`, "g"), nameGroups: [1] },
  ],
};

const DYNAMIC: Record<SourceLanguage, RegExp[]> = {
  python: [/\b(?:os\.)?(?:getenv|environ\.get)\(\s*([A-Za-z_][\w.]*)\s*[,)]/g, /\b(?:os\.)?environ\[\s*([A-Za-z_][\w.]*)\s*\]/g],
  javascript: [/\bprocess\.env\[\s*([A-Za-z_][\w.]*)\s*\]/g],
  java: [/\bSystem\.getenv\(\s*([A-Za-z_][\w.]*)\s*\)/g],
  go: [/\bos\.(?:Getenv|LookupEnv)\(\s*([A-Za-z_][\w.]*)\s*\)/g],
};

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Comments would produce false reads (`# REDIS_HOST comes from os.getenv("REDIS_HOST")`): blank them, keeping offsets. */
function blankComments(text: string, language: SourceLanguage): string {
  const keep = (m: string) => m.replace(/[^\n]/g, " ");
  if (language === "python") return text.replace(/(^|[^"'\\])#[^\n]*/g, (m, p: string) => p + keep(m.slice(p.length)));
  return text.replace(/\/\*[\s\S]*?\*\//g, keep).replace(/(^|[^:"'\\])\/\/[^\n]*/g, (m, p: string) => p + keep(m.slice(p.length)));
}

export function scanSource(file: string, text: string): FileScan {
  const language = languageOf(file);
  if (!language) return { reads: [], dynamic: [] };
  const code = blankComments(text, language);
  const reads: EnvRead[] = [];
  for (const pattern of PATTERNS[language]) {
    for (const m of code.matchAll(pattern.regex)) {
      const name = pattern.nameGroups.map((g) => m[g]).find((v) => v !== undefined);
      if (!name) continue;
      let defaultValue = pattern.defaultGroups?.map((g) => m[g]).find((v) => v !== undefined);
      let hasDefault = defaultValue !== undefined;
      const after = code.slice((m.index ?? 0) + m[0].length);
      if (pattern.secondArgument && !hasDefault && /^\s*,/.test(after)) hasDefault = true;
      if (pattern.trailingDefault) {
        const t = pattern.trailingDefault.exec(after);
        if (t && /(\?\?|\|\|)/.test(t[0])) {
          hasDefault = true;
          defaultValue = [t[1], t[2], t[3], t[4]].find((v) => v !== undefined);
        }
      }
      reads.push({ name, file, line: lineOf(code, m.index ?? 0), language, via: pattern.via, defaultValue, hasDefault });
    }
  }
  if (language === "javascript") reads.push(...destructuredReads(file, code));
  if (language === "python") reads.push(...pydanticSettingsReads(file, code));
  const dynamic: DynamicRead[] = [];
  for (const regex of DYNAMIC[language]) {
    for (const m of code.matchAll(regex)) dynamic.push({ file, line: lineOf(code, m.index ?? 0), expression: m[0].trim() });
  }
  return { reads, dynamic };
}

/** `const { REDIS_HOST, REDIS_PORT = "6379" } = process.env;` */
function destructuredReads(file: string, code: string): EnvRead[] {
  const out: EnvRead[] = [];
  for (const m of code.matchAll(/\{([^{}]*)\}\s*=\s*process\.env\b/g)) {
    const base = lineOf(code, m.index ?? 0);
    for (const part of (m[1] ?? "").split(",")) {
      const p = /^\s*([A-Za-z_]\w*)\s*(?::\s*[A-Za-z_]\w*)?\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|(\S+)))?\s*$/.exec(part);
      if (!p?.[1]) continue;
      const defaultValue = p[2] ?? p[3] ?? p[4];
      out.push({ name: p[1], file, line: base, language: "javascript", via: "process.env destructuring", defaultValue, hasDefault: defaultValue !== undefined });
    }
  }
  return out;
}

/**
 * pydantic BaseSettings: every annotated field of a settings class is read from the environment,
 * upper-cased with the class's env_prefix, unless an alias / validation_alias / env= names it.
 */
function pydanticSettingsReads(file: string, code: string): EnvRead[] {
  const out: EnvRead[] = [];
  const lines = code.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const cls = /^(\s*)class\s+\w+\s*\(([^)]*)\)\s*:/.exec(lines[i] ?? "");
    if (!cls || !/\bBaseSettings\b/.test(cls[2] ?? "")) continue;
    const classIndent = (cls[1] ?? "").length;
    const body: { text: string; line: number }[] = [];
    let bodyIndent: number | undefined;
    for (let j = i + 1; j < lines.length; j++) {
      const text = lines[j] ?? "";
      if (text.trim() === "") continue;
      const indent = text.length - text.trimStart().length;
      if (indent <= classIndent) break;
      bodyIndent ??= indent;
      body.push({ text, line: j + 1 });
    }
    if (bodyIndent === undefined) continue;
    const bodyText = body.map((b) => b.text).join("\n");
    const prefix = /env_prefix\s*[=:]\s*["']([^"']*)["']/.exec(bodyText)?.[1] ?? "";
    for (const { text, line } of body) {
      const indent = text.length - text.trimStart().length;
      if (indent !== bodyIndent) continue;
      const field = /^\s*([A-Za-z_]\w*)\s*:\s*([^=]+?)\s*(?:=\s*(.+))?$/.exec(text);
      if (!field?.[1] || field[1] === "model_config" || field[1].startsWith("_")) continue;
      if (/^ClassVar\b/.test(field[2] ?? "")) continue;
      const rhs = field[3]?.trim();
      const alias = rhs ? /\b(?:validation_alias|alias|env)\s*=\s*["']([^"']+)["']/.exec(rhs)?.[1] : undefined;
      let hasDefault = rhs !== undefined;
      let defaultValue: string | undefined;
      if (rhs?.startsWith("Field(")) {
        const first = /^Field\(\s*([^,)]*)/.exec(rhs)?.[1]?.trim() ?? "";
        const named = /\bdefault\s*=\s*("([^"]*)"|'([^']*)'|[^,)]+)/.exec(rhs);
        hasDefault = (first !== "" && first !== "..." && !first.includes("=")) || named !== null || /\bdefault_factory\s*=/.test(rhs);
        const literal = /^(?:"([^"]*)"|'([^']*)'|(-?[0-9.]+|True|False|None))$/.exec(first);
        if (hasDefault) defaultValue = literal && first !== "..." ? (literal[1] ?? literal[2] ?? literal[3]) : named ? (named[2] ?? named[3] ?? named[1]) : undefined;
      } else if (rhs !== undefined) {
        const literal = /^(?:"([^"]*)"|'([^']*)'|(-?[0-9.]+|True|False|None))$/.exec(rhs);
        defaultValue = literal ? (literal[1] ?? literal[2] ?? literal[3]) : undefined;
      }
      out.push({ name: alias ?? `${prefix}${field[1]}`.toUpperCase(), file, line, language: "python", via: "pydantic BaseSettings", defaultValue, hasDefault });
    }
  }
  return out;
}
