// A row of buttons of which one is chosen: the explorer's tabs and the map's colouring.

/** Choice shows options as buttons, the chosen one marked; kind says whether they are tabs or radio buttons. */
export function Choice<T extends string>({ kind, label, className, testid, options, value, onChange }: {
  kind: 'tab' | 'radio';
  label: string;
  className: string;
  testid: string; // each button's data-testid is `${testid}-${option}`
  options: [T, string][];
  value: T;
  onChange: (v: T) => void;
}) {
  return (
    <div className={className} role={kind === 'tab' ? 'tablist' : 'radiogroup'} aria-label={label}>
      {options.map(([v, text]) => (
        <button
          key={v}
          type="button"
          role={kind}
          data-testid={`${testid}-${v}`}
          {...(kind === 'tab' ? { 'aria-selected': value === v } : { 'aria-checked': value === v })}
          className={value === v ? 'on' : ''}
          onClick={() => onChange(v)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}
