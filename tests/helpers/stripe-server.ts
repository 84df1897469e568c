import { readFileSync } from "node:fs";
import http from "node:http";
import { listenOnLoopback } from "./ports.ts";

const templates = JSON.parse(
  readFileSync(new URL("../fixtures/stripe/templates.json", import.meta.url), "utf8"),
) as Record<string, Record<string, unknown>>;

export const TEST_KEY = "sk_test_51DuckmartSecretKeyDoNotLog0000";

export function charge(
  id: string,
  created: number,
  amount: number,
  options: { currency?: string; orderId?: number | null; status?: string; refunded?: number } = {},
) {
  const failed = options.status === "failed";
  return {
    ...templates["charge"],
    id,
    created,
    amount,
    currency: options.currency ?? "usd",
    status: options.status ?? "succeeded",
    amount_captured: failed ? 0 : amount,
    captured: !failed,
    paid: !failed,
    amount_refunded: options.refunded ?? 0,
    failure_code: failed ? "card_declined" : null,
    metadata: options.orderId == null ? {} : { order_id: String(options.orderId) },
  };
}

export function refund(id: string, chargeId: string, created: number, amount: number, currency = "usd") {
  return { ...templates["refund"], id, charge: chargeId, created, amount, currency };
}

export function invoice(id: string, created: number, amountDue: number, lines: { id: string; amount: number }[]) {
  const template = templates["invoice"] as { lines: { data: Record<string, unknown>[] } };
  return {
    ...templates["invoice"],
    id,
    created,
    amount_due: amountDue,
    amount_paid: amountDue,
    amount_remaining: 0,
    subtotal: amountDue,
    total: amountDue,
    status: "paid",
    lines: {
      object: "list",
      has_more: false,
      url: `/v1/invoices/${id}/lines`,
      data: lines.map((l) => ({ ...template.lines.data[0], id: l.id, invoice: id, amount: l.amount })),
    },
  };
}

export interface FakeStripe {
  url: string;
  data: { charges: Record<string, unknown>[]; refunds: Record<string, unknown>[]; invoices: Record<string, unknown>[] };
  /** Requests seen: path and query. */
  requests: string[];
  /** Queued faults per resource: status and headers. */
  faults: Map<string, { status: number; headers?: Record<string, string> }[]>;
  close(): Promise<void>;
}

/** A Stripe-like list API on 127.0.0.1: newest first, limit, starting_after, created[gt], has_more, Bearer key. */
export async function startFakeStripe(): Promise<FakeStripe> {
  const state = {
    data: { charges: [], refunds: [], invoices: [] } as FakeStripe["data"],
    requests: [] as string[],
    faults: new Map() as FakeStripe["faults"],
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    state.requests.push(`${url.pathname}${url.search}`);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    const auth = req.headers.authorization ?? "";
    if (auth !== `Bearer ${TEST_KEY}`) {
      return send(401, {
        error: { type: "invalid_request_error", message: `Invalid API Key provided: ${auth.replace("Bearer ", "")}` },
      });
    }
    const resource = url.pathname.replace(/^\/v1\//, "") as keyof FakeStripe["data"];
    const fault = state.faults.get(resource)?.shift();
    if (fault)
      return send(
        fault.status,
        { error: { type: fault.status === 429 ? "rate_limit_error" : "api_error", message: "Injected fault" } },
        fault.headers,
      );
    const all = state.data[resource];
    if (!all)
      return send(404, {
        error: { type: "invalid_request_error", message: `Unrecognized request URL (GET: ${url.pathname})` },
      });
    const gt = url.searchParams.get("created[gt]");
    const sorted = [...all]
      .filter((o) => gt === null || (o["created"] as number) > Number(gt))
      .sort(
        (a, b) => (b["created"] as number) - (a["created"] as number) || String(b["id"]).localeCompare(String(a["id"])),
      );
    const after = url.searchParams.get("starting_after");
    const start = after ? sorted.findIndex((o) => o["id"] === after) + 1 : 0;
    const limit = Number(url.searchParams.get("limit") ?? 10);
    const page = sorted.slice(start, start + limit);
    send(200, { object: "list", url: url.pathname, has_more: start + limit < sorted.length, data: page });
  });
  return Object.assign(state, await listenOnLoopback(server));
}
