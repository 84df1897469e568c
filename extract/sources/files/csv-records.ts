import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";

const delimiters = [",", ";", "\t", "|"];

/** The header of a CSV file as written: its delimiter (the candidate that splits it most) and its field names. */
export async function csvHeader(file: string): Promise<{ delimiter: string; fields: string[] }> {
  const handle = await open(file, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(65536), 0, 65536, 0);
    const first =
      buffer
        .toString("utf8", 0, bytesRead)
        .replace(/^\uFEFF/, "")
        .split(/\r?\n/)[0] ?? "";
    const delimiter = delimiters.reduce((best, d) =>
      splitRecord(first, d).length > splitRecord(first, best).length ? d : best,
    );
    return { delimiter, fields: splitRecord(first, delimiter).map((f) => f.trim()) };
  } finally {
    await handle.close();
  }
}

function splitRecord(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === '"') {
      if (quoted && line[i + 1] === '"') field += line[++i];
      else quoted = !quoted;
    } else if (char === delimiter && !quoted) {
      fields.push(field);
      field = "";
    } else field += char;
  }
  return [...fields, field];
}

export interface CsvRecord {
  /** 1 = the first record after the header. */
  record: number;
  /** The physical line it starts on (1 = the header; quoted line breaks count). */
  line: number;
  fields: number;
  blank: boolean;
}

/** The records of a CSV file after its header, as written: where each starts and how many fields it has. */
export async function* csvRecords(file: string, delimiter = ","): AsyncGenerator<CsvRecord> {
  let line = 1;
  let start = 1;
  let record = 0;
  let fields = 1;
  let quoted = false;
  let blank = true;
  for await (const chunk of createReadStream(file, { encoding: "utf8" })) {
    for (const char of chunk as string) {
      if (char === '"') quoted = !quoted;
      else if (char === delimiter && !quoted) fields++;
      else if (char === "\n") {
        line++;
        if (quoted) continue;
        if (record > 0) yield { record, line: start, fields, blank };
        record++;
        fields = 1;
        start = line;
        blank = true;
        continue;
      }
      if (char !== "\r") blank = false;
    }
  }
  if (record > 0 && !blank) yield { record, line: start, fields, blank };
}

/**
 * The records whose number of fields differs from the header's (the first `limit`, and how many in all): their
 * physical lines and field counts. DuckDB's sniffer, meeting such a line in its sample, reads the file as one column
 * or takes the wrong header; this names the lines instead.
 */
export async function raggedRecords(
  file: string,
  delimiter: string,
  expected: number,
  limit = 5,
): Promise<{ first: { line: number; fields: number }[]; count: number }> {
  const first: { line: number; fields: number }[] = [];
  let count = 0;
  for await (const r of csvRecords(file, delimiter))
    if (!r.blank && r.fields !== expected && ++count <= limit) first.push({ line: r.line, fields: r.fields });
  return { first, count };
}
