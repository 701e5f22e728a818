import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { ErrorAlert } from '../components/ErrorAlert';
import { placeFieldErrors } from '../form-errors';
import { useSession } from '../session';

interface SetupForm {
  token: string;
  username: string;
  displayName?: string;
  password: string;
  confirm: string;
}

const FIELDS = ['token', 'username', 'displayName', 'password'];

/** First start: turns the one-time setup token into the first administrator account. */
export default function SetupPage() {
  const { t } = useTranslation();
  const { api, setupDone } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<SetupForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: SetupForm) => {
    setBusy(true);
    setError(null);
    try {
      const displayName = v.displayName?.trim();
      await api.setup({
        token: v.token.trim(),
        username: v.username.trim(),
        password: v.password,
        ...(displayName ? { displayName } : {}),
      });
      setupDone(v.username.trim());
      void navigate('/login', { replace: true });
    } catch (e) {
      setError(placeFieldErrors(form, e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t('setup.title')} width={480}>
      <Alert type="info" showIcon title={t('setup.intro')} style={{ marginBottom: 20 }} />
      {error !== null && (
        <ErrorAlert
          error={error}
          testId="setup-error"
          {...(error instanceof ApiError && error.code === 'unauthorized'
            ? { title: t('setup.wrongToken') }
            : {})}
        />
      )}
      <Form<SetupForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark="optional"
        data-testid="setup-form"
      >
        <Form.Item
          name="token"
          label={t('setup.token')}
          extra={t('setup.tokenHelp')}
          rules={[{ required: true, whitespace: true, message: t('setup.tokenRequired') }]}
        >
          <Input data-testid="setup-token" autoComplete="off" spellCheck={false} autoFocus />
        </Form.Item>
        <Form.Item
          name="username"
          label={t('fields.username')}
          rules={[{ required: true, whitespace: true, message: t('fields.usernameRequired') }]}
        >
          <Input data-testid="setup-username" autoComplete="username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('fields.displayName')} extra={t('fields.displayNameHelp')}>
          <Input data-testid="setup-display-name" autoComplete="name" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('fields.password')}
          rules={[{ required: true, message: t('fields.passwordRequired') }]}
        >
          <Input.Password data-testid="setup-password" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('setup.confirmPassword')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('setup.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_rule, value: unknown) =>
                value === undefined || value === '' || value === getFieldValue('password')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('setup.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password data-testid="setup-confirm" autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="setup-submit">
          {t('setup.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
