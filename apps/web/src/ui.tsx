import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { errorText } from './api.js';
import { useT } from './i18n/index.js';

let firstPage = true;

/**
 * The page's main heading. It names the browser tab and, after a navigation inside the app, takes
 * the focus so that a screen reader announces the new page (the first page load leaves the focus
 * where the browser puts it).
 */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useT();
  useEffect(() => {
    document.title = `${title} – ${t('appName')}`;
  }, [title, t]);
  useEffect(() => {
    if (firstPage) firstPage = false;
    else ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} id="page-heading">
      {children}
    </h1>
  );
}

/**
 * Moves the keyboard focus, once the page has re-rendered and a closing dialog has put it back,
 * to the first element found with one of `focusKeys` (`data-focus-key`). For what removes the
 * element that had the focus (a removed row, a closed panel): without it the focus falls to the
 * page and a keyboard or screen-reader user starts again from the top.
 */
export function focusSoon(...focusKeys: string[]): void {
  requestAnimationFrame(() =>
    setTimeout(() => {
      for (const key of focusKeys) {
        const element = document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`);
        if (element) {
          element.focus();
          return;
        }
      }
    }, 0),
  );
}

/**
 * After `items[index]` was removed: the focus goes to the item that took its place, else the one
 * before it, else to `fallback` (what adds one).
 */
export function focusAfterRemoving<T>(items: readonly T[], index: number, keyOf: (item: T) => string, fallback: string): void {
  focusSoon(...[items[index + 1], items[index - 1]].flatMap((item) => (item === undefined ? [] : [keyOf(item)])), fallback);
}

/** Text people typed (names, titles): marked so the language test knows it is not interface text. */
export function UserText({ children }: { children: ReactNode }) {
  return <span data-user-content="">{children}</span>;
}

export function ErrorAlert({ message }: { message: string | null }) {
  return message ? <p role="alert">{message}</p> : null;
}

/** A polite live region for results of actions ("Saved", "Shared with …"). */
export function StatusMessage({ message }: { message: string | null }) {
  return (
    <p role="status" className="status">
      {message}
    </p>
  );
}

/**
 * A button that opens a modal dialog (react-aria-components: focus moves in and stays there,
 * Escape closes, focus returns to the button). `children` gets `close`. `onOpen` is called as it
 * opens (a form starts from the current values). `beforeClose`, when
 * given, is asked before every close (Escape, a close button): false keeps the dialog open.
 */
export function ModalButton({
  label,
  accessibleLabel,
  buttonClassName = 'button',
  role = 'dialog',
  heading,
  children,
  beforeClose,
  onOpen,
}: {
  label: string;
  accessibleLabel?: string;
  buttonClassName?: string;
  role?: 'dialog' | 'alertdialog';
  heading: string;
  children: (close: () => void) => ReactNode;
  beforeClose?: () => boolean;
  onOpen?: () => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <DialogTrigger
      isOpen={open}
      onOpenChange={(next) => {
        if (!next && beforeClose && !beforeClose()) return;
        if (next) onOpen?.();
        setOpen(next);
      }}
    >
      <Button className={buttonClassName} aria-label={accessibleLabel}>
        {label}
      </Button>
      <ModalOverlay className="modal-overlay">
        <Modal className="modal">
          <Dialog className="dialog" role={role}>
            {({ close }) => (
              <>
                <Heading slot="title" level={2}>
                  {heading}
                </Heading>
                {children(close)}
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

/**
 * A form in a dialog ({@link ModalButton}, secondary button): `children` are its fields,
 * followed by Cancel and the submit button. One submit at a time: the dialog cannot be closed
 * while it runs, and the submit button is disabled (also while `canSubmit` is false). `onSubmit`
 * resolves with null to close the dialog or with a text to show in it as an alert; a rejection is
 * shown as its {@link errorText}. `onOpen` sets the fields from the current values.
 */
export function FormDialog({
  label,
  accessibleLabel,
  heading,
  submitLabel,
  canSubmit,
  onOpen,
  onSubmit,
  children,
}: {
  label: string;
  accessibleLabel?: string;
  heading: string;
  submitLabel: string;
  canSubmit: boolean;
  onOpen: () => void;
  onSubmit: () => Promise<string | null>;
  children: ReactNode;
}) {
  const { t, locale } = useT();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  /** Set from a submit until its answer (a ref: a second submit before the next render is refused too). */
  const sending = useRef(false);
  return (
    <ModalButton
      label={label}
      {...(accessibleLabel === undefined ? {} : { accessibleLabel })}
      buttonClassName="button secondary"
      heading={heading}
      onOpen={() => {
        setError(null);
        onOpen();
      }}
      // While a submit runs the dialog stays: its answer is shown in it.
      beforeClose={() => !sending.current}
    >
      {(close) => (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (sending.current) return;
            sending.current = true;
            setSaving(true);
            setError(null);
            void onSubmit()
              .catch((failure: unknown) => errorText(t, locale, failure))
              .then((message) => {
                sending.current = false;
                setSaving(false);
                if (message === null) close();
                else setError(message);
              });
          }}
        >
          <ErrorAlert message={error} />
          {children}
          <p className="dialog-buttons">
            <button type="button" className="secondary" onClick={close}>
              {t('cancel')}
            </button>{' '}
            <button type="submit" disabled={saving || !canSubmit}>
              {saving ? t('saving') : submitLabel}
            </button>
          </p>
        </form>
      )}
    </ModalButton>
  );
}

/** A button that asks before doing something that cannot be undone (Escape or Cancel keeps everything). */
export function ConfirmButton({ label, accessibleLabel, heading, text, onConfirm }: { label: string; accessibleLabel: string; heading: string; text: string; onConfirm: () => void }) {
  const { t } = useT();
  return (
    <ModalButton label={label} accessibleLabel={accessibleLabel} buttonClassName="button danger" role="alertdialog" heading={heading}>
      {(close) => (
        <>
          <p>{text}</p>
          <p className="dialog-buttons">
            <button type="button" className="secondary" onClick={close}>
              {t('cancel')}
            </button>{' '}
            <button
              type="button"
              className="danger"
              onClick={() => {
                onConfirm();
                close();
              }}
            >
              {label}
            </button>
          </p>
        </>
      )}
    </ModalButton>
  );
}
