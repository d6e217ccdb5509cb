import { gunzipSync } from 'node:zlib';
import type { Request } from '@playwright/test';

/** posthog-js bodies: JSON, base64 in a form field, or gzip (its magic bytes). */
export function decodePosthog(request: Request): any[] {
  const body = request.postDataBuffer();
  if (!body?.length) return [];
  let text = body[0] == 0x1f && body[1] == 0x8b ? gunzipSync(body).toString('utf8') : body.toString('utf8');
  if (text.startsWith('data=')) text = Buffer.from(decodeURIComponent(text.slice(5)), 'base64').toString('utf8');
  const parsed = JSON.parse(text);
  return [parsed.batch ?? parsed].flat();
}
