import { App, DatePicker, Flex, Form, Input, Modal, Radio, Typography } from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GettableAlert, SilenceSaved } from '../../api';
import { DialogFooter } from '../../components/DialogFooter';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MatchersEditor } from '../../components/MatchersEditor';
import { placeFieldErrors } from '../../form-errors';
import { formatTime } from '../../format';
import { useApi, useUser } from '../../session';
import { endOf, initialForm, toInput, type SilenceDraft, type SilenceForm } from './silence-draft';
import { PreviewPanel, usePreview } from './SilencePreview';
import { SilenceSavedResult } from './SilenceSavedResult';

export type { SilenceDraft } from './silence-draft';

/** The dialog's body: mounted on opening, so each opening starts from the draft it was opened for. */
function SilenceEditor({
  draft,
  onClose,
  onSaved,
}: {
  draft: SilenceDraft;
  onClose: () => void;
  onSaved: (r: SilenceSaved) => void;
}) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const user = useUser();
  const { message } = App.useApp();
  const [form] = Form.useForm<SilenceForm>();
  const [initial] = useState(() => initialForm(draft, user.username, Date.now()));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<SilenceSaved | null>(null);
  const rows = Form.useWatch('matchers', form);
  const duration = Form.useWatch('duration', form);
  const customEnd = Form.useWatch('endsAt', form);
  const startsAt = Form.useWatch('startsAt', form);
  const preview = usePreview(api, rows);
  const editing = draft.kind === 'edit' ? draft.silence : null;

  const submit = async (v: SilenceForm) => {
    const now = Date.now();
    const start = v.startsAt?.valueOf() ?? now;
    const end = endOf(v, start);
    if (end === null || end <= Math.max(now, start)) {
      form.setFields([{ name: 'endsAt', errors: [t('silence.endInPast')] }]);
      if (v.duration !== 'custom') form.setFieldValue('duration', 'custom');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.saveSilence(toInput(v, start, end, editing?.id));
      void message.success(
        t(r.outcome === 'updated' ? 'silences.updated' : 'silence.created', { id: r.silence.id }),
      );
      setSaved(r);
      onSaved(r);
    } catch (e) {
      setError(
        placeFieldErrors(form, e, ['comment', 'createdBy', 'endsAt', 'startsAt', 'reason'], ['matchers']),
      );
    }
    setBusy(false);
  };

  if (saved !== null) return <SilenceSavedResult saved={saved} onClose={onClose} />;

  const previewStart = startsAt?.valueOf() ?? Date.now();
  const previewEnd = duration === undefined ? null : endOf({ duration, endsAt: customEnd }, previewStart);

  return (
    <>
      {error !== null && <ErrorAlert error={error} testId="silence-error" />}
      <Form<SilenceForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark={false}
        initialValues={initial}
        data-testid="silence-form"
      >
        {editing !== null && (
          <Typography.Paragraph type="secondary" data-testid="silence-edit-note">
            {t('silences.editNote')}
          </Typography.Paragraph>
        )}
        <Form.Item label={t('silence.matchers')} extra={t('silence.matchersHelp')} required>
          <MatchersEditor />
        </Form.Item>
        <Form.Item label={t('silence.preview')}>
          <PreviewPanel preview={preview} origin={draft.kind === 'alert' ? draft.alert : undefined} />
        </Form.Item>
        <Flex gap={16} wrap align="start">
          <Form.Item name="startsAt" label={t('silences.startsAt')}>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              placeholder={t('silences.startsNow')}
              disabledDate={editing === null ? (d) => d.isBefore(dayjs(), 'day') : undefined}
              data-testid="silence-start"
            />
          </Form.Item>
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
        <Flex gap={16} wrap>
          <Form.Item
            name="reason"
            label={t('silences.reason')}
            extra={t('silences.reasonHelp')}
            style={{ flex: '1 1 260px' }}
          >
            <Input autoComplete="off" maxLength={2000} data-testid="silence-reason" />
          </Form.Item>
          <Form.Item
            name="createdBy"
            label={t('silence.createdBy')}
            rules={[{ required: true, whitespace: true, message: t('silence.createdByRequired') }]}
            style={{ flex: '1 1 200px' }}
          >
            <Input autoComplete="off" maxLength={200} data-testid="silence-created-by" />
          </Form.Item>
        </Flex>
        <DialogFooter
          onCancel={onClose}
          busy={busy}
          okText={t(editing === null ? 'silence.submit' : 'common.save')}
          testId="silence-submit"
        />
      </Form>
    </>
  );
}

function titleOf(draft: SilenceDraft | null, t: TFunction): string {
  switch (draft?.kind) {
    case 'alert':
      return t('silence.title', { name: draft.alert.labels.alertname ?? '' });
    case 'edit':
      return t('silences.editTitle');
    case 'recreate':
      return t('silences.recreateTitle');
    default:
      return t('silences.newTitle');
  }
}

/**
 * Creates or changes a silence: matchers (prefilled from an alert's labels or a silence), a start, a
 * duration, a comment; previews the firing alerts it mutes as the matchers are typed.
 */
export function SilenceModal({
  draft,
  alert,
  open,
  onClose,
  onCreated,
  onSaved,
}: {
  draft?: SilenceDraft | null;
  /** Shorthand for `draft={{ kind: 'alert', alert }}`. */
  alert?: GettableAlert | null;
  open: boolean;
  onClose: () => void;
  onCreated?: (id: string) => void;
  onSaved?: (r: SilenceSaved) => void;
}) {
  const { t } = useTranslation();
  const d: SilenceDraft | null = draft ?? (alert ? { kind: 'alert', alert } : null);
  return (
    <Modal
      open={open}
      title={titleOf(d, t)}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={720}
      data-testid="silence-modal"
    >
      {d !== null && (
        <SilenceEditor
          draft={d}
          onClose={onClose}
          onSaved={(r) => {
            onCreated?.(r.silence.id);
            onSaved?.(r);
          }}
        />
      )}
    </Modal>
  );
}
