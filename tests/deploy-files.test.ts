import { readFileSync, statSync } from "node:fs";
import { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } from "@actions/workflow-parser";
import { Ajv2019 } from "ajv/dist/2019.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { main } from "../cli/main.ts";

const root = new URL("../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

async function validateWorkflow(path: string) {
  const parsed = parseWorkflow({ name: path, content: read(path) }, new NoOperationTraceWriter());
  const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
  return [...parsed.context.errors.getErrors(), ...(template.errors ?? [])].map((e) =>
    String((e as { message?: string }).message ?? e),
  );
}

/** Every `run:` step of a workflow, as separate shell commands. */
function runCommands(path: string): string[] {
  const workflow = parse(read(path)) as { jobs: Record<string, { steps?: { run?: string }[] }> };
  return Object.values(workflow.jobs)
    .flatMap((job) => job.steps ?? [])
    .flatMap((step) => (step.run ? step.run.split(/\n|&&|;/) : []))
    .map((c) => c.trim())
    .filter(Boolean);
}

describe("GitHub Actions workflows", () => {
  it("are valid according to GitHub's own workflow schema and parser", async () => {
    expect(await validateWorkflow(".github/workflows/pipeline.yml")).toEqual([]);
    expect(await validateWorkflow(".github/workflows/ci.yml")).toEqual([]);
  });

  it("catches a broken workflow (the validation can fail)", async () => {
    const bad = parseWorkflow(
      { name: "bad.yml", content: "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n" },
      new NoOperationTraceWriter(),
    );
    expect(bad.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it("pipeline.yml runs daily off the hour, can be dispatched with as-of, never overlaps, caches data/ and deploys Pages", () => {
    const workflow = parse(read(".github/workflows/pipeline.yml"));
    const cron: string = workflow.on.schedule[0].cron;
    expect(cron.split(" ")[0]).not.toBe("0");
    expect(cron.split(" ").slice(2)).toEqual(["*", "*", "*"]);
    expect(workflow.on.workflow_dispatch.inputs.as_of.type).toBe("string");
    expect(workflow.concurrency).toEqual({ group: "duckmart-pipeline", "cancel-in-progress": false });
    const steps = workflow.jobs.run.steps as { uses?: string; with?: Record<string, string> }[];
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node"))?.with).toMatchObject({
      "node-version": 20,
      cache: "npm",
    });
    expect(steps.find((s) => s.uses?.startsWith("actions/cache/restore"))?.with?.["path"]).toContain("data/state");
    expect(steps.find((s) => s.uses?.startsWith("actions/upload-pages-artifact"))?.with?.["path"]).toBe(
      "observable/dist",
    );
    expect(workflow.jobs.deploy.steps[0].uses).toMatch(/^actions\/deploy-pages@/);
    expect(workflow.jobs.run.env).toMatchObject({
      DATABASE_URL: "${{ secrets.DATABASE_URL }}",
      STRIPE_API_KEY: "${{ secrets.STRIPE_API_KEY }}",
      DUCKMART_ALERT_WEBHOOK: "${{ secrets.DUCKMART_ALERT_WEBHOOK }}",
      DUCKMART_SMTP_URL: "${{ secrets.DUCKMART_SMTP_URL }}",
    });
  });

  it("every run: line calls a command that exists in package.json or the CLI", async () => {
    const scripts = Object.keys(JSON.parse(read("package.json")).scripts as Record<string, string>);
    const subCommands = main.subCommands as Record<string, () => Promise<{ args?: Record<string, unknown> }>>;
    const tools = new Set(["gh", "bash"]);
    const checked: string[] = [];
    for (const file of [".github/workflows/pipeline.yml", ".github/workflows/ci.yml"]) {
      for (const command of runCommands(file)) {
        const [tool, first, ...rest] = command.split(/\s+/);
        if (tool === "npm") {
          if (first === "run") expect(scripts, command).toContain(rest[0]);
          else expect(["ci", "test", "start", ...scripts], command).toContain(first);
        } else if (tool === "npx") {
          expect(first, command).toBe("duckmart");
          const sub = rest[0]!;
          expect(Object.keys(subCommands), command).toContain(sub);
          const args = (await subCommands[sub]!()).args ?? {};
          for (const flag of rest.filter((r) => r.startsWith("--")))
            expect(Object.keys(args), `${command}: ${flag}`).toContain(flag.slice(2));
        } else if (tool === "bash") {
          expect(statSync(new URL(first!, root)).isFile(), command).toBe(true);
        } else {
          expect(tools, command).toContain(tool);
        }
        checked.push(command);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(["npm ci", "bash .ci/run"]));
    expect(checked.some((c) => c.startsWith("npx duckmart run"))).toBe(true);
  });
});

/** Drop `$schema` and the draft-04 `id` annotations ("#/properties/...") that Ajv rejects; nothing else changes. */
function modernize(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(modernize);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => key !== "$schema" && !(key === "id" && typeof value === "string"))
      .map(([key, value]) => [key, modernize(value)]),
  );
}

describe("docker-compose.yml", () => {
  const compose = parse(read("docker-compose.yml"));
  const schema = JSON.parse(read("tests/schemas/compose-spec.json"));

  it("is valid against the vendored compose-spec JSON schema", () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
    // The file names its draft as "http://json-schema.org/draft/2019-09/schema#" and uses the old "id";
    // Ajv2019 is that draft already, and wants "$id".
    const validate = ajv.compile(modernize(schema) as object);
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ services: { x: { image: 1, ports: "nope" } } })).toBe(false);
  });

  it("runs Postgres 16 with a volume, a healthcheck and credentials from .env", () => {
    const pg = compose.services.postgres;
    expect(pg.image).toBe("postgres:16");
    expect(pg.volumes[0]).toMatch(/^warehouse-data:/);
    expect(Object.keys(compose.volumes)).toContain("warehouse-data");
    expect(pg.healthcheck.test.join(" ")).toContain("pg_isready");
    expect(pg.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD/);
    expect(pg.ports).toEqual(["${POSTGRES_PORT:-5433}:5432"]);
    const init = pg.volumes.find((v: string) => v.includes("docker-entrypoint-initdb.d"));
    expect(statSync(new URL(init.split(":")[0], root)).isFile()).toBe(true);
    expect(read(".env.example")).toContain("POSTGRES_PASSWORD=");
  });

  it("keeps Metabase's application database in Postgres and starts it after a healthy warehouse", () => {
    const mb = compose.services.metabase;
    expect(mb.image).toMatch(/^metabase\/metabase:/);
    expect(mb.environment).toMatchObject({ MB_DB_TYPE: "postgres", MB_DB_HOST: "postgres", MB_DB_PORT: 5432 });
    expect(mb.depends_on.postgres.condition).toBe("service_healthy");
    expect(mb.ports).toEqual(["${METABASE_PORT:-3000}:3000"]);
    expect(mb.healthcheck.test.join(" ")).toContain("/api/health");
    expect(read("export/metabase/create-metabase-db.sh")).toContain('CREATE DATABASE "${METABASE_DB:-metabase}"');
  });

  it("runs the pipeline behind the pipeline profile, into the warehouse by service name", () => {
    const app = compose.services.duckmart;
    expect(app.image).toBe("node:20");
    expect(app.profiles).toEqual(["pipeline"]);
    expect(app.command.join(" ")).toContain("npm ci && npx duckmart run");
    expect(app.environment.DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(app.depends_on.postgres.condition).toBe("service_healthy");
  });
});
