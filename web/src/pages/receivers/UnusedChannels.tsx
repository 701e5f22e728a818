import { Alert, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Receiver } from '../../api';
import { RemoveChannelButton, useRemoveChannel } from './ChannelActions';
import { KindTag } from './receiver-cells';

/**
 * Channels added here to `receiver` that nothing is sent through (they no longer pass the checks), with a
 * Remove for editors and up (`onChanged` given). Nothing when there are none.
 */
export function UnusedChannels({
  receiver,
  onChanged,
}: {
  receiver: Receiver;
  onChanged: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const remove = useRemoveChannel(onChanged ?? (() => undefined));
  if (receiver.unusedChannels.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      title={t('channelForm.unusedTitle')}
      style={{ marginBottom: 12 }}
      data-testid="channels-unused"
      description={
        <Flex vertical gap={6}>
          <span>{t('channelForm.unusedHint')}</span>
          {receiver.unusedChannels.map((c) => (
            <Flex key={c.uid} gap={8} align="center" data-testid="channel-unused" data-channel={c.id}>
              <KindTag kind={c.kind} />
              <code>{c.id}</code>
              {onChanged !== undefined && (
                <RemoveChannelButton
                  receiver={receiver.name}
                  id={c.id}
                  onConfirm={() => remove(c.uid, c.id)}
                />
              )}
            </Flex>
          ))}
        </Flex>
      }
    />
  );
}
