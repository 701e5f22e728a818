import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { MATCH_OPS, matchesEmpty, type MatcherRow } from '../pages/alerts/alert-model';
import { LABEL_NAME } from './LabelsInput';

/**
 * The matcher rows of a form (a `Form.List` named `name`): label name, operator, value, each removable.
 * Used by silences and maintenance windows; at least one row must require a label value.
 * Test ids: `<testId>` per row, `<testId>-name-<i>`, `-op-<i>`, `-value-<i>`, `-remove-<i>`, `-add`.
 */
export function MatchersEditor({
  name = 'matchers',
  testId = 'silence-matcher',
}: {
  name?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Form.List
      name={name}
      rules={[
        {
          validator: async (_, rows: MatcherRow[] | undefined) => {
            if ((rows ?? []).length === 0) throw new Error(t('silence.matchersRequired'));
            if ((rows ?? []).every((r) => matchesEmpty(r))) throw new Error(t('silence.matchersAllEmpty'));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <Flex vertical gap={6}>
          {fields.map((field) => (
            <Flex key={field.key} gap={6} align="start" data-testid={testId}>
              <Form.Item
                name={[field.name, 'name']}
                style={{ flex: 2, marginBottom: 0 }}
                rules={[
                  { required: true, whitespace: true, message: t('silence.nameRequired') },
                  { pattern: LABEL_NAME, message: t('silence.nameInvalid') },
                ]}
              >
                <Input
                  placeholder={t('labels.name')}
                  aria-label={t('labels.name')}
                  spellCheck={false}
                  style={{ fontFamily: 'monospace' }}
                  data-testid={`${testId}-name-${field.name}`}
                />
              </Form.Item>
              <Form.Item name={[field.name, 'op']} style={{ marginBottom: 0 }}>
                <Select
                  aria-label={t('silence.operator')}
                  options={MATCH_OPS.map((op) => ({ value: op, label: op }))}
                  style={{ width: 72, fontFamily: 'monospace' }}
                  data-testid={`${testId}-op-${field.name}`}
                />
              </Form.Item>
              <Form.Item name={[field.name, 'value']} style={{ flex: 3, marginBottom: 0 }}>
                <Input
                  placeholder={t('labels.value')}
                  aria-label={t('labels.value')}
                  spellCheck={false}
                  style={{ fontFamily: 'monospace' }}
                  data-testid={`${testId}-value-${field.name}`}
                />
              </Form.Item>
              <Button
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('common.remove')}
                title={t('common.remove')}
                onClick={() => remove(field.name)}
                data-testid={`${testId}-remove-${field.name}`}
              />
            </Flex>
          ))}
          <Button
            type="dashed"
            size="small"
            icon={<PlusOutlined />}
            onClick={() => add({ name: '', op: '=', value: '' })}
            style={{ alignSelf: 'flex-start' }}
            data-testid={`${testId}-add`}
          >
            {t('silence.addMatcher')}
          </Button>
          <Form.ErrorList errors={errors} />
        </Flex>
      )}
    </Form.List>
  );
}
