import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Empty, Flex, Form, Modal, Select, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role, type Team } from '../../api';
import { DialogFooter } from '../../components/DialogFooter';
import { ErrorAlert } from '../../components/ErrorAlert';
import { placeFieldErrors } from '../../form-errors';
import { useLoad } from '../../hooks/use-load';
import { useApi } from '../../session';

interface MemberRow {
  username?: string;
  role: Role;
}

interface MembersForm {
  members: MemberRow[];
}

/** The rows of the member list; users are chosen from everyone the server knows, each at most once. */
function MemberRows({ team }: { team: Team }) {
  const { t } = useTranslation();
  const api = useApi();
  const users = useLoad(useCallback(() => api.listUsers(), [api]));
  const form = Form.useFormInstance<MembersForm>();
  const rows = Form.useWatch('members', form);
  const chosen = new Set((rows ?? []).map((r) => r?.username).filter((u): u is string => u !== undefined));
  // Members the list does not contain (it failed to load) still show by name.
  const known = new Map(team.members.map((m) => [m.username, m.username]));
  for (const u of users.data?.items ?? [])
    known.set(
      u.username,
      u.displayName && u.displayName !== u.username ? `${u.displayName} (${u.username})` : u.username,
    );
  const disabled = new Set(
    (users.data?.items ?? []).filter((u) => u.disabled === true).map((u) => u.username),
  );

  return (
    <>
      {users.error !== undefined && <ErrorAlert error={users.error} />}
      <Form.List name="members">
        {(fields, { add, remove }) => (
          <>
            {fields.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('teams.noMembers')} />
            ) : (
              <Flex gap={8} style={{ marginBottom: 4 }}>
                <Typography.Text type="secondary" style={{ flex: 3 }}>
                  {t('teams.memberUser')}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ flex: 2 }}>
                  {t('teams.memberRole')}
                </Typography.Text>
                <span style={{ width: 32 }} />
              </Flex>
            )}
            {fields.map((field, i) => (
              <Flex key={field.key} gap={8} align="flex-start">
                <Form.Item
                  name={[field.name, 'username']}
                  rules={[{ required: true, message: t('teams.memberUserRequired') }]}
                  style={{ flex: 3, marginBottom: 8, minWidth: 0 }}
                >
                  <Select<string>
                    showSearch={{ optionFilterProp: 'label' }}
                    loading={users.loading}
                    placeholder={t('teams.memberUserPlaceholder')}
                    data-testid={`team-member-user-${i}`}
                    options={[...known].map(([username, label]) => ({
                      value: username,
                      label: disabled.has(username) ? `${label} · ${t('users.disabled')}` : label,
                      disabled: chosen.has(username) && rows?.[i]?.username !== username,
                    }))}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'role']} style={{ flex: 2, marginBottom: 8, minWidth: 0 }}>
                  <Select<Role>
                    data-testid={`team-member-role-${i}`}
                    options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                  />
                </Form.Item>
                <Button
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t('common.remove')}
                  onClick={() => remove(field.name)}
                  data-testid={`team-member-remove-${i}`}
                  title={t('common.remove')}
                />
              </Flex>
            ))}
            <Button
              type="dashed"
              block
              icon={<PlusOutlined />}
              onClick={() => add({ role: 'viewer' })}
              data-testid="team-member-add"
            >
              {t('teams.addMember')}
            </Button>
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
              {t('teams.memberRoleHelp')}
            </Typography.Paragraph>
          </>
        )}
      </Form.List>
    </>
  );
}

/** The dialog's body: mounted on opening, so every opening starts from the team's current members. */
function MembersEditor({ team, onClose, onSaved }: { team: Team; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const [form] = Form.useForm<MembersForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const save = async (v: MembersForm) => {
    setBusy(true);
    setError(null);
    try {
      const members = (v.members ?? []).flatMap((m) =>
        m.username === undefined ? [] : [{ username: m.username, role: m.role }],
      );
      await api.setTeamMembers(team.id, members);
      void message.success(t('teams.membersSaved', { name: team.name }));
      onSaved();
    } catch (e) {
      setError(placeFieldErrors(form, e, [], ['members']));
    }
    setBusy(false);
  };

  return (
    <>
      {error !== null && <ErrorAlert error={error} testId="team-members-error" />}
      <Form<MembersForm>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ members: team.members.map((m) => ({ username: m.username, role: m.role })) }}
        data-testid="team-members-form"
      >
        <MemberRows team={team} />
        <DialogFooter onCancel={onClose} busy={busy} okText={t('common.save')} testId="team-members-submit" />
      </Form>
    </>
  );
}

/** Replaces a team's member list (PUT .../members). Not offered for teams the config file owns. */
export function TeamMembersModal({
  team,
  open,
  onClose,
  onSaved,
}: {
  team: Team | null;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      title={t('teams.membersTitle', { name: team?.name ?? '' })}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
      width={560}
    >
      {team !== null && <MembersEditor team={team} onClose={onClose} onSaved={onSaved} />}
    </Modal>
  );
}
