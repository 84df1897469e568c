/**
 * The one redaction module: every log line, error, manifest, Postgres row and site file goes through it.
 *
 * Two layers. A registry of the secret VALUES duckmart knows (collected from the config when it is loaded:
 * the database password, the Stripe key, the webhook token, the SMTP password...) replaced wherever they
 * appear, in any form. Then patterns for the secrets it cannot know (a DSN inside a driver's error message).
 */
import { dsnSecrets, isSecretName, MASK, redactPatterns } from "./secret-patterns.ts";

export { MASK } from "./secret-patterns.ts";

/** Shorter values are not registered: replacing a 3-letter password everywhere would garble every line. */
const minSecretLength = 4;
const registry = new Map<string, string>();
let ordered: [string, string][] | undefined;

/** Replace `value` (and its URL-encoded and decoded forms) by `replacement` in everything redacted from now on. */
export function registerSecret(value: string | undefined, replacement = MASK): void {
  if (!value) return;
  for (const form of new Set([value, encodeURIComponent(value), safeDecode(value)])) {
    if (form.length < minSecretLength || registry.get(form) === replacement) continue;
    registry.set(form, replacement);
    ordered = undefined;
  }
}

/** Forget the registered values (tests). */
export function clearSecrets(): void {
  registry.clear();
  ordered = undefined;
}

/**
 * Collect the secrets of a config object (raw or parsed): for every string, the password and secret
 * parameters of a URL or a key/value DSN; the whole value for a secret key (stripe.apiKey); the path of
 * a webhook URL. Unknown keys that look secret (smtpPassword, apiToken) count too.
 */
export function registerConfigSecrets(config: unknown, secretKeys: ReadonlySet<string>, path = ""): void {
  if (Array.isArray(config)) config.forEach((v) => registerConfigSecrets(v, secretKeys, path));
  else if (config && typeof config === "object")
    for (const [key, value] of Object.entries(config))
      registerConfigSecrets(value, secretKeys, path ? `${path}.${key}` : key);
  else if (typeof config === "string")
    registerValue(path, config, secretKeys.has(path) || isSecretName(path.split(".").at(-1) ?? ""));
}

function registerValue(key: string, value: string, secretKey: boolean): void {
  const inDsn = dsnSecrets(value);
  for (const secret of inDsn) registerSecret(secret);
  const url = parseUrl(value);
  if (!url) {
    if (secretKey && !inDsn.length) registerSecret(value);
    // A Stripe key without its prefix (an API may echo the tail).
    if (secretKey) registerSecret(/^(?:sk|rk|pk)_(?:live|test)_(.{8,})$/.exec(value)?.[1]);
    return;
  }
  registerSecret(url.password);
  registerSecret(safeDecode(url.password));
  for (const [name, param] of url.searchParams) if (isSecretName(name)) registerSecret(param);
  if (/webhook|hook/i.test(key) && url.pathname.length > 1) {
    registerSecret(value, webhookMask(url));
    registerSecret(`${url.pathname}${url.search}`, `/${MASK}`);
    for (const segment of url.pathname.split("/")) if (segment.length >= 8) registerSecret(segment);
  } else if (secretKey && !url.password && /^https?:$/.test(url.protocol) && url.pathname.length > 1) {
    // A secret http URL with no userinfo (a signed URL): its path and query are the secret.
    registerSecret(`${url.pathname}${url.search}`, `/${MASK}`);
  }
}

/** Redact every known secret value, then every secret-looking form, in free text. */
export function redactText(text: string): string {
  if (!text) return text;
  ordered ??= [...registry].sort((a, b) => b[0].length - a[0].length);
  let out = text;
  for (const [value, replacement] of ordered) if (out.includes(value)) out = out.split(value).join(replacement);
  return redactPatterns(out);
}

/** A deep copy with every string redacted: for manifests, JSON files, Postgres rows and site payloads. */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v)) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}

/** A URL safe to print: the password and secret query parameters masked, known secrets replaced. */
export function redactUrl(url: string): string {
  const parsed = parseUrl(url);
  if (!parsed) return redactText(url);
  if (parsed.password) parsed.password = MASK;
  for (const key of [...parsed.searchParams.keys()]) if (isSecretName(key)) parsed.searchParams.set(key, MASK);
  return redactText(parsed.toString());
}

/** Webhook URLs carry their secret in the path: show only the origin. */
export function redactWebhookUrl(url: string): string {
  const parsed = parseUrl(url);
  return parsed ? webhookMask(parsed) : "<webhook>";
}

const childEnvName = "DUCKMART_REDACT";

/** The registry as an environment variable, for child processes that write files (the site's loaders). */
export function secretsForChild(): Record<string, string> {
  return registry.size ? { [childEnvName]: JSON.stringify([...registry]) } : {};
}

/** In a child process: take over the parent's registry. */
export function registerSecretsFromEnv(env: NodeJS.ProcessEnv = process.env): void {
  try {
    for (const [value, replacement] of JSON.parse(env[childEnvName] ?? "[]") as [string, string][])
      registerSecret(value, replacement);
  } catch {
    // A malformed variable registers nothing; the patterns still apply.
  }
}

function webhookMask(url: URL): string {
  return `${url.origin}/${MASK}`;
}

function parseUrl(value: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim())) return undefined;
  try {
    return new URL(value.trim());
  } catch {
    return undefined;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** smtps://user:***@host:465: the SMTP server without its password, for log lines. */
export function redactSmtpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${parsed.username}:${parsed.password ? "***" : ""}@` : "";
    return `${parsed.protocol}//${user}${parsed.host}`;
  } catch {
    return "<smtp url>";
  }
}

/** Secret values (URLs, keys) and the passwords inside them, longest first, for `redactSecrets`. */
function secretParts(secrets: (string | undefined)[]): string[] {
  const values = new Set<string>();
  for (const value of secrets) {
    if (!value) continue;
    values.add(value);
    try {
      const url = new URL(value);
      if (url.password) {
        values.add(url.password);
        values.add(decodeURIComponent(url.password));
      }
    } catch {
      // not a URL (an API key): the value itself is enough
    }
  }
  return [...values].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
}

/** Replace every known secret value (and any password inside a secret URL) in free text with ***. */
export function redactSecrets(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secretParts(secrets)) out = out.replaceAll(secret, "***");
  return out;
}

const emailAddress = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** Replace email addresses (personal data: customers', staff's) in free text with <email>. */
export function redactEmails(text: string): string {
  return text.replace(emailAddress, "<email>");
}
