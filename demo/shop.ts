/**
 * The shop itself: categories, the product grid (drawn from the catalog as soon as it arrives)
 * and the picks strip (filled in once the engine is ready).
 */
import type { RecommendationsElement } from '../src/client/element';
import type { CatalogItem, Recommendation } from '../src/index';
import { app, report } from './app';
import { card, placeholders } from './cards';
import { $, esc, leaf, plural } from './format';

const PAGE = 24;
const state = { category: undefined as string | undefined, query: '', shown: PAGE };

const pathOf = (i: CatalogItem) => i.category.join(' > ');

export function renderCategories(): void {
  const paths = [...new Set(app.catalog.map(pathOf))].sort((a, b) => leaf(a).localeCompare(leaf(b)));
  const current = state.category ?? 'All';
  $('#categories').innerHTML = `<ul>${['All', ...paths].map((p) =>
    `<li><button type="button" data-category="${esc(p)}" aria-pressed="${current === p}">${p === 'All' ? 'All products' : esc(leaf(p))}</button></li>`).join('')}</ul>`;
}

/** Marks the chosen category's button; the buttons stay, so keyboard focus stays where it was. */
function markCategory(): void {
  const current = state.category ?? 'All';
  for (const b of document.querySelectorAll<HTMLButtonElement>('#categories button[data-category]')) {
    b.setAttribute('aria-pressed', String(b.dataset.category === current));
  }
}

function matching(): CatalogItem[] {
  const words = state.query.toLowerCase().split(/\s+/).filter(Boolean);
  return app.catalog
    .filter((i) => i.available && (!state.category || pathOf(i) === state.category))
    .filter((i) => words.every((w) => i.title.toLowerCase().includes(w)))
    .sort((a, b) => b.popularity - a.popularity || a.id.localeCompare(b.id));
}

/** Ids the grid shows now, so that picks without anything personal need not repeat them. */
let gridIds: string[] = [];

export function renderGrid(): void {
  const all = matching();
  const shown = all.slice(0, state.shown);
  const previous = new Set(gridIds);
  gridIds = shown.map((i) => i.id);
  $('#grid-title').textContent = state.query ? `Results for “${state.query}”` : state.category ? leaf(state.category) : 'Popular products';
  $('#grid-count').textContent = all.length === 0
    ? (state.query ? `Nothing matches “${state.query}”. Try a shorter or different word.` : 'Nothing in this category right now.')
    : `Showing ${shown.length.toLocaleString('en-GB')} of ${plural(all.length, 'product')} in stock`;
  $('#grid').innerHTML = shown.map((i) => card(i, { testId: 'product' })).join('');
  const more = $<HTMLButtonElement>('#more');
  more.hidden = shown.length >= all.length;
  more.textContent = `Show ${Math.min(PAGE, all.length - shown.length)} more`;
  const fresh = gridIds.filter((id) => !previous.has(id));
  if (fresh.length > 0) void app.track({ type: 'impression', itemIds: fresh, list: 'grid' }).catch(report);
}

export function showMore(): void {
  const firstNew = state.shown;
  state.shown += PAGE;
  renderGrid();
  // Keyboard users continue where the new products start, not back at the top.
  $<HTMLElement>(`#grid li:nth-child(${firstNew + 1}) .open`).focus();
}

export function chooseCategory(path: string): void {
  state.category = path === 'All' ? undefined : path;
  state.query = '';
  state.shown = PAGE;
  $<HTMLInputElement>('#q').value = '';
  markCategory();
  renderGrid();
  showCategoryPicks();
}

/**
 * A category page's own strip, a `<localrec-recommendations category="…">`: a new shopper sees the
 * category's best sellers, a returning one what fits them in it. The grid's first row is not
 * repeated in it.
 */
function showCategoryPicks(): void {
  const section = $('#category-picks');
  const strip = $<RecommendationsElement>('#category-strip');
  section.hidden = !state.category;
  if (!state.category) return;
  const name = leaf(state.category);
  $('#category-picks-title').textContent = `Picked for you in ${name}`;
  strip.setAttribute('label', `Picked for you in ${name}`);
  strip.options = { exclude: gridIds.slice(0, 4) };
  strip.setAttribute('category', state.category);
}

/** Returns the query when it is a new search worth tracking. */
export function search(query: string): string | undefined {
  state.query = query;
  state.category = undefined;
  state.shown = PAGE;
  markCategory();
  renderGrid();
  showCategoryPicks();
  return query || undefined;
}

export function showPickPlaceholders(): void {
  $('#rec-list').innerHTML = placeholders(6);
  $('#recs').setAttribute('aria-busy', 'true');
}

/** Resolves with the engine's ranking time, for the diagnostics drawer. */
export async function renderRecs(): Promise<number> {
  const isPersonal = (items: Recommendation[]) => items.some((r) => r.reasons.some((x) => x.kind !== 'popular'));
  let result = await app.rec.recommend({ k: 8 });
  // With nothing personal to go on, picks are the best sellers, which the grid already shows
  // first: ask again without them rather than repeat its first row.
  if (!isPersonal(result.items)) result = await app.rec.recommend({ k: 8, exclude: gridIds });
  const items = result.items.filter((r) => app.byId.has(r.id));
  const personal = isPersonal(items);
  $('#recs-title').textContent = personal ? 'Picked for you' : 'Popular with other shoppers';
  $('#recs-note').textContent = personal
    ? 'Chosen in this browser from what you look at. Nothing is sent to the shop.'
    : 'Look at a few products and this row adapts to you, right here in your browser.';
  const list = $('#rec-list');
  // Picks re-rank after every action: a keyboard user on a pick stays on it (or on its place in the row).
  const focused = document.activeElement?.closest<HTMLElement>('#rec-list [data-id]');
  const place = focused ? [...list.children].indexOf(focused) : -1;
  list.innerHTML = items.map((r) => card(app.byId.get(r.id)!, { testId: 'rec', why: r.reasons[0]?.text ?? '' })).join('');
  if (focused) {
    const again = list.querySelector<HTMLElement>(`[data-id="${CSS.escape(focused.dataset.id ?? '')}"] .open`)
      ?? list.children[Math.min(place, list.children.length - 1)]?.querySelector<HTMLElement>('.open');
    again?.focus({ preventScroll: true });
  }
  $('#recs').removeAttribute('aria-busy');
  if (!focused) list.scrollLeft = 0;
  updateStripButtons();
  return result.tookMs;
}

/** The strip scrolls sideways: buttons say so and move it a screenful, for people without a trackpad. */
export function updateStripButtons(): void {
  const strip = $('#rec-list');
  const overflow = strip.scrollWidth > strip.clientWidth + 1;
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-scroll]')) {
    b.hidden = !overflow;
    const back = b.dataset.scroll === '-1';
    b.disabled = back ? strip.scrollLeft <= 0 : strip.scrollLeft + strip.clientWidth >= strip.scrollWidth - 1;
  }
  $('#recs').classList.toggle('more-right', overflow && strip.scrollLeft + strip.clientWidth < strip.scrollWidth - 1);
}

export function scrollStrip(direction: number): void {
  const strip = $('#rec-list');
  strip.scrollBy({ left: direction * strip.clientWidth * 0.8, behavior: 'smooth' });
}
