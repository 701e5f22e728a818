import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Space, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type Receiver, type ReceiverChannel } from '../../api';
import { errorTitle } from '../../error-text';
import { useApi } from '../../session';
import { ChannelModal, type EditableChannel } from './ChannelModal';

/** A test id for the confirm button (antd's ButtonProps type has no data attributes). */
const REMOVE_OK: Record<string, string> = { 'data-testid': 'channel-remove-ok' };

/** "From file" (read-only here) or "Added here" (editable), with what that means on hover. */
export function SourceTag({ source }: { source: ReceiverChannel['source'] }) {
  const { t } = useTranslation();
  const file = source === 'file';
  return (
    <Tooltip title={t(file ? 'channelForm.sourceFileHint' : 'channelForm.sourceUiHint')}>
      <Tag color={file ? 'purple' : 'green'} style={{ marginInlineEnd: 0 }} data-testid="channel-source">
        {t(file ? 'channelForm.sourceFile' : 'channelForm.sourceUi')}
      </Tag>
    </Tooltip>
  );
}

/** Removes a channel added here (`DELETE /api/v1/receiver-channels/:uid`), says so, then runs `onChanged`. */
export function useRemoveChannel(onChanged: () => void): (uid: string, id: string) => Promise<void> {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  return async (uid, id) => {
    try {
      await api.removeReceiverChannel(uid);
      void message.success(t('channelForm.removed', { id }));
    } catch (e) {
      const why = e instanceof ApiError && e.code !== 'network' ? `: ${e.message}` : '';
      void message.error(`${errorTitle(t, e)}${why}`);
    }
    onChanged();
  };
}

/** A Remove button that asks first. */
export function RemoveChannelButton({
  receiver,
  id,
  onConfirm,
}: {
  receiver: string;
  id: string;
  onConfirm: () => Promise<void>;
}) {
  const { t } = useTranslation();
  return (
    <Popconfirm
      title={t('channelForm.removeConfirm', { id })}
      description={t('channelForm.removeConfirmHelp', { receiver })}
      okText={t('common.remove')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, ...REMOVE_OK }}
      onConfirm={onConfirm}
    >
      <Button size="small" danger icon={<DeleteOutlined />} data-testid="channel-remove">
        {t('common.remove')}
      </Button>
    </Popconfirm>
  );
}

/** Edit and Remove for a channel added here (editors and up). */
export function ChannelRowActions({
  receiver,
  channel,
  onChanged,
}: {
  receiver: Receiver;
  channel: EditableChannel;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const remove = useRemoveChannel(onChanged);
  return (
    <Space size={8}>
      <Button size="small" icon={<EditOutlined />} onClick={() => setOpen(true)} data-testid="channel-edit">
        {t('common.edit')}
      </Button>
      <RemoveChannelButton
        receiver={receiver.name}
        id={channel.id}
        onConfirm={() => remove(channel.uid, channel.id)}
      />
      <ChannelModal
        receiver={receiver}
        channel={channel}
        open={open}
        onClose={() => setOpen(false)}
        onSaved={() => {
          setOpen(false);
          onChanged();
        }}
      />
    </Space>
  );
}

/** "Add channel" to a receiver the file declares (editors and up). */
export function AddChannelButton({ receiver, onChanged }: { receiver: Receiver; onChanged: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="channel-add">
        {t('channelForm.add')}
      </Button>
      <ChannelModal
        receiver={receiver}
        channel={null}
        open={open}
        onClose={() => setOpen(false)}
        onSaved={() => {
          setOpen(false);
          onChanged();
        }}
      />
    </>
  );
}
