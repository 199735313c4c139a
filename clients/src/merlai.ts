// A small typed client of Merlai's HTTP API: every type comes from the OpenAPI description
// (generated/*.ts, written by openapi-typescript), so a change of the description that breaks callers breaks tsc.
import type { components, paths } from "../generated/complete.js";

export type CompletionRequest = components["schemas"]["CompletionRequest"];
export type CompletionResult = components["schemas"]["CompletionResult"];
export type Problem = components["schemas"]["Problem"];
type JobAnswer = paths["/v1/jobs/{job}"]["get"]["responses"]["200"]["content"]["application/json"];

/** An answer that is not 2xx, with the problem document the API sent. */
export class ProblemError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(`${status} ${problem.type}: ${problem.detail}`);
  }
}

async function call<T>(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await fetch(new URL(path, baseUrl), {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.text();
  if (!answer.ok) throw new ProblemError(answer.status, JSON.parse(text) as Problem);
  return JSON.parse(text) as T;
}

/** POST /admin/tenants (operator): a new tenant and its API key. */
export async function createTenant(baseUrl: string, adminToken: string, tenant: string, plan: string): Promise<{ tenant: string; apiKey: string }> {
  return call(baseUrl, adminToken, "POST", "/admin/tenants", { tenant, plan });
}

/** POST /v1/completions (operationId completeMelody). */
export async function completeMelody(baseUrl: string, apiKey: string, request: CompletionRequest): Promise<CompletionResult> {
  return call(baseUrl, apiKey, "POST", "/v1/completions", request);
}

/** GET /v1/jobs/{job} (operationId getJob). */
export async function getJob(baseUrl: string, apiKey: string, job: string): Promise<JobAnswer> {
  return call(baseUrl, apiKey, "GET", `/v1/jobs/${encodeURIComponent(job)}`);
}
