import { App, Flex, Form, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type Receiver, type ReceiverChannel, type UiChannel } from '../../api';
import { DialogFooter } from '../../components/DialogFooter';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../session';
import { CHANNEL_KINDS, isChannelKind, type ChannelKind } from './channel-fields';
import {
  buildChannelConfig,
  formValuesOf,
  placeDetails,
  storedSecrets,
  type ChannelFormValues,
} from './channel-form-model';
import { ChannelFields } from './ChannelFields';
import { KindTag } from './receiver-cells';

/** A channel added here, as the receivers list gives it: with its id for PUT/DELETE and its masked settings. */
export type EditableChannel = ReceiverChannel & { uid: string; config: Record<string, unknown> };

export const isEditable = (c: ReceiverChannel): c is EditableChannel =>
  c.source === 'ui' && c.uid !== null && c.config !== null && isChannelKind(c.kind);

/**
 * One kind's form, mounted anew for each kind (a fresh form store): builds the `config` from the fields and
 * saves it; the server's errors go under the fields their pointers name, the others above the form.
 */
function KindForm({
  kind,
  channel,
  save,
  onCancel,
}: {
  kind: ChannelKind;
  channel: EditableChannel | null;
  save: (config: Record<string, unknown>) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ChannelFormValues>();
  const stored = channel?.config ?? null;
  const [initial] = useState(() => formValuesOf(kind, stored));
  const [cleared, setCleared] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const provider: unknown = Form.useWatch('provider', form);
  const secrets = {
    stored: storedSecrets(kind, stored),
    cleared,
    toggle: (key: string) => setCleared((c) => (c.includes(key) ? c.filter((k) => k !== key) : [...c, key])),
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    // Every value in the store: antd hands onFinish only the fields mounted now.
    const values = form.getFieldsValue(true) as ChannelFormValues;
    const keep = secrets.stored.filter((k) => !cleared.includes(k));
    try {
      await save(buildChannelConfig(kind, values, { stored, keep }));
    } catch (e) {
      if (e instanceof ApiError && e.details.length > 0) {
        const placed = placeDetails(e.details, kind, values.provider);
        form.setFields(placed.fields);
        setError(placed.unplaced === 0 ? null : e);
      } else setError(e);
    }
    setBusy(false);
  };

  return (
    <>
      {error !== null && <ErrorAlert error={error} testId="channel-error" />}
      <Form<ChannelFormValues>
        form={form}
        name="channel"
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        data-testid="channel-form"
        data-kind={kind}
      >
        <ChannelFields kind={kind} provider={provider} secrets={secrets} />
        <DialogFooter
          onCancel={onCancel}
          busy={busy}
          okText={t(channel === null ? 'common.create' : 'common.save')}
          testId="channel-submit"
        />
      </Form>
    </>
  );
}

/** The dialog's body, mounted on opening: the kind to add (or the channel's own), then its form. */
function ChannelEditor({
  receiver,
  channel,
  onClose,
  onSaved,
}: {
  receiver: Receiver;
  channel: EditableChannel | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const [kind, setKind] = useState<ChannelKind>(() =>
    channel !== null && isChannelKind(channel.kind) ? channel.kind : 'dingtalk',
  );

  const save = async (config: Record<string, unknown>) => {
    let saved: UiChannel;
    if (channel === null) {
      saved = await api.addReceiverChannel(receiver.name, kind, config);
      void message.success(t('channelForm.added', { id: saved.id, receiver: receiver.name }));
    } else {
      saved = await api.updateReceiverChannel(channel.uid, config);
      void message.success(t('channelForm.updated', { id: saved.id }));
    }
    onSaved();
  };

  return (
    <>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 16 }}>
        {t('channelForm.storedHint')}
      </Typography.Paragraph>
      {channel === null && (
        <Flex vertical gap={6} style={{ marginBottom: 16 }}>
          <Typography.Text>{t('channelForm.kind')}</Typography.Text>
          <Select<ChannelKind>
            value={kind}
            onChange={setKind}
            style={{ maxWidth: 320 }}
            aria-label={t('channelForm.kind')}
            placeholder={t('channelForm.kindPlaceholder')}
            options={CHANNEL_KINDS.map((k) => ({ value: k, label: <KindTag kind={k} /> }))}
            data-testid="channel-kind-select"
          />
        </Flex>
      )}
      <KindForm key={kind} kind={kind} channel={channel} save={save} onCancel={onClose} />
    </>
  );
}

/** Adds a channel to `receiver` (`channel` null) or edits one added here. */
export function ChannelModal({
  receiver,
  channel,
  open,
  onClose,
  onSaved,
}: {
  receiver: Receiver;
  channel: EditableChannel | null;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={
        channel === null ? (
          t('channelForm.addTitle', { receiver: receiver.name })
        ) : (
          <Flex gap={8} align="center">
            {t('channelForm.editTitle', { id: channel.id })}
            <KindTag kind={channel.kind} />
          </Flex>
        )
      }
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={640}
      data-testid="channel-modal"
    >
      <ChannelEditor receiver={receiver} channel={channel} onClose={onClose} onSaved={onSaved} />
    </Modal>
  );
}
