import type { Forwarding, ForwardingResponse } from '../api/types';

// The forwarding form: a switch, one input per address, and "keep a copy".

export interface ForwardingForm {
  enabled: boolean;
  addresses: string[];
  keepCopy: boolean;
}

export function toForm(res: ForwardingResponse): ForwardingForm {
  const a = res.forwarding.addresses;
  return {
    enabled: a.length > 0,
    addresses: a.length > 0 ? [...a] : [''],
    // Forwarding never set up: keeping a copy is the safe default.
    keepCopy: a.length > 0 ? res.forwarding.keepCopy : true,
  };
}

/** Drops empty rows before saving, so the server's `addresses.N` matches row N. */
export function compact(f: ForwardingForm): void {
  const kept = f.addresses.map((a) => a.trim()).filter(Boolean);
  f.addresses = kept.length > 0 ? kept : [''];
}

export function toBody(f: ForwardingForm): Forwarding {
  return {
    addresses: f.enabled ? f.addresses.map((a) => a.trim()).filter(Boolean) : [],
    keepCopy: f.keepCopy,
  };
}

export function check(f: ForwardingForm): Record<string, string> {
  if (f.enabled && !f.addresses.some((a) => a.trim())) return { 'addresses.0': 'required' };
  return {};
}
