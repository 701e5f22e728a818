import { CopyOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TOKEN_SCOPES, type ApiToken, type TokenScope } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { errorTitle } from '../../error-text';
import { placeFieldErrors } from '../../form-errors';
import { formatTime } from '../../format';
import { useLoad } from '../../hooks/use-load';
import { useApi, useUser } from '../../session';

interface NewToken {
  name: string;
  scopes: TokenScope[];
  expiresInDays?: number | null;
}

/** The plaintext of a new token, shown once; after the dialog closes it is dropped from memory and the DOM. */
function TokenCreatedModal({
  token,
  open,
  onClose,
  afterClose,
}: {
  token: string | null;
  open: boolean;
  onClose: () => void;
  afterClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();

  const copy = async () => {
    if (token === null) return;
    try {
      await navigator.clipboard.writeText(token);
      void message.success(t('tokens.copied'));
    } catch {
      void message.error(t('tokens.copyFailed'));
    }
  };

  return (
    <Modal
      open={open}
      afterClose={afterClose}
      destroyOnHidden
      title={t('tokens.createdTitle')}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      footer={
        <Button type="primary" onClick={onClose} data-testid="token-done">
          {t('tokens.done')}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={t('tokens.onceWarning')} style={{ marginBottom: 12 }} />
      <Space.Compact style={{ width: '100%' }}>
        <Input
          readOnly
          value={token ?? ''}
          data-testid="token-plaintext"
          style={{ fontFamily: 'monospace' }}
          onFocus={(e) => e.target.select()}
        />
        <Button icon={<CopyOutlined />} onClick={() => void copy()} data-testid="token-copy">
          {t('tokens.copy')}
        </Button>
      </Space.Compact>
    </Modal>
  );
}

export default function TokensTab() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const me = useUser();
  const [everyone, setEveryone] = useState(false);
  const tokens = useLoad(useCallback(() => api.listTokens(everyone), [api, everyone]));
  const [creating, setCreating] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [plaintext, setPlaintext] = useState<string | null>(null);
  const [showPlaintext, setShowPlaintext] = useState(false);
  const [form] = Form.useForm<NewToken>();
  const time = (iso: string) => <span title={iso}>{formatTime(iso, i18n.language)}</span>;

  const create = async (v: NewToken) => {
    setBusy(true);
    setSaveError(null);
    try {
      const res = await api.createToken({
        name: v.name.trim(),
        scopes: v.scopes,
        ...(typeof v.expiresInDays === 'number' ? { expiresInDays: v.expiresInDays } : {}),
      });
      setCreating(false);
      form.resetFields();
      setPlaintext(res.token);
      setShowPlaintext(true);
      tokens.reload();
    } catch (e) {
      setSaveError(placeFieldErrors(form, e, ['name', 'scopes', 'expiresInDays']));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (token: ApiToken) => {
    try {
      await api.revokeToken(token.id);
      void message.success(t('tokens.revoked', { name: token.name }));
      tokens.reload();
    } catch (e) {
      void message.error(errorTitle(t, e));
    }
  };

  return (
    <>
      <Flex justify="space-between" align="center" gap={16} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('tokens.intro')}</Typography.Text>
        <Flex align="center" gap={16}>
          {me.role === 'admin' && (
            <Space size={6}>
              <Switch size="small" checked={everyone} onChange={setEveryone} data-testid="token-show-all" />
              <Typography.Text>{t('tokens.showAll')}</Typography.Text>
            </Space>
          )}
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setSaveError(null);
              setCreating(true);
            }}
            data-testid="token-create"
          >
            {t('tokens.create')}
          </Button>
        </Flex>
      </Flex>
      {tokens.error !== undefined && <ErrorAlert error={tokens.error} />}
      <Table<ApiToken>
        size="small"
        rowKey="id"
        loading={tokens.loading}
        dataSource={tokens.data?.items ?? []}
        pagination={false}
        data-testid="token-table"
        columns={[
          {
            title: t('common.name'),
            dataIndex: 'name',
            render: (n: string) => <Typography.Text strong>{n}</Typography.Text>,
          },
          {
            title: t('tokens.prefix'),
            dataIndex: 'prefix',
            render: (p: string | undefined) =>
              p === undefined ? t('common.none') : <Typography.Text code>{`${p}…`}</Typography.Text>,
          },
          {
            title: t('tokens.scopes'),
            dataIndex: 'scopes',
            render: (scopes: TokenScope[]) => scopes.map((s) => <Tag key={s}>{s}</Tag>),
          },
          { title: t('tokens.owner'), dataIndex: 'username' },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: time },
          {
            title: t('tokens.lastUsedAt'),
            dataIndex: 'lastUsedAt',
            render: (v: string | null) => (v === null ? t('tokens.neverUsed') : time(v)),
          },
          {
            title: t('tokens.expiresAt'),
            dataIndex: 'expiresAt',
            render: (v: string | null) => (v === null ? t('tokens.neverExpires') : time(v)),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, token) => (
              <Popconfirm
                title={t('tokens.revokeConfirm', { name: token.name })}
                okText={t('tokens.revoke')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => revoke(token)}
              >
                <Button type="link" size="small" danger>
                  {t('tokens.revoke')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('tokens.create')}
        onCancel={() => setCreating(false)}
        forceRender
        footer={[
          <Button key="cancel" onClick={() => setCreating(false)}>
            {t('common.cancel')}
          </Button>,
          <Button
            key="ok"
            type="primary"
            loading={busy}
            onClick={() => form.submit()}
            data-testid="token-create-submit"
          >
            {t('common.create')}
          </Button>,
        ]}
      >
        {saveError !== null && <ErrorAlert error={saveError} />}
        <Form<NewToken> form={form} layout="vertical" onFinish={create} initialValues={{ scopes: ['read'] }}>
          <Form.Item
            name="name"
            label={t('common.name')}
            extra={t('tokens.nameHelp')}
            rules={[{ required: true, whitespace: true, message: t('tokens.nameRequired') }]}
          >
            <Input autoComplete="off" data-testid="token-name" />
          </Form.Item>
          <Form.Item
            name="scopes"
            label={t('tokens.scopes')}
            rules={[{ required: true, type: 'array', min: 1, message: t('tokens.scopesRequired') }]}
          >
            <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
              {TOKEN_SCOPES.map((s) => (
                <Checkbox key={s} value={s} data-testid={`token-scope-${s}`}>
                  <Typography.Text code>{s}</Typography.Text> {t(`tokens.scope.${s}`)}
                </Checkbox>
              ))}
            </Checkbox.Group>
          </Form.Item>
          <Form.Item name="expiresInDays" label={t('tokens.expiresInDays')} extra={t('tokens.expiresHelp')}>
            <InputNumber min={1} max={3650} precision={0} style={{ width: 160 }} />
          </Form.Item>
        </Form>
      </Modal>
      <TokenCreatedModal
        token={plaintext}
        open={showPlaintext}
        onClose={() => setShowPlaintext(false)}
        afterClose={() => setPlaintext(null)}
      />
    </>
  );
}
