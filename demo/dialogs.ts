/**
 * Modal dialogs: the product, the cart, "forget me" and the diagnostics drawer. They use
 * <dialog>.showModal(), which centres them, keeps Tab inside, makes the page behind inert and
 * closes on Escape; this module adds what it does not do reliably: focus back on the card that
 * opened the dialog, even when that card was re-rendered meanwhile.
 */
import { app, report, say } from './app';
import type { RecommendationsElement } from '../src/client/element';
import { drawPick } from './cards';
import { $, describe, esc, money, plural, shopCurrency } from './format';
import { picture } from './pictures';

/**
 * Finds the opener again after a re-render (picks re-rank while a product is open): the same
 * product in the same list, else whatever now holds its place, else the list's heading. A list is
 * found by its id, or is the one still on the page (a <localrec-recommendations> strip keeps its list).
 */
function focusRestorer(opener: Element | null): () => void {
  if (!(opener instanceof HTMLElement)) return () => undefined;
  const item = opener.closest<HTMLElement>('[data-id], [data-localrec-id]');
  const list = item?.parentElement;
  const place = item && list ? [...list.children].indexOf(item) : -1;
  const id = item?.dataset.id ?? item?.dataset.localrecId;
  const control = (el: Element | null | undefined) => el?.querySelector<HTMLElement>('.open') ?? el?.querySelector<HTMLElement>('button, a[href]');
  return () => {
    if (opener.isConnected && !opener.closest('[inert]')) return opener.focus();
    const current = list?.id ? document.getElementById(list.id) : list?.isConnected ? list : null;
    const again = current && id
      ? control(current.querySelector(`[data-id="${CSS.escape(id)}"], [data-localrec-id="${CSS.escape(id)}"]`))
        ?? control(current.children[Math.min(place, current.children.length - 1)])
      : null;
    (again ?? document.querySelector<HTMLElement>('#grid-title'))?.focus();
  };
}

const restorers = new WeakMap<HTMLDialogElement, () => void>();

/** The focused element, inside shadow roots too (a pick of a <localrec-recommendations> strip, not the strip's host). */
function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

export function openModal(dialog: HTMLDialogElement): void {
  if (!dialog.open) {
    restorers.set(dialog, focusRestorer(deepActiveElement()));
    dialog.showModal();
  }
  dialog.scrollTop = 0;
}

/** Every dialog restores focus the same way, however it closes (button, Escape, form). */
export function wireDialogs(): void {
  for (const dialog of document.querySelectorAll('dialog')) {
    dialog.addEventListener('close', () => {
      const restore = restorers.get(dialog);
      restorers.delete(dialog);
      // After the browser's own fix-up, which handles an opener still on the page; step in only
      // when focus fell to the page itself, never over a control the user has moved to since.
      const lost = () => !document.activeElement || document.activeElement === document.body || dialog.contains(document.activeElement);
      if (restore) setTimeout(() => lost() && restore(), 0);
    });
    dialog.addEventListener('keydown', (ev) => trapTab(dialog, ev));
    // A click on the backdrop lands on the dialog element itself: treat it as "close".
    dialog.addEventListener('click', (ev) => {
      if (ev.target === dialog && dialog.classList.contains('drawer')) dialog.close();
    });
  }
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog lets Tab leave for the browser's own toolbar; keep it cycling inside instead, so
 * a keyboard user never lands on the inert page behind.
 */
/** What Tab reaches inside `root`, in document order, into open shadow roots too (the dialog's "More like this" strip). */
function focusables(root: ParentNode): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const el of root.querySelectorAll<HTMLElement>('*')) {
    if (el.matches(FOCUSABLE)) out.push(el);
    if (el.shadowRoot) out.push(...focusables(el.shadowRoot));
  }
  return out;
}

function trapTab(dialog: HTMLDialogElement, ev: KeyboardEvent): void {
  if (ev.key !== 'Tab') return;
  const items = focusables(dialog).filter((el) => el.getClientRects().length > 0);
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) return;
  const active = deepActiveElement();
  const inside = dialog.contains(document.activeElement);
  if (ev.shiftKey && (active === first || !inside)) {
    ev.preventDefault();
    last.focus();
  } else if (!ev.shiftKey && (active === last || !inside)) {
    ev.preventDefault();
    first.focus();
  }
}

const head = (id: string, title: string) =>
  `<div class="dialog-head"><h2 id="${id}" tabindex="-1">${title}</h2><button type="button" class="quiet" data-close>Close</button></div>`;

/** Opens a product. `clicked`: the click was tracked already (a `<localrec-recommendations>` strip tracks its own). */
export async function openDetail(id: string, clicked = false): Promise<void> {
  const item = app.byId.get(id);
  if (!item) return;
  const dialog = $<HTMLDialogElement>('#detail');
  const replacing = dialog.open;
  dialog.dataset.item = id;
  dialog.innerHTML = `${head('detail-title', esc(item.title))}
    <div class="detail">
      <div class="detail-pic">${picture(item)}</div>
      <div>
        <p class="price big">${money(item.price)}</p>
        <p>${esc(describe(item))}</p>
        <p class="muted">Product code ${esc(item.id)} · bought in ${plural(item.popularity, 'order')} in the shop’s data</p>
        <button type="button" class="primary" data-add="${esc(id)}">Add to cart</button>
      </div>
    </div>
    <h3>More like this</h3>
    <localrec-recommendations id="similar" related-to="${esc(id)}" k="4" placement="product-page" template="pick-card" label="More like this">
      <p class="muted">Finding similar products…</p>
    </localrec-recommendations>`;
  $<RecommendationsElement>('#similar').renderItem = drawPick;
  openModal(dialog);
  // The card that was clicked inside the dialog is gone: keep focus in the dialog, on the new title.
  if (replacing) $('#detail-title').focus();
  await (clicked ? Promise.resolve() : app.track({ type: 'click', itemId: id, list: 'grid' }));
  await app.track({ type: 'view', itemId: id });
  await app.refresh();
}

export async function addToCart(id: string, from: HTMLElement): Promise<void> {
  const item = app.byId.get(id);
  if (!item) return;
  from.closest('dialog')?.close();
  await app.track({ type: 'add_to_cart', itemId: id, quantity: 1, price: item.price });
  say(`Added to your cart: ${item.title}`);
  await app.refresh();
}

export async function openCart(): Promise<void> {
  const dialog = $<HTMLDialogElement>('#cart');
  await renderCart();
  openModal(dialog);
}

async function renderCart(): Promise<void> {
  const p = await app.rec.profile();
  const lines = p.cart.flatMap((c) => {
    const item = app.byId.get(c.itemId);
    return item ? [{ item, quantity: c.quantity }] : [];
  });
  const total = lines.reduce((s, l) => s + l.item.price * l.quantity, 0);
  $('#cart').innerHTML = `${head('cart-title', 'Your cart')}
    ${lines.length === 0 ? '<p>Your cart is empty.</p>' : `<ul class="cart-lines">${lines.map((l) => `<li>
      ${picture(l.item)}<span class="line-title">${esc(l.item.title)}</span>
      <span class="line-qty">${l.quantity} × ${money(l.item.price)}</span>
      <button type="button" class="quiet" data-remove-cart="${esc(l.item.id)}" aria-label="Remove ${esc(l.item.title)} from your cart">Remove</button></li>`).join('')}</ul>
      <p class="total">Total <strong>${money(total)}</strong></p>
      <p class="muted">A demo: buying takes no payment and sends nothing. The order is remembered in this browser only.</p>
      <button type="button" class="primary" data-checkout>Buy now</button>`}`;
}

export async function removeFromCart(id: string): Promise<void> {
  // The whole line goes: say how many, as a store's own tracking would (GA4's remove_from_cart does).
  const line = (await app.rec.profile()).cart.find((c) => c.itemId === id);
  await app.track({ type: 'remove_from_cart', itemId: id, ...(line ? { quantity: line.quantity } : {}) });
  await renderCart();
  $('#cart-title').focus();
  await app.refresh();
}

export async function checkout(from: HTMLElement): Promise<void> {
  const p = await app.rec.profile();
  const items = p.cart.filter((c) => app.byId.has(c.itemId)).map((c) => ({ itemId: c.itemId, quantity: c.quantity, price: app.byId.get(c.itemId)!.price }));
  if (items.length === 0) return;
  await app.track({ type: 'purchase', items, value: items.reduce((s, l) => s + l.price * l.quantity, 0), currency: shopCurrency() });
  from.closest('dialog')?.close();
  say('Thank you! Order placed (a demo: nothing was charged or sent).');
  await app.refresh();
}

export function askToForget(): void {
  openModal($<HTMLDialogElement>('#forget-dialog'));
}

export function confirmForget(after: () => void): void {
  $<HTMLDialogElement>('#forget-dialog').close();
  app.rec.forget().then(() => {
    after();
    say('Done. Nothing about you is stored in this browser now.');
    return app.refresh();
  }).catch(report);
}
