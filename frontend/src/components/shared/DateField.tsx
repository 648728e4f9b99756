// DateField: a date typed in the reader's format (28/11/2026, as every
// language Pactum speaks writes it; 2026-11-28 is read too) or picked from a
// calendar. It hands on "YYYY-MM-DD" (or null when empty), and says in the
// reader's language when what was typed is no date, or outside the dates
// allowed. A drop-in for DatePickerInput: same value, onChange, minDate,
// maxDate, clearable; the calendar's button bears the field's label.
import { useId, useState, type CSSProperties, type ReactNode } from "react";
import { ActionIcon, CloseButton, Group, Popover, TextInput, type TextInputProps } from "@mantine/core";
import { DatePicker } from "@mantine/dates";
import { IconCalendar } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { DatesSetup } from "../grants/DatesSetup";
import { parseTypedDate, typedDate } from "../../lib/dates";
import { useFormat } from "../../lib/format";

export interface DateFieldProps extends Omit<TextInputProps, "value" | "onChange" | "defaultValue" | "type" | "styles"> {
  value?: string | null;
  onChange?: (value: string | null) => void;
  minDate?: string;
  maxDate?: string;
  clearable?: boolean;
  clearButtonProps?: { "aria-label"?: string };
  // Accepted for DatePickerInput's callers; the field always shows dd/mm/yyyy.
  valueFormat?: string;
  styles?: unknown;
  style?: CSSProperties;
  error?: ReactNode;
}

export function DateField({
  value,
  onChange,
  minDate,
  maxDate,
  clearable,
  clearButtonProps,
  valueFormat: _valueFormat,
  styles: _styles,
  error,
  label,
  disabled,
  onBlur,
  ...rest
}: DateFieldProps) {
  const { t } = useTranslation("common");
  const fmt = useFormat();
  const iso = value ? String(value).slice(0, 10) : "";
  const [text, setText] = useState(typedDate(iso));
  const [problem, setProblem] = useState("");
  const [open, setOpen] = useState(false);
  const id = useId();

  // A value set from outside (a reset, a loaded record) shows as typed.
  const [shown, setShown] = useState(iso);
  if (shown !== iso) {
    setShown(iso);
    if (parseTypedDate(text) !== (iso || undefined)) {
      setText(typedDate(iso));
      setProblem("");
    }
  }

  const check = (s: string): string => {
    if (s.trim() === "") return "";
    const d = parseTypedDate(s);
    if (!d) return t("common:date.invalid", { example: typedDate("2026-11-28") });
    if (minDate && d < minDate.slice(0, 10)) return t("common:date.tooEarly", { date: fmt.date(minDate.slice(0, 10)) });
    if (maxDate && d > maxDate.slice(0, 10)) return t("common:date.tooLate", { date: fmt.date(maxDate.slice(0, 10)) });
    return "";
  };

  const typed = (s: string) => {
    setText(s);
    const d = parseTypedDate(s);
    if (s.trim() === "") {
      setProblem("");
      onChange?.(null);
    } else if (d && !check(s)) {
      setProblem("");
      if (d !== iso) onChange?.(d);
    } else if (iso) {
      onChange?.(null); // what is shown is not the value: keep no stale one
    }
  };

  const picked = (d: string | null) => {
    setOpen(false);
    const day = d ? String(d).slice(0, 10) : null;
    setText(typedDate(day));
    setProblem("");
    onChange?.(day);
  };

  const shownError = problem || error;

  return (
    <TextInput
      {...rest}
      id={id}
      label={label}
      disabled={disabled}
      value={text}
      inputMode="numeric"
      autoComplete="off"
      placeholder={rest.placeholder && parseTypedDate(String(rest.placeholder)) ? rest.placeholder : t("common:date.placeholder")}
      onChange={(e) => typed(e.currentTarget.value)}
      onBlur={(e) => {
        setProblem(check(e.currentTarget.value));
        onBlur?.(e);
      }}
      error={shownError || undefined}
      rightSectionWidth={clearable && text ? 60 : 34}
      rightSectionPointerEvents="all"
      rightSection={
        <Group gap={2} wrap="nowrap">
          {clearable && text && !disabled && (
            <CloseButton size="sm" aria-label={clearButtonProps?.["aria-label"] ?? t("common:actions.clearValue")} onClick={() => picked(null)} />
          )}
          <Popover opened={open} onChange={setOpen} position="bottom-end" trapFocus returnFocus withinPortal shadow="md">
            <Popover.Target>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={typeof label === "string" ? label : t("common:date.pick")}
                title={t("common:date.pick")}
                disabled={disabled}
                onClick={() => setOpen((o) => !o)}
              >
                <IconCalendar size={16} aria-hidden />
              </ActionIcon>
            </Popover.Target>
            <Popover.Dropdown aria-label={t("common:date.pick")}>
              <DatesSetup>
                <DatePicker value={iso || null} defaultDate={iso || undefined} onChange={picked} minDate={minDate || undefined} maxDate={maxDate || undefined} />
              </DatesSetup>
            </Popover.Dropdown>
          </Popover>
        </Group>
      }
    />
  );
}
