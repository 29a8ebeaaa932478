/**
 * How the demo groups UCI Online Retail products into categories and "ranges" (brand stand-ins).
 *
 * The data set has product names but no categories, so each product gets the first rule below
 * whose keywords appear as whole words in its description. Order matters and is part of the
 * definition: seasonal lines before materials, textiles before kitchen (HOT WATER BOTTLE), and so
 * on. The same input always gives the same catalog. The retailer sells its goods in named design
 * ranges (RETROSPOT, REGENCY, ...); the demo uses the range as the item's brand.
 */
export const CATEGORY_RULES: readonly { path: [string, string]; words: readonly string[] }[] = [
  { path: ['Seasonal', 'Christmas'], words: ['CHRISTMAS', 'XMAS', 'ADVENT', 'SANTA', 'REINDEER', 'SNOWFLAKE', 'BAUBLE', 'NATIVITY', 'SNOWMAN'] },
  { path: ['Seasonal', 'Easter'], words: ['EASTER', 'CHICK', 'BUNNY'] },
  { path: ['Fashion', 'Jewellery & hair'], words: ['NECKLACE', 'BRACELET', 'EARRINGS', 'RING', 'CHARM', 'DIAMANTE', 'BEAD', 'BEADS', 'BLING', 'BROOCH', 'HAIR', 'SLIDE', 'BANGLE'] },
  { path: ['Fashion', 'Bags & purses'], words: ['BAG', 'BAGS', 'PURSE', 'TOTE', 'SHOPPER', 'HANDBAG', 'BACKPACK'] },
  { path: ['Home', 'Textiles'], words: ['CUSHION', 'THROW', 'BLANKET', 'TOWEL', 'QUILT', 'HOT WATER', 'TEA COSY', 'DOORSTOP'] },
  { path: ['Home', 'Candles & lights'], words: ['CANDLE', 'CANDLES', 'T-LIGHT', 'T-LIGHTS', 'TLIGHT', 'LANTERN', 'LIGHT', 'LIGHTS', 'NIGHTLIGHT', 'TEALIGHT', 'LAMP', 'CANDLEHOLDER'] },
  { path: ['Gifts', 'Party'], words: ['PARTY', 'BIRTHDAY', 'BUNTING', 'BALLOON', 'BALLOONS', 'GARLAND', 'NAPKINS', 'CONFETTI'] },
  { path: ['Home', 'Kitchen & dining'], words: ['MUG', 'MUGS', 'CUP', 'CUPS', 'BOWL', 'BOWLS', 'PLATE', 'PLATES', 'CAKE', 'CAKES', 'TEA', 'COFFEE', 'CUTLERY', 'TRAY', 'JAR', 'JARS', 'BOTTLE', 'LUNCH', 'DINNER', 'TEAPOT', 'SPOON', 'SPOONS', 'APRON', 'BAKING', 'JUG', 'CAKESTAND', 'TUMBLER', 'BEAKER', 'RECIPE', 'KITCHEN', 'EGG', 'CHOPSTICKS', 'COASTER', 'COASTERS', 'PANTRY', 'JAM', 'TEATIME', 'SUGAR', 'GLASSES'] },
  { path: ['Gifts', 'Stationery & wrap'], words: ['CARD', 'CARDS', 'NOTEBOOK', 'PAPER', 'WRAP', 'PENCIL', 'PENCILS', 'PEN', 'PENS', 'STICKERS', 'STICKER', 'TAPE', 'ENVELOPE', 'ENVELOPES', 'CALENDAR', 'BOOK', 'ERASER', 'RIBBON', 'RIBBONS', 'NOTEPAD', 'JOURNAL', 'STATIONERY', 'TISSUES', 'GIFT TAGS'] },
  { path: ['Kids', 'Toys & crafts'], words: ['TOY', 'TOYS', 'DOLL', 'GAME', 'GAMES', 'PUZZLE', 'KIT', 'SPACEBOY', 'CHILDREN', 'CHILDRENS', "CHILDREN'S", 'CHILDS', 'BABY', 'PLAYHOUSE', 'SKIPPING', 'JIGSAW', 'FELTCRAFT', 'CRAYONS', 'COLOURING', 'SOLDIER', 'TEDDY', 'MAGIC', 'SPINNING', 'DOMINOES', 'MARBLES'] },
  { path: ['Home', 'Garden & outdoor'], words: ['GARDEN', 'PLANT', 'PLANTER', 'WATERING', 'BIRD', 'BIRDHOUSE', 'DOORMAT', 'HERB', 'POT', 'POTS', 'PICNIC', 'PARASOL', 'UMBRELLA', 'WINDMILL'] },
  { path: ['Home', 'Decor & walls'], words: ['SIGN', 'CLOCK', 'FRAME', 'MIRROR', 'WALL', 'HOOK', 'HOOKS', 'PHOTO', 'ART', 'PICTURE', 'DECORATION', 'HANGING', 'ORNAMENT', 'WREATH', 'CHALKBOARD', 'PLAQUE', 'VASE', 'FLOWER', 'FLOWERS', 'BELL', 'HEART', 'STAR', 'BUTTERFLY', 'DOOR', 'KNOB', 'MAGNET', 'MAGNETS', 'TILE'] },
  { path: ['Home', 'Storage'], words: ['BOX', 'BOXES', 'DRAWER', 'DRAWERS', 'BASKET', 'BASKETS', 'CASE', 'CASES', 'STORAGE', 'TRINKET', 'CABINET', 'HOLDER', 'RACK', 'CRATE', 'TIN', 'TINS', 'CHEST', 'BIN', 'SHELF'] },
];
export const FALLBACK_CATEGORY: [string, string] = ['Gifts', 'Other gifts'];

/** Design ranges named in descriptions, used as the demo's brand. First match wins. */
export const RANGES: readonly { name: string; words: readonly string[] }[] = [
  { name: 'Retrospot', words: ['RETROSPOT'] },
  { name: 'Regency', words: ['REGENCY'] },
  { name: 'Spaceboy', words: ['SPACEBOY'] },
  { name: 'Dolly Girl', words: ['DOLLY GIRL', 'DOLLYGIRL'] },
  { name: 'Paisley', words: ['PAISLEY'] },
  { name: 'Polkadot', words: ['POLKADOT', 'POLKA DOT'] },
  { name: 'Babushka', words: ['BABUSHKA'] },
  { name: 'Woodland', words: ['WOODLAND'] },
  { name: 'Skulls', words: ['SKULL', 'SKULLS'] },
  { name: 'Strawberry', words: ['STRAWBERRY'] },
  { name: 'Gingham', words: ['GINGHAM'] },
  { name: 'Union Jack', words: ['UNION JACK'] },
  { name: 'French', words: ['FRENCH'] },
  { name: 'Vintage', words: ['VINTAGE', 'ANTIQUE', 'RETRO'] },
];

function hasWord(description: string, word: string): boolean {
  // Whole words only, so RING does not match EARRINGS or STRING.
  return new RegExp(`(^|[^A-Z'-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Z'-])`).test(description);
}

export function categorise(description: string): [string, string] {
  const d = description.toUpperCase();
  return CATEGORY_RULES.find((r) => r.words.some((w) => hasWord(d, w)))?.path ?? FALLBACK_CATEGORY;
}

export function rangeOf(description: string): string | undefined {
  const d = description.toUpperCase();
  return RANGES.find((r) => r.words.some((w) => hasWord(d, w)))?.name;
}
