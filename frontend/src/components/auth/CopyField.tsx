// A secret or link to copy: shown in full (wrapped, so it can be checked
// and selected by hand where the clipboard is not available, e.g. plain
// http), with a copy button.
import { useId } from "react";
import { Button, Code, CopyButton, Group, Stack, Text, VisuallyHidden } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";

interface Props {
  label: string;
  value: string;
  copyLabel: string;
  copiedLabel: string;
  description?: string;
}

export function CopyField({ label, value, copyLabel, copiedLabel, description }: Props) {
  const id = useId();
  return (
    <CopyButton value={value} timeout={2500}>
      {({ copied, copy }) => (
        <Stack gap={6}>
          <div>
            <Text size="sm" fw={500} id={`${id}-label`}>
              {label}
            </Text>
            {description && (
              <Text size="xs" c="gray.7" id={`${id}-description`}>
                {description}
              </Text>
            )}
          </div>
          <Code
            block
            aria-labelledby={`${id}-label`}
            aria-describedby={description ? `${id}-description` : undefined}
            fz="sm"
            style={{ whiteSpace: "pre-wrap", wordBreak: "break-all", userSelect: "all" }}
          >
            {value}
          </Code>
          <Group gap="xs">
            <Button
              variant="default"
              onClick={copy}
              leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              data-autofocus
            >
              {copied ? copiedLabel : copyLabel}
            </Button>
          </Group>
          <VisuallyHidden aria-live="polite">{copied ? copiedLabel : ""}</VisuallyHidden>
        </Stack>
      )}
    </CopyButton>
  );
}
