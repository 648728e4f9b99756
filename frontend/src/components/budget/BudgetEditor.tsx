// The budget's versions (BudgetService): the original, then each addendum
// or transfer between headings, with their state; a version's heading
// totals (contingency and indirect costs against the grant's caps) and its
// lines grouped by heading in the donor template's order. Coordinators and
// finance staff start a draft (one at a time), add, change and delete its
// lines, and adopt it (confirmed); everyone else reads. Loaded with the
// budget page's "Versions" tab only.
import { Fragment, useMemo, useState } from "react";
import { ActionIcon, Alert, Anchor, Button, Group, List, Modal, Select, Stack, Table, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { IconPencil, IconPlus, IconTrash } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import {
  BudgetHeadingKind,
  BudgetService,
  BudgetVersionKind,
  BudgetVersionState,
  type BudgetLine,
  type BudgetTemplateHeading,
  type BudgetVersion,
  type GrantRules,
} from "../../gen/pactum/v1/budget_pb";
import type { Grant } from "../../gen/pactum/v1/grant_pb";
import { ParticipantRoleSchema, ProjectService } from "../../gen/pactum/v1/project_pb";
import { useFormat } from "../../lib/format";
import { fieldViolations } from "../../lib/errors";
import { showToast } from "../../lib/toast";
import { DatesSetup } from "../grants/DatesSetup";
import { MutationError, errorReason } from "../grants/MutationError";
import { newRequestId } from "../shared/requestId";
import { useEtagEdit } from "../shared/forms";
import { Empty, LoadError, Section } from "../shared/ui";
import { useOrganisations } from "../projects/lookups";
import { cmp } from "../../lib/decimal";
import { LineForm, type LineValues, type Option } from "./LineForm";
import { useNumbers } from "./numbers";
import { KindBadge, StateBadge, kindLabel, latestAdopted, versionName } from "./versions";
import { ApprovalReferenceDialog, ApprovalReferenceInput, mayNeedReference } from "./ApprovalReference";
import { ScrollTable, fieldError } from "./ui";
import { DateField } from "../shared/DateField";

const lineKinds = new Set([BudgetHeadingKind.DIRECT, BudgetHeadingKind.CONTINGENCY, BudgetHeadingKind.INDIRECT]);
const num = { textAlign: "right", fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" } as const;

export default function BudgetEditor({ grant, rules, manage }: { grant: Grant; rules?: GrantRules; manage: boolean }) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  const versions = useQuery(BudgetService.method.listBudgetVersions, { parent: grant.name, pageSize: 1000 });
  const list = versions.data?.budgetVersions ?? [];
  const draft = list.find((v) => v.state === BudgetVersionState.DRAFT);
  const current = latestAdopted(list);
  const [chosen, setChosen] = useState<string>();
  const selected = chosen && list.some((v) => v.name === chosen) ? chosen : (draft ?? current)?.name;
  const [creating, setCreating] = useState(false);

  if (versions.isLoading) return <Empty>{t("common:loading")}</Empty>;
  if (versions.error) return <LoadError error={versions.error} onRetry={() => void versions.refetch()} />;

  return (
    <DatesSetup>
      <Stack gap="md">
        <Section
          title={t("versions.title")}
          id="versions"
          actions={
            manage && (
              <Button size="sm" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)} disabled={!!draft}>
                {t("versions.new")}
              </Button>
            )
          }
        >
          {manage && draft && (
            <Text size="sm" c="dimmed" mb="xs">
              {t("versions.oneDraft")}
            </Text>
          )}
          {list.length === 0 ? (
            <Empty>{manage ? t("versions.noneManage") : t("versions.none")}</Empty>
          ) : (
            <ScrollTable minWidth={760} label={t("versions.title")}>
              <Table verticalSpacing={6} fz="sm" highlightOnHover>
                <VisuallyHidden component="caption">{t("versions.title")}</VisuallyHidden>
                <Table.Thead>
                  <Table.Tr style={{ whiteSpace: "nowrap" }}>
                    <Table.Th scope="col">{t("versions.col.version")}</Table.Th>
                    <Table.Th scope="col">{t("versions.col.kind")}</Table.Th>
                    <Table.Th scope="col">{t("versions.col.state")}</Table.Th>
                    <Table.Th scope="col">{t("versions.col.effective")}</Table.Th>
                    <Table.Th scope="col" style={num}>
                      {t("versions.col.total")}
                    </Table.Th>
                    <Table.Th scope="col">{t("versions.col.adopted")}</Table.Th>
                    <Table.Th scope="col">{t("versions.col.reference")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((v) => {
                    const isSel = v.name === selected;
                    return (
                      <Table.Tr key={v.name} bg={isSel ? "teal.0" : undefined}>
                        <Table.Th scope="row" fw={600}>
                          <Anchor component="button" type="button" fz="sm" fw={600} onClick={() => setChosen(v.name)} aria-current={isSel ? "true" : undefined}>
                            {versionName(t, v)}
                          </Anchor>
                        </Table.Th>
                        <Table.Td>
                          <KindBadge kind={v.kind} />
                        </Table.Td>
                        <Table.Td>
                          <StateBadge state={v.state} current={v.name === current?.name} />
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: "nowrap" }}>{fmt.date(v.effectiveDate) || t("common:none")}</Table.Td>
                        <Table.Td style={num}>{fmt.money(v.total, v.currencyCode || grant.currencyCode)}</Table.Td>
                        <Table.Td style={{ whiteSpace: "nowrap" }}>{v.adoptTime ? fmt.dateTime(timestampDate(v.adoptTime)) : t("common:none")}</Table.Td>
                        <Table.Td miw={140} style={{ overflowWrap: "anywhere" }}>
                          {v.approvalReference || (
                            <Text span size="sm" c={v.kind === BudgetVersionKind.ADDENDUM ? "orange.9" : "gray.7"}>
                              {v.kind === BudgetVersionKind.ADDENDUM ? t("versions.referenceMissing") : t("common:none")}
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
          <Approvals versions={list} />
        </Section>

        {selected && <VersionDetail key={selected} name={selected} grant={grant} rules={rules} manage={manage} current={selected === current?.name} />}

        <NewVersionDialog opened={creating} onClose={() => setCreating(false)} grant={grant} hasAdopted={!!current} empty={list.length === 0} onCreated={(v) => setChosen(v)} />
      </Stack>
    </DatesSetup>
  );
}

// Approvals: the addenda, and the transfers the donor approved (a use of
// the contingency reserve), each with its reference and dates, as the
// donor's financial report lists them.
function Approvals({ versions }: { versions: BudgetVersion[] }) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  const listed = versions.filter((v) => v.kind === BudgetVersionKind.ADDENDUM || (v.kind === BudgetVersionKind.TRANSFER && v.approvalReference));
  if (listed.length === 0) return null;
  return (
    <Stack gap={4} mt="sm" component="section" aria-labelledby="approvals-title">
      <Text id="approvals-title" size="sm" fw={700}>
        {t("versions.approvals")}
      </Text>
      <List size="sm" spacing={2}>
        {listed.map((v) => (
          <List.Item key={v.name}>
            <Text span size="sm" fw={600}>
              {versionName(t, v)}
            </Text>
            {" · "}
            {v.approvalReference ? (
              v.approvalReference
            ) : (
              <Text span size="sm" c="orange.9">
                {t("versions.referenceMissing")}
              </Text>
            )}
            {v.effectiveDate && ` · ${t("versions.effectiveOn", { date: fmt.date(v.effectiveDate) })}`}
            {v.adoptTime ? ` · ${t("versions.adoptedOn", { date: fmt.date(timestampDate(v.adoptTime).toISOString().slice(0, 10)) })}` : ` · ${t("version.state.DRAFT")}`}
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

function NewVersionDialog({
  opened,
  onClose,
  grant,
  hasAdopted,
  empty,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  grant: Grant;
  hasAdopted: boolean;
  empty: boolean;
  onCreated: (name: string) => void;
}) {
  const { t } = useTranslation("budget");
  const phone = useMediaQuery("(max-width: 36em)");
  const queryClient = useQueryClient();
  const kinds = empty ? [BudgetVersionKind.ORIGINAL] : hasAdopted ? [BudgetVersionKind.ADDENDUM, BudgetVersionKind.TRANSFER] : [BudgetVersionKind.ORIGINAL];
  const [kind, setKind] = useState<string | null>(null);
  const [label, setLabel] = useState("");
  const [effective, setEffective] = useState<string | null>(null);
  const [reference, setReference] = useState("");
  const [requestId, setRequestId] = useState(newRequestId);
  const create = useMutation(BudgetService.method.createBudgetVersion);
  const chosenKind = kind && kinds.includes(Number(kind)) ? Number(kind) : kinds[0];
  const v = fieldViolations(create.error, "budget_version.");
  const close = () => {
    create.reset();
    setKind(null);
    setLabel("");
    setEffective(null);
    setReference("");
    setRequestId(newRequestId());
    onClose();
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    create.mutate(
      { parent: grant.name, requestId, budgetVersion: {
          kind: chosenKind,
          label: label.trim(),
          effectiveDate: effective ?? "",
          approvalReference: mayNeedReference(chosenKind) ? reference.trim() : "",
        },
      },
      {
        onSuccess: (r) => {
          void queryClient.invalidateQueries();
          showToast({ color: "teal", message: t("versions.created") });
          if (r.budgetVersion) onCreated(r.budgetVersion.name);
          close();
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title={t("versions.new")} fullScreen={phone} closeButtonProps={{ "aria-label": t("common:actions.close") }}>
      <form onSubmit={submit} noValidate aria-label={t("versions.new")}>
        <Stack gap="sm">
          <Select
            label={t("versions.kind")}
            required
            allowDeselect={false}
            value={String(chosenKind)}
            onChange={setKind}
            data={kinds.map((k) => ({ value: String(k), label: kindLabel(t, k) }))}
            error={fieldError(t, v, "kind")}
          />
          <Text size="sm" c="dimmed">
            {t(`versions.kindHelp.${chosenKind === BudgetVersionKind.ORIGINAL ? "ORIGINAL" : chosenKind === BudgetVersionKind.ADDENDUM ? "ADDENDUM" : "TRANSFER"}`)}
          </Text>
          <TextInput label={t("versions.label")} description={t("versions.labelHelp")} maxLength={200} value={label} onChange={(e) => setLabel(e.currentTarget.value)} error={fieldError(t, v, "label")} />
          <DateField
            label={t("versions.effective")}
            description={t("versions.effectiveHelp")}
            valueFormat="D MMM YYYY"
            clearable
            value={effective}
            onChange={(d) => setEffective(d ? String(d).slice(0, 10) : null)}
            error={fieldError(t, v, "effective_date")}
          />
          {mayNeedReference(chosenKind) && (
            <ApprovalReferenceInput kind={chosenKind} value={reference} onChange={setReference} error={fieldError(t, v, "approval_reference")} />
          )}
          <MutationError error={create.error} reasonsNs="budget" prefix="budget_version." placed={["kind", "label", "effective_date", "approval_reference"]} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={create.isPending}>
              {t("common:actions.cancel")}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t("versions.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type Editing = { mode: "new"; heading: string } | { mode: "edit"; line: BudgetLine };
type Confirm = { what: "adopt" } | { what: "deleteVersion" } | { what: "deleteLine"; line: BudgetLine };

function VersionDetail({ name, grant, rules, manage, current }: { name: string; grant: Grant; rules?: GrantRules; manage: boolean; current: boolean }) {
  const { t } = useTranslation("budget");
  const fmt = useFormat();
  const n = useNumbers();
  const phone = useMediaQuery("(max-width: 36em)");
  const queryClient = useQueryClient();
  const q = useQuery(BudgetService.method.getBudgetVersion, { name });
  const version = q.data?.budgetVersion;
  const template = useQuery(BudgetService.method.getBudgetTemplate, { name: rules?.budgetTemplate }, { enabled: !!rules?.budgetTemplate, staleTime: 30 * 60_000 });
  const projects = useQuery(ProjectService.method.listProjects, { grant: grant.name, pageSize: 200 });
  const organisations = useOrganisations();
  const currency = version?.currencyCode || grant.currencyCode;
  const money = (v: string) => fmt.money(v, currency);
  const draft = version?.state === BudgetVersionState.DRAFT;
  const editable = manage && draft;

  // Headings in the template's order; the version's own totals when it has
  // them (they include the computed rows).
  const templateHeadings = template.data?.budgetTemplate?.headings;
  const lineHeadings: BudgetTemplateHeading[] = useMemo(() => {
    const fromTemplate = (templateHeadings ?? []).filter((h) => lineKinds.has(h.kind));
    if (fromTemplate.length) return fromTemplate;
    return (version?.headings ?? []).filter((h) => lineKinds.has(h.kind)).map((h) => ({ code: h.code, title: h.title, kind: h.kind, usualLines: [] }) as unknown as BudgetTemplateHeading);
  }, [templateHeadings, version?.headings]);

  // Allocation choices: the grant's projects, and the organisations taking
  // part in them (or in the chosen one), with the lead.
  const projectList = projects.data?.projects ?? [];
  const projectOptions: Option[] = projectList.map((p) => ({ value: p.name, label: p.code ? `${p.code} – ${p.title}` : p.title }));
  const orgLabel = (o: string) => {
    const x = organisations.get(o);
    return x ? (x.shortName ? `${x.displayName} (${x.shortName})` : x.displayName) : o;
  };
  // Each partner with its role(s) in the action: an associate's lines take no spending.
  const orgOptions = (project: string): Option[] => {
    const roles = new Map<string, Set<string>>([[grant.leadOrganisation, new Set<string>()]]);
    roles.delete("");
    for (const p of projectList)
      if (!project || p.name === project)
        for (const x of p.participants) {
          const key = ParticipantRoleSchema.values.find((v) => v.number === x.role)?.localName;
          const set = roles.get(x.organisation) ?? new Set<string>();
          if (key) set.add(t(`common:participantRole.${key}`));
          roles.set(x.organisation, set);
        }
    return [...roles.entries()]
      .map(([o, rs]) => ({ value: o, label: [orgLabel(o), ...rs].join(" · ") }))
      .sort((a, b) => a.label.localeCompare(b.label));
  };
  const allocation = (l: BudgetLine) => {
    const p = projectList.find((x) => x.name === l.project);
    const o = l.organisation ? organisations.get(l.organisation) : undefined;
    const parts = [p ? p.code || p.title : "", o ? o.shortName || o.displayName : ""].filter(Boolean);
    return parts.join(" · ");
  };

  // Line editing, in a dialog.
  const [editing, setEditing] = useState<Editing>();
  const createLine = useMutation(BudgetService.method.createBudgetLine);
  const updateLine = useMutation(BudgetService.method.updateBudgetLine);
  // Reload after someone else's change: their line becomes the base (the
  // form keeps what the user typed), with its new etag.
  const lineEdit = useEtagEdit<BudgetLine>({
    refetch: async (was) => (await q.refetch()).data?.budgetVersion?.lines.find((l) => l.name === was.name),
    reset: updateLine.reset,
  });
  const base = lineEdit.base;
  const [requestId, setRequestId] = useState(newRequestId);
  const lineMutation = editing?.mode === "edit" ? updateLine : createLine;
  const openLine = (e: Editing) => {
    createLine.reset();
    updateLine.reset();
    setRequestId(newRequestId());
    if (e.mode === "edit") lineEdit.start(e.line);
    else lineEdit.stop();
    setEditing(e);
  };
  const closeLine = () => {
    setEditing(undefined);
    lineEdit.stop();
  };
  const done = (message: string) => {
    void queryClient.invalidateQueries();
    showToast({ color: "teal", message });
  };
  const toLine = (v: LineValues) => ({
    headingCode: v.headingCode,
    code: v.code.trim(),
    description: v.description.trim(),
    unit: v.unit.trim(),
    units: v.units,
    unitCost: v.unitCost,
    project: v.project,
    organisation: v.organisation,
  });
  const saveLine = (v: LineValues, mask: string[]) => {
    if (!editing) return;
    if (editing.mode === "new") {
      createLine.mutate({ parent: name, requestId, budgetLine: toLine(v) }, { onSuccess: () => (closeLine(), done(t("line.added"))) });
      return;
    }
    if (mask.length === 0 || !base) return closeLine();
    updateLine.mutate(
      { budgetLine: { ...toLine(v), name: base.name, etag: base.etag }, updateMask: { paths: mask } },
      { onSuccess: () => (closeLine(), done(t("line.saved"))) },
    );
  };
  const editingInitial = useMemo<Partial<BudgetLine>>(
    () => (editing?.mode === "edit" ? (base ?? editing.line) : { headingCode: editing?.heading ?? "" }),
    [editing, base],
  );

  // Adopt, delete the draft, delete a line: confirmed.
  const [confirm, setConfirm] = useState<Confirm>();
  const [reference, setReference] = useState("");
  const [editingReference, setEditingReference] = useState(false);
  const adopt = useMutation(BudgetService.method.adoptBudgetVersion);
  const delVersion = useMutation(BudgetService.method.deleteBudgetVersion);
  const delLine = useMutation(BudgetService.method.deleteBudgetLine);
  const confirmMutation = confirm?.what === "adopt" ? adopt : confirm?.what === "deleteVersion" ? delVersion : delLine;
  const openConfirm = (c: Confirm) => {
    adopt.reset();
    delVersion.reset();
    delLine.reset();
    if (c.what === "adopt") setReference(version?.approvalReference ?? "");
    setConfirm(c);
  };
  const doConfirm = () => {
    if (!confirm || !version) return;
    const ok = (message: string) => () => {
      setConfirm(undefined);
      done(message);
    };
    if (confirm.what === "adopt") adopt.mutate({ name, etag: version.etag, approvalReference: reference.trim() }, { onSuccess: ok(t("versions.adopted")) });
    if (confirm.what === "deleteVersion") delVersion.mutate({ name, etag: version.etag }, { onSuccess: ok(t("versions.deleted")) });
    if (confirm.what === "deleteLine") delLine.mutate({ name: confirm.line.name, etag: confirm.line.etag }, { onSuccess: ok(t("line.deleted")) });
  };
  const reloadConfirm = async () => {
    const r = await q.refetch();
    if (confirm?.what === "deleteLine") {
      const fresh = r.data?.budgetVersion?.lines.find((l) => l.name === confirm.line.name);
      if (fresh) setConfirm({ what: "deleteLine", line: fresh });
    }
    confirmMutation.reset();
  };

  if (q.isLoading) return <Empty>{t("common:loading")}</Empty>;
  if (!version) return <LoadError error={q.error} onRetry={() => void q.refetch()} />;

  const lines = version.lines;
  const byHeading = new Map<string, BudgetLine[]>();
  for (const l of lines) byHeading.set(l.headingCode, [...(byHeading.get(l.headingCode) ?? []), l]);
  // Within a heading, lines in the order of their codes (2.1.2 before 2.2.1).
  const byCode = (a: BudgetLine, b: BudgetLine) => a.code.localeCompare(b.code, undefined, { numeric: true }) || a.description.localeCompare(b.description);
  for (const [k, v] of byHeading) byHeading.set(k, v.sort(byCode));
  const known = new Set(lineHeadings.map((h) => h.code));
  const orphans = lines.filter((l) => !known.has(l.headingCode));
  const headingTotal = (code: string) => version.headings.find((h) => h.code === code)?.total;
  const cap = (kind: BudgetHeadingKind) => (kind === BudgetHeadingKind.INDIRECT ? rules?.indirectCap : kind === BudgetHeadingKind.CONTINGENCY ? rules?.contingencyCap : undefined);
  const cols = editable ? 8 : 7;

  const lineRow = (l: BudgetLine) => (
    <Table.Tr key={l.name}>
      <Table.Td style={{ whiteSpace: "nowrap" }} ff="monospace" fz="xs">
        {l.code || t("common:none")}
      </Table.Td>
      <Table.Td miw={200}>{l.description}</Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>{l.unit || t("common:none")}</Table.Td>
      <Table.Td style={num}>{Number.isFinite(Number(l.units)) ? new Intl.NumberFormat(fmt.locale, { maximumFractionDigits: 4 }).format(Number(l.units)) : l.units}</Table.Td>
      <Table.Td style={num}>{money(l.unitCost)}</Table.Td>
      <Table.Td style={num} fw={600}>
        {money(l.total)}
      </Table.Td>
      <Table.Td fz="xs" c="dimmed">
        {allocation(l) || t("common:none")}
      </Table.Td>
      {editable && (
        <Table.Td style={{ whiteSpace: "nowrap" }}>
          <Group gap={4} wrap="nowrap" justify="flex-end">
            <ActionIcon variant="subtle" c="teal.9" title={t("line.edit")} onClick={() => openLine({ mode: "edit", line: l })} aria-label={t("line.editNamed", { line: l.code || l.description })}>
              <IconPencil size={16} aria-hidden />
            </ActionIcon>
            <ActionIcon variant="subtle" color="red" c="red.9" title={t("line.delete")} onClick={() => openConfirm({ what: "deleteLine", line: l })} aria-label={t("line.deleteNamed", { line: l.code || l.description })}>
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
        </Table.Td>
      )}
    </Table.Tr>
  );

  return (
    <>
      <Section
        id="version"
        title={
          <Group gap="xs" component="span">
            <span>{versionName(t, version)}</span>
            <StateBadge state={version.state} current={current} />
          </Group>
        }
        actions={
          editable && (
            <Group gap="xs">
              <Button variant="default" color="red" size="sm" onClick={() => openConfirm({ what: "deleteVersion" })}>
                {t("versions.delete")}
              </Button>
              <Button size="sm" color="teal" onClick={() => openConfirm({ what: "adopt" })} disabled={lines.length === 0}>
                {t("versions.adopt")}
              </Button>
            </Group>
          )
        }
      >
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {[kindLabel(t, version.kind), version.effectiveDate && t("versions.effectiveOn", { date: fmt.date(version.effectiveDate) })].filter(Boolean).join(" · ")}
            {draft && ` · ${t("versions.draftHelp")}`}
          </Text>
          {mayNeedReference(version.kind) && (
            <Group gap="xs" wrap="wrap">
              <Text size="sm">
                <Text span fw={600}>
                  {t("versions.referenceLabel")}
                </Text>{" "}
                {version.approvalReference || (
                  <Text span c={version.kind === BudgetVersionKind.ADDENDUM ? "orange.9" : "gray.7"}>
                    {version.kind === BudgetVersionKind.ADDENDUM ? t("versions.referenceMissing") : t("common:none")}
                  </Text>
                )}
              </Text>
              {manage && (
                <Button variant="subtle" size="compact-sm" leftSection={<IconPencil size={14} aria-hidden />} onClick={() => setEditingReference(true)}>
                  {version.approvalReference ? t("versions.referenceChange") : t("versions.referenceAdd")}
                </Button>
              )}
            </Group>
          )}
          {editingReference && <ApprovalReferenceDialog version={version} opened onClose={() => setEditingReference(false)} />}

          {version.headings.length > 0 && (
            <ScrollTable minWidth={420} label={t("versions.headingTotals")}>
              <Table fz="sm" verticalSpacing={4} maw={720}>
                <VisuallyHidden component="caption">{t("versions.headingTotals")}</VisuallyHidden>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t("versions.col.heading")}</Table.Th>
                    <Table.Th scope="col" style={num}>
                      {t("versions.col.total")}
                    </Table.Th>
                    <Table.Th scope="col" style={num}>
                      {t("versions.col.share")}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {version.headings.map((h) => {
                    const computed = !lineKinds.has(h.kind);
                    const limit = cap(h.kind);
                    const over = !!limit && !!h.percentOfBase && cmp(h.percentOfBase, limit) > 0;
                    return (
                      <Table.Tr key={h.code} bg={computed ? "gray.1" : undefined}>
                        <Table.Th scope="row" fw={computed ? 700 : 500}>
                          {h.code}. {h.title}
                        </Table.Th>
                        <Table.Td style={num} fw={computed ? 700 : undefined}>
                          {money(h.total)}
                        </Table.Td>
                        <Table.Td style={num} c={over ? "red.9" : undefined} fw={over ? 700 : undefined}>
                          {h.percentOfBase ? (
                            <>
                              {n.pct(h.percentOfBase)}
                              {limit && (
                                <Text span size="xs" c={over ? "red.9" : "dimmed"}>
                                  {" "}
                                  {over ? t("versions.overCap", { cap: n.pct(limit) }) : t("versions.cap", { cap: n.pct(limit) })}
                                </Text>
                              )}
                            </>
                          ) : (
                            ""
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}

          <ScrollTable minWidth={820} label={t("versions.linesCaption", { version: versionName(t, version) })}>
            <Table fz="sm" verticalSpacing={6} highlightOnHover>
              <VisuallyHidden component="caption">{t("versions.linesCaption", { version: versionName(t, version) })}</VisuallyHidden>
              <Table.Thead>
                <Table.Tr style={{ whiteSpace: "nowrap" }}>
                  <Table.Th scope="col">{t("line.code")}</Table.Th>
                  <Table.Th scope="col">{t("line.description")}</Table.Th>
                  <Table.Th scope="col">{t("line.unit")}</Table.Th>
                  <Table.Th scope="col" style={num}>
                    {t("line.units")}
                  </Table.Th>
                  <Table.Th scope="col" style={num}>
                    {t("line.unitCost")}
                  </Table.Th>
                  <Table.Th scope="col" style={num}>
                    {t("line.total")}
                  </Table.Th>
                  <Table.Th scope="col">{t("line.allocation")}</Table.Th>
                  {editable && (
                    <Table.Th scope="col">
                      <VisuallyHidden>{t("line.actions")}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              {lineHeadings.map((h) => {
                const hl = byHeading.get(h.code) ?? [];
                if (!editable && hl.length === 0) return null;
                return (
                  <Fragment key={h.code}>
                    <Table.Tbody>
                      <Table.Tr bg="gray.0">
                        <Table.Th scope="rowgroup" colSpan={5} fw={700}>
                          {h.code}. {h.title}
                        </Table.Th>
                        <Table.Td style={num} fw={700}>
                          {money(headingTotal(h.code) ?? "0")}
                        </Table.Td>
                        <Table.Td colSpan={cols - 6} ta="right">
                          {editable && (
                            <Button
                              size="compact-xs"
                              variant="subtle"
                              leftSection={<IconPlus size={14} aria-hidden />}
                              onClick={() => openLine({ mode: "new", heading: h.code })}
                              aria-label={t("line.addTo", { heading: `${h.code}. ${h.title}` })}
                            >
                              {t("line.add")}
                            </Button>
                          )}
                        </Table.Td>
                      </Table.Tr>
                      {hl.map(lineRow)}
                    </Table.Tbody>
                  </Fragment>
                );
              })}
              {orphans.length > 0 && <Table.Tbody>{orphans.map(lineRow)}</Table.Tbody>}
              <Table.Tfoot>
                <Table.Tr bg="gray.1" style={{ borderTop: "2px solid var(--mantine-color-gray-6)" }}>
                  <Table.Th scope="row" colSpan={5} fw={700}>
                    {t("versions.grandTotal")}
                  </Table.Th>
                  <Table.Td style={num} fw={700}>
                    {money(version.total)}
                  </Table.Td>
                  <Table.Td colSpan={cols - 6} />
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </ScrollTable>
          {lines.length === 0 && <Empty>{editable ? t("versions.noLinesDraft") : t("versions.noLines")}</Empty>}
        </Stack>
      </Section>

      <Modal
        opened={!!editing}
        onClose={closeLine}
        title={editing?.mode === "edit" ? t("line.editTitle") : t("line.newTitle")}
        size="xl"
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        {editing && (
          <Stack gap="sm">
            {lineEdit.changed && (
              <Alert color="blue" variant="light" title={t("line.reloaded")}>
                {t("line.reloadedHelp")}
              </Alert>
            )}
            <LineForm
              initial={editingInitial}
              headings={lineHeadings}
              currency={currency}
              projects={projectOptions}
              organisations={orgOptions}
              submitLabel={editing.mode === "edit" ? t("common:actions.save") : t("line.addSubmit")}
              pending={lineMutation.isPending}
              error={lineMutation.error}
              onSubmit={saveLine}
              onCancel={closeLine}
              onReload={editing.mode === "edit" ? () => void lineEdit.reload() : undefined}
              reloading={lineEdit.reloading}
            />
          </Stack>
        )}
      </Modal>

      <Modal
        opened={!!confirm}
        onClose={() => setConfirm(undefined)}
        title={confirm ? t(`confirm.${confirm.what}.title`) : ""}
        fullScreen={phone}
        closeButtonProps={{ "aria-label": t("common:actions.close") }}
      >
        {confirm && (
          <Stack gap="md">
            <Text size="sm">
              {t(`confirm.${confirm.what}.body`, {
                version: versionName(t, version),
                total: money(version.total),
                line: confirm.what === "deleteLine" ? `${confirm.line.code} ${confirm.line.description}`.trim() : "",
              })}
            </Text>
            {confirm.what === "adopt" && (
              <Alert color="blue" variant="light">
                <Text size="sm">{t("confirm.adopt.rules")}</Text>
              </Alert>
            )}
            {confirm.what === "adopt" && mayNeedReference(version.kind) && (
              <ApprovalReferenceInput
                kind={version.kind}
                value={reference}
                onChange={(r) => {
                  setReference(r);
                  if (adopt.error) adopt.reset();
                }}
                error={fieldError(t, fieldViolations(adopt.error), "approval_reference")}
              />
            )}
            <MutationError
              error={confirmMutation.error}
              reasonsNs="budget"
              onReload={() => void reloadConfirm()}
              placed={confirm.what === "adopt" ? ["approval_reference"] : undefined}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setConfirm(undefined)} disabled={confirmMutation.isPending}>
                {t("common:actions.cancel")}
              </Button>
              <Button color={confirm.what === "adopt" ? "teal" : "red"} onClick={doConfirm} loading={confirmMutation.isPending} disabled={!!errorReason(confirmMutation.error)}>
                {t(`confirm.${confirm.what}.confirm`)}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
