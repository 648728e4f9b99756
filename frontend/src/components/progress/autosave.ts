// Autosave of a progress update being written. Partners type long texts on
// slow, intermittent connections, so:
//
//   - every change is saved ~1.5 s after typing stops (and at once when a
//     field loses focus or the page is hidden), with the etag of the last
//     save and an update mask naming only what changed;
//   - the unsaved text is also kept in localStorage, keyed by the update's
//     name and the etag it was written over, until a save has it: a dropped
//     connection, a closed tab or a crash loses nothing, and the editor
//     offers to restore it on return;
//   - a network failure is retried with growing pauses (and when the
//     browser comes back online);
//   - a save refused with ABORTED (someone saved a newer version) stops and
//     hands over to the page, which reloads; the unsaved text stays in
//     localStorage, where the reloaded editor finds and offers it.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { Code, ConnectError } from "@connectrpc/connect";
import { useMutation } from "@connectrpc/connect-query";
import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { IndicatorValueSchema, ProgressUpdateService, type ProgressUpdate } from "../../gen/pactum/v1/progress_update_pb";
import { DisaggregatedValueSchema } from "../../gen/pactum/v1/results_pb";

export interface DisValue {
  disaggregation: string;
  category: string;
  value: string;
}

export interface IndicatorEntry {
  indicator: string;
  value: string;
  evidence: string;
  disaggregatedValues: DisValue[];
}

export interface Fields {
  achievements: string;
  challenges: string;
  changesToPlans: string;
  lessonsLearned: string;
  nextSteps: string;
  indicatorValues: IndicatorEntry[];
  activities: string[];
}

export type FieldKey = keyof Fields;

export const narrativeKeys = ["achievements", "challenges", "changesToPlans", "lessonsLearned", "nextSteps"] as const;

// maskPath: the field's name in the API (update_mask, field violations).
export const maskPath: Record<FieldKey, string> = {
  achievements: "achievements",
  challenges: "challenges",
  changesToPlans: "changes_to_plans",
  lessonsLearned: "lessons_learned",
  nextSteps: "next_steps",
  indicatorValues: "indicator_values",
  activities: "activities",
};

export function fieldsOf(u: ProgressUpdate): Fields {
  return {
    achievements: u.achievements,
    challenges: u.challenges,
    changesToPlans: u.changesToPlans,
    lessonsLearned: u.lessonsLearned,
    nextSteps: u.nextSteps,
    indicatorValues: u.indicatorValues.map((v) => ({
      indicator: v.indicator,
      value: v.value,
      evidence: v.evidence,
      disaggregatedValues: v.disaggregatedValues.map((d) => ({ disaggregation: d.disaggregation, category: d.category, value: d.value })),
    })),
    activities: [...u.activities],
  };
}

// Backups in localStorage.
const prefix = "pactum.progressDraft:";

export interface Backup {
  etag: string;
  fields: Partial<Fields>;
  time: number;
}

function keysFor(name: string): string[] {
  const out: string[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k?.startsWith(`${prefix}${name}:`)) out.push(k);
    }
  } catch {
    // Storage refused (privacy settings): nothing kept, nothing to find.
  }
  return out;
}

export function readBackup(name: string): Backup | undefined {
  let best: Backup | undefined;
  for (const k of keysFor(name)) {
    try {
      const b = JSON.parse(localStorage.getItem(k) ?? "") as Backup;
      if (b && typeof b.time === "number" && (!best || b.time > best.time)) best = b;
    } catch {
      // A damaged entry is skipped.
    }
  }
  return best;
}

export function clearBackup(name: string) {
  for (const k of keysFor(name)) {
    try {
      localStorage.removeItem(k);
    } catch {
      // Nothing to do.
    }
  }
}

function writeBackup(name: string, etag: string, fields: Partial<Fields>) {
  try {
    const key = `${prefix}${name}:${etag}`;
    for (const k of keysFor(name)) if (k !== key) localStorage.removeItem(k);
    localStorage.setItem(key, JSON.stringify({ etag, fields, time: Date.now() } satisfies Backup));
  } catch {
    // Storage full or refused: the server save is the only copy.
  }
}

// differs: whether a backup holds text the update does not have.
export function differs(backup: Partial<Fields>, u: Fields): boolean {
  return (Object.keys(backup) as FieldKey[]).some((k) => JSON.stringify(backup[k]) !== JSON.stringify(u[k]));
}

export type SaveStatus =
  | { kind: "idle" }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "saved"; at: Date }
  | { kind: "retrying"; error: unknown }
  | { kind: "failed"; error: unknown }
  | { kind: "stale" };

const debounceMs = 1500;
const retryDelays = [3000, 6000, 15000, 30000, 60000];

function isNetwork(err: unknown): boolean {
  if (!(err instanceof ConnectError)) return true;
  return err.code === Code.Unavailable || err.code === Code.Unknown || err.code === Code.DeadlineExceeded || err.code === Code.Canceled;
}

export function useAutosave(update: ProgressUpdate, { editable, onStale, onSaved }: { editable: boolean; onStale: () => void; onSaved?: (u: ProgressUpdate) => void }) {
  const [fields, setFields] = useState<Fields>(() => fieldsOf(update));
  const [status, setStatus] = useState<SaveStatus>({ kind: "idle" });
  const fieldsRef = useRef(fields);
  const etag = useRef(update.etag);
  // The fields changed since the last save, with the change counter of
  // their latest change (a save clears only those not changed since it
  // started).
  const dirty = useRef(new Map<FieldKey, number>());
  const seq = useRef(0);
  const inFlight = useRef<Promise<boolean> | undefined>(undefined);
  const timer = useRef<number | undefined>(undefined);
  const retries = useRef(0);
  const stopped = useRef(false);
  const mutation = useMutation(ProgressUpdateService.method.updateProgressUpdate);
  const mutate = mutation.mutateAsync;
  // The latest callbacks and save, for saves and retries that finish
  // after a render.
  const callbacks = useRef({ onStale, onSaved });
  useLayoutEffect(() => {
    callbacks.current = { onStale, onSaved };
  });
  const saveLater = useRef<() => Promise<boolean>>(async () => false);

  const backup = useCallback(() => {
    if (dirty.current.size === 0) {
      clearBackup(update.name);
      return;
    }
    const part: Partial<Fields> = {};
    for (const k of dirty.current.keys()) (part as Record<string, unknown>)[k] = fieldsRef.current[k];
    writeBackup(update.name, etag.current, part);
  }, [update.name]);

  const save = useCallback(async (): Promise<boolean> => {
    window.clearTimeout(timer.current);
    if (stopped.current) return false;
    if (inFlight.current) {
      const ok = await inFlight.current;
      if (!ok) return false;
      if (dirty.current.size === 0) return true;
    }
    if (dirty.current.size === 0) return true;
    const started = seq.current;
    const keys = [...dirty.current.keys()];
    const f = fieldsRef.current;
    const run = (async () => {
      setStatus({ kind: "saving" });
      try {
        const res = await mutate({
          progressUpdate: {
            name: update.name,
            etag: etag.current,
            achievements: f.achievements,
            challenges: f.challenges,
            changesToPlans: f.changesToPlans,
            lessonsLearned: f.lessonsLearned,
            nextSteps: f.nextSteps,
            activities: f.activities,
            indicatorValues: f.indicatorValues.map((v) =>
              create(IndicatorValueSchema, {
                indicator: v.indicator,
                value: v.value,
                evidence: v.evidence,
                disaggregatedValues: v.disaggregatedValues.filter((d) => d.value !== "").map((d) => create(DisaggregatedValueSchema, d)),
              }),
            ),
          },
          updateMask: create(FieldMaskSchema, { paths: keys.map((k) => maskPath[k]) }),
        });
        const saved = res.progressUpdate;
        if (saved) etag.current = saved.etag;
        for (const k of keys) if ((dirty.current.get(k) ?? 0) <= started) dirty.current.delete(k);
        retries.current = 0;
        backup();
        setStatus(dirty.current.size ? { kind: "pending" } : { kind: "saved", at: new Date() });
        if (saved) callbacks.current.onSaved?.(saved);
        return true;
      } catch (err) {
        if (err instanceof ConnectError && err.code === Code.Aborted) {
          stopped.current = true;
          setStatus({ kind: "stale" });
          callbacks.current.onStale();
          return false;
        }
        if (isNetwork(err)) {
          const delay = retryDelays[Math.min(retries.current, retryDelays.length - 1)];
          retries.current++;
          setStatus({ kind: "retrying", error: err });
          window.clearTimeout(timer.current);
          timer.current = window.setTimeout(() => void saveLater.current(), delay);
        } else {
          setStatus({ kind: "failed", error: err });
        }
        return false;
      } finally {
        inFlight.current = undefined;
      }
    })();
    inFlight.current = run;
    const ok = await run;
    // Changes typed while it was saving.
    if (ok && dirty.current.size > 0) {
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void saveLater.current(), debounceMs);
    }
    return ok;
  }, [backup, mutate, update.name]);
  useLayoutEffect(() => {
    saveLater.current = save;
  }, [save]);

  const set = useCallback(
    <K extends FieldKey>(key: K, value: Fields[K]) => {
      if (!editable || stopped.current) return;
      fieldsRef.current = { ...fieldsRef.current, [key]: value };
      setFields(fieldsRef.current);
      dirty.current.set(key, ++seq.current);
      backup();
      setStatus((s) => (s.kind === "retrying" || s.kind === "failed" ? s : { kind: "pending" }));
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void save(), debounceMs);
    },
    [backup, editable, save],
  );

  // restore puts text back (from a backup) and saves it.
  const restore = useCallback(
    (part: Partial<Fields>) => {
      for (const k of Object.keys(part) as FieldKey[]) set(k, part[k] as never);
    },
    [set],
  );

  // Saved at once when the page is hidden (tab switched, phone locked,
  // browser closing) and retried when the connection comes back.
  useEffect(() => {
    if (!editable) return;
    const hidden = () => {
      if (document.visibilityState === "hidden") void save();
    };
    const flush = () => void save();
    document.addEventListener("visibilitychange", hidden);
    window.addEventListener("pagehide", flush);
    window.addEventListener("online", flush);
    return () => {
      document.removeEventListener("visibilitychange", hidden);
      window.removeEventListener("pagehide", flush);
      window.removeEventListener("online", flush);
      window.clearTimeout(timer.current);
    };
  }, [editable, save]);

  // Leaving the screen inside the app saves what is pending.
  useEffect(() => () => void (dirty.current.size > 0 && !stopped.current ? save() : undefined), [save]);

  // Warn before closing the tab with text not yet on the server (it is in
  // localStorage too, but the partner should know).
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (dirty.current.size > 0 && !stopped.current) e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  return {
    fields,
    set,
    restore,
    status,
    // flush saves what is pending now; true when nothing is left unsaved.
    flush: save,
    etag: () => etag.current,
    hasUnsaved: () => dirty.current.size > 0,
  };
}
