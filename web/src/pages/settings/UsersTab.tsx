import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role, type User } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { placeFieldErrors } from '../../form-errors';
import { formatTime } from '../../format';
import { useLoad } from '../../hooks/use-load';
import { useApi, useUser } from '../../session';

const ROLE_COLORS: Record<Role, string> = {
  viewer: 'default',
  responder: 'blue',
  editor: 'green',
  admin: 'gold',
};

interface NewUser {
  username: string;
  displayName?: string;
  password: string;
  role: Role;
}

export default function UsersTab() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const me = useUser();
  const { message } = App.useApp();
  const users = useLoad(useCallback(() => api.listUsers(), [api]));
  const [adding, setAdding] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<NewUser>();

  const close = () => {
    setAdding(false);
    setSaveError(null);
    form.resetFields();
  };

  const save = async (v: NewUser) => {
    setBusy(true);
    setSaveError(null);
    try {
      const displayName = v.displayName?.trim();
      await api.createUser({
        username: v.username.trim(),
        password: v.password,
        role: v.role,
        ...(displayName ? { displayName } : {}),
      });
      void message.success(t('users.added', { username: v.username.trim() }));
      close();
      users.reload();
    } catch (e) {
      setSaveError(placeFieldErrors(form, e, ['username', 'displayName', 'password', 'role']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {me.role === 'admin' && (
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setAdding(true)}
            data-testid="user-add"
          >
            {t('users.add')}
          </Button>
        </Flex>
      )}
      {users.error !== undefined && <ErrorAlert error={users.error} />}
      <Table<User>
        size="small"
        rowKey="id"
        loading={users.loading}
        dataSource={users.data?.items ?? []}
        pagination={false}
        columns={[
          {
            title: t('fields.username'),
            dataIndex: 'username',
            render: (name: string, u) => (
              <>
                {name}
                {u.disabled === true && (
                  <Tag color="red" style={{ marginInlineStart: 6 }}>
                    {t('users.disabled')}
                  </Tag>
                )}
              </>
            ),
          },
          { title: t('fields.displayName'), dataIndex: 'displayName' },
          {
            title: t('users.role'),
            dataIndex: 'role',
            render: (role: Role) => <Tag color={ROLE_COLORS[role]}>{t(`roles.${role}`)}</Tag>,
          },
          {
            title: t('common.createdAt'),
            dataIndex: 'createdAt',
            render: (at: string) => <span title={at}>{formatTime(at, i18n.language)}</span>,
          },
        ]}
      />
      <Modal
        open={adding}
        title={t('users.addTitle')}
        okText={t('common.create')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={close}
        forceRender
      >
        {saveError !== null && <ErrorAlert error={saveError} />}
        <Form<NewUser> form={form} layout="vertical" onFinish={save} initialValues={{ role: 'viewer' }}>
          <Form.Item
            name="username"
            label={t('fields.username')}
            rules={[{ required: true, whitespace: true, message: t('fields.usernameRequired') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t('fields.displayName')}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('fields.password')}
            extra={t('users.passwordHelp')}
            rules={[{ required: true, message: t('fields.passwordRequired') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')} extra={t('users.roleHelp')}>
            <Select<Role> options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
