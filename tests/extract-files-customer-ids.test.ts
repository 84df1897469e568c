import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filesFixture, filesLake, genericColumns, type FilesLake } from "./helpers/files-lake.ts";
import { rawFile, readParquet } from "./helpers/test-lake.ts";

/** The id an unsalted key would get: the first 52 bits of its MD5 (what the ids were before the salt). */
const plainId = (key: string) => Number.parseInt(createHash("md5").update(key).digest("hex").slice(0, 13), 16);

// tests/fixtures/files/orders.csv has customers C-01 (ana@example.com) and C-02 (ben@example.com), among others.
const { customer_id: _noCustomerId, ...byEmail } = genericColumns;
let lake: FilesLake;

const users = async () =>
  (await readParquet(
    rawFile(lake.paths, "files", "users"),
    "select id, customer_key from $file order by customer_key",
  )) as { id: number; customer_key: string }[];

beforeAll(async () => {
  lake = await filesLake();
});
afterAll(async () => lake.cleanup());

describe("files source: customer ids never reveal an email or a name", () => {
  it("keys a customer known only by email on a salted hash, the same in every snapshot", async () => {
    await lake.configure({ path: filesFixture("orders.csv"), columns: byEmail });
    await lake.extract();
    const first = await users();
    const ana = first.find((u) => u.customer_key === "ana@example.com")!;
    expect(ana).toBeDefined();
    // Before: the id was md5("ana@example.com"), which anyone with a list of emails could match.
    expect(ana.id).not.toBe(plainId("ana@example.com"));
    expect(first.map((u) => u.id)).not.toContain(plainId("ben@example.com"));
    await lake.extract();
    expect(await users()).toEqual(first);
  });

  it("keeps the plain hash for a customer id from the file (not personal; ids stay as they were)", async () => {
    await lake.configure({ path: filesFixture("orders.csv"), columns: genericColumns });
    await lake.extract();
    const ana = (await users()).find((u) => u.customer_key === "C-01")!;
    expect(ana.id).toBe(plainId("C-01"));
  });
});
