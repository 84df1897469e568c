/**
 * Pattern-based redaction: the forms a secret takes in text when its value is not known in advance (a DSN
 * inside a driver's error message, a key pasted in a URL). Used by redact.ts, which also replaces the
 * values it knows from the config.
 */

export const MASK = "***";

/** Parameter names whose value is a secret: password, sslpassword, sslkey, api_key, token, client_secret... */
const secretName = String.raw`[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|key|credential|signature|auth)`;
const secretNameRe = new RegExp(`^${secretName}$`, "i");
/** In `name: "value"` text a bare `key` is prose (zod's `Unrecognized key: "warn_afer"`), not a secret's name. */
const colonSecretName = String.raw`(?!key\b)${secretName}`;

export function isSecretName(name: string): boolean {
  return secretNameRe.test(name);
}

const quoted = String.raw`'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"`;

const patterns: [RegExp, string | ((...match: string[]) => string)][] = [
  // scheme://user:password@host: the userinfo password (greedy to the last @ before the path).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@'"]*):[^\s/?#'"]*@/gi, `$1:${MASK}@`],
  // key=value in a query string or a libpq key/value DSN (`host=db password='x y'`), quoted values too.
  [
    new RegExp(String.raw`(^|[\s?&;,("'{])(${secretName})(\s*=\s*)(${quoted}|[^\s&;,'"()[\]{}<>]+)`, "gim"),
    (_m, before, name, equals) => `${before}${name}${equals}${MASK}`,
  ],
  // "password": "x" in JSON or YAML-ish text.
  [
    new RegExp(String.raw`(["']?)\b(${colonSecretName})\1(\s*:\s*)(${quoted})`, "gi"),
    (_m, q, name, colon, value: string) => `${q}${name}${q}${colon}${value[0]}${MASK}${value[0]}`,
  ],
  // Stripe secret and restricted keys, webhook signing secrets.
  [/\b((?:sk|rk)_(?:live|test)_)[A-Za-z0-9]+/g, `$1${MASK}`],
  [/\bwhsec_[A-Za-z0-9]+/g, `whsec_${MASK}`],
  // HTTP credentials.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{8,}=*/g, `$1 ${MASK}`],
  // Webhook URLs of the well-known chat services carry their token in the path.
  [/\b(https:\/\/hooks\.slack\.com)\/[^\s'"]+/gi, `$1/${MASK}`],
  [/\b(https:\/\/(?:[a-z]+\.)?discord(?:app)?\.com\/api\/webhooks)\/[^\s'"]+/gi, `$1/${MASK}`],
];

/**
 * Text every pattern above needs (":" in a URL or `name: value`, "=", the "k_" of sk_/rk_ keys, "whsec_", the HTTP
 * schemes): text with none of them holds no secret-looking form, and most site strings (dates, names) have none.
 */
const mayHoldSecret = /[:=]|k_|whsec_|Bearer|Basic/;

/** Redact every form a secret may take in free text. */
export function redactPatterns(text: string): string {
  if (!mayHoldSecret.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of patterns) {
    out = typeof replacement === "string" ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}

/** The secret values a key/value DSN carries (`host=db password='x y' sslkey=/k.pem`). */
export function dsnSecrets(text: string): string[] {
  const out: string[] = [];
  const pair = new RegExp(String.raw`(?:^|\s)([A-Za-z_]+)\s*=\s*(${quoted}|[^\s'"]+)`, "g");
  for (const [, name, value] of text.matchAll(pair)) {
    if (!name || !value || !isSecretName(name)) continue;
    const unquoted = /^['"]/.test(value) ? value.slice(1, -1).replace(/\\(.)/g, "$1") : value;
    out.push(unquoted);
  }
  return out;
}
