/**
 * Readers of the e-commerce events stores already send (GA4 through gtag or the GTM dataLayer,
 * Universal Analytics Enhanced Ecommerce, Segment, Shopify Web Pixels), turning each into the
 * events `track()` takes. Pure: no DOM, no state between calls, and they never throw. The rules
 * are ../shared/data/ecommerce-events/README.md.
 */
export { readDataLayer } from './data-layer';
export { readSegment } from './segment';
export { readShopifyPixel } from './shopify';
