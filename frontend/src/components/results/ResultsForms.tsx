// The modal forms of the results framework: a result (an objective or an
// output: code, title, description) and an indicator (the result it
// measures, code, title, unit, type, baseline, disaggregation categories,
// and a target and actual per reporting period). A new record is created
// with a request_id; a change sends only the fields that changed, with the
// etag. The server's field errors are shown next to the fields.
import { useMemo, useState } from "react";
import { ActionIcon, Button, Checkbox, Group, Modal, Select, SimpleGrid, Stack, Table, TagsInput, Text, Textarea, TextInput } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useForm } from "@mantine/form";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  IndicatorType,
  ResultLevel,
  ResultsService,
  type DisaggregatedValue,
  type Indicator,
  type IndicatorPeriod,
  type Result,
} from "../../gen/pactum/v1/results_pb";
import { showToast } from "../../lib/toast";
import { MutationError } from "../grants/MutationError";
import { useServerFieldErrors, type FormErrors, type Place } from "../shared/forms";
import { newRequestId } from "../shared/requestId";
import type { ReportingPeriod } from "../report/periods";
import { useFormat } from "../../lib/format";
import { indicatorTypeOptions, levelLabel } from "./indicators";

// ---------------------------------------------------------------- results

export interface ResultTarget {
  project: string; // "projects/{p}"
  // A new result: its level and parent; an existing one: the result.
  level?: ResultLevel;
  parent?: string;
  result?: Result;
}

interface ResultValues {
  code: string;
  title: string;
  description: string;
}

export function ResultModal({ target, onClose }: { target: ResultTarget | undefined; onClose: () => void }) {
  const { t } = useTranslation(["results", "common"]);
  const phone = useMediaQuery("(max-width: 36em)");
  const level = target?.result?.level ?? target?.level ?? ResultLevel.UNSPECIFIED;
  return (
    <Modal
      opened={!!target}
      onClose={onClose}
      fullScreen={phone}
      size="lg"
      title={target?.result ? t("results:form.editResult", { level: levelLabel(t, level) }) : t("results:form.newResult", { level: levelLabel(t, level) })}
    >
      {target && <ResultForm key={target.result?.name ?? `${target.parent}-${level}`} target={target} onDone={onClose} />}
    </Modal>
  );
}

function ResultForm({ target, onDone }: { target: ResultTarget; onDone: () => void }) {
  const { t } = useTranslation(["results", "common"]);
  const queryClient = useQueryClient();
  const r = target.result;
  const start: ResultValues = { code: r?.code ?? "", title: r?.title ?? "", description: r?.description ?? "" };
  const form = useForm<ResultValues>({
    initialValues: start,
    validate: { title: (v) => (v.trim() ? null : t("results:validation.required")) },
  });
  const [requestId] = useState(newRequestId);
  const [etag, setEtag] = useState(r?.etag ?? "");
  const create = useMutation(ResultsService.method.createResult);
  const update = useMutation(ResultsService.method.updateResult);
  const error = r ? update.error : create.error;
  useServerFieldErrors(error, "result.", byFormPath, form.setErrors);

  const done = (message: string) => {
    void queryClient.invalidateQueries();
    showToast({ color: "teal", message });
    onDone();
  };
  const submit = (v: ResultValues) => {
    const fields = { code: v.code.trim(), title: v.title.trim(), description: v.description.trim() };
    if (!r) {
      create.mutate(
        { parent: target.project, requestId, result: { ...fields, level: target.level, parentResult: target.parent ?? "" } },
        { onSuccess: () => done(t("results:created")) },
      );
      return;
    }
    const mask = (Object.keys(fields) as (keyof ResultValues)[]).filter((k) => fields[k] !== start[k]);
    if (mask.length === 0) return onDone();
    update.mutate({ result: { ...fields, name: r.name, etag }, updateMask: { paths: mask } }, { onSuccess: () => done(t("results:saved")) });
  };
  const fresh = useQuery(ResultsService.method.getResult, { name: r?.name ?? "" }, { enabled: false });
  const reload = async () => {
    const x = await fresh.refetch();
    if (x.data?.result) {
      setEtag(x.data.result.etag);
      update.reset();
    }
  };

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
          <TextInput label={t("results:fields.code")} description={t("results:help.resultCode")} maxLength={50} {...form.getInputProps("code")} />
          <TextInput
            label={t("results:fields.title")}
            required
            maxLength={1000}
            style={{ gridColumn: "span 2" }}
            {...form.getInputProps("title")}
          />
        </SimpleGrid>
        <Textarea label={t("results:fields.description")} autosize minRows={2} maxRows={8} maxLength={10000} {...form.getInputProps("description")} />
        <MutationError error={error} prefix="result." placed={["code", "title", "description"]} onReload={r ? () => void reload() : undefined} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t("common:actions.cancel")}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {r ? t("common:actions.save") : t("common:actions.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

// byFormPath places the server's field violations on the form's fields
// (the path after the prefix; "periods[2].target" -> "periods.2.target").
const byFormPath: Place = (v, say) => {
  const errors: FormErrors = {};
  // "baseline_date" -> "baselineDate".
  for (const [path, d] of Object.entries(v)) errors[path.replace(/\[(\d+)\]/g, ".$1").replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = say(d);
  return errors;
};

// ---------------------------------------------------------------- indicators

export interface IndicatorTarget {
  project: string;
  results: Result[];
  periods: ReportingPeriod[];
  // A new indicator: the result it measures; an existing one: the indicator.
  result?: string;
  indicator?: Indicator;
}

interface DisaggregationRow {
  name: string;
  categories: string[];
}

interface PeriodRow {
  period: number | "";
  target: string;
  actual: string;
}

interface IndicatorValues {
  result: string;
  code: string;
  title: string;
  unit: string;
  type: string;
  baseline: string;
  disaggregations: DisaggregationRow[];
  periods: PeriodRow[];
  // What OPSYS (the EU's results platform) asks beyond the logframe.
  euCode: string;
  euCorporate: boolean;
  baselineDate: string;
  finalTarget: string;
  targetDate: string;
  dataSource: string;
}

export function IndicatorModal({ target, onClose }: { target: IndicatorTarget | undefined; onClose: () => void }) {
  const { t } = useTranslation(["results", "common"]);
  const phone = useMediaQuery("(max-width: 36em)");
  return (
    <Modal opened={!!target} onClose={onClose} fullScreen={phone} size="xl" title={target?.indicator ? t("results:form.editIndicator") : t("results:form.newIndicator")}>
      {target && <IndicatorForm key={target.indicator?.name ?? target.result} target={target} onDone={onClose} />}
    </Modal>
  );
}

function indicatorValues(target: IndicatorTarget): IndicatorValues {
  const i = target.indicator;
  if (!i) {
    return {
      result: target.result ?? "",
      code: "",
      title: "",
      unit: "",
      type: String(IndicatorType.NUMBER),
      baseline: "",
      disaggregations: [],
      periods: (target.periods.length ? target.periods.map((p) => p.n) : [1, 2, 3]).map((n) => ({ period: n, target: "", actual: "" })),
      euCode: "",
      euCorporate: false,
      baselineDate: "",
      finalTarget: "",
      targetDate: "",
      dataSource: "",
    };
  }
  return {
    result: i.result,
    code: i.code,
    title: i.title,
    unit: i.unit,
    type: String(i.type),
    baseline: i.baseline,
    disaggregations: i.disaggregations.map((d) => ({ name: d.name, categories: [...d.categories] })),
    periods: [...i.periods].sort((a, b) => a.period - b.period).map((p) => ({ period: p.period, target: p.target, actual: p.actual })),
    euCode: i.euCode,
    euCorporate: i.euCorporate,
    baselineDate: i.baselineDate,
    finalTarget: i.finalTarget,
    targetDate: i.targetDate,
    dataSource: i.dataSource,
  };
}

function IndicatorForm({ target, onDone }: { target: IndicatorTarget; onDone: () => void }) {
  const { t } = useTranslation(["results", "common"]);
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const i = target.indicator;
  const start = useMemo(() => indicatorValues(target), [target]);
  const form = useForm<IndicatorValues>({
    mode: "controlled",
    initialValues: start,
    validate: {
      result: (v) => (v ? null : t("results:validation.required")),
      title: (v) => (v.trim() ? null : t("results:validation.required")),
      type: (v) => (v ? null : t("results:validation.required")),
      disaggregations: {
        name: (v) => (v.trim() ? null : t("results:validation.required")),
        categories: (v) => (v.length >= 2 ? null : t("results:validation.twoCategories")),
      },
      periods: {
        period: (v, all) =>
          v === "" || v < 1 ? t("results:validation.required") : all.periods.filter((p) => p.period === v).length > 1 ? t("results:validation.periodTwice") : null,
        target: (v, all) => valueError(v, all.type),
        actual: (v, all) => valueError(v, all.type),
      },
      euCode: (v, all) => (all.euCorporate && !v.trim() ? t("results:validation.euCode") : null),
      finalTarget: (v, all) => valueError(v, all.type),
      targetDate: (v, all) => (v && all.baselineDate && v < all.baselineDate ? t("results:validation.targetDate") : null),
    },
  });
  const valueError = (v: string, type: string) => {
    const s = v.trim();
    if (!s) return null;
    const ty = Number(type) as IndicatorType;
    if ((ty === IndicatorType.NUMBER || ty === IndicatorType.PERCENTAGE) && !/^-?\d+(\.\d+)?$/.test(s)) return t("results:validation.number");
    if (ty === IndicatorType.PERCENTAGE && (Number(s) < 0 || Number(s) > 100)) return t("results:validation.percentage");
    return null;
  };
  const [requestId] = useState(newRequestId);
  const create = useMutation(ResultsService.method.createIndicator);
  const update = useMutation(ResultsService.method.updateIndicator);
  const error = i ? update.error : create.error;
  useServerFieldErrors(error, "indicator.", byFormPath, form.setErrors);
  const [etag, setEtag] = useState(i?.etag ?? "");
  const fresh = useQuery(ResultsService.method.getIndicator, { name: i?.name ?? "" }, { enabled: false });
  const reload = async () => {
    const x = await fresh.refetch();
    if (x.data?.indicator) {
      setEtag(x.data.indicator.etag);
      update.reset();
    }
  };

  const toApi = (v: IndicatorValues) => {
    const type = Number(v.type) as IndicatorType;
    const disaggregations = v.disaggregations.map((d) => ({ name: d.name.trim(), categories: d.categories.map((c) => c.trim()).filter(Boolean) }));
    const valid = new Map(disaggregations.map((d) => [d.name, new Set(d.categories)]));
    const periods = v.periods.map((p) => {
      const before: IndicatorPeriod | undefined = i?.periods.find((x) => x.period === p.period);
      // The achieved value's breakdown (entered with progress updates) is
      // kept, but not for categories that no longer exist.
      const kept: DisaggregatedValue[] =
        type === IndicatorType.NUMBER || type === IndicatorType.PERCENTAGE
          ? (before?.disaggregatedActuals ?? []).filter((x) => valid.get(x.disaggregation)?.has(x.category))
          : [];
      return { period: Number(p.period), target: p.target.trim(), actual: p.actual.trim(), disaggregatedActuals: kept };
    }).filter((p) => p.target !== "" || p.actual !== "" || p.disaggregatedActuals.length > 0); // rows left empty are not periods
    return {
      result: v.result,
      code: v.code.trim(),
      title: v.title.trim(),
      unit: v.unit.trim(),
      type,
      baseline: v.baseline.trim(),
      disaggregations,
      periods,
      euCode: v.euCode.trim(),
      euCorporate: v.euCorporate,
      baselineDate: v.baselineDate,
      finalTarget: v.finalTarget.trim(),
      targetDate: v.targetDate,
      dataSource: v.dataSource.trim(),
    };
  };
  const done = (message: string) => {
    void queryClient.invalidateQueries();
    showToast({ color: "teal", message });
    onDone();
  };
  const submit = (v: IndicatorValues) => {
    const fields = toApi(v);
    if (!i) {
      create.mutate({ parent: target.project, requestId, indicator: fields }, { onSuccess: () => done(t("results:indicatorCreated")) });
      return;
    }
    const before = toApi(start) as Record<string, unknown>;
    const after = fields as Record<string, unknown>;
    const mask = [
      "result",
      "code",
      "title",
      "unit",
      "type",
      "baseline",
      "disaggregations",
      "periods",
      "euCode",
      "euCorporate",
      "baselineDate",
      "finalTarget",
      "targetDate",
      "dataSource",
    ].filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    if (mask.length === 0) return onDone();
    // The mask names the API's fields (snake_case).
    const paths = mask.map((k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
    update.mutate({ indicator: { ...fields, name: i.name, etag }, updateMask: { paths } }, { onSuccess: () => done(t("results:indicatorSaved")) });
  };

  const resultOptions = target.results.map((r) => ({
    value: r.name,
    label: `${levelLabel(t, r.level)}: ${r.code ? `${r.code} – ` : ""}${r.title}`,
  }));
  const type = Number(form.values.type) as IndicatorType;
  const periodLabel = (n: number | "") => {
    const p = target.periods.find((x) => x.n === n);
    return p ? `${fmt.date(p.from)} – ${fmt.date(p.to)}` : "";
  };
  const valueInput = (k: number, field: "target" | "actual") => {
    const label = t(`results:fields.${field}PeriodN`, { n: form.values.periods[k].period || k + 1 });
    if (type === IndicatorType.YES_NO) {
      return (
        <Select
          aria-label={label}
          data={[
            { value: "1", label: t("results:yes") },
            { value: "0", label: t("results:no") },
          ]}
          clearable
          clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
          {...form.getInputProps(`periods.${k}.${field}`)}
          value={form.values.periods[k][field] || null}
          onChange={(v) => form.setFieldValue(`periods.${k}.${field}`, v ?? "")}
        />
      );
    }
    return (
      <TextInput
        aria-label={label}
        inputMode={type === IndicatorType.QUALITATIVE ? "text" : "decimal"}
        maxLength={2000}
        {...form.getInputProps(`periods.${k}.${field}`)}
      />
    );
  };

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate aria-label={i ? t("results:form.editIndicator") : t("results:form.newIndicator")}>
      <Stack gap="sm">
        <Select
          label={t("results:fields.result")}
          required
          allowDeselect={false}
          data={resultOptions}
          {...form.getInputProps("result")}
          value={form.values.result || null}
          onChange={(v) => form.setFieldValue("result", v ?? "")}
        />
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
          <TextInput label={t("results:fields.code")} description={t("results:help.indicatorCode")} maxLength={50} {...form.getInputProps("code")} />
          <TextInput label={t("results:fields.title")} required maxLength={1000} style={{ gridColumn: "span 2" }} {...form.getInputProps("title")} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
          <Select
            label={t("results:fields.type")}
            description={t("results:help.type")}
            required
            allowDeselect={false}
            data={indicatorTypeOptions(t)}
            {...form.getInputProps("type")}
            onChange={(v) => form.setFieldValue("type", v ?? "")}
          />
          <TextInput label={t("results:fields.unit")} description={t("results:help.unit")} maxLength={100} {...form.getInputProps("unit")} />
          <TextInput label={t("results:fields.baseline")} description={t("results:help.baseline")} maxLength={2000} {...form.getInputProps("baseline")} />
        </SimpleGrid>

        <Stack gap={6} role="group" aria-labelledby="opsys-label">
          <Text size="sm" fw={500} id="opsys-label">
            {t("results:opsysFields.title")}
          </Text>
          <Text size="xs" c="dimmed">
            {t("results:opsysFields.help")}
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            <TextInput label={t("results:opsysFields.euCode")} description={t("results:opsysFields.euCodeHelp")} maxLength={100} {...form.getInputProps("euCode")} />
            <Checkbox
              mt={{ base: 0, xs: "xl" }}
              label={t("results:opsysFields.euCorporate")}
              {...form.getInputProps("euCorporate", { type: "checkbox" })}
            />
            <TextInput type="date" label={t("results:opsysFields.baselineDate")} {...form.getInputProps("baselineDate")} />
            <TextInput
              label={t("results:opsysFields.finalTarget")}
              description={t("results:opsysFields.finalTargetHelp")}
              maxLength={2000}
              {...form.getInputProps("finalTarget")}
            />
            <TextInput type="date" label={t("results:opsysFields.targetDate")} description={t("results:opsysFields.targetDateHelp")} {...form.getInputProps("targetDate")} />
            <TextInput label={t("results:opsysFields.dataSource")} maxLength={2000} {...form.getInputProps("dataSource")} />
          </SimpleGrid>
        </Stack>

        <Stack gap={6} role="group" aria-labelledby="disaggregations-label">
          <Text size="sm" fw={500} id="disaggregations-label">
            {t("results:fields.disaggregations")}
          </Text>
          <Text size="xs" c="dimmed">
            {t("results:help.disaggregations")}
          </Text>
          {form.values.disaggregations.map((_, k) => (
            <Group key={k} gap="xs" align="flex-start" wrap="nowrap">
              <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs" style={{ flex: 1, minWidth: 0 }}>
                <TextInput
                  aria-label={t("results:fields.disaggregationNameN", { n: k + 1 })}
                  placeholder={t("results:help.disaggregationName")}
                  maxLength={100}
                  {...form.getInputProps(`disaggregations.${k}.name`)}
                />
                <TagsInput
                  aria-label={t("results:fields.categoriesN", { n: k + 1 })}
                  placeholder={t("results:help.categories")}
                  style={{ gridColumn: "span 2" }}
                  splitChars={[",", ";"]}
                  clearable
                  clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
                  {...form.getInputProps(`disaggregations.${k}.categories`)}
                />
              </SimpleGrid>
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                mt={2}
                aria-label={t("results:form.removeDisaggregation", { name: form.values.disaggregations[k].name || k + 1 })}
                onClick={() => form.removeListItem("disaggregations", k)}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          <Group gap="xs">
            <Button variant="subtle" size="compact-sm" onClick={() => form.insertListItem("disaggregations", { name: "", categories: [] })}>
              + {t("results:form.addDisaggregation")}
            </Button>
            {!form.values.disaggregations.some((d) => d.name === "sex") && (
              <Button
                variant="subtle"
                size="compact-sm"
                onClick={() => form.insertListItem("disaggregations", { name: "sex", categories: ["women", "men", "other_or_not_stated"] })}
              >
                + {t("results:form.addSex")}
              </Button>
            )}
          </Group>
        </Stack>

        <Stack gap={6} role="group" aria-labelledby="periods-label">
          <Text size="sm" fw={500} id="periods-label">
            {t("results:fields.periods")}
          </Text>
          <Table.ScrollContainer minWidth={0}>
            <Table verticalSpacing={4} horizontalSpacing={4} withRowBorders={false}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" w="5.5rem">
                    {t("results:fields.period")}
                  </Table.Th>
                  <Table.Th scope="col">{t("results:fields.target")}</Table.Th>
                  <Table.Th scope="col">{t("results:fields.actual")}</Table.Th>
                  <Table.Th scope="col" w="2.5rem">
                    <span style={{ position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)" }}>{t("results:form.remove")}</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {form.values.periods.map((p, k) => (
                  <Table.Tr key={k}>
                    <Table.Td>
                      <TextInput
                        aria-label={t("results:fields.periodN", { n: k + 1 })}
                        title={periodLabel(p.period)}
                        inputMode="numeric"
                        {...form.getInputProps(`periods.${k}.period`)}
                        onChange={(e) => {
                          const s = e.currentTarget.value.replace(/\D/g, "");
                          form.setFieldValue(`periods.${k}.period`, s === "" ? "" : Number(s));
                        }}
                      />
                    </Table.Td>
                    <Table.Td>{valueInput(k, "target")}</Table.Td>
                    <Table.Td>{valueInput(k, "actual")}</Table.Td>
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        size="lg"
                        aria-label={t("results:form.removePeriod", { n: p.period || k + 1 })}
                        onClick={() => form.removeListItem("periods", k)}
                      >
                        ×
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group>
            <Button
              variant="subtle"
              size="compact-sm"
              onClick={() =>
                form.insertListItem("periods", {
                  period: Math.max(0, ...form.values.periods.map((x) => Number(x.period) || 0)) + 1,
                  target: "",
                  actual: "",
                })
              }
            >
              + {t("results:form.addPeriod")}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t("results:help.periods")}
          </Text>
        </Stack>

        <MutationError error={error} prefix="indicator." placed={[]} onReload={i ? () => void reload() : undefined} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t("common:actions.cancel")}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {i ? t("common:actions.save") : t("common:actions.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
