import { SendOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Receiver } from '../../api';
import { ManagedTag } from '../../components/ManagedTag';
import { sendingKey, type TestMessages } from './TestMessages';

/** Policy (all / fallback after N attempts), language and the "managed by config" mark of a receiver. */
export function ReceiverTags({ receiver: r }: { receiver: Receiver }) {
  const { t } = useTranslation();
  const language =
    r.language === 'en' || r.language === 'zh-CN' ? t(`receivers.languages.${r.language}`) : r.language;
  return (
    <Flex gap={6} wrap align="center" data-testid="receiver-tags">
      <Tooltip title={t(`receivers.policyHelp.${r.policy}`)}>
        <Tag
          color={r.policy === 'all' ? 'blue' : 'orange'}
          style={{ marginInlineEnd: 0 }}
          data-testid="receiver-policy"
        >
          {t(`receivers.policy.${r.policy}`, { count: r.fallbackAfter })}
        </Tag>
      </Tooltip>
      <Tooltip title={t('receivers.languageHint')}>
        <Tag style={{ marginInlineEnd: 0 }} data-testid="receiver-language">
          {language}
        </Tag>
      </Tooltip>
      <ManagedTag managedBy={t('maintenance.configFile')} />
    </Flex>
  );
}

/** "Test every channel" of a receiver, for editors and up (`tests` given). */
export function TestAllButton({ receiver, tests }: { receiver: Receiver; tests: TestMessages | undefined }) {
  const { t } = useTranslation();
  if (tests === undefined || receiver.channels.length === 0) return null;
  return (
    <Button
      icon={<SendOutlined />}
      loading={tests.sending === sendingKey(receiver.name)}
      disabled={tests.sending !== null}
      onClick={() => tests.send(receiver.name)}
      data-testid="receiver-test"
    >
      {t('receivers.test.all')}
    </Button>
  );
}

/** Receivers and routes come from the configuration file; channels can also be added here. */
export function FileHint() {
  const { t } = useTranslation();
  return (
    <Alert
      type="info"
      showIcon
      title={t('receivers.fileTitle')}
      description={t('receivers.fileHint')}
      style={{ marginBottom: 16 }}
      data-testid="receivers-file-hint"
    />
  );
}
