// Every language has every namespace and every key that English has, and
// no key English lacks; placeholders ({{name}}) match too.
import { describe, expect, test } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = join(__dirname, "locales");
const languages = ["en", "fr", "es", "pt"];

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

function load(lang: string, ns: string): Map<string, string> {
  return flatten(JSON.parse(readFileSync(join(dir, lang, `${ns}.json`), "utf8")) as Tree);
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort().join(",");

describe("translations", () => {
  const namespaces = readdirSync(join(dir, "en")).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5));
  test("English has namespaces", () => expect(namespaces.length).toBeGreaterThan(0));
  for (const lang of languages) {
    test(`${lang} has exactly the namespaces English has`, () => {
      const have = readdirSync(join(dir, lang)).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
      expect(have).toEqual([...namespaces].sort());
    });
    for (const ns of namespaces) {
      test(`${lang}/${ns} has every key of en/${ns}, and no other`, () => {
        const en = load("en", ns);
        const other = load(lang, ns);
        const missing = [...en.keys()].filter((k) => !other.has(k));
        const extra = [...other.keys()].filter((k) => !en.has(k));
        expect({ missing, extra }).toEqual({ missing: [], extra: [] });
        const empty = [...other.entries()].filter(([, v]) => v.trim() === "").map(([k]) => k);
        expect(empty).toEqual([]);
        const badPlaceholders = [...en.entries()].filter(([k, v]) => other.has(k) && placeholders(v) !== placeholders(other.get(k)!)).map(([k]) => k);
        expect(badPlaceholders).toEqual([]);
      });
    }
  }
});
