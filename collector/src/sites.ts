/**
 * Which sites the collector accepts and from which origins. Configured with SM_SITES: either JSON
 * (`{"docs": {"origins": ["https://docs.example.com"]}}`) or a path to a JSON file of that shape.
 * Without configuration every siteId and origin is accepted (the demo and local development).
 */
import { readFileSync } from 'node:fs';

export interface Site {
  /** Exact origins (`https://example.com`) allowed to send records for this site; empty = any. */
  origins: string[];
}

export type Sites = ReadonlyMap<string, Site>;

export function parseSites(text: string, source = 'SM_SITES'): Sites {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${source} must be an object of siteId -> { "origins": [...] }`);
  }
  const sites = new Map<string, Site>();
  for (const [id, site] of Object.entries(value)) {
    const origins = (site as { origins?: unknown } | null)?.origins ?? [];
    if (!Array.isArray(origins) || !origins.every((o) => typeof o === 'string')) {
      throw new Error(`${source}: site '${id}' origins must be an array of strings`);
    }
    for (const o of origins) {
      if (!/^https?:\/\/[^/]+$/.test(o)) throw new Error(`${source}: site '${id}' origin '${o}' must look like https://host[:port], without a path`);
    }
    sites.set(id, { origins });
  }
  return sites;
}

/** SM_SITES as JSON text or as a file path; undefined or empty = no restriction. */
export function loadSites(value: string | undefined, read = (p: string) => readFileSync(p, 'utf8')): Sites | null {
  if (!value || !value.trim()) return null;
  const trimmed = value.trim();
  return trimmed.startsWith('{') ? parseSites(trimmed) : parseSites(read(trimmed), trimmed);
}

/** Every origin any site allows, for the CORS preflight (which does not carry the body's siteId). */
export function allOrigins(sites: Sites): Set<string> {
  return new Set([...sites.values()].flatMap((s) => s.origins));
}

/** True when some site has no origin restriction, so any origin may send (for that site). */
export function anyOriginAllowed(sites: Sites): boolean {
  return [...sites.values()].some((s) => s.origins.length === 0);
}
