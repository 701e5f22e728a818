import { Checkbox, DatePicker, Flex, Form, Input, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { WEEKDAYS } from '../../api';
import { DURATION, HHMM, HHMM_END, SCHEDULE_KINDS, type ScheduleKind } from './maintenance-model';

const MONTH_DAYS = [...Array.from({ length: 31 }, (_, i) => i + 1), -1];

/** Start and end times of day, for weekly and monthly windows. */
function TimesOfDay() {
  const { t } = useTranslation();
  return (
    <Flex gap={12} wrap>
      <Form.Item
        name="start"
        label={t('maintenance.start')}
        rules={[
          { required: true, message: t('maintenance.timeRequired') },
          { pattern: HHMM, message: t('maintenance.timeInvalid') },
        ]}
      >
        <Input placeholder="22:00" maxLength={5} style={{ width: 100 }} data-testid="window-start" />
      </Form.Item>
      <Form.Item
        name="end"
        label={t('maintenance.end')}
        extra={t('maintenance.endHelp')}
        rules={[
          { required: true, message: t('maintenance.timeRequired') },
          { pattern: HHMM_END, message: t('maintenance.timeInvalid') },
        ]}
      >
        <Input placeholder="06:00" maxLength={5} style={{ width: 100 }} data-testid="window-end" />
      </Form.Item>
    </Flex>
  );
}

/** The schedule of a window: its kind, then the fields of that kind. */
export function ScheduleFields({ kind }: { kind: ScheduleKind | undefined }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="kind" label={t('maintenance.schedule')}>
        <Radio.Group optionType="button" buttonStyle="solid" data-testid="window-kind">
          {SCHEDULE_KINDS.map((k) => (
            <Radio.Button key={k} value={k}>
              <span data-testid={`window-kind-${k}`}>{t(`maintenance.kind.${k}`)}</span>
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      {kind === 'once' && (
        <Form.Item
          name="range"
          label={t('maintenance.range')}
          rules={[{ required: true, message: t('maintenance.rangeRequired') }]}
        >
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            data-testid="window-range"
          />
        </Form.Item>
      )}
      {kind === 'cron' && (
        <Flex gap={12} wrap>
          <Form.Item
            name="cron"
            label={t('maintenance.cron')}
            extra={t('maintenance.cronHelp')}
            rules={[{ required: true, whitespace: true, message: t('maintenance.cronRequired') }]}
            style={{ flex: '1 1 260px' }}
          >
            <Input
              placeholder="0 2 * * 0"
              spellCheck={false}
              style={{ fontFamily: 'monospace' }}
              data-testid="window-cron"
            />
          </Form.Item>
          <Form.Item
            name="duration"
            label={t('maintenance.duration')}
            rules={[
              { required: true, whitespace: true, message: t('maintenance.durationRequired') },
              { pattern: DURATION, message: t('maintenance.durationInvalid') },
            ]}
          >
            <Input placeholder="2h" style={{ width: 120 }} data-testid="window-duration" />
          </Form.Item>
        </Flex>
      )}
      {kind === 'weekly' && (
        <>
          <Form.Item
            name="weekdays"
            label={t('maintenance.weekdays')}
            rules={[{ required: true, type: 'array', min: 1, message: t('maintenance.daysRequired') }]}
          >
            <Checkbox.Group
              options={WEEKDAYS.map((d) => ({
                value: d,
                label: <span data-testid={`window-day-${d}`}>{t(`maintenance.day.${d}`)}</span>,
              }))}
            />
          </Form.Item>
          <TimesOfDay />
        </>
      )}
      {kind === 'monthly' && (
        <>
          <Form.Item
            name="monthdays"
            label={t('maintenance.monthdays')}
            rules={[{ required: true, type: 'array', min: 1, message: t('maintenance.daysRequired') }]}
          >
            <Select<number[]>
              mode="multiple"
              options={MONTH_DAYS.map((d) => ({
                value: d,
                label: d === -1 ? t('maintenance.lastDay') : String(d),
              }))}
              style={{ maxWidth: 420 }}
              data-testid="window-monthdays"
            />
          </Form.Item>
          <TimesOfDay />
        </>
      )}
    </>
  );
}
