// @ts-nocheck
// 
// Destructive actions ask first. Esc or Cancel backs out; focus starts on Cancel so an
// accidental Enter does not delete anything, stays inside while it is open, and goes back to
// what opened it afterwards.
import { useRef, useState } from 'react';
import type { Confirm } from '../store/app';
import { useModal } from './useModal';
import './dialog.css';

export function ConfirmDialog(props: { confirm: Confirm; onClose: () => void }) {
  const { confirm, onClose } = props;
  const dialogRef = useRef<HTMLDivElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);

  useModal(dialogRef, {
    onEscape: () => {
      if (!busy) onClose();
    },
    initialFocus: () => cancelRef.current,
  });

  return (
    <div className="backdrop">
      <div
        ref={dialogRef}
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
            {confirm.cancelLabel ?? 'Cancel'}
          </button>
          <button
            className="danger-fill"
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
