// @ts-nocheck
// 
// One schedule as a card, for narrow windows (the tray's popover): its name, how it last
// went, when it runs next, the switch, Run now, and the rest behind a menu.
import { memo } from 'react';
import { Menu } from '../../components/Menu';
import { Switch } from '../../components/Switch';
import { useApp } from '../../store/context';
import { LastRun, NextRun, RunNowButton, nameId, rowData } from './parts';

export const CARD_HEIGHT = 104;

export const ScheduleCard = memo(function ScheduleCard(props: {
  id: string;
  index: number;
  count: number;
  start: number;
}) {
  const s = useApp((st) => st.schedules.byId[props.id]);
  const setEnabled = useApp((st) => st.setEnabled);
  const openEditor = useApp((st) => st.openEditor);
  const confirmDelete = useApp((st) => st.confirmDelete);
  const navigate = useApp((st) => st.navigate);
  if (!s) return null;

  return (
    <li
      className={s.running ? 'schedule-card running' : 'schedule-card'}
      aria-setsize={props.count}
      aria-posinset={props.index + 1}
      style={{ transform: `translateY(${props.start}px)`, height: CARD_HEIGHT }}
      {...rowData(s)}
    >
      <div className="card-top">
        <a
          className="name ellipsis"
          id={nameId(s)}
          href={`#/schedules/${encodeURIComponent(s.id)}/history`}
          title={s.name}
        >
          {s.name}
        </a>
        <Switch
          checked={s.enabled}
          label={`Enabled: ${s.name}`}
          onChange={(enabled) => void setEnabled(s.id, enabled)}
        />
      </div>
      <div className="card-status small">
        <LastRun schedule={s} compact />
        <span className="card-next">
          Next: <NextRun schedule={s} />
        </span>
      </div>
      <div className="card-actions">
        <RunNowButton schedule={s} />
        <Menu
          label="More"
          describedBy={nameId(s)}
          items={[
            {
              label: 'History',
              onSelect: () => navigate({ name: 'history', scheduleId: s.id }),
            },
            { label: 'Edit', onSelect: () => openEditor({ mode: 'edit', id: s.id }) },
            { label: 'Delete', danger: true, onSelect: () => confirmDelete(s.id) },
          ]}
        />
      </div>
    </li>
  );
});
