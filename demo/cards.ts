/**
 * One product card for the grid, the picks strip and "more like this". The title is a real button
 * (keyboard focus, a short accessible name); its ::after stretches over the card, so a tap
 * anywhere on the card is a tap on that button and nothing else can intercept it.
 */
import type { CatalogItem, Recommendation } from '../src/index';
import { app } from './app';
import { describe, esc, money } from './format';
import { picture } from './pictures';

export interface CardOptions {
  /** Test id of the list item: `product` in the grid, `rec` in the strip. */
  testId?: string;
  /** One line under the price: why the engine picked it. */
  why?: string;
  /** Heading level that fits where the card sits (h3 under a section's h2). */
  level?: 3 | 4;
}

export function card(item: CatalogItem, options: CardOptions = {}): string {
  const h = `h${options.level ?? 3}`;
  const attrs = [`data-id="${esc(item.id)}"`, `data-category="${esc(item.category.join(' > '))}"`];
  if (options.testId) attrs.push(`data-testid="${options.testId}"`);
  return `<li class="card" ${attrs.join(' ')}>
    ${picture(item)}
    <${h} class="title"><button type="button" class="open" aria-haspopup="dialog">${esc(item.title)}</button></${h}>
    <p class="meta">${esc(describe(item))}</p>
    <p class="price">${money(item.price)}</p>${options.why ? `<p class="why">${esc(options.why)}</p>` : ''}
  </li>`;
}

/** Grey stand-ins with the size of real cards, so the strip does not jump when picks arrive. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '<li class="card placeholder" aria-hidden="true"><div class="pic"></div><p></p><p></p></li>').join('');
}

/**
 * What the #pick-card template of a `<localrec-recommendations>` strip cannot say by `data-field`
 * (the element's `renderItem` hook): the drawn picture, as a CSS part, and the category line.
 */
export function drawPick(node: HTMLElement, r: Recommendation): void {
  const item = app.byId.get(r.id);
  if (!item) return;
  const slot = node.querySelector('[data-slot="picture"]');
  if (slot) {
    const drawn = document.createElement('template');
    drawn.innerHTML = picture(item);
    drawn.content.firstElementChild?.setAttribute('part', 'pic');
    slot.replaceWith(drawn.content);
  }
  const meta = node.querySelector('[data-slot="meta"]');
  if (meta) meta.textContent = describe(item);
}
