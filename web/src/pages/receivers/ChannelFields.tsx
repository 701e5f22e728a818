import { Button, Flex, Form, Input, InputNumber, Select, Switch } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_PER_MINUTE, PER_MINUTE, type ChannelKind, type FieldSpec } from './channel-fields';
import { isRequired, visibleFields } from './channel-form-model';

interface FieldTexts {
  label: string;
  help?: string;
  placeholder?: string;
}

/** The secrets of the channel being edited: stored ones are never shown, only said to be set. */
export interface SecretState {
  stored: readonly string[];
  /** Stored secrets the user chose to remove. */
  cleared: readonly string[];
  toggle: (key: string) => void;
}

/** A field's label, help and placeholder: the kind's own (`channelForm.kinds.<kind>.<key>`), else the shared ones. */
function useFieldTexts(kind: ChannelKind): (key: string) => FieldTexts {
  const { t } = useTranslation();
  // Looked up by the spec's keys; test/web/channel-form-model.test.ts checks each exists in both languages.
  const own = t(`channelForm.kinds.${kind}`, { returnObjects: true }) as Record<
    string,
    FieldTexts | undefined
  >;
  const common = t('channelForm.common', { returnObjects: true }) as Record<string, FieldTexts | undefined>;
  return (key) => own[key] ?? common[key] ?? { label: key };
}

/**
 * Free-typed values (mobile numbers, user ids) as tags: Enter, a comma or a space ends one, and so does
 * leaving the field, so that a value typed without Enter is not lost on saving.
 */
function TagsInput({
  value = [],
  onChange,
  placeholder,
  testId,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  placeholder: string;
  testId: string;
}) {
  const [search, setSearch] = useState('');
  const commit = (v: string[]) => onChange?.([...new Set(v.map((s) => s.trim()).filter((s) => s !== ''))]);
  return (
    <Select<string[]>
      mode="tags"
      open={false}
      suffixIcon={null}
      value={value}
      searchValue={search}
      onSearch={setSearch}
      onChange={(v) => {
        commit(v);
        setSearch('');
      }}
      onBlur={() => {
        if (search.trim() !== '') commit([...value, search]);
        setSearch('');
      }}
      tokenSeparators={[',', '，', ' ', '\n']}
      placeholder={placeholder}
      data-testid={testId}
    />
  );
}

/** The control of one field; `control` is what Form.Item hands its child (value, onChange, id, …). */
function FieldInput({ f, texts, kind, ...control }: { f: FieldSpec; texts: FieldTexts; kind: ChannelKind }) {
  const { t } = useTranslation();
  const testId = `channel-field-${f.key}`;
  switch (f.type) {
    case 'text':
    case 'chat':
    case 'params':
      return <Input {...control} placeholder={texts.placeholder} data-testid={testId} />;
    case 'secret':
      // "new-password" keeps the browser from filling in the user's own login password.
      return (
        <Input.Password
          {...control}
          autoComplete="new-password"
          placeholder={texts.placeholder}
          data-testid={testId}
        />
      );
    case 'list':
      return (
        <TagsInput
          {...control}
          placeholder={texts.placeholder ?? t('channelForm.listPlaceholder')}
          testId={testId}
        />
      );
    case 'switch':
      return <Switch {...control} data-testid={testId} />;
    case 'select':
      return (
        <Select
          {...control}
          style={{ maxWidth: 320 }}
          data-testid={testId}
          options={(f.options ?? []).map((o) => ({
            value: o,
            label:
              o === 'aliyun' || o === 'tencent' || o === 'twilio'
                ? t(`channelForm.providers.${o}`)
                : o === 'markdown' || o === 'actionCard' || o === 'text'
                  ? t(`channelForm.msgTypes.${o}`)
                  : o,
          }))}
        />
      );
    case 'number': {
      const limit = f.key === PER_MINUTE ? DEFAULT_PER_MINUTE[kind] : undefined;
      return (
        <InputNumber
          {...control}
          min={1}
          precision={0}
          style={{ width: 200 }}
          placeholder={
            limit === undefined ? texts.placeholder : t('channelForm.defaultLimit', { count: limit })
          }
          data-testid={testId}
        />
      );
    }
  }
}

/** Under a stored secret: it is set and kept when left empty; an optional one can be removed. */
function SecretExtra({
  f,
  secrets,
  removable,
  help,
}: {
  f: FieldSpec;
  secrets: SecretState;
  removable: boolean;
  help: ReactNode;
}) {
  const { t } = useTranslation();
  const cleared = secrets.cleared.includes(f.key);
  return (
    <Flex vertical>
      <Flex gap={4} align="center" wrap>
        <span data-testid={`channel-secret-${cleared ? 'cleared' : 'set'}`} data-field={f.key}>
          {t(cleared ? 'channelForm.secretCleared' : 'channelForm.secretSet')}
        </span>
        {removable && (
          <Button
            type="link"
            size="small"
            style={{ paddingInline: 4, height: 'auto' }}
            onClick={() => secrets.toggle(f.key)}
            data-testid={`channel-secret-toggle-${f.key}`}
          >
            {t(cleared ? 'channelForm.secretUndo' : 'channelForm.secretClear')}
          </Button>
        )}
      </Flex>
      {help}
    </Flex>
  );
}

/**
 * The fields of one channel kind (for SMS: of the chosen provider), named by the file's keys. A stored secret
 * is an empty password input saying it is set: left empty, it is kept.
 */
export function ChannelFields({
  kind,
  provider,
  secrets,
}: {
  kind: ChannelKind;
  provider: unknown;
  secrets: SecretState;
}) {
  const { t } = useTranslation();
  const textsOf = useFieldTexts(kind);
  const fields = visibleFields(kind, provider);
  const item = (f: FieldSpec) => {
    const texts = textsOf(f.key);
    const stored = f.type === 'secret' && secrets.stored.includes(f.key);
    const keeps = stored && !secrets.cleared.includes(f.key);
    const needed = isRequired(f, provider);
    const required = needed && !keeps;
    return (
      <Form.Item
        key={f.key}
        name={f.key}
        label={texts.label}
        required={required}
        valuePropName={f.type === 'switch' ? 'checked' : 'value'}
        extra={
          stored ? <SecretExtra f={f} secrets={secrets} removable={!needed} help={texts.help} /> : texts.help
        }
        rules={
          required
            ? [
                {
                  required: true,
                  whitespace: f.type !== 'list',
                  type: f.type === 'list' ? 'array' : undefined,
                  message: t('channelForm.required', { field: texts.label }),
                },
              ]
            : []
        }
      >
        <FieldInput f={f} texts={texts} kind={kind} />
      </Form.Item>
    );
  };
  return (
    <>
      {fields.filter((f) => f.type !== 'switch' && f.key !== PER_MINUTE).map(item)}
      <Flex gap={32} wrap>
        {fields.filter((f) => f.type === 'switch').map(item)}
      </Flex>
      {fields.filter((f) => f.key === PER_MINUTE).map(item)}
    </>
  );
}
