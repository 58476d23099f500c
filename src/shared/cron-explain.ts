// A cron expression explained field by field, with the two readings people get wrong stated
// in words: six fields start with seconds, and day-of-month with day-of-week means "either".
// Pure, for the editor (and any other surface that explains an expression).
import { CRON_MACROS, MONTH_NAMES, cronError } from './cron';

export interface CronFieldPart {
  /** "minute", "day of week"… */
  field: string;
  /** The text of this field in the expression. */
  value: string;
  /** What it selects, in words: "every 15 minutes", "Monday to Friday". */
  meaning: string;
}

export interface CronExplanation {
  fields: CronFieldPart[];
  /** Sentences that warn about a reading that surprises. */
  notes: string[];
}

interface Spec {
  field: string;
  unit: string;
  units: string;
  every: string;
  names?: readonly string[];
  /** Index of names[0]: months count from 1, weekdays from 0. */
  first?: number;
}

const MONTHS = MONTH_NAMES;
const DAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];
const MONTH_ABBR = MONTHS.map((m) => m.slice(0, 3).toUpperCase());
const DAY_ABBR = DAYS.slice(0, 7).map((d) => d.slice(0, 3).toUpperCase());

const SECOND: Spec = { field: 'second', unit: 'second', units: 'seconds', every: 'every second' };
const MINUTE: Spec = { field: 'minute', unit: 'minute', units: 'minutes', every: 'every minute' };
const HOUR: Spec = { field: 'hour', unit: 'hour', units: 'hours', every: 'every hour' };
const DOM: Spec = {
  field: 'day of month',
  unit: 'day',
  units: 'days',
  every: 'every day of the month',
};
const MONTH: Spec = {
  field: 'month',
  unit: 'month',
  units: 'months',
  every: 'every month',
  names: MONTHS,
  first: 1,
};
const DOW: Spec = {
  field: 'day of week',
  unit: 'weekday',
  units: 'weekdays',
  every: 'any day of the week',
  names: DAYS,
  first: 0,
};

function valueName(text: string, spec: Spec): string {
  const upper = text.toUpperCase();
  if (spec.names) {
    const abbr = spec === MONTH ? MONTH_ABBR : DAY_ABBR;
    const named = abbr.indexOf(upper);
    if (named >= 0) return spec.names[named] as string;
    // A valid expression's other values are whole numbers in the field's range.
    return spec.names[Number(text) - (spec.first ?? 0)] as string;
  }
  return text;
}

function item(text: string, spec: Spec): string {
  // Stryker disable next-line StringLiteral: split always yields a first element
  const [base = '', step] = text.split('/');
  const stepText = step ? `every ${step} ${Number(step) === 1 ? spec.unit : spec.units}` : '';
  if (base === '*' || base === '?') return stepText || spec.every;
  const range = base.split('-');
  if (range.length === 2) {
    const span = `${valueName(range[0] as string, spec)} to ${valueName(range[1] as string, spec)}`;
    const words = spec.names ? span : `${spec.units} ${span}`;
    return stepText ? `${stepText} from ${words}` : words;
  }
  const one = spec.names ? valueName(base, spec) : `${spec.unit} ${base}`;
  return stepText ? `${stepText} from ${one}` : one;
}

function meaning(text: string, spec: Spec): string {
  return text
    .split(',')
    .map((part) => item(part, spec))
    .join(', ');
}

const restricted = (text: string) => text !== '*' && text !== '?';

/** The fields of a valid expression with their meanings and notes; null when invalid. */
export function explainCron(expression: string): CronExplanation | null {
  const expr = expression.trim();
  if (cronError(expr) !== null) return null;
  const notes: string[] = [];
  let fieldsText = expr;
  if (expr.startsWith('@')) {
    fieldsText = CRON_MACROS[expr.toLowerCase()] ?? expr;
    notes.push(`${expr} stands for “${fieldsText}”.`);
  }
  const tokens = fieldsText.split(/\s+/);
  const specs =
    tokens.length === 6 ? [SECOND, MINUTE, HOUR, DOM, MONTH, DOW] : [MINUTE, HOUR, DOM, MONTH, DOW];
  const fields = tokens.map((value, i) => {
    const spec = specs[i] as Spec;
    return { field: spec.field, value, meaning: meaning(value, spec) };
  });
  if (tokens.length === 6) {
    notes.push(
      `Six fields are read seconds first: ${fields.map((f) => `${f.field} ${f.value}`).join(', ')}. ` +
        'For minute, hour, day, month and weekday, write five fields.',
    );
  }
  const dom = tokens[tokens.length - 3] as string;
  const dow = tokens[tokens.length - 1] as string;
  if (restricted(dom) && restricted(dow)) {
    notes.push(
      `Day of month and day of week are both set, so it runs on either: ${meaning(dom, DOM)}, ` +
        `or ${meaning(dow, DOW)} (cron joins the two with “or”, not “and”).`,
    );
  }
  return { fields, notes };
}
