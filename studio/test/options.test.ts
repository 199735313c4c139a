import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('offers every music option the completion API describes (its OpenAPI file), drums with the API\'s styles', () => {
    const yaml = readFileSync(join(__dirname, '..', '..', 'functions/complete/src/main/resources/META-INF/openapi.yaml'), 'utf8');
    const request = yaml.split(/\n    CompletionRequest:\n/)[1].split(/\n    \w+:\n/)[0];
    const described = new Set([...request.matchAll(/^        (\w+):/gm)].map((m) => m[1]));
    const options = availableOptions(described);
    expect(options.map((o) => o.name)).toEqual(expect.arrayContaining(['variation', 'intro', 'ending', 'drums', 'chords']));
    const drumStyles = /drums:\n\s+type: string\n\s+enum: \[([^\]]+)\]/.exec(request)![1].split(', ');
    expect(options.find((o) => o.name === 'drums')!.choices!.filter((c) => c !== '')).toEqual(drumStyles);
  });

  it('sends a switch only when moved off the API\'s default, and leaves an empty number out', () => {
    const options = availableOptions(new Set(['style', 'seed', 'variation', 'intro', 'ending', 'drums']));
    expect(requestFields(options, initialValues(options))).toEqual({ style: 'pop', seed: 7, intro: 0 });
    expect(requestFields(options, { ...initialValues(options), ending: false, variation: 0, drums: 'jazz' }))
      .toEqual({ style: 'pop', seed: 7, intro: 0, ending: false, variation: 0, drums: 'jazz' });
  });
});
