// The app's modules import each other without a cycle (dynamic imports
// count: a screen that imports the routes that load it is one). A cycle
// makes the order modules run in depend on which is imported first.
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { expect, test } from "vitest";

const src = resolve(__dirname);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === "gen" ? [] : sources(p);
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) ? [p] : [];
  });
}

// The relative modules a file imports, statically or dynamically.
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.[^"']*)["']/gm)].map((m) => m[1]);
  return specs.flatMap((s) => {
    const base = resolve(dirname(file), s);
    const hit = [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")].find((p) => /\.tsx?$/.test(p) && existsSync(p));
    return hit ? [hit] : [];
  });
}

function cycles(files: string[], edges: (f: string) => string[]): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (f: string) => {
    state.set(f, "open");
    path.push(f);
    for (const g of edges(f)) {
      if (state.get(g) === "open") found.push([...path.slice(path.indexOf(g)), g]);
      else if (!state.has(g)) visit(g);
    }
    path.pop();
    state.set(f, "done");
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}

test("finds a cycle", () => {
  const g: Record<string, string[]> = { a: ["b"], b: ["c"], c: ["a"], d: ["a"] };
  expect(cycles(Object.keys(g), (f) => g[f])).toEqual([["a", "b", "c", "a"]]);
});

test("no import cycle in src", () => {
  const files = sources(src);
  expect(files.length).toBeGreaterThan(50);
  const found = cycles(files, imports).map((c) => c.map((f) => relative(src, f)).join(" -> "));
  expect(found).toEqual([]);
});
