// The generated, compiled client against a live `merlai serve` that this test starts on free loopback ports with a
// data folder of its own, and stops.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { completeMelody, createTenant, getJob, ProblemError } from "../dist/src/merlai.js";
import { startMerlaiServe } from "../../scripts/lib/merlai-serve.mjs";

const repo = resolve(import.meta.dirname, "../..");
let merlai, data, baseUrl;

before(async () => {
  merlai = await startMerlaiServe(repo, { echo: true });
  ({ data, origin: baseUrl } = merlai);
}, { timeout: 9 * 60_000 });

after(async () => {
  await merlai?.stop();
});

test("the generated client creates a tenant, completes a melody and reads the job back", async () => {
  const adminToken = (await readFile(join(data, "admin-token"), "utf8")).trim();
  const { apiKey } = await createTenant(baseUrl, adminToken, "clients", "pro");
  const score = JSON.parse(await readFile(join(repo, "examples/ode-to-joy.json"), "utf8"));

  const result = await completeMelody(baseUrl, apiKey, { score, seed: 7, style: "pop", inline: true });
  assert.equal(result.tenant, "clients");
  assert.ok(result.files?.some((file) => file.endsWith("/arrangement.mid")), JSON.stringify(result.files));
  assert.ok((result.arrangement?.tracks.length ?? 0) > 1, "the arrangement has accompaniment");

  const job = await getJob(baseUrl, apiKey, result.job ?? "");
  assert.equal(job.job, result.job);
});

test("a bad request is a problem document with the field at fault", async () => {
  const adminToken = (await readFile(join(data, "admin-token"), "utf8")).trim();
  const { apiKey } = await createTenant(baseUrl, adminToken, "clients-bad", "pro");
  const refused = await completeMelody(baseUrl, apiKey, { score: { tracks: [{ notes: [{ pitch: 200, onset: 0, duration: 480 }] }] } })
    .then(() => null, (error) => error);
  assert.ok(refused instanceof ProblemError, String(refused));
  assert.equal(refused.status, 400);
  assert.equal(refused.problem.type, "https://merlai.dev/problems/invalid-request");
  assert.ok(refused.problem.field, "the field at fault");
});
