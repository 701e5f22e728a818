import { App, Flex, Form, Input, Modal, Radio, Select, Typography, type FormInstance } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type MaintenanceWindow } from '../../api';
import { DialogFooter } from '../../components/DialogFooter';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MatchersEditor } from '../../components/MatchersEditor';
import { useApi } from '../../session';
import { PreviewPanel, usePreview } from '../alerts/SilencePreview';
import { emptyForm, fieldOf, MODES, timeZones, toForm, toInput, type WindowForm } from './maintenance-model';
import { ScheduleFields } from './ScheduleFields';

/**
 * Puts each server error detail under its form field; returns the error still worth showing above the
 * form (null when every detail found its field).
 */
function placeErrors(form: FormInstance, e: unknown, kind: WindowForm['kind']) {
  if (!(e instanceof ApiError) || e.details.length === 0) return e;
  const fields = new Map<string, { name: (string | number)[]; errors: string[] }>();
  let unplaced = 0;
  for (const d of e.details) {
    const name = fieldOf(d.path, kind);
    if (name === null) {
      unplaced++;
      continue;
    }
    const key = JSON.stringify(name);
    const entry = fields.get(key) ?? { name, errors: [] };
    entry.errors.push(d.message);
    fields.set(key, entry);
  }
  form.setFields([...fields.values()]);
  return unplaced === 0 ? null : e;
}

/** The dialog's body, mounted on opening so that each opening starts from its window. */
function WindowEditor({
  target,
  onClose,
  onSaved,
}: {
  target: MaintenanceWindow | 'new';
  onClose: () => void;
  onSaved: (w: MaintenanceWindow) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const [form] = Form.useForm<WindowForm>();
  const [initial] = useState(() => (target === 'new' ? emptyForm() : toForm(target)));
  const zones = useMemo(() => timeZones(initial.timeZone), [initial.timeZone]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const kind = Form.useWatch('kind', form);
  const mode = Form.useWatch('mode', form);
  const preview = usePreview(api, Form.useWatch('matchers', form));

  const submit = async (v: WindowForm) => {
    setBusy(true);
    setError(null);
    try {
      const body = toInput(v);
      const saved =
        target === 'new' ? await api.createMaintenance(body) : await api.updateMaintenance(target.id, body);
      void message.success(
        t(target === 'new' ? 'maintenance.created' : 'maintenance.updated', { name: saved.name }),
      );
      onSaved(saved);
    } catch (e) {
      setError(placeErrors(form, e, v.kind));
    }
    setBusy(false);
  };

  return (
    <>
      {error !== null && <ErrorAlert error={error} testId="window-error" />}
      <Form<WindowForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark={false}
        initialValues={initial}
        data-testid="window-form"
      >
        <Form.Item
          name="name"
          label={t('common.name')}
          rules={[{ required: true, whitespace: true, message: t('maintenance.nameRequired') }]}
        >
          <Input maxLength={200} placeholder={t('maintenance.namePlaceholder')} data-testid="window-name" />
        </Form.Item>
        <Form.Item label={t('silence.matchers')} extra={t('maintenance.matchersHelp')} required>
          <MatchersEditor testId="window-matcher" />
        </Form.Item>
        <Form.Item label={t('maintenance.previewNow')}>
          <PreviewPanel preview={preview} />
        </Form.Item>
        <ScheduleFields kind={kind} />
        <Form.Item name="timeZone" label={t('maintenance.timeZone')} extra={t('maintenance.timeZoneHelp')}>
          <Select
            showSearch
            options={zones.map((z) => ({ value: z, label: z }))}
            style={{ maxWidth: 320 }}
            data-testid="window-time-zone"
          />
        </Form.Item>
        <Form.Item
          name="mode"
          label={t('maintenance.mode')}
          extra={
            mode !== undefined && (
              <span data-testid="window-mode-help">{t(`maintenance.modeHelp.${mode}`)}</span>
            )
          }
        >
          <Radio.Group data-testid="window-mode">
            {MODES.map((m) => (
              <Radio key={m} value={m}>
                <span data-testid={`window-mode-${m}`}>{t(`maintenance.modes.${m}`)}</span>
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="comment" label={t('silence.comment')}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={2000}
            placeholder={t('maintenance.commentPlaceholder')}
            data-testid="window-comment"
          />
        </Form.Item>
        <DialogFooter
          onCancel={onClose}
          busy={busy}
          okText={t(target === 'new' ? 'common.create' : 'common.save')}
          testId="window-submit"
        />
      </Form>
    </>
  );
}

/** Creates or changes a maintenance window. */
export function WindowModal({
  target,
  open,
  onClose,
  onSaved,
}: {
  target: MaintenanceWindow | 'new';
  open: boolean;
  onClose: () => void;
  onSaved: (w: MaintenanceWindow) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={
        <Flex gap={8} align="center">
          {target === 'new' ? t('maintenance.newTitle') : t('maintenance.editTitle')}
          {target !== 'new' && <Typography.Text type="secondary">{target.name}</Typography.Text>}
        </Flex>
      }
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={720}
      data-testid="window-modal"
    >
      <WindowEditor target={target} onClose={onClose} onSaved={onSaved} />
    </Modal>
  );
}
