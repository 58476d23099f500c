// @ts-nocheck
// 
// The list of schedules: searchable by name or command, sortable, filtered by machine and
// state. Only the rows in view are in the DOM, so a thousand schedules cost what twenty do;
// in a narrow window (the tray's popover) each schedule is a card that fits its width.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useNarrow } from '../../components/useNarrow';
import { useScrollMemory } from '../../components/useScrollMemory';
import { useTitle } from '../../components/useTitle';
import type { SortKey } from '../../store/app';
import { useApp } from '../../store/context';
import { isFiltered, machineName, visibleIds } from '../../store/select';
import { ImportDialog } from '../ImportDialog';
import { EmptyState } from './EmptyState';
import { CARD_HEIGHT, ScheduleCard } from './ScheduleCard';
import { ROW_HEIGHT, ScheduleRow } from './ScheduleRow';
import './schedules.css';

const SORT_LABELS: Record<SortKey, string> = {
  name: 'Name',
  next: 'Next run',
  last: 'Last run',
};

function Toolbar(props: { shown: number; total: number; onImport: () => void }) {
  const { shown, total } = props;
  const filters = useApp((s) => s.filters);
  const machines = useApp((s) => s.machines);
  const setFilters = useApp((s) => s.setFilters);
  return (
    <div className="toolbar">
      <h1 id="schedules-heading">Schedules</h1>
      <span className="muted small" role="status">
        {shown === total ? `${total} in all` : `${shown} of ${total}`}
      </span>
      <div className="toolbar-controls">
        <input
          type="search"
          placeholder="Search name or command"
          aria-label="Search by name or command"
          value={filters.search}
          onChange={(e) => setFilters({ search: e.target.value })}
        />
        {machines.length > 1 && (
          <select
            aria-label="Machine"
            value={filters.machineId}
            onChange={(e) => setFilters({ machineId: e.target.value })}
          >
            <option value="all">All machines</option>
            {machines.map((m) => (
              <option key={m.id} value={m.id}>
                {machineName(machines, m.id)}
              </option>
            ))}
          </select>
        )}
        <select
          aria-label="Enabled"
          value={filters.enabled}
          onChange={(e) => setFilters({ enabled: e.target.value as typeof filters.enabled })}
        >
          <option value="all">Enabled and disabled</option>
          <option value="enabled">Enabled only</option>
          <option value="disabled">Disabled only</option>
        </select>
        <select
          aria-label="Last run"
          value={filters.lastRun}
          onChange={(e) => setFilters({ lastRun: e.target.value as typeof filters.lastRun })}
        >
          <option value="all">Any last run</option>
          <option value="failed">Last run failed</option>
        </select>
        <label className="sort">
          <span className="muted small">Sort by</span>
          <select
            value={filters.sort}
            onChange={(e) => setFilters({ sort: e.target.value as SortKey })}
          >
            {(Object.keys(SORT_LABELS) as SortKey[]).map((k) => (
              <option key={k} value={k}>
                {SORT_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <button onClick={props.onImport}>Import…</button>
      </div>
    </div>
  );
}

function ColumnHeads({ sort }: { sort: SortKey }) {
  const sorted = (key: SortKey) => (sort === key ? 'ascending' : undefined);
  return (
    <div role="rowgroup" className="schedule-head">
      <div role="row" aria-rowindex={1} className="schedule-row head">
        <div role="columnheader" aria-sort={sorted('name')}>
          Name
        </div>
        <div role="columnheader" className="cell-machine">
          Machine
        </div>
        <div role="columnheader" className="cell-cron">
          Schedule
        </div>
        <div role="columnheader" aria-sort={sorted('next')}>
          Next run
        </div>
        <div role="columnheader" aria-sort={sort === 'last' ? 'descending' : undefined}>
          Last run
        </div>
        <div role="columnheader">Enabled</div>
        <div role="columnheader">
          <span className="visually-hidden">Actions</span>
        </div>
      </div>
    </div>
  );
}

export function SchedulesView() {
  useTitle('Schedules');
  const ids = useApp(useShallow(visibleIds));
  const total = useApp((s) => s.schedules.order.length);
  const filters = useApp((s) => s.filters);
  const setFilters = useApp((s) => s.setFilters);
  const openEditor = useApp((s) => s.openEditor);
  const narrow = useNarrow();
  const [importing, setImporting] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const size = narrow ? CARD_HEIGHT : ROW_HEIGHT;
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => size,
    overscan: 8,
    getItemKey: (i) => ids[i] ?? i,
  });
  useScrollMemory(`#/schedules${narrow ? ':cards' : ''}`, scrollRef, ids.length > 0);
  const items = virtualizer.getVirtualItems();

  const list =
    ids.length === 0 ? (
      <EmptyState
        filtered={isFiltered(filters) && total > 0}
        onNew={() => openEditor({ mode: 'create' })}
        onClear={() => setFilters({ search: '', machineId: 'all', enabled: 'all', lastRun: 'all' })}
      />
    ) : narrow ? (
      <ul
        className="schedule-cards"
        aria-labelledby="schedules-heading"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {items.map((item) => (
          <ScheduleCard
            key={item.key as string}
            id={ids[item.index] as string}
            index={item.index}
            count={ids.length}
            start={item.start}
          />
        ))}
      </ul>
    ) : (
      <div role="rowgroup" className="schedule-rows" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => (
          <ScheduleRow
            key={item.key as string}
            id={ids[item.index] as string}
            index={item.index}
            start={item.start}
          />
        ))}
      </div>
    );

  return (
    <section aria-labelledby="schedules-heading" className="schedules">
      <Toolbar shown={ids.length} total={total} onImport={() => setImporting(true)} />
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
      {narrow || ids.length === 0 ? (
        <div className="schedule-scroll" ref={scrollRef} data-testid="schedule-scroll">
          {list}
        </div>
      ) : (
        <div
          role="table"
          aria-labelledby="schedules-heading"
          aria-rowcount={ids.length + 1}
          className="schedule-table"
        >
          <ColumnHeads sort={filters.sort} />
          <div className="schedule-scroll" ref={scrollRef} data-testid="schedule-scroll">
            {list}
          </div>
        </div>
      )}
    </section>
  );
}
