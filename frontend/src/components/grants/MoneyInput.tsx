// MoneyInput: an amount typed with the user's separators (1 250 000,00 in
// French), kept as a decimal string ("1250000.00") from the first keystroke
// to the API: never a float.
import { NumberInput, type NumberInputProps } from "@mantine/core";
import { useMemo } from "react";
import { useFormat } from "../../lib/format";

export function useSeparators() {
  const { locale } = useFormat();
  return useMemo(() => {
    const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
    return {
      group: parts.find((p) => p.type === "group")?.value ?? ",",
      decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
    };
  }, [locale]);
}

export function DecimalInput({
  value,
  onChange,
  decimals,
  ...rest
}: Omit<NumberInputProps, "value" | "onChange"> & {
  value: string;
  onChange: (value: string) => void;
  decimals: number;
}) {
  const sep = useSeparators();
  return (
    <NumberInput
      {...rest}
      value={value}
      onChange={(v) => onChange(v === "" ? "" : String(v))}
      // value is an unformatted decimal string ("1250000.50")
      {...({ valueIsNumericString: true } as object)}
      thousandSeparator={sep.group}
      decimalSeparator={sep.decimal}
      decimalScale={decimals}
      allowNegative={false}
      hideControls
      inputMode="decimal"
    />
  );
}
