// useConfirmedAction: the state a record's page keeps for its actions that
// are confirmed in a dialog first (activate, close, reopen, delete): which
// one is asked, the mutation behind it (for the dialog's pending state and
// error), and what follows success (the dialog closes, every query is read
// again, a toast says what was done). Each page calls its own mutation.
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { showToast } from "../../lib/toast";

interface Resettable {
  reset: () => void;
  isPending: boolean;
  error: unknown;
}

export function useConfirmedAction<S extends string>(mutations: Record<S, Resettable>) {
  const queryClient = useQueryClient();
  const [step, setStep] = useState<S>();
  const all = Object.values(mutations) as Resettable[];
  return {
    step,
    // current: the mutation of the action asked (the first one before any).
    current: step ? mutations[step] : all[0],
    open: (s: S) => {
      for (const m of all) m.reset();
      setStep(s);
    },
    cancel: () => setStep(undefined),
    done: (message: string) => {
      setStep(undefined);
      void queryClient.invalidateQueries();
      showToast({ color: "teal", message });
    },
  };
}
