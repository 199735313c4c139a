import type { OptionSpec, OptionValues } from '../options';

export function Options({ options, values, onChange, errorField }: {
  options: OptionSpec[]; values: OptionValues; onChange: (values: OptionValues) => void; errorField?: string;
}) {
  const set = (name: string, value: string | number | boolean) => onChange({ ...values, [name]: value });
  return (
    <fieldset class="options">
      <legend>Options</legend>
      {options.map((option) => {
        const id = `option-${option.name}`;
        const invalid = errorField === option.name ? 'true' : undefined;
        const value = values[option.name];
        if (option.kind === 'choice') {
          return <label for={id}>{option.label}
            <select id={id} aria-invalid={invalid} value={String(value)} onChange={(e) => set(option.name, (e.target as HTMLSelectElement).value)}>
              {option.choices!.map((choice) => <option value={choice}>{choice || option.defaultLabel}</option>)}
            </select></label>;
        }
        if (option.kind === 'boolean') {
          return <label for={id} class="check"><input id={id} type="checkbox" checked={Boolean(value)}
            onChange={(e) => set(option.name, (e.target as HTMLInputElement).checked)} />{option.label}</label>;
        }
        if (option.kind === 'text') {
          return <label for={id}>{option.label}<input id={id} type="text" aria-invalid={invalid} value={String(value)}
            onInput={(e) => set(option.name, (e.target as HTMLInputElement).value)} /></label>;
        }
        return <label for={id}>{option.label}<input id={id} type="number" aria-invalid={invalid} min={option.min} max={option.max}
          step={option.step ?? 1} value={value === '' ? '' : Number(value)} onInput={(e) => {
            const text = (e.target as HTMLInputElement).value;
            set(option.name, text === '' ? '' : Number(text));
          }} /></label>;
      })}
    </fieldset>
  );
}
