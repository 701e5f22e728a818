import { App, Divider, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserPatch } from '../api';
import { placeFieldErrors } from '../form-errors';
import { useApi, useSession, useUser } from '../session';
import { DialogFooter } from './DialogFooter';
import { ErrorAlert } from './ErrorAlert';

interface AccountValues {
  displayName: string;
  password?: string;
  confirm?: string;
}

/** The dialog's body: mounted on opening, so every opening starts from the current values. */
function AccountForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const me = useUser();
  const { userChanged, passwordChanged } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<AccountValues>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const save = async (v: AccountValues) => {
    // The server keeps the old name when sent an empty one; like at creation, empty means the username.
    const displayName = v.displayName.trim() || me.username;
    const patch: UserPatch = {};
    if (displayName !== me.displayName) patch.displayName = displayName;
    if (v.password) patch.password = v.password;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const user = await api.updateUser(me.id, patch);
      if (patch.password !== undefined) {
        passwordChanged(); // unmounts the frame, this dialog included
        return;
      }
      userChanged(user);
      void message.success(t('account.saved'));
      onClose();
    } catch (e) {
      setError(placeFieldErrors(form, e, ['displayName', 'password']));
    }
    setBusy(false);
  };

  return (
    <>
      {error !== null && <ErrorAlert error={error} testId="account-error" />}
      <Form<AccountValues>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ displayName: me.displayName }}
        data-testid="account-form"
      >
        <Form.Item label={t('fields.username')}>
          <Input value={me.username} disabled />
        </Form.Item>
        <Form.Item name="displayName" label={t('fields.displayName')} extra={t('fields.displayNameHelp')}>
          <Input autoComplete="name" maxLength={128} data-testid="account-display-name" />
        </Form.Item>
        <Divider titlePlacement="start" plain style={{ marginTop: 4 }}>
          {t('account.changePassword')}
        </Divider>
        <Form.Item name="password" label={t('account.newPassword')} extra={t('account.newPasswordHelp')}>
          <Input.Password autoComplete="new-password" data-testid="account-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('account.confirmPassword')}
          dependencies={['password']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) => {
                const password = getFieldValue('password') as string | undefined;
                if (!password) return Promise.resolve();
                if (!value) return Promise.reject(new Error(t('setup.confirmRequired')));
                if (value !== password) return Promise.reject(new Error(t('setup.passwordMismatch')));
                return Promise.resolve();
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="account-confirm" />
        </Form.Item>
        <DialogFooter onCancel={onClose} busy={busy} okText={t('common.save')} testId="account-submit" />
      </Form>
    </>
  );
}

/**
 * Everyone's own account: display name and password. A new password ends every session of the user on the
 * server, this one included, so the browser continues at the login page.
 */
export function AccountModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={t('account.title')}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={480}
    >
      <AccountForm onClose={onClose} />
    </Modal>
  );
}
