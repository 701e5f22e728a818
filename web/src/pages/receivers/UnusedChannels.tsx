import { Alert, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { RemoveChannelButton, useRemoveChannel } from './ChannelActions';
import { KindTag } from './receiver-cells';

/**
 * Channels added here to receiver `receiver` that nothing is sent through, with a Remove for editors and up
 * (`onChanged` given). `orphan`: the configuration file no longer declares the receiver; otherwise the
 * channels no longer pass the checks. Nothing when there are none.
 */
export function UnusedChannels({
  receiver,
  channels,
  orphan = false,
  onChanged,
}: {
  receiver: string;
  channels: readonly { uid: string; id: string; kind: string }[];
  orphan?: boolean;
  onChanged: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const remove = useRemoveChannel(onChanged ?? (() => undefined));
  if (channels.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      title={orphan ? t('channelForm.orphanTitle', { receiver }) : t('channelForm.unusedTitle')}
      style={{ marginBottom: 12 }}
      data-testid={orphan ? 'channels-orphan' : 'channels-unused'}
      description={
        <Flex vertical gap={6}>
          <span>{orphan ? t('channelForm.orphanHint') : t('channelForm.unusedHint')}</span>
          {channels.map((c) => (
            <Flex key={c.uid} gap={8} align="center" data-testid="channel-unused" data-channel={c.id}>
              <KindTag kind={c.kind} />
              <code>{c.id}</code>
              {onChanged !== undefined && (
                <RemoveChannelButton receiver={receiver} id={c.id} onConfirm={() => remove(c.uid, c.id)} />
              )}
            </Flex>
          ))}
        </Flex>
      }
    />
  );
}
