import { Card, Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../components/PageTitle';
import type { PlaceholderSection } from '../sections';

/** A section whose screens are not built yet: its name and one sentence of what it will show. */
export default function SectionPage({ section }: { section: PlaceholderSection }) {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle>{t(`nav.${section}`)}</PageTitle>
      <Card>
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={<span data-testid="section-description">{t(`sections.${section}`)}</span>}
          style={{ margin: '48px 0' }}
        />
      </Card>
    </>
  );
}
