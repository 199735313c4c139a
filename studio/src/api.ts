// The Merlai public API, called on the origin the page was served from only (merlai serve's gateway, or the
// cluster's ingress, routes /v1/training*, /v1/models and /v1/plugin* to their functions).
import type { Score } from './score';

/** An answer that is not 2xx, in words: the problem's detail, and the request field at fault when the API names one. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly title: string, readonly detail: string, readonly field?: string, readonly type?: string) {
    super(detail || title);
  }
}

export type JobState = 'queued' | 'completing' | 'rendering' | 'done' | 'failed';

export interface Job {
  job: string;
  state: JobState;
  error?: string;
  files?: string[];
  links?: Record<string, string>;
}

/** Per phrase whose chords the model chose: the chosen progression first, then the next-best (chords in the syntax of the chords field). */
export interface ChordAlternatives { bars: string; progressions: { chords: string; probability: number }[] }

export interface Completion {
  job: string;
  arrangement: Score;
  form?: string;
  intro?: string;
  ending?: string;
  chordAlternatives?: ChordAlternatives[];
  key?: string;
  meter?: string;
  generatedBars?: string;
  bars?: number;
}

export interface InvoiceLine { unit: string; used: number; included: number; billable: number; unitPrice: number; amount: number }
export interface Invoice { tenant: string; plan: string; period: string; currency: string; lines: InvoiceLine[]; total: number }
export interface Usage { tenant: string; from: string; to: string; totals: Record<string, number> }

export interface TrainingProgress { step?: number; steps?: number; fraction?: number; remainingSeconds?: number; loss?: number }
export interface Training {
  model: string;
  set: string;
  style: string;
  state: 'queued' | 'training' | 'done' | 'failed' | 'cancelled';
  error?: string;
  progress?: TrainingProgress | null;
  pieces?: { file: string; accepted: boolean; bars: number; reason: string }[];
}

export interface PluginSuggestion { id: string; name?: string; vendor?: string; score?: number; reasons?: string[]; preset?: string }
export interface TrackSuggestions { index: number; name?: string; role?: string; recommendations: PluginSuggestion[] }

/** Same-origin path of a result link: the gateway serves the bucket's paths, so a pre-signed link stays valid. */
export function sameOrigin(link: string): string {
  const url = new URL(link, window.location.href);
  return url.pathname + url.search;
}

export class Api {
  constructor(private readonly key: string, private readonly fetcher: typeof fetch = (input, init) => fetch(input, init)) {}

  private async call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${this.key}`);
    const response = await this.fetcher(path, { ...init, headers });
    const text = await response.text();
    const body = text ? safeJson(text) : null;
    if (!response.ok) {
      const problem = (body ?? {}) as { title?: string; detail?: string; field?: string; type?: string };
      throw new ApiError(response.status, problem.title ?? response.statusText, problem.detail ?? text ?? `HTTP ${response.status}`,
        problem.field, problem.type);
    }
    return body as T;
  }

  private json<T>(path: string, method: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.call<T>(path, { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });
  }

  invoice(): Promise<Invoice> { return this.call('/v1/invoice'); }
  usage(): Promise<Usage> { return this.call('/v1/usage'); }
  complete(request: Record<string, unknown>): Promise<Completion> {
    return this.json('/v1/completions', 'POST', { ...request, inline: true });
  }
  job(id: string): Promise<Job> { return this.call(`/v1/jobs/${encodeURIComponent(id)}`); }
  async result<T>(link: string): Promise<T> {
    const response = await this.fetcher(sameOrigin(link));
    if (!response.ok) throw new ApiError(response.status, 'Result unavailable', `the result could not be read (HTTP ${response.status})`);
    return response.json() as Promise<T>;
  }
  addPiece(set: string, file: File): Promise<{ bars?: number }> {
    return this.call(`/v1/training-sets/${encodeURIComponent(set)}/${encodeURIComponent(file.name)}`,
      { method: 'PUT', body: file, headers: { 'Content-Type': 'application/octet-stream' } });
  }
  train(set: string, style: string, quick: boolean): Promise<Training> {
    return this.json('/v1/training', 'POST', { set, style, quick });
  }
  training(model: string): Promise<Training> { return this.call(`/v1/training/${encodeURIComponent(model)}`); }
  models(): Promise<{ models: Training[] }> { return this.call('/v1/models'); }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The options the completion API takes now, read from its OpenAPI description (null when it cannot be read). */
export async function completionOptions(fetcher: typeof fetch = (i, init) => fetch(i, init)): Promise<Set<string> | null> {
  try {
    const response = await fetcher('/q/openapi?format=json');
    if (!response.ok) return null;
    const description = await response.json();
    const properties = description?.components?.schemas?.CompletionRequest?.properties;
    return properties ? new Set(Object.keys(properties)) : null;
  } catch {
    return null;
  }
}
