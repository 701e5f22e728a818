import { CopyOutlined, EditOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Space, Tag } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Silence, SilenceSaved, SilenceState } from '../../api';
import { useApi } from '../../session';
import { SilenceModal, type SilenceDraft } from '../alerts/SilenceModal';

/** A test id for the confirm button (antd's ButtonProps type has no data attributes). */
const EXPIRE_OK: Record<string, string> = { 'data-testid': 'silence-expire-ok' };

const STATE_COLORS: Record<SilenceState, string> = { active: 'green', pending: 'blue', expired: 'default' };

export function SilenceStateTag({ state }: { state: SilenceState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="silence-state" style={{ marginInlineEnd: 0 }}>
      {t(`silences.state.${state}`)}
    </Tag>
  );
}

export interface SilenceActions {
  /** The dialog; render it once. */
  modal: ReactNode;
  open: (draft: SilenceDraft) => void;
  expire: (s: Silence) => Promise<void>;
}

/**
 * The silence dialog (new, edit, recreate) and expiring, for a page; `onChanged` runs after every change
 * (with the save's outcome when there is one). Failures of expiring go to `onError`.
 */
export function useSilenceActions(
  onChanged: (saved: SilenceSaved | null) => void,
  onError: (e: unknown) => void,
): SilenceActions {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<{ draft: SilenceDraft | null; open: boolean }>({
    draft: null,
    open: false,
  });

  const expire = async (s: Silence) => {
    try {
      await api.expireSilence(s.id);
      void message.success(t('silences.expired', { id: s.id }));
      onChanged(null);
    } catch (e) {
      onError(e);
    }
  };

  return {
    modal: (
      <SilenceModal
        draft={dialog.draft}
        open={dialog.open}
        onClose={() => setDialog((d) => ({ ...d, open: false }))}
        onSaved={onChanged}
      />
    ),
    open: (draft) => setDialog({ draft, open: true }),
    expire,
  };
}

/** Edit and expire for an active or pending silence; recreate for an expired one. */
export function SilenceActionButtons({
  silence,
  actions,
  size = 'small',
}: {
  silence: Silence;
  actions: SilenceActions;
  size?: 'small' | 'middle';
}) {
  const { t } = useTranslation();
  const link = size === 'small';
  if (silence.status.state === 'expired')
    return (
      <Button
        type={link ? 'link' : 'default'}
        size={size}
        icon={<CopyOutlined />}
        onClick={() => actions.open({ kind: 'recreate', silence })}
        data-testid="silence-recreate"
      >
        {t('silences.recreate')}
      </Button>
    );
  return (
    <Space size={link ? 0 : 8}>
      <Button
        type={link ? 'link' : 'default'}
        size={size}
        icon={<EditOutlined />}
        onClick={() => actions.open({ kind: 'edit', silence })}
        data-testid="silence-edit"
      >
        {t('common.edit')}
      </Button>
      <Popconfirm
        title={t('silences.expireConfirm')}
        description={t('silences.expireConfirmHelp')}
        okText={t('silences.expire')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, ...EXPIRE_OK }}
        onConfirm={() => actions.expire(silence)}
      >
        <Button
          type={link ? 'link' : 'default'}
          size={size}
          danger
          icon={<StopOutlined />}
          data-testid="silence-expire"
        >
          {t('silences.expire')}
        </Button>
      </Popconfirm>
    </Space>
  );
}
