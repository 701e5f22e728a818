import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { ErrorAlert } from '../components/ErrorAlert';
import { placeFieldErrors } from '../form-errors';
import { useSession } from '../session';

interface LoginForm {
  username: string;
  password: string;
}

/** Where to go after signing in: the page that sent the user here, unless that was an auth page. */
function returnPath(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state && typeof state.from === 'string') {
    if (state.from.startsWith('/') && !/^\/(login|setup)\b/.test(state.from)) return state.from;
  }
  return '/overview';
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { state, login } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<LoginForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const anon = state.status === 'anonymous' ? state : null;

  const submit = async (v: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.username.trim(), v.password);
      void navigate(returnPath(location.state), { replace: true });
    } catch (e) {
      setError(placeFieldErrors(form, e, ['username', 'password']));
      setBusy(false);
    }
  };

  const notice =
    error !== null ? null : anon?.reason === 'setup-done' ? (
      <Alert
        type="success"
        showIcon
        data-testid="setup-done"
        title={t('setup.done', { username: anon.username ?? '' })}
        style={{ marginBottom: 16 }}
      />
    ) : anon?.reason === 'password-changed' ? (
      <Alert
        type="success"
        showIcon
        data-testid="password-changed"
        title={t('login.passwordChanged')}
        style={{ marginBottom: 16 }}
      />
    ) : anon?.reason === 'expired' ? (
      <Alert type="warning" showIcon title={t('login.sessionExpired')} style={{ marginBottom: 16 }} />
    ) : null;

  return (
    <AuthLayout title={t('login.title')}>
      {notice}
      {error !== null && (
        <ErrorAlert
          error={error}
          testId="login-error"
          {...(error instanceof ApiError && error.code === 'unauthorized'
            ? { title: t('login.wrongCredentials') }
            : {})}
        />
      )}
      <Form<LoginForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark={false}
        initialValues={{ username: anon?.username ?? '' }}
        data-testid="login-form"
      >
        <Form.Item
          name="username"
          label={t('fields.username')}
          rules={[{ required: true, whitespace: true, message: t('fields.usernameRequired') }]}
        >
          <Input data-testid="login-username" autoComplete="username" autoFocus={!anon?.username} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('fields.password')}
          rules={[{ required: true, message: t('fields.passwordRequired') }]}
        >
          <Input.Password
            data-testid="login-password"
            autoComplete="current-password"
            autoFocus={!!anon?.username}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
