// Build plugins for the first load on a slow line (see src/boot.ts).
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { minify, transformWithOxc, type Plugin, type Rolldown } from "vite";
import type { BootManifest } from "./src/boot";

// The first screens: their page modules, the translation namespaces they
// need (besides "common", which every screen needs), and whether they make
// do with the first styles (src/firstScreens.ts).
export interface Screen {
  modules: readonly string[];
  ns: readonly string[];
  lean: boolean;
}

// bootScript inlines src/boot.ts into index.html, with the files of each
// first screen as the build named them. It also checks that the styles the
// app loads cover the Mantine components it uses (checkStyles).
export function bootScript(screens: Record<string, Screen>, styles: { first: string; more: string }): Plugin {
  return {
    name: "pactum-boot-script",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      async handler(_html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return;
        const chunks = Object.values(bundle).filter((c): c is Rolldown.OutputChunk => c.type === "chunk");
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const root = resolve(import.meta.dirname);
        const rel = (id: string | null) => (id ? id.slice(root.length + 1).replaceAll("\\", "/") : "");
        // Files the chunk needs before it runs (its static imports, in
        // turn), CSS included.
        const closure = (start: Rolldown.OutputChunk[]) => {
          const seen = new Set<string>();
          const out: string[] = [];
          const visit = (c: Rolldown.OutputChunk) => {
            if (seen.has(c.fileName)) return;
            seen.add(c.fileName);
            for (const i of c.imports) {
              const d = byFile.get(i);
              if (d) visit(d);
            }
            out.push(c.fileName);
            for (const css of c.viteMetadata?.importedCss ?? []) out.push(css);
          };
          start.forEach(visit);
          return out;
        };
        const entry = chunks.filter((c) => c.isEntry);
        const inHtml = new Set(closure(entry));
        const manifest: BootManifest = { screens: {}, locales: {} };
        for (const [name, s] of Object.entries(screens)) {
          const files: string[] = [];
          // The screens that are not lean bring the other styles too.
          for (const m of s.lean ? s.modules : [...s.modules, styles.more]) {
            // A style sheet imported lazily has no chunk of its own, only its asset.
            const c = chunks.find((x) => rel(x.facadeModuleId) === m) ?? chunks.find((x) => x.moduleIds.some((id) => rel(id) === m));
            const css = m.endsWith(".css") ? Object.values(bundle).find((a) => a.type === "asset" && a.originalFileNames.includes(m)) : undefined;
            if (c) files.push(...closure([c]));
            else if (css) files.push(css.fileName);
            else throw new Error(`boot script: nothing in the build for ${m} (is it imported lazily?)`);
          }
          manifest.screens[name] = { files: [...new Set(files)].filter((f) => !inHtml.has(f)).map((f) => "/" + f), ns: [...s.ns] };
        }
        const lean = chunks.filter((c) => Object.values(screens).some((s) => s.lean && c.moduleIds.some((id) => s.modules.includes(rel(id)))));
        const cssOf = (files: string[]) => files.filter((f) => f.endsWith(".css")).map((f) => String((bundle[f] as Rolldown.OutputAsset).source));
        const firstFiles = closure([...entry, ...lean]);
        checkStyles(root, styles, {
          first: { js: firstFiles.flatMap((f) => byFile.get(f)?.code ?? []), css: cssOf(firstFiles) },
          all: { js: chunks.map((c) => c.code), css: cssOf(Object.keys(bundle)) },
        });

        const namespaces = new Set(["common", ...Object.values(screens).flatMap((s) => s.ns)]);
        for (const c of chunks) {
          const m = /^src\/locales\/(\w+)\/(\w+)\.json$/.exec(rel(c.facadeModuleId));
          if (m && namespaces.has(m[2])) (manifest.locales[m[1]] ??= {})[m[2]] = "/" + c.fileName;
        }
        const file = resolve(root, "src/boot.ts");
        const ts = await transformWithOxc(readFileSync(file, "utf8"), file, { lang: "ts" });
        const js = ts.code.replace(/^export /gm, "");
        const code = `(()=>{${js}\nboot(${JSON.stringify(manifest)})})()`;
        const min = await minify("boot.js", code, { compress: true, mangle: true });
        if (min.errors?.length) throw new Error("boot script: " + min.errors.map((e) => e.message).join("; "));
        return [{ tag: "script", children: min.code.trim(), injectTo: "head-prepend" }];
      },
    },
  };
}

// checkStyles fails the build when a Mantine component's styles are missing:
// from the styles loaded with the app when the first screens use it, from all
// the built styles when any screen does. Mantine's components name their
// elements with classes (m_1a2b3c4d) that only their own style sheet
// defines, so the classes in the built code tell which sheets it needs. The
// two style files must also keep the order of Mantine's styles.css (later
// rules win).
function checkStyles(root: string, files: { first: string; more: string }, built: Record<"first" | "all", { js: string[]; css: string[] }>) {
  const dir = resolve(root, "node_modules/@mantine/core/styles");
  const full = readFileSync(resolve(dir, "../styles.css"), "utf8");
  const sheets = new Map<string, { classes: string[]; at: number }>();
  for (const f of readdirSync(dir)) {
    if (!f.endsWith(".css") || f.endsWith(".layer.css")) continue;
    const css = readFileSync(resolve(dir, f), "utf8");
    sheets.set(f.slice(0, -4), { classes: [...new Set(css.match(/\bm_[0-9a-f]{8}\b/g) ?? [])], at: full.indexOf(css.slice(0, 200)) });
  }
  const problems: string[] = [];
  for (const [which, { js, css }] of Object.entries(built)) {
    const code = js.join("\n");
    const styles = css.join("\n");
    for (const [name, s] of sheets) {
      if (!s.classes.some((c) => code.includes(c)) || s.classes.some((c) => styles.includes(c))) continue;
      problems.push(
        which === "first"
          ? `the first screens use ${name}: import @mantine/core/styles/${name}.css in ${files.first}`
          : `the app uses ${name}: import @mantine/core/styles/${name}.css in ${files.more} (or where it is used)`,
      );
    }
  }
  for (const file of [files.first, files.more]) {
    const names = [...readFileSync(resolve(root, file), "utf8").matchAll(/@import "@mantine\/core\/styles\/([\w-]+)\.css";/g)].map((m) => m[1]);
    names.forEach((n, i) => {
      const s = sheets.get(n);
      if (!s) problems.push(`${file}: no styles for ${n} in @mantine/core`);
      else if (i > 0 && (sheets.get(names[i - 1])?.at ?? -1) > s.at) problems.push(`${file}: ${n} must come before ${names[i - 1]} (Mantine's order)`);
    });
  }
  if (problems.length) throw new Error("Mantine styles:\n  " + problems.join("\n  "));
}
