import type { ComponentChildren, JSX, TargetedInputEvent } from 'preact';

/**
 * A labelled text input bound to a string: `onValue` gets every edit. Any other input attribute
 * (name, type, dir, required, autoComplete, placeholder) passes through; `labelClass` styles the label.
 */
export function TextField({
  label,
  value,
  onValue,
  labelClass,
  ...input
}: {
  readonly label: ComponentChildren;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly labelClass?: string;
  readonly name: string;
  readonly type?: 'text' | 'email' | 'password' | 'search';
  readonly dir?: 'ltr' | 'rtl';
  readonly required?: boolean;
  readonly autoComplete?: string;
  readonly placeholder?: string;
}) {
  // Preact types an input's attributes as a union discriminated by `type`, which a `type` chosen
  // by the caller cannot narrow: the props above are all valid on every text-like input.
  const attributes = {
    ...input,
    value,
    onInput: (event: TargetedInputEvent<HTMLInputElement>) => onValue(event.currentTarget.value),
  } as JSX.IntrinsicElements['input'];
  return (
    <label class={labelClass}>
      {label}
      <input {...attributes} />
    </label>
  );
}

/** A form that runs `onSubmit` instead of navigating (its promise is the caller's to report). */
export function SubmitForm({
  onSubmit,
  class: className,
  children,
}: {
  readonly onSubmit: () => Promise<unknown> | undefined;
  readonly class?: string;
  readonly children: ComponentChildren;
}) {
  return (
    <form
      class={className}
      onSubmit={(event) => {
        event.preventDefault();
        void onSubmit();
      }}
    >
      {children}
    </form>
  );
}
