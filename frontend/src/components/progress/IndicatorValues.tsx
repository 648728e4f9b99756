// The indicator values of a progress update: for each indicator of the
// project, the value for the period (a number, a percentage, yes/no or
// text), its breakdown by the indicator's disaggregation categories with the
// live sum against the value (a mismatch is shown, not refused), and the
// evidence. Read-only, the same as text.
import { Alert, Button, Fieldset, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { IndicatorType, type Indicator } from "../../gen/pactum/v1/results_pb";
import type { IndicatorSuggestion } from "../../gen/pactum/v1/progress_update_pb";
import { useFormat } from "../../lib/format";
import { cmp, isDecimal, sumDecimals } from "../../lib/decimal";
import type { DisValue, IndicatorEntry } from "./autosave";

const empty = (indicator: string): IndicatorEntry => ({ indicator, value: "", evidence: "", disaggregatedValues: [] });

export function IndicatorValues({
  indicators,
  values,
  period,
  editable,
  onChange,
  onBlur,
  errors,
  suggestions = [],
}: {
  suggestions?: IndicatorSuggestion[];
  indicators: Indicator[];
  values: IndicatorEntry[];
  period: number;
  editable: boolean;
  onChange: (v: IndicatorEntry[]) => void;
  onBlur: () => void;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation("progress");
  if (indicators.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t("indicators.none")}
      </Text>
    );
  }
  const byName = new Map(values.map((v) => [v.indicator, v]));
  const put = (entry: IndicatorEntry) => {
    const next = values.some((v) => v.indicator === entry.indicator) ? values.map((v) => (v.indicator === entry.indicator ? entry : v)) : [...values, entry];
    onChange(next);
  };
  return (
    <Stack gap="md">
      {indicators.map((ind, i) => {
        const idx = values.findIndex((v) => v.indicator === ind.name);
        const fieldError = (f: string) => (idx >= 0 ? errors[`indicator_values[${idx}].${f}`] : undefined);
        return (
          <IndicatorCard
            key={ind.name}
            n={i}
            indicator={ind}
            entry={byName.get(ind.name) ?? empty(ind.name)}
            period={period}
            editable={editable}
            onChange={put}
            onBlur={onBlur}
            valueError={fieldError("value")}
            evidenceError={fieldError("evidence")}
            suggestion={suggestions.find((s) => s.indicator === ind.name)}
          />
        );
      })}
    </Stack>
  );
}

function IndicatorCard({
  n,
  indicator,
  entry,
  period,
  editable,
  onChange,
  onBlur,
  valueError,
  evidenceError,
  suggestion,
}: {
  suggestion?: IndicatorSuggestion;
  n: number;
  indicator: Indicator;
  entry: IndicatorEntry;
  period: number;
  editable: boolean;
  onChange: (e: IndicatorEntry) => void;
  onBlur: () => void;
  valueError?: string;
  evidenceError?: string;
}) {
  const { t } = useTranslation("progress");
  const id = `indicator-${n}`;
  const target = indicator.periods.find((p) => p.period === period)?.target ?? "";
  const numeric = indicator.type === IndicatorType.NUMBER || indicator.type === IndicatorType.PERCENTAGE;
  const badNumber = numeric && entry.value !== "" && !isDecimal(entry.value.replace(",", "."));
  const typeLabel = t(`indicators.type.${IndicatorType[indicator.type] ?? "NUMBER"}`);
  const heading = [indicator.code, indicator.title].filter(Boolean).join(" · ");
  const disValue = (d: string, c: string) => entry.disaggregatedValues.find((x) => x.disaggregation === d && x.category === c)?.value ?? "";
  const setDis = (d: string, c: string, value: string) => {
    const rest = entry.disaggregatedValues.filter((x) => !(x.disaggregation === d && x.category === c));
    const next: DisValue[] = value === "" ? rest : [...rest, { disaggregation: d, category: c, value }];
    onChange({ ...entry, disaggregatedValues: next });
  };

  return (
    <Paper withBorder radius="md" p={{ base: "sm", sm: "md" }} component="section" aria-labelledby={`${id}-title`} data-testid="indicator">
      <Stack gap="sm">
        <div>
          <Title order={4} size="h5" id={`${id}-title`} style={{ overflowWrap: "anywhere" }}>
            {heading}
          </Title>
          <Text size="xs" c="dimmed">
            {[typeLabel, indicator.unit, target ? t("indicators.target", { target }) : "", indicator.baseline ? t("indicators.baseline", { baseline: indicator.baseline }) : ""]
              .filter(Boolean)
              .join(" · ")}
          </Text>
        </div>

        {editable && suggestion && <Suggested suggestion={suggestion} entry={entry} onUse={onChange} />}

        {!editable ? (
          <ReadOnly indicator={indicator} entry={entry} />
        ) : (
          <>
            {indicator.type === IndicatorType.YES_NO ? (
              <Stack gap={4}>
                <Text size="sm" fw={500} id={`${id}-value-label`}>
                  {t("indicators.value")}
                </Text>
                <SegmentedControl
                  aria-labelledby={`${id}-value-label`}
                  value={entry.value}
                  onChange={(v) => onChange({ ...entry, value: v })}
                  data={[
                    { value: "", label: t("indicators.notReported") },
                    { value: "1", label: t("indicators.yes") },
                    { value: "0", label: t("indicators.no") },
                  ]}
                  style={{ alignSelf: "flex-start" }}
                />
              </Stack>
            ) : indicator.type === IndicatorType.QUALITATIVE ? (
              <Textarea
                label={t("indicators.value")}
                value={entry.value}
                onChange={(e) => onChange({ ...entry, value: e.currentTarget.value })}
                onBlur={onBlur}
                autosize
                minRows={2}
                maxRows={12}
                error={valueError}
              />
            ) : (
              <TextInput
                label={indicator.type === IndicatorType.PERCENTAGE ? t("indicators.valuePercent") : t("indicators.valueUnit", { unit: indicator.unit || t("indicators.number") })}
                value={entry.value}
                inputMode="decimal"
                onChange={(e) => onChange({ ...entry, value: e.currentTarget.value.trim() })}
                onBlur={onBlur}
                error={valueError ?? (badNumber ? t("indicators.notANumber") : undefined)}
                w={{ base: "100%", xs: 240 }}
                data-indicator-value
              />
            )}

            {numeric &&
              indicator.disaggregations.map((d, di) => {
                const values = d.categories.map((c) => disValue(d.name, c));
                const filled = values.filter((v) => v !== "");
                const sum = sumDecimals(values.map((v) => (isDecimal(v) ? v : "")));
                const checks = indicator.type === IndicatorType.NUMBER && filled.length > 0 && entry.value !== "" && isDecimal(entry.value);
                const mismatch = checks && cmp(sum, entry.value) !== 0;
                return (
                  <Fieldset key={d.name} legend={t("indicators.by", { name: d.name })} variant="filled" p="sm">
                    <SimpleGrid cols={{ base: 2, xs: 3, sm: 4 }} spacing="xs">
                      {d.categories.map((c) => (
                        <TextInput
                          key={c}
                          label={c}
                          size="sm"
                          inputMode="decimal"
                          value={disValue(d.name, c)}
                          onChange={(e) => setDis(d.name, c, e.currentTarget.value.trim())}
                          onBlur={onBlur}
                          id={`${id}-d${di}-${c}`}
                        />
                      ))}
                    </SimpleGrid>
                    {checks && (
                      <Text size="sm" mt="xs" c={mismatch ? "#a63f00" : "teal.9"} role="status" data-testid="disaggregation-sum">
                        {mismatch ? t("indicators.mismatch", { sum, value: entry.value }) : t("indicators.matches", { sum })}
                      </Text>
                    )}
                  </Fieldset>
                );
              })}

            <Textarea
              label={t("indicators.evidence")}
              description={t("indicators.evidenceHelp")}
              value={entry.evidence}
              onChange={(e) => onChange({ ...entry, evidence: e.currentTarget.value })}
              onBlur={onBlur}
              autosize
              minRows={2}
              maxRows={10}
              error={evidenceError}
            />
          </>
        )}
      </Stack>
    </Paper>
  );
}

function ReadOnly({ indicator, entry }: { indicator: Indicator; entry: IndicatorEntry }) {
  const { t } = useTranslation("progress");
  const value =
    entry.value === ""
      ? t("indicators.notReported")
      : indicator.type === IndicatorType.YES_NO
        ? entry.value === "1"
          ? t("indicators.yes")
          : t("indicators.no")
        : indicator.type === IndicatorType.PERCENTAGE
          ? `${entry.value} %`
          : [entry.value, indicator.unit].filter(Boolean).join(" ");
  const sum = (d: string) => sumDecimals(entry.disaggregatedValues.filter((x) => x.disaggregation === d).map((x) => x.value));
  return (
    <Stack gap="xs">
      <Text size="sm">
        <Text span fw={600}>
          {t("indicators.value")}:
        </Text>{" "}
        {value}
      </Text>
      {indicator.disaggregations.map((d) => {
        const parts = d.categories.map((c) => ({ c, v: entry.disaggregatedValues.find((x) => x.disaggregation === d.name && x.category === c)?.value ?? "" })).filter((p) => p.v !== "");
        if (parts.length === 0) return null;
        const mismatch = indicator.type === IndicatorType.NUMBER && isDecimal(entry.value) && cmp(sum(d.name), entry.value) !== 0;
        return (
          <Group key={d.name} gap="xs" wrap="wrap">
            <Text size="sm" fw={600}>
              {t("indicators.by", { name: d.name })}:
            </Text>
            <Text size="sm">{parts.map((p) => `${p.c} ${p.v}`).join(" · ")}</Text>
            {mismatch && (
              <Text size="sm" c="#a63f00">
                {t("indicators.mismatch", { sum: sum(d.name), value: entry.value })}
              </Text>
            )}
          </Group>
        );
      })}
      {entry.evidence && (
        <Alert variant="light" color="gray" title={t("indicators.evidence")} p="xs">
          <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
            {entry.evidence}
          </Text>
        </Alert>
      )}
    </Stack>
  );
}

// Suggested offers the value added up from the activity log for the
// period, with its breakdown; "Use" puts it in the form, where the partner
// may still correct it (nothing is saved until the autosave does).
function Suggested({ suggestion: s, entry, onUse }: { suggestion: IndicatorSuggestion; entry: IndicatorEntry; onUse: (e: IndicatorEntry) => void }) {
  const { t } = useTranslation("progress");
  const fmt = useFormat();
  const p = s.participants;
  const parts = [
    p && p.women > 0 ? t("suggestion.women", { count: p.women, formatted: fmt.number(p.women) }) : "",
    p && p.men > 0 ? t("suggestion.men", { count: p.men, formatted: fmt.number(p.men) }) : "",
    p && p.otherOrNotStated > 0 ? t("suggestion.other", { count: p.otherOrNotStated, formatted: fmt.number(p.otherOrNotStated) }) : "",
  ].filter(Boolean);
  const ages = s.participantsByAge.map((a) => t("suggestion.age", { group: a.ageGroup, formatted: fmt.number(a.count) }));
  const used =
    entry.value === s.value &&
    s.disaggregatedValues.every((d) => entry.disaggregatedValues.some((x) => x.disaggregation === d.disaggregation && x.category === d.category && x.value === d.value));
  const use = () => {
    const keep = entry.disaggregatedValues.filter((x) => !s.disaggregatedValues.some((d) => d.disaggregation === x.disaggregation));
    onUse({ ...entry, value: s.value, disaggregatedValues: [...keep, ...s.disaggregatedValues.map((d) => ({ disaggregation: d.disaggregation, category: d.category, value: d.value }))] });
  };
  const total = fmt.number(Number(s.value));
  return (
    <Alert variant="light" color="teal" p="xs" data-testid="suggestion">
      <Group justify="space-between" align="center" gap="xs" wrap="wrap">
        <Stack gap={2} style={{ flex: "1 1 16rem" }}>
          <Text size="sm" fw={500}>
            {parts.length > 0 ? t("suggestion.text", { total, parts: parts.join(", ") }) : t("suggestion.textTotal", { total })}
          </Text>
          <Text size="xs" c="gray.7">
            {[t(s.linked ? "suggestion.linked" : "suggestion.all", { count: s.activities.length, formatted: fmt.number(s.activities.length) }), ages.length > 0 ? t("suggestion.byAge", { ages: ages.join(", ") }) : ""]
              .filter(Boolean)
              .join(" · ")}
          </Text>
        </Stack>
        {used ? (
          <Text size="sm" c="teal.9" role="status">
            {t("suggestion.used")}
          </Text>
        ) : (
          <Button size="xs" color="teal.9" onClick={use} aria-label={t("suggestion.useLabel", { total })}>
            {t("suggestion.use")}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
