import { parseLifecyclePopulation, parsePurchaseModel, type LifecycleModels, type StageThresholds } from '../src/core/predict';
import { download, type Fetcher } from './downloads';

/** Lifecycle parameters and the purchase model, each given as a URL or as the object itself. */
export async function loadLifecycle(
  population: string | object, purchaseModel: string | object, thresholds: Partial<StageThresholds>, fetcher: Fetcher,
): Promise<LifecycleModels> {
  const load = async (source: string | object, what: string) =>
    typeof source === 'string' ? (await download(fetcher, source, what, 'download_failed')).json() as Promise<unknown> : source;
  const [p, m] = await Promise.all([load(population, 'lifecycle parameters'), load(purchaseModel, 'purchase model')]);
  return { population: parseLifecyclePopulation(p), model: parsePurchaseModel(m), thresholds };
}
