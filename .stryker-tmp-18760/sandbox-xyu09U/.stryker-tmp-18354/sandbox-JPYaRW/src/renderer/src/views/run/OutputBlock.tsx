// @ts-nocheck
// 
// One stream of a run's output. While the reader is at the bottom, new lines keep it there
// (tail -f); scrolling up to read stops that, and "Jump to end" brings it back. Text is cut
// into blocks whose boundaries depend only on what came before them, so a new chunk
// re-renders the last block, not the whole output.
import {
  memo,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { logText, type OutputLog } from '../../../../shared/output-log';
import { AnsiText } from '../../components/AnsiText';

const COPIED_MS = 2000;
/** Characters per rendered block. */
export const BLOCK_CHARS = 16 * 1024;
/** How close to the bottom still counts as "at the end". */
const AT_END_PX = 24;

// The capture's "[… 123 bytes dropped …]" and the live log's "[… N characters dropped …]"
// lines. The capturing group makes split() keep them at odd indexes.
const MARKER_LINE = /^(\[… [^\n]* …\])$/m;

/** Cuts at the first line end after every BLOCK_CHARS characters. */
export function splitBlocks(text: string, size = BLOCK_CHARS): string[] {
  const blocks: string[] = [];
  let start = 0;
  while (text.length - start > size) {
    const end = text.indexOf('\n', start + size);
    if (end < 0) break;
    blocks.push(text.slice(start, end + 1));
    start = end + 1;
  }
  blocks.push(text.slice(start));
  return blocks;
}

const Block = memo(function Block({ text }: { text: string }) {
  const parts = text.split(MARKER_LINE);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <span key={i} className="output-marker">
            {part}
          </span>
        ) : (
          <AnsiText key={i} text={part} />
        ),
      )}
    </>
  );
});

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface OutputBlockProps {
  title: string;
  copyLabel: string;
  emptyText: string;
  log: OutputLog;
}

export function OutputBlock({ title, copyLabel, emptyText, log }: OutputBlockProps) {
  const text = useMemo(() => logText(log), [log]);
  // Rendering big output is the slow part; deferring it keeps buttons responsive while
  // live chunks stream in.
  const shown = useDeferredValue(text);
  const blocks = useMemo(() => splitBlocks(shown), [shown]);
  const [feedback, setFeedback] = useState('');
  const [following, setFollowing] = useState(true);
  const preRef = useRef<HTMLPreElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const id = `output-${title.toLowerCase()}`;

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  useLayoutEffect(() => {
    const pre = preRef.current;
    if (pre && following) pre.scrollTop = pre.scrollHeight;
  }, [shown, following]);

  const onScroll = () => {
    const pre = preRef.current;
    if (!pre) return;
    const atEnd = pre.scrollHeight - pre.scrollTop - pre.clientHeight < AT_END_PX;
    if (atEnd !== following) setFollowing(atEnd);
  };

  const say = (words: string) => {
    setFeedback(words);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setFeedback(''), COPIED_MS);
  };

  const copy = async () => {
    // Absent outside a secure context or in some embedded browsers.
    const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
    if (!clipboard?.writeText) {
      say('Copying is not available here; select the text instead');
      return;
    }
    try {
      await clipboard.writeText(text);
      say('Copied');
    } catch (e) {
      say(`Could not copy: ${message(e)}`);
    }
  };

  return (
    <section className="output-block" aria-labelledby={id}>
      <header>
        <h2 id={id}>{title}</h2>
        <button type="button" onClick={() => void copy()} disabled={text === ''}>
          {copyLabel}
        </button>
        {!following && text !== '' && (
          <button type="button" onClick={() => setFollowing(true)}>
            Jump to end
          </button>
        )}
        <span className="copy-feedback" role="status">
          {feedback}
        </span>
      </header>
      {text === '' ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <pre
          ref={preRef}
          className="output-pre"
          tabIndex={0}
          aria-labelledby={id}
          onScroll={onScroll}
        >
          {blocks.map((block, i) => (
            <Block key={i} text={block} />
          ))}
        </pre>
      )}
    </section>
  );
}
