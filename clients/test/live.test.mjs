// The generated, compiled client against a live `merlai serve` that this test starts on free loopback ports with a
// data folder of its own, and stops.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { completeMelody, createTenant, getJob, ProblemError } from "../dist/src/merlai.js";

const repo = resolve(import.meta.dirname, "../..");
let serve, data, baseUrl;

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    }).on("error", fail);
  });
}

async function ready(url, deadline) {
  while (Date.now() < deadline) {
    if (serve.exitCode !== null) throw new Error(`merlai serve exited with ${serve.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((wake) => setTimeout(wake, 1000));
  }
  throw new Error(`${url} not ready in time`);
}

before(async () => {
  data = await mkdtemp(join(tmpdir(), "merlai-client-"));
  const ports = {};
  const chosen = new Set();
  for (const name of ["http", "render", "recommend", "train", "router", "s3", "redis"]) {
    // the system may hand a just-closed port out again: each server gets a port of its own
    do ports[name] = await freePort(); while (chosen.has(ports[name]));
    chosen.add(ports[name]);
  }
  baseUrl = `http://127.0.0.1:${ports.http}`;
  serve = spawn(join(repo, "bin/merlai"), ["serve", "--data", data, "--http-port", ports.http, "--render-port", ports.render,
    "--recommend-port", ports.recommend, "--train-port", ports.train, "--router-port", ports.router, "--s3-port", ports.s3,
    "--redis-port", ports.redis].map(String), { cwd: repo, detached: true, stdio: ["ignore", "inherit", "inherit"] });
  await ready(`${baseUrl}/q/health/ready`, Date.now() + 8 * 60_000);
}, { timeout: 9 * 60_000 });

after(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((done) => serve.once("exit", done));
    process.kill(-serve.pid, "SIGTERM");
    await exited;
  }
  if (data) await rm(data, { recursive: true, force: true });
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
