// Destructive actions ask first. Esc or Cancel backs out; focus starts on Cancel so an
// accidental Enter does not delete anything.
import { useEffect, useRef, useState } from 'react';
import type { Confirm } from '../store/app';
import './dialog.css';

export function ConfirmDialog(props: { confirm: Confirm; onClose: () => void }) {
  const { confirm, onClose } = props;
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="backdrop">
      <div
        className="dialog confirm"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-message"
      >
        <h2 id="confirm-title">{confirm.title}</h2>
        <p id="confirm-message">{confirm.message}</p>
        <div className="dialog-actions">
          <button ref={cancelRef} onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            className="primary danger-fill"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await confirm.onConfirm();
              } finally {
                setBusy(false);
                onClose();
              }
            }}
          >
            {confirm.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
