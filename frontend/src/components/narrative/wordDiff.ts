// A word-level diff of two texts (the compiled text an edit was made on and
// the text compiled since): the longest common subsequence of their words
// and the spaces between them, so that the parts joined again give back
// each text. Written here rather than added as a dependency: it is
// thirty lines, and the app's bundle stays as it is.

export type DiffPart = { kind: "same" | "added" | "removed"; text: string };

// tokens splits a text into words and the whitespace between them.
export function tokens(text: string): string[] {
  return text.match(/\S+|\s+/g) ?? [];
}

// Above this many cells (words of one text times words of the other) the
// table would be too big for a phone: the texts are shown as one removal and
// one addition.
const maxCells = 4_000_000;

export function wordDiff(before: string, after: string): DiffPart[] {
  const a = tokens(before);
  const b = tokens(after);
  // Common start and end, cut before the table.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const x = a.slice(start, a.length - end);
  const y = b.slice(start, b.length - end);
  const out: DiffPart[] = [];
  const push = (kind: DiffPart["kind"], text: string) => {
    if (text === "") return;
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  push("same", a.slice(0, start).join(""));
  if ((x.length + 1) * (y.length + 1) > maxCells) {
    push("removed", x.join(""));
    push("added", y.join(""));
  } else {
    // lcs[i][j]: the length of the longest common subsequence of x[i:] and y[j:].
    const w = y.length + 1;
    const lcs = new Uint32Array((x.length + 1) * w);
    for (let i = x.length - 1; i >= 0; i--)
      for (let j = y.length - 1; j >= 0; j--)
        lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    let i = 0;
    let j = 0;
    while (i < x.length && j < y.length) {
      if (x[i] === y[j]) {
        push("same", x[i]);
        i++;
        j++;
      } else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) push("removed", x[i++]);
      else push("added", y[j++]);
    }
    while (i < x.length) push("removed", x[i++]);
    while (j < y.length) push("added", y[j++]);
  }
  push("same", a.slice(a.length - end).join(""));
  return out;
}
