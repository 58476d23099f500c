// @ts-nocheck
// 
// What an empty list says: how to start, or how to see what the filters hide.
export function EmptyState(props: { filtered: boolean; onNew: () => void; onClear: () => void }) {
  if (props.filtered) {
    return (
      <div className="empty">
        <h2>No schedules match</h2>
        <p className="muted">Nothing matches the search or the filters.</p>
        <button type="button" onClick={props.onClear}>
          Clear search and filters
        </button>
      </div>
    );
  }
  return (
    <div className="empty">
      <h2>No schedules yet</h2>
      <p className="muted">
        A schedule runs a shell command on a cron timetable — a nightly backup, an hourly sync, a
        weekly report — and tells you when it fails. Create your first one; you can run it right
        away to try it.
      </p>
      <button type="button" className="primary" onClick={props.onNew}>
        New schedule
      </button>
      <p className="muted hint">
        Tip: press <kbd>N</kbd> anywhere to create a schedule.
      </p>
    </div>
  );
}
