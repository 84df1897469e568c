import { readFile } from "node:fs/promises";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from "yaml";
import type { z } from "zod";
import { DuckmartError } from "../../cli/core/errors.ts";

export type YmlPath = readonly PropertyKey[];

export interface YmlFile<T> {
  data: T;
  /** "file:line" of the node at a path in the file (the deepest node that exists), for error messages. */
  at(path: YmlPath): string;
}

const hint =
  'See "Models and data tests" in the README for the yml format (block style: one key per line, lists with "- ").';

/**
 * Read a yml file and validate it with a zod schema. Every error names the file and the line. Flow-style
 * mappings (`{ name: x, description: y }`) are refused: one unquoted comma in them once split 253 descriptions.
 */
export async function readYmlFile<S extends z.ZodType>(
  file: string,
  label: string,
  schema: S,
): Promise<YmlFile<z.output<S>>> {
  const text = await readFile(file, "utf8");
  // One run reads the project in several steps (freshness, transform, test): a file whose text is unchanged is
  // parsed and validated once per process, and each caller gets its own copy of the data.
  const key = `${file}\0${label}`;
  const cached = parsed.get(key);
  if (cached && cached.text === text && cached.schema === schema)
    return { data: structuredClone(cached.file.data) as z.output<S>, at: cached.file.at };
  const file_ = parseYml(text, label, schema);
  parsed.set(key, { text, schema, file: file_ });
  return { data: structuredClone(file_.data) as z.output<S>, at: file_.at };
}

const parsed = new Map<string, { text: string; schema: z.ZodType; file: YmlFile<unknown> }>();

function parseYml<S extends z.ZodType>(text: string, label: string, schema: S): YmlFile<z.output<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  const fail = (line: number, message: string, extraHint = hint): never => {
    throw new DuckmartError(`${label}:${line}: ${message}`, { hint: extraHint });
  };
  const syntax = doc.errors[0];
  if (syntax) fail(lineOf(syntax.pos[0]), `not valid YAML: ${syntax.message.split("\n")[0]}`);
  visit(doc, {
    Map(_, node) {
      if (node.flow)
        fail(
          lineOf(node.range?.[0]),
          "flow-style mapping ({ ... }); write one key per line (block style)",
          `${hint} In a flow mapping an unquoted comma starts a new key.`,
        );
    },
  });
  const at = (path: YmlPath) => `${label}:${lineOf(locate(doc, path))}`;
  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const path = [...issue.path, ...keys.slice(0, 1)];
    return fail(lineOf(locate(doc, path)), `${describePath(doc, issue.path)}: ${issue.message}`);
  }
  return { data: parsed.data, at };
}

/** Offset of the deepest node on the path: a mapping key's own position when the path ends at a key. */
function locate(doc: Document, path: YmlPath): number | undefined {
  let node: unknown = doc.contents;
  let offset = (doc.contents as { range?: [number] } | null)?.range?.[0];
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === step);
      if (!pair) break;
      offset = (pair.key as { range?: [number] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof step === "number" && node.items[step]) {
      node = node.items[step];
      offset = (node as { range?: [number] }).range?.[0] ?? offset;
    } else break;
  }
  return offset;
}

/** `models[2] (fact_orders).columns[0] (order_id)`: indexes with the entry's name, which the index alone does not tell. */
function describePath(doc: Document, path: YmlPath): string {
  if (!path.length) return "the file";
  let value: unknown = doc.toJS();
  return path
    .map((step) => {
      value = (value as Record<PropertyKey, unknown> | undefined)?.[step as string];
      if (typeof step !== "number") return `.${String(step)}`;
      const name = (value as { name?: unknown } | undefined)?.name;
      return `[${step}]${typeof name === "string" ? ` (${name})` : ""}`;
    })
    .join("")
    .replace(/^\./, "");
}
