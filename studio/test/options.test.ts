import { describe, expect, it } from 'vitest';
import { availableOptions, initialValues, requestFields } from '../src/options';

describe('completion options', () => {
  it('shows only the options the API describes', () => {
    const names = availableOptions(new Set(['key', 'score', 'seed', 'style', 'bars', 'temperature', 'density', 'inline'])).map((o) => o.name);
    expect(names).toEqual(['style', 'seed', 'density', 'temperature']);
  });

  it('shows an option the moment the API has it', () => {
    const names = availableOptions(new Set(['style', 'seed', 'density', 'temperature', 'drums'])).map((o) => o.name);
    expect(names).toContain('drums');
    expect(names).not.toContain('intro');
  });

  it('falls back to the four every Merlai takes when the description cannot be read', () => {
    expect(availableOptions(null).map((o) => o.name)).toEqual(['style', 'seed', 'density', 'temperature']);
  });

  it('leaves unset switches and empty texts out of the request, keeps zeros', () => {
    const options = availableOptions(new Set(['style', 'seed', 'density', 'drums', 'chords']));
    const fields = requestFields(options, { ...initialValues(options), density: 0 });
    expect(fields).toEqual({ style: 'pop', seed: 7, density: 0 });
  });
});
