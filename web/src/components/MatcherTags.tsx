import { Flex, Tag } from 'antd';
import type { SilenceMatcher } from '../api';
import { formatMatcher, fromSilenceMatcher } from '../pages/alerts/alert-model';

/** Matchers as tags, `name=~"value"` as Alertmanager prints them; negated ones in red. */
export function MatcherTags({ matchers }: { matchers: readonly SilenceMatcher[] }) {
  return (
    <Flex gap={4} wrap data-testid="matcher-tags">
      {matchers.map((m) => {
        const text = formatMatcher(fromSilenceMatcher(m));
        return (
          <Tag
            key={text}
            color={m.isEqual ? undefined : 'red'}
            style={{ fontFamily: 'monospace', marginInlineEnd: 0 }}
            data-testid="matcher-tag"
          >
            {text}
          </Tag>
        );
      })}
    </Flex>
  );
}
