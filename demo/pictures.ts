/**
 * Product pictures drawn from what the catalog knows, since the data set has no photos: an icon
 * for what the product is (a word in its name, else its category), painted in the colour its name
 * gives (RED, IVORY, ...), on a pattern for its design range (Retrospot spots, Gingham checks).
 * Inline SVG, so the page makes no request for them; the patterns are defined once in index.html.
 * Decorative: the card's text names the product, so screen readers skip the picture.
 */
import type { CatalogItem } from '../src/index';

const COLOURS: Record<string, string> = {
  RED: '#c8333a', PINK: '#e98bb0', BLUE: '#3d6fc4', GREEN: '#3c9a5f', WHITE: '#ffffff', BLACK: '#2b2b2b',
  IVORY: '#f4edd9', CREAM: '#f3e6c4', SILVER: '#b9c0c8', GOLD: '#d4a72c', PURPLE: '#8052b0', ORANGE: '#e5802c',
  YELLOW: '#edc93f', BROWN: '#8b5a3c', GREY: '#8f979f', GRAY: '#8f979f', TURQUOISE: '#2fb3ad', LILAC: '#b89ad8',
  AQUA: '#57c7d4', NATURAL: '#d9c7a3', ZINC: '#a6adb4', CHOCOLATE: '#6b4228', COPPER: '#b8733a', MINT: '#98d7b8',
};

/** A colour per category for products whose name gives none, so a row of cards is not one hue. */
const CATEGORY_COLOURS: Record<string, string> = {
  Christmas: '#2f8a4e', Easter: '#e9c46a', 'Jewellery & hair': '#b5838d', 'Bags & purses': '#9c6644',
  Textiles: '#6d8fb3', 'Candles & lights': '#e07a5f', Party: '#d65db1', 'Kitchen & dining': '#4d908e',
  'Stationery & wrap': '#577590', 'Toys & crafts': '#f3722c', 'Garden & outdoor': '#6a994e',
  'Decor & walls': '#bc6c25', Storage: '#7f7f7f', 'Other gifts': '#9b5de5',
};

type Icon = (fill: string) => string;
const ink = '#1f2937';

const starPoints = (cx: number, cy: number, outer: number, inner: number): string =>
  Array.from({ length: 10 }, (_, k) => {
    const r = k % 2 ? inner : outer;
    const a = (Math.PI / 5) * k - Math.PI / 2;
    return `${(cx + r * Math.cos(a)).toFixed(1)},${(cy + r * Math.sin(a)).toFixed(1)}`;
  }).join(' ');

const flame = '<path d="M60 14c7 8 7 14 0 18-7-4-7-10 0-18z" fill="#f2b632"/>';

const ICONS: Record<string, Icon> = {
  heart: () => '<path d="M60 76C36 60 28 48 28 37a15 15 0 0 1 32-8 15 15 0 0 1 32 8c0 11-8 23-32 39z"/>',
  star: () => `<polygon points="${starPoints(60, 48, 30, 13)}"/>`,
  tree: () => '<path d="M60 12 84 44H72l16 24H32l16-24H36z"/><rect x="55" y="68" width="10" height="10" fill="#8b5a3c"/>',
  candle: () => `<rect x="48" y="38" width="24" height="40" rx="3"/><path d="M60 32v6" fill="none"/>${flame}`,
  lantern: () => '<rect x="50" y="16" width="20" height="8" rx="2"/><path d="M42 26h36l-5 50H47z"/><rect x="52" y="36" width="16" height="28" rx="2" fill="#fff3c4"/>',
  mug: (f) => `<path d="M74 38h6a10 10 0 0 1 0 20h-6" fill="none" stroke="${f}" stroke-width="6"/><rect x="36" y="28" width="40" height="46" rx="5"/>`,
  plate: () => '<circle cx="60" cy="48" r="30"/><circle cx="60" cy="48" r="19" fill="none"/>',
  cake: () => `<rect x="32" y="52" width="56" height="24" rx="3"/><rect x="40" y="36" width="40" height="18" rx="3"/><rect x="58" y="26" width="4" height="10" fill="#fff"/>${flame.replace('M60 14', 'M60 10')}`,
  jar: () => '<rect x="46" y="16" width="28" height="9" rx="2"/><path d="M44 26h32a6 6 0 0 1 6 6v38a6 6 0 0 1-6 6H44a6 6 0 0 1-6-6V32a6 6 0 0 1 6-6z"/>',
  bag: (f) => `<path d="M48 40v-8a12 12 0 0 1 24 0v8" fill="none" stroke="${f}" stroke-width="5"/><path d="M34 38h52l-5 38H39z"/>`,
  gem: (f) => `<circle cx="60" cy="56" r="19" fill="none" stroke="${f}" stroke-width="7"/><path d="M49 22h22l7 8-18 15-18-15z"/>`,
  clock: () => `<circle cx="60" cy="48" r="30"/><path d="M60 48V28M60 48l13 8" fill="none" stroke="${ink}" stroke-width="4" stroke-linecap="round"/>`,
  bird: () => '<path d="M40 50 26 40l4 16z"/><ellipse cx="57" cy="54" rx="23" ry="16"/><circle cx="78" cy="40" r="11"/><path d="M88 38l9 3-9 4z" fill="#e5a02c"/>',
  egg: () => '<ellipse cx="60" cy="50" rx="22" ry="28"/><path d="M38 50l5-6 6 6 5-6 6 6 5-6 6 6 5-6 6 6" fill="none"/>',
  flower: () => `${[0, 72, 144, 216, 288].map((a) => `<circle cx="${(60 + 15 * Math.cos((a * Math.PI) / 180)).toFixed(1)}" cy="${(40 + 15 * Math.sin((a * Math.PI) / 180)).toFixed(1)}" r="11"/>`).join('')}<circle cx="60" cy="40" r="8" fill="#f2b632"/><path d="M60 56v22" fill="none" stroke="#3c9a5f" stroke-width="4"/>`,
  balloon: () => `<path d="M60 64c-4 6 4 10 0 16" fill="none"/><ellipse cx="60" cy="38" rx="20" ry="24"/><path d="M56 61h8l-4 5z"/>`,
  bunting: () => '<path d="M14 20q46 22 92 0" fill="none"/>' + [22, 44, 66, 88].map((x, k) => `<path d="M${x - 9} ${24 + (k === 1 || k === 2 ? 6 : 2)}h18l-9 ${30}z"/>`).join(''),
  envelope: () => '<rect x="30" y="26" width="60" height="42" rx="3"/><path d="M30 29l30 21 30-21" fill="none"/>',
  notebook: () => `<rect x="38" y="16" width="46" height="62" rx="3"/><path d="M47 16v62M54 32h22M54 42h22M54 52h16" fill="none"/>`,
  cushion: () => '<path d="M32 24q28 7 56 0q-7 24 0 48q-28-7-56 0q7-24 0-48z"/><circle cx="60" cy="48" r="3" fill="#fff"/>',
  box: () => '<rect x="33" y="42" width="54" height="34" rx="2"/><rect x="29" y="30" width="62" height="13" rx="2"/>',
  frame: () => '<rect x="32" y="18" width="56" height="60" rx="2"/><rect x="40" y="26" width="40" height="44" fill="#fdfcf7"/>',
  pot: () => '<path d="M60 50c-2-16-14-22-21-22 2 10 10 20 21 22zM60 50c2-16 14-24 22-22-2 10-10 20-22 22z" fill="#3c9a5f"/><path d="M38 50h44l-7 28H45z"/>',
  toy: () => `<circle cx="60" cy="48" r="28"/><path d="M32 48h56M60 20c-13 15-13 41 0 56" fill="none"/>`,
  gift: () => '<rect x="33" y="40" width="54" height="36"/><rect x="29" y="30" width="62" height="12"/><path d="M60 30v46" fill="none" stroke="#c8333a" stroke-width="7"/><path d="M60 30c-10-14-22-4-11 0zM60 30c10-14 22-4 11 0z" fill="#c8333a"/>',
};

/** Words in a product's name that say what it is, strongest first. */
const ICON_WORDS: readonly [keyof typeof ICONS, readonly string[]][] = [
  ['heart', ['HEART', 'HEARTS']],
  ['star', ['STAR', 'STARS']],
  ['candle', ['CANDLE', 'CANDLES', 'T-LIGHT', 'T-LIGHTS', 'TEALIGHT', 'TLIGHT', 'NIGHTLIGHT', 'CANDLEHOLDER']],
  ['lantern', ['LANTERN', 'LAMP', 'LIGHT', 'LIGHTS']],
  ['tree', ['TREE', 'CHRISTMAS', 'XMAS']],
  ['mug', ['MUG', 'MUGS', 'CUP', 'CUPS', 'TEACUP', 'BEAKER', 'TUMBLER']],
  ['cake', ['CAKE', 'CAKES', 'CAKESTAND', 'CUPCAKE', 'CUPCAKES']],
  ['plate', ['PLATE', 'PLATES', 'BOWL', 'BOWLS', 'COASTER', 'COASTERS', 'PLACEMATS']],
  ['jar', ['JAR', 'JARS', 'BOTTLE', 'JUG']],
  ['bag', ['BAG', 'BAGS', 'TOTE', 'SHOPPER', 'HANDBAG', 'BACKPACK', 'PURSE']],
  ['gem', ['NECKLACE', 'BRACELET', 'EARRINGS', 'RING', 'CHARM', 'DIAMANTE', 'BEAD', 'BEADS', 'BANGLE', 'BROOCH']],
  ['clock', ['CLOCK']],
  ['bird', ['BIRD', 'BIRDS', 'BIRDHOUSE', 'DOVE', 'ROBIN']],
  ['egg', ['EGG', 'EGGS', 'EASTER']],
  ['flower', ['FLOWER', 'FLOWERS', 'ROSE', 'ROSES', 'DAISY', 'BLOSSOM']],
  ['balloon', ['BALLOON', 'BALLOONS', 'PARTY', 'BIRTHDAY']],
  ['bunting', ['BUNTING', 'GARLAND']],
  ['envelope', ['CARD', 'CARDS', 'ENVELOPE', 'ENVELOPES', 'WRAP', 'PAPER', 'TAGS']],
  ['notebook', ['NOTEBOOK', 'BOOK', 'NOTEPAD', 'JOURNAL', 'PENCIL', 'PENCILS', 'PEN', 'PENS']],
  ['cushion', ['CUSHION', 'THROW', 'BLANKET', 'QUILT', 'TOWEL']],
  ['box', ['BOX', 'BOXES', 'TIN', 'TINS', 'CASE', 'CASES', 'CHEST', 'CRATE', 'DRAWER', 'DRAWERS', 'CABINET', 'BASKET']],
  ['frame', ['FRAME', 'SIGN', 'PLAQUE', 'MIRROR', 'PICTURE', 'PHOTO', 'CHALKBOARD']],
  ['pot', ['POT', 'POTS', 'PLANTER', 'PLANT', 'HERB', 'GARDEN', 'WATERING']],
  ['toy', ['TOY', 'TOYS', 'GAME', 'GAMES', 'BALL', 'SKIPPING', 'DOMINOES', 'MARBLES', 'JIGSAW', 'PUZZLE']],
];

const CATEGORY_ICONS: Record<string, keyof typeof ICONS> = {
  Christmas: 'tree', Easter: 'egg', 'Jewellery & hair': 'gem', 'Bags & purses': 'bag', Textiles: 'cushion',
  'Candles & lights': 'candle', Party: 'balloon', 'Kitchen & dining': 'mug', 'Stationery & wrap': 'envelope',
  'Toys & crafts': 'toy', 'Garden & outdoor': 'pot', 'Decor & walls': 'frame', Storage: 'box', 'Other gifts': 'gift',
};

const PATTERNS: Record<string, string> = {
  Retrospot: 'dots', Polkadot: 'dots', Strawberry: 'dots', Gingham: 'checks', 'Union Jack': 'checks',
  Paisley: 'waves', Babushka: 'waves', Woodland: 'waves', Regency: 'stripes', French: 'stripes', Vintage: 'stripes',
};

const words = (title: string): Set<string> => new Set(title.toUpperCase().split(/[^A-Z'-]+/));

/** Mixes a colour toward white so the icon stands out on its own tint. */
function tint(hex: string, amount: number): string {
  const n = parseInt(hex.slice(1), 16);
  const mix = (c: number) => Math.round(c + (255 - c) * amount).toString(16).padStart(2, '0');
  return `#${mix(n >> 16)}${mix((n >> 8) & 255)}${mix(n & 255)}`;
}

export function picture(item: CatalogItem): string {
  const w = words(item.title);
  const category = item.category.at(-1) ?? '';
  const colourWord = [...w].find((x) => x in COLOURS);
  const fill = colourWord ? COLOURS[colourWord]! : CATEGORY_COLOURS[category] ?? '#7f7f7f';
  const icon = ICON_WORDS.find(([, list]) => list.some((x) => w.has(x)))?.[0] ?? CATEGORY_ICONS[category] ?? 'gift';
  const pale = fill === '#ffffff' || fill === '#f4edd9' || fill === '#f3e6c4';
  const background = pale ? '#dfe7ee' : tint(fill, 0.82);
  const pattern = item.brand ? PATTERNS[item.brand] : undefined;
  return `<svg class="pic" viewBox="0 0 120 90" aria-hidden="true" focusable="false">
    <rect width="120" height="90" fill="${background}"/>${pattern ? `<rect width="120" height="90" fill="url(#pat-${pattern})"/>` : ''}
    <g fill="${fill}" stroke="${ink}" stroke-opacity=".5" stroke-width="2" stroke-linejoin="round">${ICONS[icon]!(fill)}</g></svg>`;
}
