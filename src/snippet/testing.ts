/**
 * Test helpers for the snippet: a page of the smallest shape installStub touches (window,
 * document.currentScript, createElement, head), and a record of the promises a test made and
 * left unobserved, to show none of them surfaced as an unhandled rejection.
 */
import type { SnippetStub } from './stub';

/** A script element as the stub sets it up. */
export interface FakeScript {
  async?: boolean;
  src?: string;
  nonce?: string;
  onload?: () => void;
  onerror?: () => void;
}

export interface FakePage {
  window: Window & { localrec?: unknown };
  document: Document;
  /** Elements the stub appended to <head>, in order. */
  appended: FakeScript[];
  /** `window.localrec` as the stub left it. */
  stub(): SnippetStub;
}

/** A page whose snippet tag carries `dataset` (data-src → `src`, data-catalog → `catalog`, …) and `nonce`. */
export function fakePage(dataset: Record<string, string> = {}, nonce = ''): FakePage {
  const appended: FakeScript[] = [];
  const window = {} as FakePage['window'];
  const document = {
    currentScript: { dataset, nonce },
    createElement: () => ({}),
    head: { appendChild: (el: FakeScript) => appended.push(el) },
  } as unknown as Document;
  return { window, document, appended, stub: () => window.localrec as SnippetStub };
}

/**
 * Collects Node's unhandled rejections while `body` runs and for a few turns after it, so a
 * rejection nobody handled has had time to be reported.
 */
export async function unhandledRejectionsDuring(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await body();
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}
