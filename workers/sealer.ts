/**
 * Seals what the engine stores with AES-GCM under a key WebCrypto will not export. The key lives
 * beside the data (IndexedDB stores CryptoKey objects as they are), so this keeps the shopper's
 * behaviour out of plain sight of anything that reads the database files or their backups; it
 * does not hide it from code running on the store's own origin (see SECURITY.md).
 */
export interface Sealed { iv: Uint8Array<ArrayBuffer>; data: ArrayBuffer }

export function newStorageKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export class Sealer {
  constructor(private readonly key: CryptoKey) {}

  async seal(value: unknown): Promise<Sealed> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, this.key, new TextEncoder().encode(encodeValue(value)));
    return { iv, data };
  }

  /** Throws when the data was not sealed with this key or was altered (GCM authenticates it). */
  async open(sealed: Sealed): Promise<unknown> {
    return decodeValue(new TextDecoder().decode(await this.openBytes(sealed)));
  }

  /** Seals bytes as they are (a catalog's matrix: 25 MB at 100,000 items, which JSON would make several times larger and slower). */
  async sealBytes(bytes: Uint8Array<ArrayBuffer>): Promise<Sealed> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    return { iv, data: await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, this.key, bytes) };
  }

  async openBytes(sealed: Sealed): Promise<ArrayBuffer> {
    return crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, this.key, sealed.data);
  }
}

/** JSON that keeps Float32Arrays (the profile's embeddings) as Float32Arrays. */
export function encodeValue(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Float32Array ? { $f32: Array.from(v) } : v));
}

export function decodeValue(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (typeof v === 'object' && v !== null && Array.isArray((v as { $f32?: unknown }).$f32)) return Float32Array.from((v as { $f32: number[] }).$f32);
    return v;
  });
}
