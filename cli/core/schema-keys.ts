/** A zod schema as far as its keys go: objects have a shape; wrappers (optional, default, pipe) wrap one schema. */
interface SchemaNode {
  shape?: Record<string, SchemaNode>;
  def?: { innerType?: SchemaNode; in?: SchemaNode };
}

/** The keys of the object schema at `path` (optional/default wrappers unwrapped), or [] where there is none. */
export function keysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  let node = unwrap(schema as SchemaNode);
  for (const part of path) {
    const next = node?.shape?.[String(part)];
    if (!next) return [];
    node = unwrap(next);
  }
  return node?.shape ? Object.keys(node.shape) : [];
}

function unwrap(node: SchemaNode | undefined): SchemaNode | undefined {
  for (let depth = 0; node && !node.shape && depth < 10; depth++) node = node.def?.innerType ?? node.def?.in;
  return node;
}
