/**
 * The demo storefront as a store integrates localrec through the npm package: a shop on the UCI
 * Online Retail catalog where every product open, add to cart, search and order is a track() call,
 * and the picks strip and the "about you" panel follow each one. The shop itself is
 * ./storefront.ts, shared with the other integration styles (ga4.html, snippet.html).
 */
import { defineRecommendationsElement } from '../src/client/element';
import { createLocalrec } from '../src/index';
import { engineOptions, runStorefront } from './storefront';

// The <localrec-recommendations> strips (category page, "More like this") rank with this instance.
runStorefront(() => {
  const rec = createLocalrec(engineOptions('localrec-demo'));
  defineRecommendationsElement(rec);
  return rec;
});
