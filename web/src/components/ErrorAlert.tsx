import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { errorTitle } from '../error-text';

/** A failed call: a translated summary, then the server's message and each offending field. */
export function ErrorAlert({
  error,
  testId,
  title,
  onClose,
}: {
  error: unknown;
  testId?: string;
  title?: string;
  /** Makes the alert closable (for the outcome of an action, which stays until dismissed). */
  onClose?: () => void;
}) {
  const { t } = useTranslation();
  const server = error instanceof ApiError && error.code !== 'network' ? error : null;
  const description =
    server === null ? undefined : (
      <>
        <div>{server.message}</div>
        {server.details.length > 0 && (
          <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
            {server.details.map((d) => (
              <li key={`${d.path}:${d.message}`}>
                <code>{d.path}</code> {d.message}
              </li>
            ))}
          </ul>
        )}
      </>
    );
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      title={title ?? errorTitle(t, error)}
      description={description}
      {...(onClose ? { closable: { onClose: () => onClose() } } : {})}
      style={{ marginBottom: 16 }}
    />
  );
}
