/**
 * `<localrec-recommendations>`: a strip of recommendations a store drops into its HTML.
 *
 * ```html
 * <localrec-recommendations placement="home" k="8" label="Picked for you">
 *   <template><a data-field="url"><img data-field="image" alt=""><span data-field="title"></span>
 *     <span data-field="price"></span><small data-field="reason"></small></a></template>
 * </localrec-recommendations>
 * ```
 *
 * Three modes: `recommend()` (the default; `category` keeps it to that category and seeds it), `related(id)` with
 * `related-to="ID"` (a product page), and `rerank`, which re-orders the elements carrying
 * `data-localrec-id` that the page already rendered inside the tag. The strip is drawn in a shadow
 * root from the store's `<template>` (one copy per item, `data-field` elements filled) as a list
 * with an accessible name, styled with `::part(strip)`, `::part(item)` and any `part` the
 * template's own elements carry, or a `<style>` inside the template. The template is the tag's
 * own `<template>` child, or the document's `<template>` whose id the `template` attribute gives
 * (one template for several strips). Until the first result the tag's other children (a
 * server-rendered fallback) show.
 *
 * It follows the shopper: each profile change (`onProfileChange`: events in this tab or another)
 * and a newer catalog swapped in (`onCatalogChange`) re-rank after a short quiet spell, and the strip changes only when the ranking did, reusing the
 * nodes of items it keeps. A call that fails leaves what is shown in place. Choosing an item
 * (a click, or Enter on it) emits `localrec-select` and tracks the click.
 *
 * This module is a file of its own (dist/lib/localrec-element.js, `localrec/element`): the
 * script-tag SDK loads it only when the page has the tag (src/snippet/commands.ts).
 */
import type { ItemDetails } from '../core/catalog';
import type { Reason, Recommendation, RecommendRequest } from '../core/ranking/rank';
import type { RecommendResult } from '../protocol';
import type { Localrec } from './localrec';

/** The tag's name. */
export const ELEMENT_NAME = 'localrec-recommendations';
/** Profile changes come one per written batch; the strip re-ranks once they have been quiet this long. */
export const UPDATE_QUIET_MS = 250;

/** What the element needs of a localrec instance. */
export type RecommendationsSource = Pick<Localrec, 'recommend' | 'related' | 'rerank' | 'track' | 'onProfileChange'> & Partial<Pick<Localrec, 'onCatalogChange'>>;

/** The detail of the `localrec-select` event. */
export interface SelectDetail {
  itemId: string;
  /** 1 = the first item of the strip. */
  position: number;
  /** The tag's `placement` attribute. */
  placement: string | undefined;
  reasons: Reason[];
}

/**
 * The element's JavaScript side, for what attributes cannot say: `options` are merged into each
 * call (rules, exclude, diversity, …), `refresh()` re-ranks now.
 */
export interface RecommendationsElement extends HTMLElement {
  /** Extra fields for every call: `rules`, `exclude`, `diversity`, `maxPerCategory`, `explore`, `context`. */
  options: Partial<RecommendRequest>;
  /** Called for each item after its fields are filled, for what `data-field` cannot say (a picture the page draws, a badge). */
  renderItem: ((node: HTMLElement, recommendation: Recommendation) => void) | undefined;
  /** Re-ranks now; resolves once the strip shows the result (or kept what it had, if the call failed). Never rejects. */
  refresh(): Promise<void>;
}

let source: RecommendationsSource | undefined;
const connected = new Set<{ refresh(): Promise<void> }>();

/**
 * Defines `<localrec-recommendations>` on this page, ranking with `rec`. Calling it again (with a
 * new instance after `destroy()`) switches every strip to the new one.
 *
 * @example
 * import { createLocalrec } from 'localrec';
 * import { defineRecommendationsElement } from 'localrec/element';
 *
 * const rec = createLocalrec({ catalog: '/catalog.json' });
 * defineRecommendationsElement(rec);
 */
export function defineRecommendationsElement(rec: RecommendationsSource): void {
  const previous = source;
  source = rec;
  if (!customElements.get(ELEMENT_NAME)) customElements.define(ELEMENT_NAME, elementClass());
  else if (previous !== rec) for (const el of connected) void el.refresh();
}

/** Fills the fields of one item's copy of the template. */
function fill(node: ParentNode, r: Recommendation, reason: string): void {
  const item: Partial<ItemDetails> = r.item ?? {};
  for (const el of Array.from(node.querySelectorAll<HTMLElement>('[data-field]'))) {
    const field = el.dataset.field;
    const text = field === 'title' ? item.title
      : field === 'price' ? item.price === undefined ? undefined : price(item.price, item.currency)
      : field === 'reason' ? reason
      : field === 'brand' ? item.brand
      : field === 'category' ? item.category?.join(' > ')
      : undefined;
    if (field === 'image') {
      if (item.image) el.setAttribute('src', item.image);
      if (item.image && !el.hasAttribute('alt')) el.setAttribute('alt', item.title ?? '');
      el.hidden = !item.image;
    } else if (field === 'url') {
      const url = webUrl(item.url);
      if (url) el.setAttribute('href', url);
      else el.removeAttribute('href');
    } else if (text !== undefined) {
      el.textContent = text;
    }
  }
}

/** `url` when it is a web address (http, https, or relative to the page): never a `javascript:` link from catalog data. */
function webUrl(url: string | undefined): string | undefined {
  try {
    return url && /^https?:$/.test(new URL(url, document.baseURI).protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}

function price(value: number, currency = 'USD'): string {
  try {
    return new Intl.NumberFormat(document.documentElement.lang || undefined, { style: 'currency', currency }).format(value);
  } catch {
    return String(value);
  }
}

/** The sentence a shopper sees: the first reason that is not a store rule's. */
const shownReason = (r: Recommendation) => (r.reasons.find((x) => x.kind !== 'rule') ?? r.reasons[0])?.text ?? '';

const DEFAULT_TEMPLATE = '<a data-field="url" part="link"><img data-field="image" part="image" alt=""><span data-field="title" part="title"></span> <span data-field="price" part="price"></span></a>';
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';
const STYLE = `:host{display:block}[hidden]{display:none!important}
ul{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(10rem,100%),1fr));gap:1rem;list-style:none;margin:0;padding:0}
li{min-width:0}li[tabindex]{cursor:pointer}img{max-width:100%;display:block}`;

let shared: CSSStyleSheet | undefined;
/**
 * The strip's own defaults, one constructed sheet for every strip: a `<style>` element would need
 * `style-src 'unsafe-inline'` under a store's strict Content-Security-Policy, which the CSSOM does not.
 */
function sheet(): CSSStyleSheet {
  if (!shared) {
    shared = new CSSStyleSheet();
    shared.replaceSync(STYLE);
  }
  return shared;
}

const Base = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement;

/** The class, made when the element is defined (so importing this module outside a browser does not fail). */
function elementClass(): CustomElementConstructor {
  return class extends Base implements RecommendationsElement {
    static observedAttributes = ['placement', 'k', 'related-to', 'category', 'rerank', 'strength', 'label', 'template'];
    #options: Partial<RecommendRequest> = {};
    #renderItem: RecommendationsElement['renderItem'];
    readonly #root = this.attachShadow({ mode: 'open' });
    readonly #list = document.createElement('ul');
    /** The strip's items by id, reused while they stay in it. */
    #items = new Map<string, HTMLLIElement>();
    #shown: RecommendResult['items'] = [];
    #template: DocumentFragment | undefined;
    /** Reranked children's place in the store's own order (the prior), by first sight. */
    readonly #storeOrder = new WeakMap<Element, number>();
    #seen = 0;
    #timer: ReturnType<typeof setTimeout> | undefined;
    #unsubscribe: (() => void) | undefined;
    /** The instance `#unsubscribe` listens to. */
    #listening: RecommendationsSource | undefined;
    #calls = 0;

    constructor() {
      super();
      this.#list.setAttribute('part', 'strip');
      this.#list.setAttribute('role', 'list');
      this.#list.hidden = true;
      this.#root.adoptedStyleSheets = [sheet()];
      this.#root.append(document.createElement('slot'), this.#list);
      // A page may set properties before the element is defined (the script tag loads it late):
      // those sit on the instance, hiding the accessors; they are taken over here.
      for (const name of ['options', 'renderItem'] as const) {
        if (!Object.hasOwn(this, name)) continue;
        const own = this as unknown as Partial<Record<string, unknown>>;
        const value = own[name];
        delete own[name];
        own[name] = value;
      }
      // Events inside the shadow root reach the host too (composed), with their path.
      this.addEventListener('keydown', (e) => this.#key(e));
      this.addEventListener('click', (e) => this.#select(e));
    }

    get options(): Partial<RecommendRequest> {
      return this.#options;
    }

    set options(value: Partial<RecommendRequest>) {
      this.#options = value ?? {};
      if (this.isConnected) this.#schedule(0);
    }

    get renderItem(): RecommendationsElement['renderItem'] {
      return this.#renderItem;
    }

    set renderItem(value: RecommendationsElement['renderItem']) {
      this.#renderItem = value;
      // Drawn again with it: the items are made afresh.
      this.#items.clear();
      this.#shown = [];
      if (this.isConnected) this.#schedule();
    }

    connectedCallback(): void {
      connected.add(this);
      this.dataset.state ??= 'loading';
      void this.refresh();
    }

    disconnectedCallback(): void {
      connected.delete(this);
      this.#listen(undefined);
      clearTimeout(this.#timer);
    }

    /** Follows the profile changes of `rec` (the instance defineRecommendationsElement was last given). */
    #listen(rec: RecommendationsSource | undefined): void {
      if (rec === this.#listening) return;
      this.#unsubscribe?.();
      this.#listening = rec;
      try {
        const stops = [rec?.onProfileChange(() => this.#schedule()), rec?.onCatalogChange?.(() => this.#schedule())];
        this.#unsubscribe = () => stops.forEach((stop) => stop?.());
      } catch {
        this.#unsubscribe = undefined;
      }
    }

    attributeChangedCallback(): void {
      if (this.isConnected) this.#schedule(0);
    }

    /**
     * Re-ranks after `delay`: a quiet spell after profile changes (a burst of events ranks once),
     * but at the end of this task after the page changed what the strip asks for (its attributes
     * or options, often several in a row): the items shown until then answer another question.
     */
    #schedule(delay = UPDATE_QUIET_MS): void {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.refresh(), delay);
    }

    get #placement(): string | undefined {
      return this.getAttribute('placement') ?? undefined;
    }

    async refresh(): Promise<void> {
      clearTimeout(this.#timer);
      const rec = source;
      if (!rec || !this.isConnected) return;
      this.#listen(rec);
      const call = ++this.#calls;
      try {
        const result = await this.#rank(rec);
        // A later call (an attribute changed, the profile changed again) has the last word.
        if (call === this.#calls && result) this.#show(result);
      } catch (error) {
        if (call !== this.#calls) return;
        if (this.dataset.state === 'loading') this.dataset.state = 'error';
        this.dispatchEvent(new CustomEvent('localrec-error', { detail: error }));
      }
    }

    async #rank(rec: RecommendationsSource): Promise<RecommendResult | undefined> {
      const placement = this.#placement;
      const common = { ...this.options, k: Number(this.getAttribute('k')) || 8, details: true, ...(placement ? { placement } : {}) };
      if (this.hasAttribute('rerank')) {
        const children = this.#rerankable();
        if (children.length === 0) return undefined;
        const strength = this.getAttribute('strength');
        return rec.rerank(children.map((el) => el.dataset.localrecId!), {
          ...(strength === null ? {} : { strength: Number(strength) }), ...(placement ? { placement } : {}), ...(this.options.rules ? { rules: this.options.rules } : {}),
        });
      }
      const related = this.getAttribute('related-to');
      if (related) return rec.related(related, common);
      const category = this.getAttribute('category');
      if (!category) return rec.recommend(common);
      // The category narrows the strip (a filter rule of this call: a returning shopper's own
      // interests elsewhere must not fill it) and seeds a new shopper's picks with its best sellers.
      const rules = [...(this.options.rules ?? []), { type: 'filter' as const, where: { category } }];
      return rec.recommend({ ...common, context: { ...this.options.context, category }, rules });
    }

    /** The page's own items inside the tag (outermost ones), in document order. */
    #pageItems(): HTMLElement[] {
      return Array.from(this.querySelectorAll<HTMLElement>('[data-localrec-id]')).filter((el) => !el.parentElement?.closest('[data-localrec-id]'));
    }

    /** The page's own items in the store's order: an item's first sight fixes its place, so re-ranking again starts from the store's order, not ours. */
    #rerankable(): HTMLElement[] {
      const all = this.#pageItems();
      for (const el of all) if (!this.#storeOrder.has(el)) this.#storeOrder.set(el, this.#seen++);
      return all.sort((a, b) => this.#storeOrder.get(a)! - this.#storeOrder.get(b)!);
    }

    #show(result: RecommendResult): void {
      const same = result.items.length === this.#shown.length && result.items.every((r, i) => r.id === this.#shown[i]!.id && shownReason(r) === shownReason(this.#shown[i]!));
      this.#shown = result.items;
      this.dataset.state = result.items.length ? 'ready' : 'empty';
      this.#list.setAttribute('aria-label', this.getAttribute('label') ?? (this.hasAttribute('related-to') ? 'Related products' : 'Recommended for you'));
      if (same) return;
      if (this.hasAttribute('rerank')) return this.#reorder(result.items);
      const next = new Map<string, HTMLLIElement>();
      const items = result.items.map((r, i) => {
        const li = this.#items.get(r.id) ?? this.#item();
        li.dataset.localrecId = r.id;
        li.dataset.position = String(i + 1);
        fill(li, r, shownReason(r));
        try {
          this.#renderItem?.(li, r);
        } catch {
          // The page's hook failed for this item: it keeps what the template gave it.
        }
        // One tab stop per item: its own link or button once filled (an item without a url has no link), else the item itself.
        if (li.querySelector(FOCUSABLE)) li.removeAttribute('tabindex');
        else li.tabIndex = 0;
        next.set(r.id, li);
        return li;
      });
      this.#items = next;
      // One change to the DOM: no frame shows a half-built strip.
      this.#list.replaceChildren(...items);
      this.#list.hidden = items.length === 0;
      this.#root.querySelector('slot')!.hidden = items.length > 0;
    }

    #item(): HTMLLIElement {
      if (!this.#template) {
        const id = this.getAttribute('template');
        const given = this.querySelector<HTMLTemplateElement>(':scope > template') ?? (id ? document.getElementById(id) : null) as HTMLTemplateElement | null;
        const template = given ?? Object.assign(document.createElement('template'), { innerHTML: DEFAULT_TEMPLATE });
        this.#template = template.content.cloneNode(true) as DocumentFragment;
        // The template's styles serve the whole strip: into the shadow root once, not once per item.
        this.#root.prepend(...Array.from(this.#template.querySelectorAll('style')));
      }
      const li = document.createElement('li');
      li.setAttribute('part', 'item');
      li.append(this.#template.cloneNode(true));
      return li;
    }

    /** Moves the page's own items into the ranked order, each into a place one of them held. */
    #reorder(items: Recommendation[]): void {
      const inDocument = this.#pageItems();
      const byId = new Map(inDocument.map((el) => [el.dataset.localrecId!, el]));
      const places = inDocument.map((el) => el.parentNode!.insertBefore(document.createComment(''), el));
      items.forEach((r, i) => {
        const el = byId.get(r.id);
        if (!el) return;
        el.dataset.position = String(i + 1);
        const why = el.querySelector<HTMLElement>('[data-field="reason"]');
        if (why) why.textContent = shownReason(r);
        places[i]?.replaceWith(el);
      });
      places.forEach((p) => p.remove());
    }

    /** The item an event happened on: one of the strip's, or one of the page's reranked items. */
    #itemOf(e: Event): HTMLElement | undefined {
      for (const node of e.composedPath()) {
        if (node === this) return undefined;
        if (node instanceof HTMLElement && node.dataset.localrecId && (node.parentNode === this.#list || this.contains(node))) return node;
      }
      return undefined;
    }

    #key(e: KeyboardEvent): void {
      const el = this.#itemOf(e);
      // Only an item that is itself the focus stop (no link inside): links and buttons click on Enter already.
      if (!el || e.composedPath()[0] !== el || (e.key !== 'Enter' && e.key !== ' ')) return;
      e.preventDefault();
      el.click();
    }

    #select(e: Event): void {
      const el = this.#itemOf(e);
      if (!el) return;
      const itemId = el.dataset.localrecId!;
      const position = Number(el.dataset.position) || 0;
      const detail: SelectDetail = { itemId, position, placement: this.#placement, reasons: this.#shown.find((r) => r.id === itemId)?.reasons ?? [] };
      // Cancelling it cancels the click (a single-page app routes by itself).
      const go = this.dispatchEvent(new CustomEvent('localrec-select', { detail, bubbles: true, composed: true, cancelable: true }));
      if (!go) e.preventDefault();
      source?.track({ type: 'click', itemId, list: this.#placement ?? ELEMENT_NAME }).catch(() => undefined);
    }
  };
}
