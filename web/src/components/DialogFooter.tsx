import { Button, Flex } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * Cancel and submit buttons at the end of a form inside a Modal (with `footer={null}`). The form then lives
 * in the dialog's body, which mounts on opening, so that every opening starts from a fresh form store.
 */
export function DialogFooter({
  onCancel,
  busy,
  okText,
  testId,
}: {
  onCancel: () => void;
  busy: boolean;
  okText: string;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Flex justify="flex-end" gap={8} style={{ marginTop: 24 }}>
      <Button onClick={onCancel}>{t('common.cancel')}</Button>
      <Button type="primary" htmlType="submit" loading={busy} data-testid={testId}>
        {okText}
      </Button>
    </Flex>
  );
}
