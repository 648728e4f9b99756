// Hooks shared by the forms that edit a record with an etag:
//
//   useEtagEdit: on the page, the record as it was when editing began (its
//     etag is what an update sends) and the Reload after someone else's
//     change (a stale etag): the fresh record becomes the base.
//   useFollowRecord: in the form, when the base changes (a Reload), the
//     fields the user did not touch take the new values; what they typed
//     stays.
//   useServerFieldErrors: in the form, the server's field errors are put
//     next to their fields.
//   useErrorFocus: the first field in error gets the focus.
import { useCallback, useEffect, useEffectEvent, useRef, useState } from "react";
import type { UseFormReturnType } from "@mantine/form";
import { useTranslation } from "react-i18next";
import { fieldViolations, type FieldErrors } from "../../lib/errors";

export interface EtagEdit<R> {
  // The record as it was when editing began, or as last reloaded;
  // undefined when not editing.
  base: R | undefined;
  // The etag an update sends (the base's).
  etag: string;
  // Undefined until a Reload; then what changed meanwhile (as named by the
  // `changes` option).
  changed: string[] | undefined;
  reloading: boolean;
  // start: editing begins on this record (nothing happens without one);
  // the mutation's last error is cleared.
  start: (record: R | undefined) => void;
  stop: () => void;
  // setBase: a new base without anything else (e.g. the record a save
  // answered with).
  setBase: (record: R) => void;
  // reload: the record again; the mutation's stale error is cleared.
  reload: () => Promise<void>;
}

export function useEtagEdit<R extends { etag: string }>({
  initial,
  refetch,
  reset,
  changes,
}: {
  initial?: R;
  // refetch: the record as it is now on the server (given the base).
  refetch: (base: R) => Promise<R | undefined>;
  // reset: clears the update mutation's state (its error).
  reset: () => void;
  // changes: what changed between two versions of the record, in words.
  changes?: (before: R, now: R) => string[];
}): EtagEdit<R> {
  const [base, setBase] = useState<R | undefined>(initial);
  const [changed, setChanged] = useState<string[]>();
  const [reloading, setReloading] = useState(false);
  const start = (record: R | undefined) => {
    if (!record) return;
    reset();
    setBase(record);
    setChanged(undefined);
  };
  const stop = () => {
    setBase(undefined);
    setChanged(undefined);
  };
  const reload = async () => {
    if (!base) return;
    setReloading(true);
    try {
      const fresh = await refetch(base);
      if (fresh) {
        setChanged(changes?.(base, fresh) ?? []);
        // Only the etag and the fields the user did not touch follow.
        setBase(fresh);
        reset();
      }
    } finally {
      setReloading(false);
    }
  };
  return { base, etag: base?.etag ?? "", changed, reloading, start, stop, setBase, reload };
}

// sameText: two form values alike as text (null and undefined as "").
export const sameText = (a: unknown, b: unknown) => String(a ?? "") === String(b ?? "");

type FollowingForm<V> = Pick<UseFormReturnType<V>, "getValues" | "setFieldValue">;

// useFollowRecord: when `start` (the form's values from the base record)
// changes, each field whose value is still the old start's takes the new
// one; what the user typed stays.
export function useFollowRecord<V extends object>(form: FollowingForm<V>, start: V, same: (a: unknown, b: unknown) => boolean = sameText) {
  const prevStart = useRef(start);
  const follow = useEffectEvent((next: V) => {
    const prev = prevStart.current;
    if (prev === next) return;
    const cur = form.getValues();
    for (const k of Object.keys(next) as (keyof V & string)[]) {
      if (same(cur[k], prev[k])) form.setFieldValue(k, next[k] as never);
    }
    prevStart.current = next;
  });
  useEffect(() => follow(start), [start]);
}

// A form's field errors by form key ("periods.2.target").
export type FormErrors = Record<string, string>;

// Place maps the server's field violations (paths relative to the prefix)
// to form keys; say introduces the server's detail in the user's language.
export type Place = (violations: FieldErrors, say: (detail: string) => string) => FormErrors;

// byPaths: the violations of the fields in a table of form key -> API path.
export function byPaths(paths: Record<string, string>): Place {
  return (v, say) => {
    const errors: FormErrors = {};
    for (const [key, path] of Object.entries(paths)) if (v[path]) errors[key] = say(v[path]);
    return errors;
  };
}

// useServerFieldErrors: when `error` changes, its field violations go
// through `place`, and `show` gets the result when it names a field. With
// `always`, `show` gets it every time, so that no error (a new attempt, a
// Reload) clears what the last one placed.
export function useServerFieldErrors(error: unknown, prefix: string, place: Place, show: (errors: FormErrors) => void, { always = false } = {}) {
  const { t } = useTranslation();
  const apply = useEffectEvent((err: unknown) => {
    if (!err && !always) return;
    const errors = place(fieldViolations(err, prefix), (d) => `${t("common:errors.field")}: ${d}`);
    if (always || Object.keys(errors).length > 0) show(errors);
  });
  useEffect(() => apply(error), [error]);
}

// useErrorFocus: a ref for the form and a function that gives the focus to
// its first field in error, once the fields show their errors.
export function useErrorFocus(selector = '[aria-invalid="true"]') {
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstError = useCallback(() => {
    window.setTimeout(() => formRef.current?.querySelector<HTMLElement>(selector)?.focus(), 0);
  }, [selector]);
  return [formRef, focusFirstError] as const;
}
