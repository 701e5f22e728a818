import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, Flex, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role, type TestResult } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApi } from '../../session';
import { ProviderCode } from './receiver-cells';

/** The server sends test messages for editors and up (permission `write`); others see no test button. */
export const canSendTests = (role: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf('editor');

/** What a test button is sending now: a whole receiver, or one of its channels. */
export const sendingKey = (receiver: string, channel?: string): string => `${receiver}\u0000${channel ?? ''}`;

export interface TestMessages {
  /** Sends a test message through `receiver`'s channels, or through `channel` only. */
  send: (receiver: string, channel?: string) => Promise<void>;
  /** The sendingKey of the send in progress. */
  sending: string | null;
  /** The outcome of the last send, per channel: to be placed above the receivers. */
  panel: ReactNode;
}

function ResultRow({ r }: { r: TestResult }) {
  const { t } = useTranslation();
  return (
    <Flex
      gap={8}
      align="baseline"
      wrap
      data-testid="test-result"
      data-channel={r.channel}
      data-ok={String(r.ok)}
    >
      {r.ok ? (
        <CheckCircleFilled style={{ color: '#52c41a' }} />
      ) : (
        <CloseCircleFilled style={{ color: '#ff4d4f' }} />
      )}
      <code>{r.channel}</code>
      <Typography.Text strong type={r.ok ? 'success' : 'danger'}>
        {t(r.ok ? 'receivers.test.ok' : 'receivers.test.failed')}
      </Typography.Text>
      <ProviderCode status={r.status} code={r.providerCode} />
      <Typography.Text type="secondary" style={{ wordBreak: 'break-word' }}>
        {r.message} · {r.durationMs} ms
      </Typography.Text>
    </Flex>
  );
}

/**
 * Sends test messages (`POST /api/v1/receivers/:name/test`) and shows what each channel's provider answered:
 * delivered, or its code and message. `onSent` runs after each send, to refresh the channels' counts.
 */
export function useTestMessages(onSent: () => void): TestMessages {
  const { t } = useTranslation();
  const api = useApi();
  const [sending, setSending] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<
    { receiver: string; results: TestResult[] } | { receiver: string; error: unknown } | null
  >(null);

  const send = async (receiver: string, channel?: string) => {
    setSending(sendingKey(receiver, channel));
    setOutcome(null);
    try {
      const { results } = await api.testReceiver(receiver, channel);
      setOutcome({ receiver, results });
    } catch (error) {
      setOutcome({ receiver, error });
    } finally {
      setSending(null);
      onSent();
    }
  };

  const title = outcome === null ? '' : t('receivers.test.resultTitle', { receiver: outcome.receiver });
  const panel =
    outcome === null ? null : 'error' in outcome ? (
      <ErrorAlert error={outcome.error} testId="test-error" onClose={() => setOutcome(null)} />
    ) : (
      <Alert
        type={outcome.results.every((r) => r.ok) ? 'success' : 'error'}
        showIcon
        closable={{ onClose: () => setOutcome(null) }}
        title={title}
        data-testid="test-results"
        style={{ marginBottom: 16 }}
        description={
          outcome.results.length === 0 ? (
            t('receivers.test.none')
          ) : (
            <Flex vertical gap={4}>
              {outcome.results.map((r) => (
                <ResultRow key={r.channel} r={r} />
              ))}
            </Flex>
          )
        }
      />
    );
  return { send, sending, panel };
}
