// /grants/from-contract: a coordinator sets up a grant from its signed
// contract in one flow. 1. the Special Conditions' figures (the grant form);
// 2. the terms the grant form does not hold (indirect-cost rate,
// exchange-rate policy, pre-financing schedule) and the Annex III budget,
// imported from the contract's spreadsheet and checked row by row; 3. the
// first project with its partners in their roles; 4. a preview with every
// milestone that will be made. Each step asks the server to check what is
// known so far (validate_only); "Create the grant" makes it all in one
// transaction, with a request_id kept across retries, and opens the grant.
import "@mantine/dates/styles.css";
import { useState } from "react";
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Fieldset,
  FileInput,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Radio,
  ScrollArea,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useLocation } from "wouter";
import { useTranslation } from "react-i18next";
import { ExchangeRatePolicy } from "../../gen/pactum/v1/budget_pb";
import { ContractService, type CreateGrantFromContractResponse, type ContractBudgetProblem } from "../../gen/pactum/v1/contract_pb";
import { MilestoneKindSchema } from "../../gen/pactum/v1/milestone_pb";
import { ParticipantRole, type Participant } from "../../gen/pactum/v1/project_pb";
import { create } from "@bufbuild/protobuf";
import { ParticipantSchema } from "../../gen/pactum/v1/project_pb";
import { enumLabel } from "../../lib/enums";
import { fieldViolations } from "../../lib/errors";
import { sumDecimals } from "../../lib/decimal";
import { useFormat } from "../../lib/format";
import { showToast } from "../../lib/toast";
import { useSession } from "../../lib/session";
import { DatesSetup } from "../../components/grants/DatesSetup";
import { GrantForm } from "../../components/grants/GrantForm";
import { minorDigits } from "../../components/grants/currencies";
import { DecimalInput } from "../../components/grants/MoneyInput";
import { MutationError } from "../../components/grants/MutationError";
import { toGrant, type GrantValues } from "../../components/grants/grantValues";
import { fileBytes } from "../../components/expenditures/files";
import { useCountries } from "../../components/organisations/countries";
import { ParticipantsEditor } from "../../components/projects/ParticipantsEditor";
import { useOrganisations } from "../../components/projects/lookups";
import { PageHeader } from "../../components/shared/ui";
import { idOf, newRequestId } from "../../components/shared/requestId";
import { DateField } from "../../components/shared/DateField";

const policies = [ExchangeRatePolicy.MONTHLY, ExchangeRatePolicy.PERIOD_AVERAGE, ExchangeRatePolicy.FIXED, ExchangeRatePolicy.TRANSFER];
const policyKey: Record<number, string> = {
  [ExchangeRatePolicy.MONTHLY]: "MONTHLY",
  [ExchangeRatePolicy.PERIOD_AVERAGE]: "PERIOD_AVERAGE",
  [ExchangeRatePolicy.FIXED]: "FIXED",
  [ExchangeRatePolicy.TRANSFER]: "TRANSFER",
};

interface Instalment {
  dueDate: string | null;
  amount: string;
}

interface ProjectValues {
  code: string;
  title: string;
  countryCodes: string[];
  progressUpdateMonths: number | string;
  participants: Participant[];
}

export default function GrantFromContract() {
  const { t } = useTranslation(["contract", "grants", "budget", "projects", "common"]);
  const f = useFormat();
  const { permissions } = useSession();
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const organisations = useOrganisations();
  const countries = useCountries();
  const [requestId] = useState(newRequestId);
  const [step, setStep] = useState(0);
  const [grant, setGrant] = useState<GrantValues | null>(null);
  const [indirect, setIndirect] = useState("7");
  const [policy, setPolicy] = useState(ExchangeRatePolicy.MONTHLY);
  const [instalments, setInstalments] = useState<Instalment[]>([{ dueDate: null, amount: "" }]);
  const [file, setFile] = useState<File | null>(null);
  const [project, setProject] = useState<ProjectValues>({ code: "", title: "", countryCodes: [], progressUpdateMonths: 3, participants: [] });
  const [checked, setChecked] = useState<CreateGrantFromContractResponse | undefined>();
  const [stepError, setStepError] = useState<unknown>(null);
  const validate = useMutation(ContractService.method.createGrantFromContract);
  const save = useMutation(ContractService.method.createGrantFromContract);

  const currency = grant?.currencyCode ?? "";
  const decimals = minorDigits(currency);

  // request: what is known so far; the file and the project from their steps on.
  const request = async (upTo: number, validateOnly: boolean) => ({
    // The Special Conditions' rate (asked below) is the grant's flat rate.
    grant: grant ? { ...toGrant(grant), indirectCostRate: indirect } : undefined,
    terms: {
      indirectCostRate: indirect,
      exchangeRatePolicy: policy,
      prefinancing: instalments.filter((i) => i.dueDate || i.amount).map((i) => ({ dueDate: i.dueDate ?? "", amount: i.amount })),
    },
    ...(upTo >= 1 && file ? { budgetFileName: file.name, budgetContent: await fileBytes(file) } : {}),
    ...(upTo >= 2
      ? {
          project: {
            code: project.code.trim(),
            title: project.title.trim(),
            countryCodes: project.countryCodes,
            progressUpdateMonths: Number(project.progressUpdateMonths) || 0,
            participants: project.participants,
          },
        }
      : {}),
    validateOnly,
    ...(validateOnly ? {} : { requestId }),
  });

  // check asks the server about everything up to step upTo; on success it
  // moves on to next (unless the budget has problems).
  const check = async (upTo: number, next: number, g: GrantValues | null = grant) => {
    setStepError(null);
    const req = await request(upTo, true);
    if (g) req.grant = toGrant(g);
    validate.mutate(req, {
      onSuccess: (res) => {
        setChecked(res);
        if (res.problems.length > 0) return;
        if (upTo === 1 && project.participants.length === 0) prefillPartners(res);
        setStep(next);
      },
      onError: (err) => setStepError(err),
    });
  };

  // The lead coordinates; the partners the budget names take part as
  // co-beneficiaries until the user says otherwise.
  const prefillPartners = (res: CreateGrantFromContractResponse) => {
    const lead = res.grant?.leadOrganisation ?? "";
    const named = [...new Set(res.lines.map((l) => l.organisation).filter((o) => o && o !== lead))];
    const parts = [
      ...(lead ? [create(ParticipantSchema, { organisation: lead, role: ParticipantRole.COORDINATOR })] : []),
      ...named.map((o) => create(ParticipantSchema, { organisation: o, role: ParticipantRole.CO_BENEFICIARY })),
    ];
    const codes = [...new Set(named.map((o) => organisations.get(o)?.countryCode).filter((c): c is string => !!c))];
    setProject((p) => ({ ...p, participants: parts, countryCodes: p.countryCodes.length ? p.countryCodes : codes }));
  };

  const submit = async () => {
    save.mutate(await request(2, false), {
      onSuccess: (res) => {
        if (!res.created) {
          setChecked(res);
          setStep(1);
          return;
        }
        void queryClient.invalidateQueries();
        showToast({ color: "teal", message: t("contract:created") });
        navigate(`/grants/${idOf(res.grant?.name)}`, { replace: true });
      },
    });
  };

  if (!permissions?.createGrants) {
    return (
      <>
        <PageHeader title={t("contract:title")} back={{ href: "/grants", label: t("grants:title") }} />
        <Alert color="yellow" variant="light">
          {t("common:errors.permissionDenied")}
        </Alert>
      </>
    );
  }

  // What the budget's lines allocate to each partner (lines without a
  // partner are the lead's).
  const lead = checked?.grant?.leadOrganisation ?? "";
  const allocated: Record<string, string> = {};
  for (const l of checked?.lines ?? []) {
    const o = l.organisation || lead;
    allocated[o] = sumDecimals([allocated[o] ?? "0", l.total], decimals);
  }
  const violations = fieldViolations(stepError);
  const termErrors = (key: string) => violations[`terms.${key}`];
  const projectErrors = fieldViolations(stepError, "project.");
  const problems = checked?.problems ?? [];

  return (
    <>
      <PageHeader title={t("contract:title")} subtitle={t("contract:intro")} back={{ href: "/grants", label: t("grants:title") }} />
      <Paper withBorder radius="md" p={{ base: "sm", sm: "lg" }} maw={1080}>
        <DatesSetup>
          <Stepper active={step} onStepClick={(s) => s < step && setStep(s)} size="sm" allowNextStepsSelect={false} wrap>
            <Stepper.Step label={t("contract:steps.conditions")} description={t("contract:steps.conditionsHelp")}>
              <Stack gap="md" mt="md">
                <Text size="sm" c="gray.7">
                  {t("contract:conditionsIntro")}
                </Text>
                <GrantForm
                  create
                  withoutIndirectRate
                  initial={undefined}
                  submitLabel={t("contract:next")}
                  pending={validate.isPending}
                  error={step === 0 ? stepError : null}
                  onSubmit={(v) => {
                    setGrant(v);
                    void check(0, 1, v);
                  }}
                  onCancel={() => navigate("/grants")}
                />
              </Stack>
            </Stepper.Step>

            <Stepper.Step label={t("contract:steps.budget")} description={t("contract:steps.budgetHelp")}>
              <Stack gap="md" mt="md">
                <Fieldset legend={t("contract:terms.legend")} variant="filled">
                  <Stack gap="sm">
                    <DecimalInput
                      label={t("contract:terms.indirect")}
                      description={t("contract:terms.indirectHelp")}
                      value={indirect}
                      onChange={setIndirect}
                      decimals={2}
                      max={7}
                      maw={260}
                      error={termErrors("indirect_cost_rate")}
                      rightSection={
                        <Text size="xs" c="gray.7">
                          %
                        </Text>
                      }
                    />
                    <Radio.Group
                      label={t("budget:rules.policy")}
                      description={t("budget:rules.policyHelp")}
                      value={String(policy)}
                      onChange={(v) => setPolicy(Number(v))}
                    >
                      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
                        {policies.map((p) => (
                          <Radio
                            key={p}
                            value={String(p)}
                            label={t(`budget:rules.policies.${policyKey[p]}.label`)}
                            description={t(`budget:rules.policies.${policyKey[p]}.help`)}
                          />
                        ))}
                      </SimpleGrid>
                    </Radio.Group>
                    <Stack gap={6}>
                      <Text size="sm" fw={500}>
                        {t("contract:terms.prefinancing")}
                      </Text>
                      <Text size="xs" c="gray.7">
                        {t("contract:terms.prefinancingHelp")}
                      </Text>
                      {instalments.map((x, i) => (
                        <Group key={i} gap="xs" align="flex-start" wrap="nowrap" role="group" aria-label={t("contract:terms.instalment", { n: i + 1 })}>
                          <DateField
                            label={t("contract:terms.instalmentDate", { n: i + 1 })}
                            valueFormat="D MMM YYYY"
                            clearable
                            value={x.dueDate}
                            onChange={(d) => setInstalments(instalments.map((y, k) => (k === i ? { ...y, dueDate: d } : y)))}
                            error={termErrors(`prefinancing[${i}].due_date`)}
                            style={{ flex: 1 }}
                          />
                          <DecimalInput
                            label={t("contract:terms.instalmentAmount", { currency })}
                            value={x.amount}
                            onChange={(v) => setInstalments(instalments.map((y, k) => (k === i ? { ...y, amount: v } : y)))}
                            decimals={decimals}
                            error={termErrors(`prefinancing[${i}].amount`)}
                            style={{ flex: 1 }}
                          />
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            size="lg"
                            mt={26}
                            onClick={() => setInstalments(instalments.filter((_, k) => k !== i))}
                            aria-label={t("contract:terms.removeInstalment", { n: i + 1 })}
                          >
                            <IconTrash size={18} aria-hidden />
                          </ActionIcon>
                        </Group>
                      ))}
                      {termErrors("prefinancing") && (
                        <Text size="sm" c="red.8" role="alert">
                          {termErrors("prefinancing")}
                        </Text>
                      )}
                      <Group>
                        <Button
                          variant="light"
                          size="xs"
                          leftSection={<IconPlus size={14} aria-hidden />}
                          onClick={() => setInstalments([...instalments, { dueDate: null, amount: "" }])}
                        >
                          {t("contract:terms.addInstalment")}
                        </Button>
                      </Group>
                    </Stack>
                  </Stack>
                </Fieldset>

                <Fieldset legend={t("contract:budget.legend")} variant="filled">
                  <Stack gap="sm">
                    <Text size="sm" c="gray.7">
                      {t("contract:budget.help")}
                    </Text>
                    <FileInput
                      label={t("contract:budget.file")}
                      description={t("contract:budget.fileHelp")}
                      placeholder={t("contract:budget.choose")}
                      accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                      value={file}
                      onChange={(x) => {
                        setFile(x);
                        setChecked(undefined);
                      }}
                      error={violations.budget_content || violations.budget_file_name}
                      clearable
                      clearButtonProps={{ "aria-label": t("common:actions.clearValue") }}
                      maw={520}
                    />
                    {problems.length > 0 && <Problems problems={problems} currency={currency} />}
                    {checked && problems.length === 0 && checked.lines.length > 0 && <BudgetPreview res={checked} currency={currency} />}
                  </Stack>
                </Fieldset>
                {stepError != null && Object.keys(violations).every((k) => !k.startsWith("terms.") && !k.startsWith("budget_")) && (
                  <MutationError error={stepError} reasonsNs="grants" />
                )}
                <Group justify="space-between">
                  <Button variant="default" onClick={() => setStep(0)}>
                    {t("contract:back")}
                  </Button>
                  <Button onClick={() => void check(1, 2)} loading={validate.isPending} disabled={!file}>
                    {t("contract:checkBudget")}
                  </Button>
                </Group>
              </Stack>
            </Stepper.Step>

            <Stepper.Step label={t("contract:steps.partners")} description={t("contract:steps.partnersHelp")}>
              <Stack gap="md" mt="md">
                <Fieldset legend={t("contract:project.legend")} variant="filled">
                  <Stack gap="sm">
                    <Text size="sm" c="gray.7">
                      {t("contract:project.help")}
                    </Text>
                    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                      <TextInput
                        label={t("contract:project.code")}
                        maxLength={50}
                        value={project.code}
                        onChange={(e) => setProject({ ...project, code: e.currentTarget.value })}
                        error={projectErrors.code}
                      />
                      <TextInput
                        label={t("contract:project.title")}
                        required
                        maxLength={500}
                        value={project.title}
                        onChange={(e) => setProject({ ...project, title: e.currentTarget.value })}
                        error={projectErrors.title}
                        style={{ gridColumn: "span 2" }}
                      />
                    </SimpleGrid>
                    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                      <MultiSelect
                        label={t("contract:project.countries")}
                        required
                        searchable
                        data={countries.options}
                        value={project.countryCodes}
                        onChange={(v) => setProject({ ...project, countryCodes: v })}
                        limit={300}
                        error={projectErrors.country_codes}
                        style={{ gridColumn: "span 2" }}
                      />
                      <NumberInput
                        label={t("contract:project.progressMonths")}
                        description={t("contract:project.progressMonthsHelp")}
                        min={1}
                        max={12}
                        allowDecimal={false}
                        value={project.progressUpdateMonths}
                        onChange={(v) => setProject({ ...project, progressUpdateMonths: v })}
                        error={projectErrors.progress_update_months}
                      />
                    </SimpleGrid>
                  </Stack>
                </Fieldset>
                <Fieldset legend={t("contract:project.partners")} variant="filled">
                  <ParticipantsEditor
                    participants={project.participants}
                    onChange={(participants) => setProject({ ...project, participants })}
                    errors={projectErrors}
                    currency={currency}
                    allocated={allocated}
                  />
                </Fieldset>
                {stepError != null && Object.keys(projectErrors).length === 0 && <MutationError error={stepError} reasonsNs="grants" />}
                <Group justify="space-between">
                  <Button variant="default" onClick={() => setStep(1)}>
                    {t("contract:back")}
                  </Button>
                  <Button onClick={() => void check(2, 3)} loading={validate.isPending}>
                    {t("contract:preview")}
                  </Button>
                </Group>
              </Stack>
            </Stepper.Step>

            <Stepper.Step label={t("contract:steps.preview")} description={t("contract:steps.previewHelp")}>
              {checked && grant && (
                <Stack gap="md" mt="md">
                  <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
                    <Figure label={t("grants:fields.totalEligibleCosts")} value={f.money(checked.grant?.totalEligibleCosts, currency)} />
                    <Figure label={t("grants:fields.maxDonorContribution")} value={f.money(checked.grant?.maxDonorContribution, currency)} />
                    <Figure label={t("contract:budget.total")} value={f.money(checked.budgetTotal, currency)} />
                  </SimpleGrid>
                  <Stack gap={4}>
                    <Title order={3} size="h5">
                      {t("contract:project.partners")}
                    </Title>
                    {checked.project?.participants.map((p) => {
                      const org = organisations.get(p.organisation);
                      return (
                        <Group key={p.organisation} gap="xs" wrap="wrap">
                          <Text size="sm" fw={500}>
                            {org?.displayName ?? p.organisation}
                          </Text>
                          <Badge variant="light" color={p.role === ParticipantRole.ASSOCIATE ? "orange" : "teal"}>
                            {t(`common:participantRole.${ParticipantRole[p.role]}`)}
                          </Badge>
                          <Text size="xs" c="gray.7">
                            {[countries.name(p.countryCode), p.budgetShare ? f.money(p.budgetShare, currency) : ""].filter(Boolean).join(" · ")}
                          </Text>
                        </Group>
                      );
                    })}
                  </Stack>
                  <Stack gap={4}>
                    <Title order={3} size="h5">
                      {t("contract:milestones", { count: checked.milestones.length })}
                    </Title>
                    <ScrollArea.Autosize mah={420} type="auto" viewportProps={{ tabIndex: 0, role: "region", "aria-label": t("contract:milestones", { count: checked.milestones.length }) }}>
                      <Table striped verticalSpacing={4} data-testid="milestone-preview">
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th>{t("contract:due")}</Table.Th>
                            <Table.Th>{t("contract:kind")}</Table.Th>
                            <Table.Th>{t("contract:responsible")}</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {checked.milestones.map((m, i) => (
                            <Table.Tr key={i}>
                              <Table.Td style={{ whiteSpace: "nowrap" }}>{f.date(m.dueDate)}</Table.Td>
                              <Table.Td>{enumLabel(t, "milestoneKind", MilestoneKindSchema, m.kind)}</Table.Td>
                              <Table.Td>{organisations.get(m.responsibleOrganisation)?.shortName || organisations.get(m.responsibleOrganisation)?.displayName}</Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    </ScrollArea.Autosize>
                  </Stack>
                  {save.error != null && <MutationError error={save.error} reasonsNs="grants" />}
                  <Group justify="space-between">
                    <Button variant="default" onClick={() => setStep(2)}>
                      {t("contract:back")}
                    </Button>
                    <Button onClick={() => void submit()} loading={save.isPending}>
                      {t("contract:create")}
                    </Button>
                  </Group>
                </Stack>
              )}
            </Stepper.Step>
          </Stepper>
        </DatesSetup>
      </Paper>
    </>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder radius="sm" p="sm">
      <Text size="xs" c="gray.7">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </Paper>
  );
}

// Problems: each problem of the budget file on its row and column, in the
// user's language.
function Problems({ problems, currency }: { problems: ContractBudgetProblem[]; currency: string }) {
  const { t, i18n } = useTranslation(["contract"]);
  const f = useFormat();
  const money = (v: string | undefined) => (v ? f.money(v, currency) : "");
  const words = (p: ContractBudgetProblem) => {
    const key = `contract:problems.${p.code}`;
    if (!i18n.exists(key)) return p.message;
    const a = p.args;
    return t(key, {
      ...a,
      column: a.column ? t(`contract:columns.${a.column}`) : "",
      budget_total: money(a.budget_total),
      total_eligible_costs: money(a.total_eligible_costs),
      written: money(a.written),
      computed: money(a.computed),
      amount: money(a.amount),
      percent: a.percent ? f.percent(a.percent) : "",
      cap_percent: a.cap_percent ? f.percent(a.cap_percent) : "",
    });
  };
  return (
    <Alert color="red" variant="light" role="alert" title={t("contract:budget.problems", { count: problems.length })}>
      <Text size="sm" mb="xs">
        {t("contract:budget.nothingWritten")}
      </Text>
      <ScrollArea.Autosize mah={360} type="auto" viewportProps={{ tabIndex: 0, role: "region", "aria-label": t("contract:budget.problems", { count: problems.length }) }}>
        <Table verticalSpacing={4} data-testid="budget-problems">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("contract:row")}</Table.Th>
              <Table.Th>{t("contract:column")}</Table.Th>
              <Table.Th>{t("contract:problem")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {problems.map((p, i) => (
              <Table.Tr key={i}>
                <Table.Td>{p.row > 0 ? p.row : t("contract:wholeBudget")}</Table.Td>
                <Table.Td>{p.column ? t(`contract:columns.${p.column}`) : ""}</Table.Td>
                <Table.Td>{words(p)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Alert>
  );
}

// BudgetPreview: the lines read, by heading, and the heading totals.
function BudgetPreview({ res, currency }: { res: CreateGrantFromContractResponse; currency: string }) {
  const { t } = useTranslation(["contract"]);
  const f = useFormat();
  const organisations = useOrganisations();
  return (
    <Stack gap="xs">
      <Alert color="teal" variant="light" title={t("contract:budget.ok", { count: res.lines.length, total: f.money(res.budgetTotal, currency) })}>
        {t("contract:budget.okHelp")}
      </Alert>
      <ScrollArea type="auto" viewportProps={{ tabIndex: 0, role: "region", "aria-label": t("contract:budget.legend") }}>
        <Table striped verticalSpacing={4} miw={640} data-testid="budget-lines">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("contract:columns.line")}</Table.Th>
              <Table.Th>{t("contract:columns.description")}</Table.Th>
              <Table.Th>{t("contract:columns.units")}</Table.Th>
              <Table.Th style={{ textAlign: "end" }}>{t("contract:columns.unit_cost")}</Table.Th>
              <Table.Th style={{ textAlign: "end" }}>{t("contract:columns.total")}</Table.Th>
              <Table.Th>{t("contract:columns.partner")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {res.headings
              .filter((h) => h.total !== "0.00" || res.lines.some((l) => l.headingCode === h.code))
              .map((h) => [
                <Table.Tr key={`h${h.code}`}>
                  <Table.Td fw={600}>{h.code}</Table.Td>
                  <Table.Td fw={600} colSpan={3}>
                    {h.title}
                  </Table.Td>
                  <Table.Td fw={600} style={{ textAlign: "end", whiteSpace: "nowrap" }}>
                    {f.money(h.total, currency)}
                  </Table.Td>
                  <Table.Td />
                </Table.Tr>,
                ...res.lines
                  .filter((l) => l.headingCode === h.code)
                  .map((l) => (
                    <Table.Tr key={`l${l.code}`}>
                      <Table.Td>{l.code}</Table.Td>
                      <Table.Td>{l.description}</Table.Td>
                      <Table.Td style={{ whiteSpace: "nowrap" }}>
                        {l.units} × {l.unit}
                      </Table.Td>
                      <Table.Td style={{ textAlign: "end", whiteSpace: "nowrap" }}>{f.money(l.unitCost, currency)}</Table.Td>
                      <Table.Td style={{ textAlign: "end", whiteSpace: "nowrap" }}>{f.money(l.total, currency)}</Table.Td>
                      <Table.Td>{l.organisation ? (organisations.get(l.organisation)?.shortName ?? l.partner) : ""}</Table.Td>
                    </Table.Tr>
                  )),
              ])}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Stack>
  );
}
