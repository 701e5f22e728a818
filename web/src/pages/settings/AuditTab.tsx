import { Button, Flex, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTOR_TYPES, type ActorType, type AuditEntry } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatTime } from '../../format';
import { useApi } from '../../session';

const PAGE = 50;
const ACTOR_COLORS: Record<ActorType, string> = {
  user: 'blue',
  token: 'cyan',
  system: 'default',
  config: 'purple',
};

function Json({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined)
    return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  return (
    <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function ActorCell({ actor }: { actor: AuditEntry['actor'] }) {
  const { t } = useTranslation();
  const known = ACTOR_TYPES.find((k) => k === actor.type);
  return (
    <>
      <Tag color={known ? ACTOR_COLORS[known] : 'default'}>
        {known ? t(`audit.actorType.${known}`) : actor.type}
      </Tag>
      {actor.name}
    </>
  );
}

/** Who changed what, newest first, fetched a page at a time with the server's `before` cursor. */
export default function AuditTab() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined); // undefined: first page not loaded
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);

  const load = useCallback(
    async (before: number | undefined, signal: { stale: boolean }) => {
      setLoading(true);
      setError(undefined);
      try {
        const page = await api.listAudit(before === undefined ? { limit: PAGE } : { limit: PAGE, before });
        if (signal.stale) return;
        setItems((prev) => (before === undefined ? page.items : [...prev, ...page.items]));
        setNext(page.nextBefore);
      } catch (e) {
        if (!signal.stale) setError(e);
      } finally {
        if (!signal.stale) setLoading(false);
      }
    },
    [api],
  );

  useEffect(() => {
    const signal = { stale: false };
    void load(undefined, signal);
    return () => {
      signal.stale = true;
    };
  }, [load]);

  return (
    <>
      {error !== undefined && <ErrorAlert error={error} />}
      <Table<AuditEntry>
        size="small"
        rowKey="id"
        loading={loading && items.length === 0}
        dataSource={items}
        pagination={false}
        expandable={{
          expandedRowRender: (e) => (
            <Flex gap={24}>
              <div style={{ flex: 1, minWidth: 0 }}>
                <Typography.Text type="secondary">{t('audit.before')}</Typography.Text>
                <Json value={e.before} />
              </div>
              <div style={{ flex: 1, minWidth: 0 }}>
                <Typography.Text type="secondary">{t('audit.after')}</Typography.Text>
                <Json value={e.after} />
              </div>
            </Flex>
          ),
        }}
        columns={[
          {
            title: t('audit.at'),
            dataIndex: 'at',
            width: 180,
            render: (at: string) => <span title={at}>{formatTime(at, i18n.language)}</span>,
          },
          {
            title: t('audit.actor'),
            dataIndex: 'actor',
            render: (a: AuditEntry['actor']) => <ActorCell actor={a} />,
          },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
          },
          {
            title: t('audit.target'),
            key: 'target',
            render: (_: unknown, e) => (e.targetId === null ? e.targetType : `${e.targetType} ${e.targetId}`),
          },
          {
            title: t('audit.sourceIp'),
            dataIndex: 'sourceIp',
            render: (ip: string | null) => ip ?? t('common.none'),
          },
        ]}
      />
      <Flex justify="center" style={{ marginTop: 12 }}>
        {typeof next === 'number' ? (
          <Button
            loading={loading}
            onClick={() => void load(next, { stale: false })}
            data-testid="audit-load-more"
          >
            {t('common.loadMore')}
          </Button>
        ) : (
          next === null &&
          items.length > 0 && <Typography.Text type="secondary">{t('audit.end')}</Typography.Text>
        )}
      </Flex>
    </>
  );
}
