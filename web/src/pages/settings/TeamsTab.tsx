import { DeleteOutlined, EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Team } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ManagedTag } from '../../components/ManagedTag';
import { placeFieldErrors } from '../../form-errors';
import { useLoad } from '../../hooks/use-load';
import { useApi, useUser } from '../../session';
import { TeamMembersModal } from './TeamMembersModal';

interface TeamForm {
  name: string;
  description?: string;
}

/** Teams own services and receive alerts. Teams from the config file are shown read-only. */
export default function TeamsTab() {
  const { t } = useTranslation();
  const api = useApi();
  const me = useUser();
  const { message } = App.useApp();
  const teams = useLoad(useCallback(() => api.listTeams(), [api]));
  // What the dialog edits ('new': creating), kept after closing so that it does not change while fading out.
  const [editing, setEditing] = useState<Team | 'new'>('new');
  const [editOpen, setEditOpen] = useState(false);
  const [membersOf, setMembersOf] = useState<Team | null>(null);
  const [membersOpen, setMembersOpen] = useState(false);
  // The outcome of a row action (a refused delete): stays above the table until dismissed.
  const [actionError, setActionError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<TeamForm>();
  // The server has the last word (team admins may also edit); these only hide what would certainly be refused.
  const isAdmin = me.role === 'admin';
  const canEdit = me.role === 'editor' || isAdmin;

  const open = (target: Team | 'new') => {
    setSaveError(null);
    form.setFieldsValue(
      target === 'new'
        ? { name: '', description: '' }
        : { name: target.name, description: target.description },
    );
    setEditing(target);
    setEditOpen(true);
  };

  const save = async (v: TeamForm) => {
    setBusy(true);
    setSaveError(null);
    const description = v.description?.trim() ?? '';
    const name = editing === 'new' ? v.name.trim() : editing.name;
    try {
      if (editing === 'new') await api.createTeam({ name, ...(description ? { description } : {}) });
      else await api.updateTeam(editing.id, { description });
      void message.success(t(editing === 'new' ? 'teams.created' : 'teams.updated', { name }));
      setEditOpen(false);
      teams.reload();
    } catch (e) {
      setSaveError(placeFieldErrors(form, e, ['name', 'description']));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (team: Team) => {
    setActionError(null);
    try {
      await api.deleteTeam(team.id);
      void message.success(t('teams.deleted', { name: team.name }));
      teams.reload();
    } catch (e) {
      setActionError(e);
    }
  };

  return (
    <>
      {isAdmin && (
        <Flex justify="flex-end" style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="team-add">
            {t('teams.add')}
          </Button>
        </Flex>
      )}
      {teams.error !== undefined && <ErrorAlert error={teams.error} />}
      {actionError !== null && (
        <ErrorAlert error={actionError} testId="teams-action-error" onClose={() => setActionError(null)} />
      )}
      <Table<Team>
        size="small"
        rowKey="id"
        data-testid="team-table"
        loading={teams.loading}
        dataSource={teams.data?.items ?? []}
        pagination={false}
        columns={[
          {
            title: t('common.name'),
            dataIndex: 'name',
            render: (name: string, team) => (
              <Space size={4}>
                <Typography.Text strong>{name}</Typography.Text>
                {team.managedBy !== null && <ManagedTag managedBy={team.managedBy} />}
              </Space>
            ),
          },
          { title: t('common.description'), dataIndex: 'description' },
          {
            title: t('teams.members'),
            dataIndex: 'members',
            render: (members: Team['members']) =>
              members.length === 0 ? (
                <Typography.Text type="secondary">{t('teams.noMembers')}</Typography.Text>
              ) : (
                members.map((m) => (
                  <Tag key={m.userId}>
                    {m.username} · {t(`roles.${m.role}`)}
                  </Tag>
                ))
              ),
          },
          ...(canEdit
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 120,
                  render: (_: unknown, team: Team) =>
                    team.managedBy === null && (
                      <Space size={0}>
                        <Button
                          type="link"
                          size="small"
                          icon={<EditOutlined />}
                          aria-label={t('common.edit')}
                          onClick={() => open(team)}
                          data-testid={`team-edit-${team.name}`}
                          title={t('common.edit')}
                        />
                        <Button
                          type="link"
                          size="small"
                          icon={<TeamOutlined />}
                          aria-label={t('teams.editMembers')}
                          onClick={() => {
                            setMembersOf(team);
                            setMembersOpen(true);
                          }}
                          data-testid={`team-members-${team.name}`}
                          title={t('teams.editMembers')}
                        />
                        {isAdmin && (
                          <Popconfirm
                            title={t('teams.deleteConfirm', { name: team.name })}
                            description={t('teams.deleteHint')}
                            okText={t('common.delete')}
                            cancelText={t('common.cancel')}
                            okButtonProps={{ danger: true }}
                            onConfirm={() => remove(team)}
                          >
                            <Button
                              type="link"
                              size="small"
                              danger
                              icon={<DeleteOutlined />}
                              aria-label={t('common.delete')}
                              data-testid={`team-delete-${team.name}`}
                              title={t('common.delete')}
                            />
                          </Popconfirm>
                        )}
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editOpen}
        title={editing === 'new' ? t('teams.add') : t('teams.editTitle')}
        onCancel={() => setEditOpen(false)}
        forceRender
        footer={[
          <Button key="cancel" onClick={() => setEditOpen(false)}>
            {t('common.cancel')}
          </Button>,
          <Button
            key="ok"
            type="primary"
            loading={busy}
            onClick={() => form.submit()}
            data-testid="team-submit"
          >
            {editing === 'new' ? t('common.create') : t('common.save')}
          </Button>,
        ]}
      >
        {saveError !== null && <ErrorAlert error={saveError} />}
        <Form<TeamForm> form={form} layout="vertical" onFinish={save}>
          <Form.Item
            name="name"
            label={t('common.name')}
            extra={editing === 'new' ? t('teams.nameHelp') : undefined}
            rules={[{ required: true, whitespace: true, message: t('teams.nameRequired') }]}
          >
            <Input
              autoComplete="off"
              disabled={editing !== 'new'}
              spellCheck={false}
              data-testid="team-name"
            />
          </Form.Item>
          <Form.Item name="description" label={t('common.description')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="team-description" />
          </Form.Item>
        </Form>
      </Modal>
      <TeamMembersModal
        team={membersOf}
        open={membersOpen}
        onClose={() => setMembersOpen(false)}
        onSaved={() => {
          setMembersOpen(false);
          teams.reload();
        }}
      />
    </>
  );
}
