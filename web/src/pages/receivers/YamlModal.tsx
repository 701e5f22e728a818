import { Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The `templates:` block to paste into the configuration file, with a copy button (saving here comes later). */
export function YamlModal({ yaml, open, onClose }: { yaml: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('templates.yamlTitle')}
      width={720}
      destroyOnHidden
      data-testid="yaml-modal"
      footer={
        <Button onClick={onClose} data-testid="yaml-close">
          {t('templates.close')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('templates.yamlHint')}</Typography.Paragraph>
      <Typography.Text copyable={{ text: yaml }} data-testid="yaml-copy">
        {t('templates.copyYaml')}
      </Typography.Text>
      <pre
        data-testid="templates-yaml"
        style={{
          marginTop: 8,
          padding: 10,
          background: '#fafafa',
          border: '1px solid #f0f0f0',
          borderRadius: 4,
          fontSize: 12,
          maxHeight: 480,
          overflow: 'auto',
        }}
      >
        {yaml}
      </pre>
    </Modal>
  );
}
