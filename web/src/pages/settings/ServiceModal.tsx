import { App, Flex, Form, Input, Modal, Select } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TIERS, type Service, type ServiceInput, type Tier } from '../../api';
import { DialogFooter } from '../../components/DialogFooter';
import { ErrorAlert } from '../../components/ErrorAlert';
import {
  fromLabelRows,
  labelRowsProblem,
  LabelsInput,
  toLabelRows,
  type LabelRow,
} from '../../components/LabelsInput';
import { placeFieldErrors } from '../../form-errors';
import { useLoad } from '../../hooks/use-load';
import { useApi } from '../../session';

const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const FIELDS = ['name', 'description', 'team', 'tier', 'runbookUrl', 'labels'] as const;

interface ServiceForm {
  name: string;
  description?: string;
  team?: string | null;
  tier?: Tier | null;
  runbookUrl?: string;
  labels?: LabelRow[];
}

/** The team choice; teams come from the server, so the dialog loads them when it opens. */
function TeamSelect(props: { value?: string | null; onChange?: (v: string | null) => void; id?: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const teams = useLoad(useCallback(() => api.listTeams(), [api]));
  const names = (teams.data?.items ?? []).map((team) => team.name);
  // A team the list does not have (deleted meanwhile, or the list failed) still shows as chosen.
  if (props.value && !names.includes(props.value)) names.push(props.value);
  return (
    <Select<string | null>
      id={props.id}
      value={props.value ?? null}
      onChange={(v) => props.onChange?.(v ?? null)}
      allowClear
      showSearch
      loading={teams.loading}
      placeholder={t('services.teamPlaceholder')}
      notFoundContent={teams.error !== undefined ? t('errors.generic') : undefined}
      options={names.map((n) => ({ value: n, label: n }))}
      data-testid="service-team"
    />
  );
}

/** The dialog's body: mounted on opening, so every opening starts from the service's current values. */
function ServiceEditor({
  target,
  onClose,
  onSaved,
}: {
  target: Service | 'new';
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const [form] = Form.useForm<ServiceForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const creating = target === 'new';

  const save = async (v: ServiceForm) => {
    const runbookUrl = v.runbookUrl?.trim() ?? '';
    const body: ServiceInput = {
      name: v.name.trim(),
      description: v.description?.trim() ?? '',
      team: v.team ?? null,
      tier: v.tier ?? null,
      runbookUrl: runbookUrl === '' ? null : runbookUrl,
      labels: fromLabelRows(v.labels),
    };
    setBusy(true);
    setError(null);
    try {
      if (creating) await api.createService(body);
      else await api.updateService(target.id, body);
      void message.success(t(creating ? 'services.created' : 'services.updated', { name: body.name }));
      onSaved();
    } catch (e) {
      setError(placeFieldErrors(form, e, FIELDS));
    }
    setBusy(false);
  };

  const initial: ServiceForm = creating
    ? { name: '', description: '', team: null, tier: null, runbookUrl: '', labels: [] }
    : {
        name: target.name,
        description: target.description,
        team: target.team,
        tier: target.tier,
        runbookUrl: target.runbookUrl ?? '',
        labels: toLabelRows(target.labels),
      };

  return (
    <>
      {error !== null && <ErrorAlert error={error} testId="service-error" />}
      <Form<ServiceForm>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={initial}
        data-testid="service-form"
      >
        <Form.Item
          name="name"
          label={t('common.name')}
          extra={t('services.nameHelp')}
          rules={[
            { required: true, whitespace: true, message: t('services.nameRequired') },
            { pattern: NAME, message: t('services.nameInvalid') },
          ]}
        >
          <Input autoComplete="off" spellCheck={false} maxLength={63} data-testid="service-name" />
        </Form.Item>
        <Form.Item name="description" label={t('common.description')}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 6 }}
            maxLength={1000}
            data-testid="service-description"
          />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item
            name="team"
            label={t('services.team')}
            extra={t('services.teamHelp')}
            style={{ flex: 1, minWidth: 0 }}
          >
            <TeamSelect />
          </Form.Item>
          <Form.Item
            name="tier"
            label={t('services.tier')}
            extra={t('services.tierHelp')}
            style={{ flex: 1, minWidth: 0 }}
          >
            <Select<Tier | null>
              allowClear
              placeholder={t('services.tierPlaceholder')}
              data-testid="service-tier"
              options={TIERS.map((tier) => ({
                value: tier,
                label: `${tier} · ${t(`services.tierMeaning.${tier}`)}`,
              }))}
            />
          </Form.Item>
        </Flex>
        <Form.Item
          name="runbookUrl"
          label={t('services.runbookUrl')}
          extra={t('services.runbookHelp')}
          rules={[
            {
              validator: (_, value: string | undefined) =>
                !value?.trim() || /^https?:\/\/\S+$/.test(value.trim())
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('services.runbookInvalid'))),
            },
          ]}
        >
          <Input
            autoComplete="off"
            spellCheck={false}
            maxLength={2000}
            placeholder="https://wiki.example.com/sop/…"
            data-testid="service-runbook"
          />
        </Form.Item>
        <Form.Item
          name="labels"
          label={t('services.labels')}
          extra={t('services.labelsHelp')}
          rules={[
            {
              validator: (_, rows: LabelRow[] | undefined) => {
                const problem = labelRowsProblem(rows, {
                  invalid: (name) => t('labels.invalid', { name }),
                  duplicate: (name) => t('labels.duplicate', { name }),
                  missing: t('labels.missing'),
                });
                return problem === null ? Promise.resolve() : Promise.reject(new Error(problem));
              },
            },
          ]}
        >
          <LabelsInput testId="service-label" />
        </Form.Item>
        <DialogFooter
          onCancel={onClose}
          busy={busy}
          okText={creating ? t('common.create') : t('common.save')}
          testId="service-submit"
        />
      </Form>
    </>
  );
}

/** Creates a service (`target` 'new') or changes one; every field of the API, labels as key/value rows. */
export function ServiceModal({
  target,
  open,
  onClose,
  onSaved,
}: {
  target: Service | 'new';
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={target === 'new' ? t('services.addTitle') : t('services.editTitle', { name: target.name })}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={600}
    >
      <ServiceEditor target={target} onClose={onClose} onSaved={onSaved} />
    </Modal>
  );
}
