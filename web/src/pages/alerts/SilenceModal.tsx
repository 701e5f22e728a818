import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Result,
  Select,
  Spin,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, type ApiClient, type GettableAlert } from '../../api';
import { DialogFooter } from '../../components/DialogFooter';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LABEL_NAME } from '../../components/LabelsInput';
import { placeFieldErrors } from '../../form-errors';
import { formatTime } from '../../format';
import { useApi, useUser } from '../../session';
import {
  alertsMatching,
  exactMatchers,
  formatMatchers,
  MATCH_OPS,
  matchesEmpty,
  severityOf,
  toSilenceMatcher,
  type MatcherRow,
} from './alert-model';
import { PlaceTags, SeverityTag } from './cells';

const DURATIONS = { '1h': 3_600_000, '4h': 4 * 3_600_000, '1d': 86_400_000 } as const;
type Duration = keyof typeof DURATIONS | 'custom';

interface SilenceForm {
  matchers: MatcherRow[];
  duration: Duration;
  endsAt?: Dayjs | null;
  createdBy: string;
  comment: string;
}

const PREVIEW_SHOWN = 8;
const PREVIEW_DELAY_MS = 300;

type Preview =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done'; alerts: GettableAlert[]; local: boolean }
  | { status: 'unreadable' }
  | { status: 'error'; error: unknown };

/** Rows that can be sent: every row named with a label name. */
const usable = (rows: readonly (MatcherRow | undefined)[] | undefined): rows is MatcherRow[] =>
  (rows ?? []).length > 0 && (rows ?? []).every((r) => r !== undefined && LABEL_NAME.test(r.name.trim()));

/**
 * The firing alerts the matchers would silence, from the server (`/api/v1/silences/preview`), or, where the
 * server does not offer it (404), worked out here from the firing list with the same matching rules.
 */
function usePreview(api: ApiClient, rows: MatcherRow[] | undefined): Preview {
  const [preview, setPreview] = useState<Preview>({ status: 'idle' });
  const noServerPreview = useRef(false);
  // The rows as a value: the effect runs again when they change, not when the form re-renders.
  const key = usable(rows) ? JSON.stringify(rows.map((r) => ({ ...r, name: r.name.trim() }))) : null;

  useEffect(() => {
    if (key === null) {
      setPreview({ status: 'idle' });
      return;
    }
    const wanted = JSON.parse(key) as MatcherRow[];
    const expr = formatMatchers(wanted);
    let stale = false;
    setPreview({ status: 'loading' });
    const timer = setTimeout(() => {
      const local = async () => {
        const firing = await api.firingAlerts([]);
        try {
          return alertsMatching(firing, wanted);
        } catch {
          return null; // a pattern the browser cannot read
        }
      };
      const run = async (): Promise<Preview> => {
        if (!noServerPreview.current) {
          try {
            return { status: 'done', alerts: await api.previewSilence(expr), local: false };
          } catch (e) {
            if (!(e instanceof ApiError && e.status === 404)) throw e;
            noServerPreview.current = true;
          }
        }
        const alerts = await local();
        return alerts === null ? { status: 'unreadable' } : { status: 'done', alerts, local: true };
      };
      run().then(
        (p) => !stale && setPreview(p),
        (e: unknown) => !stale && setPreview({ status: 'error', error: e }),
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [api, key]);
  return preview;
}

function PreviewPanel({ preview, origin }: { preview: Preview; origin: GettableAlert }) {
  const { t } = useTranslation();
  switch (preview.status) {
    case 'idle':
      return <Typography.Text type="secondary">{t('silence.previewNeedsMatchers')}</Typography.Text>;
    case 'loading':
      return <Spin size="small" />;
    case 'unreadable':
      return <Typography.Text type="warning">{t('silence.previewUnreadable')}</Typography.Text>;
    case 'error':
      return <ErrorAlert error={preview.error} title={t('silence.previewFailed')} />;
    case 'done': {
      const { alerts } = preview;
      const missesOrigin = !alerts.some((a) => a.fingerprint === origin.fingerprint);
      return (
        <div data-testid="silence-preview">
          <Typography.Text strong data-testid="silence-preview-count">
            {t('silence.previewCount', { count: alerts.length })}
          </Typography.Text>
          {preview.local && (
            <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
              {t('silence.previewLocal')}
            </Typography.Text>
          )}
          {missesOrigin && (
            <Alert type="warning" showIcon title={t('silence.missesOrigin')} style={{ margin: '6px 0' }} />
          )}
          {alerts.length > 0 && (
            <Flex vertical gap={4} style={{ marginTop: 6 }}>
              {alerts.slice(0, PREVIEW_SHOWN).map((a) => (
                <Flex key={a.fingerprint} gap={8} align="center" wrap data-testid="silence-preview-alert">
                  <SeverityTag tier={severityOf(a.labels)} raw={a.labels.severity} />
                  <Typography.Text strong>{a.labels.alertname ?? '—'}</Typography.Text>
                  <PlaceTags labels={a.labels} />
                </Flex>
              ))}
              {alerts.length > PREVIEW_SHOWN && (
                <Typography.Text type="secondary">
                  {t('silence.previewMore', { count: alerts.length - PREVIEW_SHOWN })}
                </Typography.Text>
              )}
            </Flex>
          )}
        </div>
      );
    }
  }
}

/** The matcher rows: name, operator, value, each removable. */
function MatcherRows() {
  const { t } = useTranslation();
  return (
    <Form.List
      name="matchers"
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
            <Flex key={field.key} gap={6} align="start" data-testid="silence-matcher">
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
                  data-testid={`silence-matcher-name-${field.name}`}
                />
              </Form.Item>
              <Form.Item name={[field.name, 'op']} style={{ marginBottom: 0 }}>
                <Select
                  aria-label={t('silence.operator')}
                  options={MATCH_OPS.map((op) => ({ value: op, label: op }))}
                  style={{ width: 72, fontFamily: 'monospace' }}
                  data-testid={`silence-matcher-op-${field.name}`}
                />
              </Form.Item>
              <Form.Item name={[field.name, 'value']} style={{ flex: 3, marginBottom: 0 }}>
                <Input
                  placeholder={t('labels.value')}
                  aria-label={t('labels.value')}
                  spellCheck={false}
                  style={{ fontFamily: 'monospace' }}
                  data-testid={`silence-matcher-value-${field.name}`}
                />
              </Form.Item>
              <Button
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('common.remove')}
                title={t('common.remove')}
                onClick={() => remove(field.name)}
                data-testid={`silence-matcher-remove-${field.name}`}
              />
            </Flex>
          ))}
          <Button
            type="dashed"
            size="small"
            icon={<PlusOutlined />}
            onClick={() => add({ name: '', op: '=', value: '' })}
            style={{ alignSelf: 'flex-start' }}
            data-testid="silence-matcher-add"
          >
            {t('silence.addMatcher')}
          </Button>
          <Form.ErrorList errors={errors} />
        </Flex>
      )}
    </Form.List>
  );
}

const endOf = (v: Pick<SilenceForm, 'duration' | 'endsAt'>, now: number): number | null =>
  v.duration === 'custom' ? (v.endsAt?.valueOf() ?? null) : now + DURATIONS[v.duration];

/** The dialog's body: mounted on opening, so each opening starts from the alert it was opened for. */
function SilenceEditor({
  alert,
  onClose,
  onCreated,
}: {
  alert: GettableAlert;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const user = useUser();
  const { message } = App.useApp();
  const [form] = Form.useForm<SilenceForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<string | null>(null);
  const rows = Form.useWatch('matchers', form);
  const duration = Form.useWatch('duration', form);
  const customEnd = Form.useWatch('endsAt', form);
  const preview = usePreview(api, rows);

  const submit = async (v: SilenceForm) => {
    const now = Date.now();
    const end = endOf(v, now);
    if (end === null || end <= now) {
      form.setFields([{ name: 'endsAt', errors: [t('silence.endInPast')] }]);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { silenceID } = await api.createSilence({
        matchers: v.matchers.map((m) => toSilenceMatcher({ ...m, name: m.name.trim() })),
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(end).toISOString(),
        createdBy: v.createdBy.trim(),
        comment: v.comment.trim(),
      });
      void message.success(t('silence.created', { id: silenceID }));
      setCreated(silenceID);
      onCreated(silenceID);
    } catch (e) {
      setError(placeFieldErrors(form, e, ['comment', 'createdBy', 'endsAt', 'startsAt'], ['matchers']));
    }
    setBusy(false);
  };

  if (created !== null)
    return (
      <Result
        status="success"
        title={<span data-testid="silence-success">{t('silence.createdTitle')}</span>}
        subTitle={
          <>
            {t('silence.createdId')}{' '}
            <Typography.Text code copyable data-testid="silence-id">
              {created}
            </Typography.Text>
          </>
        }
        extra={[
          <Link key="view" to={`/silences/${encodeURIComponent(created)}`} onClick={onClose}>
            <Button>{t('silence.view')}</Button>
          </Link>,
          <Button key="done" type="primary" onClick={onClose} data-testid="silence-done">
            {t('silence.done')}
          </Button>,
        ]}
      />
    );

  const previewEnd = duration === undefined ? null : endOf({ duration, endsAt: customEnd }, Date.now());

  return (
    <>
      {error !== null && <ErrorAlert error={error} testId="silence-error" />}
      <Form<SilenceForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark={false}
        initialValues={{
          matchers: exactMatchers(alert.labels),
          duration: '1h',
          endsAt: null,
          createdBy: user.username,
          comment: '',
        }}
        data-testid="silence-form"
      >
        <Form.Item label={t('silence.matchers')} extra={t('silence.matchersHelp')} required>
          <MatcherRows />
        </Form.Item>
        <Form.Item label={t('silence.preview')}>
          <PreviewPanel preview={preview} origin={alert} />
        </Form.Item>
        <Flex gap={16} wrap align="start">
          <Form.Item
            name="duration"
            label={t('silence.duration')}
            extra={
              previewEnd !== null &&
              t('silence.endsAt', { time: formatTime(new Date(previewEnd).toISOString(), i18n.language) })
            }
          >
            <Radio.Group optionType="button" buttonStyle="solid" data-testid="silence-duration">
              <Radio.Button value="1h">{t('silence.d1h')}</Radio.Button>
              <Radio.Button value="4h">{t('silence.d4h')}</Radio.Button>
              <Radio.Button value="1d">{t('silence.d1d')}</Radio.Button>
              <Radio.Button value="custom">{t('silence.custom')}</Radio.Button>
            </Radio.Group>
          </Form.Item>
          {duration === 'custom' && (
            <Form.Item
              name="endsAt"
              label={t('silence.customEnd')}
              rules={[{ required: true, message: t('silence.customEndRequired') }]}
            >
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                disabledDate={(d) => d.isBefore(dayjs(), 'day')}
                data-testid="silence-end"
              />
            </Form.Item>
          )}
        </Flex>
        <Form.Item
          name="comment"
          label={t('silence.comment')}
          rules={[{ required: true, whitespace: true, message: t('silence.commentRequired') }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={2000}
            placeholder={t('silence.commentPlaceholder')}
            data-testid="silence-comment"
          />
        </Form.Item>
        <Form.Item
          name="createdBy"
          label={t('silence.createdBy')}
          rules={[{ required: true, whitespace: true, message: t('silence.createdByRequired') }]}
        >
          <Input autoComplete="off" maxLength={200} data-testid="silence-created-by" />
        </Form.Item>
        <DialogFooter onCancel={onClose} busy={busy} okText={t('silence.submit')} testId="silence-submit" />
      </Form>
    </>
  );
}

/** Silences an alert: its labels as matchers (editable), a duration, a comment; previews what it mutes. */
export function SilenceModal({
  alert,
  open,
  onClose,
  onCreated,
}: {
  alert: GettableAlert | null;
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={t('silence.title', { name: alert?.labels.alertname ?? '' })}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={720}
      data-testid="silence-modal"
    >
      {alert !== null && <SilenceEditor alert={alert} onClose={onClose} onCreated={onCreated} />}
    </Modal>
  );
}
