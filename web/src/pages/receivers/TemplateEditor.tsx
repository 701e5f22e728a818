import { CopyOutlined, UndoOutlined } from '@ant-design/icons';
import { Button, Col, Flex, Form, Input, Row, Segmented, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Receiver, TemplatePreview as Preview, TemplatePreviewInput } from '../../api';
import { useApi } from '../../session';
import {
  draftsChanged,
  draftsOf,
  problemsByTemplate,
  TEMPLATE_NAMES,
  templatesYaml,
  type TemplateDrafts,
} from './receivers-model';
import { TemplatePreview } from './TemplatePreview';
import { YamlModal } from './YamlModal';

/** How long typing must pause before the preview is asked again. */
const DEBOUNCE_MS = 400;

type Language = 'zh-CN' | 'en';

const ROWS = { title: 2, markdown: 12, text: 3 } as const;

/**
 * Asks the server to render the sample notification with `input`, DEBOUNCE_MS after the last change (at once
 * the first time); an answer to an older input is dropped. The last preview stays shown while the next one
 * is pending.
 */
function useTemplatePreview(input: TemplatePreviewInput) {
  const api = useApi();
  const key = JSON.stringify(input);
  const first = useRef(true);
  const [state, setState] = useState<{ preview?: Preview; error?: unknown; pending: boolean }>({
    pending: true,
  });

  useEffect(() => {
    let stale = false;
    setState((s) => ({ ...s, pending: true }));
    const timer = setTimeout(
      () => {
        api.previewTemplates(JSON.parse(key) as TemplatePreviewInput).then(
          (preview) => {
            if (!stale) setState({ preview, error: undefined, pending: false });
          },
          (error: unknown) => {
            if (!stale) setState((s) => ({ ...s, error, pending: false }));
          },
        );
      },
      first.current ? 0 : DEBOUNCE_MS,
    );
    first.current = false;
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [api, key]);
  return state;
}

/**
 * The receiver's three templates (empty = the default), a language and firing/resolved switch, and a live
 * preview of a sample notification; the result leaves as YAML for the configuration file.
 */
export function TemplateEditor({ receiver }: { receiver: Receiver }) {
  const { t } = useTranslation();
  const [drafts, setDrafts] = useState<TemplateDrafts>(() => draftsOf(receiver.templates));
  const [language, setLanguage] = useState<Language>(receiver.language === 'en' ? 'en' : 'zh-CN');
  const [resolved, setResolved] = useState(false);
  const [yamlOpen, setYamlOpen] = useState(false);
  // Empty drafts are sent as such: the server then uses the default, not the receiver's own template.
  const { preview, error, pending } = useTemplatePreview({
    receiver: receiver.name,
    language,
    templates: drafts,
    resolved,
  });
  const problems = problemsByTemplate(preview?.problems ?? []);
  const changed = draftsChanged(receiver.templates, drafts);

  return (
    <>
      <Typography.Paragraph type="secondary">{t('templates.intro')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
            <Segmented<Language>
              value={language}
              onChange={setLanguage}
              options={(['zh-CN', 'en'] as const).map((l) => ({
                value: l,
                label: <span data-testid={`template-language-${l}`}>{t(`receivers.languages.${l}`)}</span>,
              }))}
            />
            <Segmented<'firing' | 'resolved'>
              value={resolved ? 'resolved' : 'firing'}
              onChange={(v) => setResolved(v === 'resolved')}
              options={[
                {
                  value: 'firing',
                  label: <span data-testid="template-firing">{t('templates.firing')}</span>,
                },
                {
                  value: 'resolved',
                  label: <span data-testid="template-resolved">{t('templates.resolved')}</span>,
                },
              ]}
            />
            {changed && (
              <Tag color="gold" data-testid="templates-changed">
                {t('templates.changed')}
              </Tag>
            )}
          </Flex>
          <Form layout="vertical" data-testid="template-form">
            {TEMPLATE_NAMES.map((name) => {
              const errors = problems[name];
              return (
                <Form.Item
                  key={name}
                  label={t(`templates.names.${name}`)}
                  extra={t(`templates.help.${name}`)}
                  validateStatus={errors === undefined ? undefined : 'error'}
                  help={errors?.join('; ')}
                  style={{ marginBottom: 16 }}
                >
                  <Input.TextArea
                    value={drafts[name]}
                    onChange={(e) => setDrafts((d) => ({ ...d, [name]: e.target.value }))}
                    rows={ROWS[name]}
                    placeholder={t('templates.placeholder')}
                    spellCheck={false}
                    style={{ fontFamily: 'monospace', fontSize: 12 }}
                    data-testid={`template-${name}`}
                  />
                </Form.Item>
              );
            })}
          </Form>
          <Space wrap>
            <Button
              icon={<CopyOutlined />}
              onClick={() => setYamlOpen(true)}
              data-testid="templates-copy-yaml"
            >
              {t('templates.copyYaml')}
            </Button>
            <Button
              icon={<UndoOutlined />}
              disabled={!changed}
              onClick={() => setDrafts(draftsOf(receiver.templates))}
              data-testid="templates-reset"
            >
              {t('templates.reset')}
            </Button>
          </Space>
          <Typography.Paragraph
            type="secondary"
            style={{ marginTop: 12, fontSize: 12 }}
            data-testid="templates-docs"
          >
            {t('templates.docs')}
          </Typography.Paragraph>
        </Col>
        <Col xs={24} xl={12}>
          <TemplatePreview preview={preview} error={error} pending={pending} />
        </Col>
      </Row>
      <YamlModal
        yaml={templatesYaml(receiver.name, drafts)}
        open={yamlOpen}
        onClose={() => setYamlOpen(false)}
      />
    </>
  );
}
