// The completion options the page offers. One line each; an option shows only once the API describes it
// (CompletionRequest in /q/openapi), so the options other functions add appear when they land.
export interface OptionSpec {
  name: string;
  label: string;
  kind: 'choice' | 'integer' | 'number' | 'boolean' | 'text';
  /** '' leaves the option out of the request, so the API's default applies. */
  initial: string | number | boolean;
  choices?: string[];
  /** The words shown for the choice '' (the API's default). */
  defaultLabel?: string;
  min?: number;
  max?: number;
  step?: number;
}

export const OPTIONS: OptionSpec[] = [
  { name: 'style', label: 'Style', kind: 'choice', choices: ['pop', 'lied'], initial: 'pop' },
  { name: 'seed', label: 'Seed', kind: 'integer', min: 0, initial: 7 },
  { name: 'density', label: 'Density (sparse to busy)', kind: 'number', min: 0, max: 1, step: 0.05, initial: 0.5 },
  { name: 'temperature', label: 'Temperature (variation)', kind: 'number', min: 0.1, max: 2, step: 0.1, initial: 1 },
  { name: 'variation', label: 'Variation of repeats (0 same to 1 new; empty: as POP909)', kind: 'number', min: 0, max: 1, step: 0.1, initial: '' },
  { name: 'intro', label: 'Intro bars', kind: 'integer', min: 0, max: 16, initial: 0 },
  { name: 'ending', label: 'Ending', kind: 'boolean', initial: true },
  {
    name: 'drums', label: 'Drums', kind: 'choice', initial: '', defaultLabel: "the style's (pop: pop, lied: none)",
    choices: ['', 'none', 'pop', 'rock', 'funk', 'hiphop', 'jazz', 'latin', 'afrocuban', 'punk', 'neworleans', 'soul', 'country',
      'gospel', 'reggae', 'afrobeat', 'dance', 'other'],
  },
  { name: 'humanize', label: 'Humanize', kind: 'boolean', initial: false },
  { name: 'chords', label: 'Given chords (e.g. C G Am F)', kind: 'text', initial: '' },
];

/** The options to show: those the API takes, or the four every Merlai takes when its description cannot be read. */
export function availableOptions(described: Set<string> | null): OptionSpec[] {
  const names = described ?? new Set(['style', 'seed', 'density', 'temperature']);
  return OPTIONS.filter((option) => names.has(option.name));
}

export type OptionValues = Record<string, string | number | boolean>;

export function initialValues(options: OptionSpec[]): OptionValues {
  return Object.fromEntries(options.map((o) => [o.name, o.initial]));
}

/** The request fields: empty values and switches left at their default are left out, so the API's defaults apply. */
export function requestFields(options: OptionSpec[], values: OptionValues): OptionValues {
  const fields: OptionValues = {};
  for (const option of options) {
    const value = values[option.name];
    if (value === '' || value === undefined || (option.kind === 'boolean' && value === option.initial)) continue;
    fields[option.name] = value;
  }
  return fields;
}
