import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role, type User, type UserPatch } from '../../api';
import { DialogFooter } from '../../components/DialogFooter';
import { ErrorAlert } from '../../components/ErrorAlert';
import { placeFieldErrors } from '../../form-errors';
import { formatTime } from '../../format';
import { useLoad } from '../../hooks/use-load';
import { useApi, useSession, useUser } from '../../session';

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

interface EditUser {
  displayName: string;
  role: Role;
  disabled: boolean;
  password?: string;
}

/** An administrator's changes to one user: name, role, disabled, a new password. Only changed fields are sent. */
function EditUserForm({ user, onClose, onSaved }: { user: User; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const me = useUser();
  const { userChanged, passwordChanged } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditUser>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const self = user.id === me.id;

  const save = async (v: EditUser) => {
    // An empty name would be ignored by the server; like at creation, empty means the username.
    const displayName = v.displayName.trim() || user.username;
    const patch: UserPatch = {};
    if (displayName !== user.displayName) patch.displayName = displayName;
    if (v.role !== user.role) patch.role = v.role;
    if (v.disabled !== (user.disabled ?? false)) patch.disabled = v.disabled;
    if (v.password) patch.password = v.password;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await api.updateUser(user.id, patch);
      if (self && patch.password !== undefined) {
        passwordChanged(); // the server ended this session too
        return;
      }
      if (self) userChanged(saved);
      void message.success(t('users.updated', { username: user.username }));
      onSaved();
    } catch (e) {
      setError(placeFieldErrors(form, e, ['displayName', 'role', 'disabled', 'password']));
    }
    setBusy(false);
  };

  return (
    <>
      {error !== null && <ErrorAlert error={error} testId="user-edit-error" />}
      <Form<EditUser>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ displayName: user.displayName, role: user.role, disabled: user.disabled ?? false }}
        data-testid="user-edit-form"
      >
        <Form.Item name="displayName" label={t('fields.displayName')} extra={t('fields.displayNameHelp')}>
          <Input autoComplete="off" maxLength={128} data-testid="user-edit-display-name" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} extra={t('users.roleHelp')}>
          <Select<Role>
            data-testid="user-edit-role"
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="disabled"
          label={t('users.disabledLabel')}
          valuePropName="checked"
          extra={self ? t('users.cannotDisableSelf') : t('users.disabledHelp')}
        >
          <Switch disabled={self} data-testid="user-edit-disabled" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('users.resetPassword')}
          extra={self ? t('account.newPasswordHelp') : t('users.resetPasswordHelp')}
        >
          <Input.Password autoComplete="new-password" data-testid="user-edit-password" />
        </Form.Item>
        <DialogFooter onCancel={onClose} busy={busy} okText={t('common.save')} testId="user-edit-submit" />
      </Form>
    </>
  );
}

export default function UsersTab() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const me = useUser();
  const { message } = App.useApp();
  const users = useLoad(useCallback(() => api.listUsers(), [api]));
  const [adding, setAdding] = useState(false);
  // The user in the edit dialog; kept after closing so that the dialog does not empty while it fades out.
  const [editing, setEditing] = useState<User | null>(null);
  const [editOpen, setEditOpen] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  // The outcome of a row action (a refused delete): stays above the table until dismissed.
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<NewUser>();
  const isAdmin = me.role === 'admin';

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

  const remove = async (user: User) => {
    setActionError(null);
    try {
      await api.deleteUser(user.id);
      void message.success(t('users.deleted', { username: user.username }));
      users.reload();
    } catch (e) {
      setActionError(e);
    }
  };

  return (
    <>
      {isAdmin && (
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
      {actionError !== null && (
        <ErrorAlert error={actionError} testId="users-action-error" onClose={() => setActionError(null)} />
      )}
      <Table<User>
        size="small"
        rowKey="id"
        loading={users.loading}
        dataSource={users.data?.items ?? []}
        pagination={false}
        data-testid="user-table"
        columns={[
          {
            title: t('fields.username'),
            dataIndex: 'username',
            render: (name: string, u) => (
              <Space size={6}>
                {name}
                {u.id === me.id && <Tag color="processing">{t('users.you')}</Tag>}
                {u.disabled === true && <Tag color="red">{t('users.disabled')}</Tag>}
              </Space>
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
          ...(isAdmin
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 100,
                  render: (_: unknown, u: User) => (
                    <Space size={0}>
                      <Button
                        type="link"
                        size="small"
                        icon={<EditOutlined />}
                        aria-label={t('common.edit')}
                        onClick={() => {
                          setEditing(u);
                          setEditOpen(true);
                        }}
                        data-testid={`user-edit-${u.username}`}
                        title={t('common.edit')}
                      />
                      <Popconfirm
                        title={t('users.deleteConfirm', { username: u.username })}
                        description={t('users.deleteHint')}
                        okText={t('common.delete')}
                        cancelText={t('common.cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() => remove(u)}
                      >
                        <Button
                          type="link"
                          size="small"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={t('common.delete')}
                          data-testid={`user-delete-${u.username}`}
                          title={t('common.delete')}
                        />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={adding}
        title={t('users.addTitle')}
        onCancel={close}
        forceRender
        footer={[
          <Button key="cancel" onClick={close}>
            {t('common.cancel')}
          </Button>,
          <Button
            key="ok"
            type="primary"
            loading={busy}
            onClick={() => form.submit()}
            data-testid="user-add-submit"
          >
            {t('common.create')}
          </Button>,
        ]}
      >
        {saveError !== null && <ErrorAlert error={saveError} />}
        <Form<NewUser> form={form} layout="vertical" onFinish={save} initialValues={{ role: 'viewer' }}>
          <Form.Item
            name="username"
            label={t('fields.username')}
            rules={[{ required: true, whitespace: true, message: t('fields.usernameRequired') }]}
          >
            <Input autoComplete="off" data-testid="user-add-username" />
          </Form.Item>
          <Form.Item name="displayName" label={t('fields.displayName')}>
            <Input autoComplete="off" data-testid="user-add-display-name" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('fields.password')}
            extra={t('users.passwordHelp')}
            rules={[{ required: true, message: t('fields.passwordRequired') }]}
          >
            <Input.Password autoComplete="new-password" data-testid="user-add-password" />
          </Form.Item>
          <Form.Item name="role" label={t('users.role')} extra={t('users.roleHelp')}>
            <Select<Role>
              data-testid="user-add-role"
              options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={editOpen}
        title={t('users.editTitle', { username: editing?.username ?? '' })}
        onCancel={() => setEditOpen(false)}
        footer={null}
        destroyOnHidden
      >
        {editing !== null && (
          <EditUserForm
            user={editing}
            onClose={() => setEditOpen(false)}
            onSaved={() => {
              setEditOpen(false);
              users.reload();
            }}
          />
        )}
      </Modal>
    </>
  );
}
