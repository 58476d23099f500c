// @ts-nocheck
// 
// Under the cron field: each field of the expression with what it selects, and the readings
// that surprise people (six fields start with seconds; day of month and day of week both set
// means either one) stated in words.
import { useMemo } from 'react';
import { explainCron } from '../../../shared/cron-explain';
import './form.css';

export function CronLegend({ cron }: { cron: string }) {
  const explained = useMemo(() => explainCron(cron), [cron]);
  if (!explained) return null;
  return (
    <div className="cron-legend">
      <table>
        <caption className="visually-hidden">What each field means</caption>
        <tbody>
          {explained.fields.map((f) => (
            <tr key={f.field}>
              <th scope="row">{f.field}</th>
              <td>
                <code>{f.value}</code>
              </td>
              <td>{f.meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {/* Said as they appear: they change the meaning of what was just typed. */}
      <div aria-live="polite">
        {explained.notes.map((note) => (
          <p key={note} className="cron-note">
            {note}
          </p>
        ))}
      </div>
    </div>
  );
}
