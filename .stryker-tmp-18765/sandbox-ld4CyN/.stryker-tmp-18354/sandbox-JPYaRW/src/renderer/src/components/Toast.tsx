// @ts-nocheck
// 
// One message at a time at the bottom: what an action did, with a link where there is
// somewhere to go (Run now → the run). Errors stay longer than news.
import { useEffect } from 'react';
import { useApp } from '../store/context';

export function Toast() {
  const toast = useApp((s) => s.toast);
  const dismiss = useApp((s) => s.dismissToast);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(dismiss, toast.kind === 'error' ? 8000 : toast.link ? 6000 : 3000);
    return () => clearTimeout(timer);
  }, [toast, dismiss]);
  if (!toast) return null;
  return (
    <div className={`toast ${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
      <span>{toast.message}</span>
      {toast.link && (
        <a href={toast.link.href} onClick={dismiss}>
          {toast.link.label}
        </a>
      )}
      <button type="button" onClick={dismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
