import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Badge, Button, Calendar, Card, Flex, Segmented, Space, Spin, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MaintenanceOccurrence } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatTime } from '../../format';
import { useLoad } from '../../hooks/use-load';
import { useApi } from '../../session';
import { MODE_COLORS, monthGrid, occurrencesOn } from './maintenance-model';

type View = 'month' | 'week';

/** One occurrence on one day: a dot of its mode's colour, its start time and its window's name. */
function Occurrence({ o, day }: { o: MaintenanceOccurrence; day: Dayjs }) {
  const { t, i18n } = useTranslation();
  const start = dayjs(o.startsAt);
  // An occurrence that began on an earlier day shows "…" instead of its start time.
  const time = start.isSame(day, 'day') ? start.format('HH:mm') : '…';
  return (
    <Tooltip
      title={`${o.name} (${t(`maintenance.modes.${o.mode}`)}): ${formatTime(o.startsAt, i18n.language)} → ${formatTime(o.endsAt, i18n.language)}`}
    >
      <div
        data-testid="calendar-occurrence"
        data-window={o.windowId}
        style={{ overflow: 'hidden', whiteSpace: 'nowrap' }}
      >
        <Badge
          color={MODE_COLORS[o.mode]}
          text={<span style={{ fontSize: 12 }}>{`${time} ${o.name}`}</span>}
        />
      </div>
    </Tooltip>
  );
}

/** Seven columns, one per day of the week containing `anchor`. */
function WeekGrid({ from, items }: { from: Dayjs; items: readonly MaintenanceOccurrence[] }) {
  const days = Array.from({ length: 7 }, (_, i) => from.add(i, 'day'));
  const today = dayjs();
  return (
    <Flex gap={4} data-testid="calendar-week">
      {days.map((d) => (
        <div
          key={d.valueOf()}
          data-testid="calendar-day"
          data-date={d.format('YYYY-MM-DD')}
          style={{
            flex: 1,
            minWidth: 0,
            minHeight: 160,
            padding: 6,
            borderTop: `2px solid ${d.isSame(today, 'day') ? '#1677ff' : '#f0f0f0'}`,
            background: '#fafafa',
          }}
        >
          <Typography.Text strong>{d.format('ddd D')}</Typography.Text>
          {occurrencesOn(d, items).map((o) => (
            <Occurrence key={`${o.windowId}:${o.startsAt}`} o={o} day={d} />
          ))}
        </div>
      ))}
    </Flex>
  );
}

/**
 * When the windows are open: a month (or a week) of occurrences, coloured by mode, asked from the server
 * (`/api/v1/maintenance/calendar`) for the range shown. `version` changes after a window changes.
 */
export function MaintenanceCalendar({ version }: { version: number }) {
  const { t } = useTranslation();
  const api = useApi();
  const [view, setView] = useState<View>('month');
  const [anchor, setAnchor] = useState<Dayjs>(() => dayjs());
  const range =
    view === 'month'
      ? monthGrid(anchor)
      : { from: anchor.startOf('week'), to: anchor.startOf('week').add(7, 'day') };
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const calendar = useLoad(
    // `version` is a dependency on purpose: a changed window asks again.
    useCallback(() => api.maintenanceCalendar(from, to), [api, from, to, version]),
  );
  const items = calendar.data?.items ?? [];

  return (
    <Card
      size="small"
      title={t('maintenance.calendar')}
      data-testid="maintenance-calendar"
      extra={
        <Space>
          {calendar.loading && <Spin size="small" />}
          {view === 'week' && (
            <Space.Compact>
              <Button
                icon={<LeftOutlined />}
                onClick={() => setAnchor((a) => a.subtract(1, 'week'))}
                aria-label={t('maintenance.previous')}
                data-testid="calendar-prev"
              />
              <Button onClick={() => setAnchor(dayjs())}>{t('maintenance.today')}</Button>
              <Button
                icon={<RightOutlined />}
                onClick={() => setAnchor((a) => a.add(1, 'week'))}
                aria-label={t('maintenance.next')}
                data-testid="calendar-next"
              />
            </Space.Compact>
          )}
          <Segmented<View>
            value={view}
            onChange={setView}
            options={[
              {
                value: 'month',
                label: <span data-testid="calendar-view-month">{t('maintenance.month')}</span>,
              },
              { value: 'week', label: <span data-testid="calendar-view-week">{t('maintenance.week')}</span> },
            ]}
          />
        </Space>
      }
    >
      {calendar.error !== undefined && <ErrorAlert error={calendar.error} />}
      {view === 'week' ? (
        <WeekGrid from={range.from} items={items} />
      ) : (
        <Calendar
          value={anchor}
          onPanelChange={(d) => setAnchor(d)}
          onSelect={(d, info) => {
            if (info.source === 'date') {
              setAnchor(d);
              setView('week');
            } else setAnchor(d);
          }}
          cellRender={(d, info) =>
            info.type === 'date' ? (
              <div data-testid="calendar-day" data-date={d.format('YYYY-MM-DD')}>
                {occurrencesOn(d, items).map((o) => (
                  <Occurrence key={`${o.windowId}:${o.startsAt}`} o={o} day={d} />
                ))}
              </div>
            ) : (
              info.originNode
            )
          }
        />
      )}
    </Card>
  );
}
