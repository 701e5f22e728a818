import { LinkOutlined } from '@ant-design/icons';
import { Alert, Card, Flex, Spin, Tag, Typography } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TemplatePreview as Preview } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';

const PRE: CSSProperties = {
  margin: 0,
  padding: '8px 10px',
  background: '#fafafa',
  border: '1px solid #f0f0f0',
  borderRadius: 4,
  whiteSpace: 'pre-wrap',
  wordBreak: 'break-word',
  fontFamily: 'monospace',
  fontSize: 12,
  maxHeight: 420,
  overflow: 'auto',
};

function Part({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {label}
      </Typography.Text>
      {children}
    </div>
  );
}

/**
 * The sample notification as rendered by the server: title, the Markdown source (shown as text: no Markdown
 * component is bundled, and text cannot inject markup), the plain text, the buttons Watchpost adds, and the
 * problems of broken templates with the Liquid error.
 */
export function TemplatePreview({
  preview,
  error,
  pending,
}: {
  preview: Preview | undefined;
  error: unknown;
  pending: boolean;
}) {
  const { t } = useTranslation();
  const m = preview?.message;
  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center">
          {t('templates.preview')}
          {pending && <Spin size="small" data-testid="preview-pending" />}
        </Flex>
      }
      data-testid="template-preview"
    >
      {error !== undefined && <ErrorAlert error={error} testId="preview-error" />}
      {preview !== undefined && preview.problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('templates.problems')}
          style={{ marginBottom: 12 }}
          data-testid="template-problems"
          description={
            <>
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {preview.problems.map((p) => (
                  <li
                    key={`${p.template}:${p.message}`}
                    data-testid="template-problem"
                    data-template={p.template}
                  >
                    <code>{p.template}</code>: {p.message}
                  </li>
                ))}
              </ul>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('templates.problemsHint')}
              </Typography.Text>
            </>
          }
        />
      )}
      {m === undefined ? (
        pending && <Spin />
      ) : (
        <Flex vertical gap={12}>
          <Part label={t('templates.names.title')}>
            <Typography.Title level={5} style={{ margin: '2px 0 0' }} data-testid="preview-title">
              {m.title}
            </Typography.Title>
          </Part>
          <Part label={t('templates.names.markdown')}>
            <pre style={PRE} data-testid="preview-markdown">
              {m.markdown}
            </pre>
          </Part>
          {m.links.length > 0 && (
            <Part label={t('templates.links')}>
              <Flex gap={6} wrap style={{ marginTop: 2 }}>
                {m.links.map((l) => (
                  <Tag key={l.label} icon={<LinkOutlined />} title={l.url}>
                    {l.label}
                  </Tag>
                ))}
              </Flex>
            </Part>
          )}
          <Part label={t('templates.names.text')}>
            <pre style={PRE} data-testid="preview-text">
              {m.text}
            </pre>
          </Part>
        </Flex>
      )}
    </Card>
  );
}
