import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <Flex align="center" justify="space-between" style={{ marginBottom: 16 }}>
      <Typography.Title level={3} data-testid="page-title" style={{ margin: 0 }}>
        {children}
      </Typography.Title>
      {extra}
    </Flex>
  );
}
