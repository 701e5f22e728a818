import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

export interface LabelRow {
  key: string;
  value: string;
}

/** Label names as Prometheus has them: letters, digits and _, not starting with a digit. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const toLabelRows = (labels: Record<string, string>): LabelRow[] =>
  Object.entries(labels).map(([key, value]) => ({ key, value }));

/** Rows without a name are dropped (an empty row left behind is not a mistake). */
export const fromLabelRows = (rows: readonly LabelRow[] | undefined): Record<string, string> =>
  Object.fromEntries((rows ?? []).filter((r) => r.key.trim() !== '').map((r) => [r.key.trim(), r.value]));

/**
 * Why the rows cannot be saved, or null: a name that is not a label name, a name given twice, or a value
 * without a name.
 */
export function labelRowsProblem(
  rows: readonly LabelRow[] | undefined,
  text: { invalid: (name: string) => string; duplicate: (name: string) => string; missing: string },
): string | null {
  const seen = new Set<string>();
  for (const r of rows ?? []) {
    const name = r.key.trim();
    if (name === '') {
      if (r.value !== '') return text.missing;
      continue;
    }
    if (!LABEL_NAME.test(name)) return text.invalid(name);
    if (seen.has(name)) return text.duplicate(name);
    seen.add(name);
  }
  return null;
}

/** Key/value rows for a form field whose value is LabelRow[]; `testId` prefixes each input's test id. */
export function LabelsInput({
  value,
  onChange,
  testId,
}: {
  value?: LabelRow[];
  onChange?: (rows: LabelRow[]) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const rows = value ?? [];
  // Only the offending name is marked, not every input of the field (Form.Item would mark them all).
  const seen = new Set<string>();
  const bad = rows.map((r) => {
    const name = r.key.trim();
    const wrong = name === '' ? r.value !== '' : !LABEL_NAME.test(name) || seen.has(name);
    seen.add(name);
    return wrong;
  });
  const set = (i: number, patch: Partial<LabelRow>) =>
    onChange?.(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <Flex vertical gap={6}>
      {rows.map((r, i) => (
        // Rows have no identity of their own; the index is what the inputs' test ids use as well.
        <Flex key={i} gap={6} align="center">
          <Form.Item noStyle validateStatus={bad[i] ? 'error' : ''}>
            <Input
              value={r.key}
              placeholder={t('labels.name')}
              aria-label={t('labels.name')}
              spellCheck={false}
              onChange={(e) => set(i, { key: e.target.value })}
              style={{ flex: 2, fontFamily: 'monospace' }}
              data-testid={`${testId}-key-${i}`}
            />
          </Form.Item>
          <span aria-hidden>=</span>
          <Form.Item noStyle validateStatus="">
            <Input
              value={r.value}
              placeholder={t('labels.value')}
              aria-label={t('labels.value')}
              spellCheck={false}
              onChange={(e) => set(i, { value: e.target.value })}
              style={{ flex: 3, fontFamily: 'monospace' }}
              data-testid={`${testId}-value-${i}`}
            />
          </Form.Item>
          <Button
            type="text"
            icon={<DeleteOutlined />}
            aria-label={t('common.remove')}
            title={t('common.remove')}
            onClick={() => onChange?.(rows.filter((_, j) => j !== i))}
          />
        </Flex>
      ))}
      <Button
        type="dashed"
        icon={<PlusOutlined />}
        onClick={() => onChange?.([...rows, { key: '', value: '' }])}
        data-testid={`${testId}-add`}
        style={{ alignSelf: 'flex-start' }}
      >
        {t('labels.add')}
      </Button>
    </Flex>
  );
}
