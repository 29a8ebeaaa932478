import { expect, type Page } from '@playwright/test';

/** Opens the demo and waits until localrec is ready and the first recommendations are shown. */
export async function openDemo(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 45_000 });
}

/** Categories of the "Recommended for you" strip, in order. */
export async function recCategories(page: Page): Promise<string[]> {
  return page.locator('[data-testid="rec"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.category ?? ''));
}

/** Calls the live SDK instance on the page (window.localrecDemo.rec). */
export async function sdk<T>(page: Page, fn: string, arg?: unknown): Promise<T> {
  return page.evaluate(async ([name, a]) => {
    const rec = (window as unknown as { localrecDemo: { rec: Record<string, (x?: unknown) => Promise<unknown>> } }).localrecDemo.rec;
    return (await rec[name as string]!(a)) as never;
  }, [fn, arg] as const);
}
