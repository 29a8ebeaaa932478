/**
 * Fits the lifecycle population parameters (BG/NBD, and Gamma–Gamma where amounts exist) from
 * a store's purchase log, optionally checking predictions on a holdout window.
 *
 *   npm run fit-lifecycle -- --transactions FILE [--format cdnow|cdnow-summary|online-retail]
 *     [--calibration-end YYYY-MM-DD] [--holdout-end YYYY-MM-DD] [--json] [--out FILE]
 *     [--fallback-params FILE]
 *
 * --calibration-end defaults to the last transaction day. --out writes the parameters JSON the
 * catalog bundle ships; when the fit is degenerate (too little data) and --fallback-params names
 * an earlier params file, that file's parameters are written instead, with a note saying so.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { LocalrecError } from '../src/core/errors';
import { choiceOption, isEntryPoint, parseOptions, runTool } from './lib/cli';
import {
  buildCohort, conditionalExpectedPurchases, fitBgNbd, fitGammaGamma, formatDay, parseDay,
  type BgNbdParams, type GammaGammaParams, type RfmSummary,
} from '../src/core/lifecycle/index';
import { loadTransactions, TRANSACTION_FORMATS } from './lib/transactions-io';

const TIME_UNIT_DAYS = 7;

interface Report {
  customers: number;
  bgnbd: BgNbdParams & { logLikelihood: number };
  gammaGamma: GammaGammaParams | null;
  holdout: { weeks: number; actual: number; predicted: number; maePerCustomer: number } | null;
}

const round = (v: number, digits = 6) => Number(v.toFixed(digits));

/** Why a fit should not be trusted as population parameters (empty when it looks sane). */
function degeneracy(params: BgNbdParams, converged: boolean, customers: readonly RfmSummary[]): string[] {
  const why: string[] = [];
  if (!converged) why.push('the optimiser did not converge');
  for (const [k, v] of Object.entries(params)) {
    if (!(v > 1e-3 && v < 1e3)) why.push(`${k} = ${v.toPrecision(3)} is at the edge of the search space`);
  }
  const repeaters = customers.filter((c) => c.x > 0).length;
  if (repeaters < 100) why.push(`only ${repeaters} customers made a repeat purchase`);
  const maxT = Math.max(...customers.map((c) => c.T));
  if (maxT < 12) why.push(`the calibration window is only ${(maxT * TIME_UNIT_DAYS).toFixed(0)} days long`);
  return why;
}

/** Why a Gamma-Gamma fit is unusable (empty when it looks sane). */
function gammaGammaDegeneracy(params: GammaGammaParams | null, spenders: number): string[] {
  if (params === null) return ['no purchase amounts or repeat purchases'];
  const why: string[] = [];
  if (spenders < 50) why.push(`only ${spenders} returning customers with spend`);
  for (const [k, v] of Object.entries(params)) {
    if (!(v > 1e-3 && v < 1e5)) why.push(`${k} = ${v.toPrecision(3)} is at the edge of the search space`);
  }
  if (!(params.q > 1)) why.push('q <= 1 leaves the mean spend undefined');
  return why;
}

export function main(): void {
  const values = parseOptions({
    transactions: { type: 'string' },
    format: { type: 'string' },
    'calibration-end': { type: 'string' },
    'holdout-end': { type: 'string' },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    'fallback-params': { type: 'string' },
  });
  const file = values.transactions;
  if (!file) throw new LocalrecError('invalid_argument', '--transactions FILE is required.');
  const input = loadTransactions(file, choiceOption('format', values.format, TRANSACTION_FORMATS));

  let customers: (RfmSummary & { monetary?: number | null; holdoutPurchases?: number })[];
  let calibrationEnd: string | null = null;
  let holdoutWeeks: number | null = null;
  if (input.format === 'cdnow-summary') {
    if (values['holdout-end']) throw new LocalrecError('invalid_argument', 'a summary file has no holdout transactions; drop --holdout-end');
    customers = input.summaries;
  } else {
    const lastDay = Math.max(...input.transactions.map((t) => t.day));
    const end = values['calibration-end'] ? parseDay(values['calibration-end']) : lastDay;
    const holdoutEnd = values['holdout-end'] ? parseDay(values['holdout-end']) : undefined;
    customers = buildCohort(input.transactions, {
      calibrationEndDay: end,
      timeUnitDays: TIME_UNIT_DAYS,
      ...(holdoutEnd !== undefined ? { holdoutEndDay: holdoutEnd } : {}),
    });
    calibrationEnd = formatDay(end);
    if (holdoutEnd !== undefined) holdoutWeeks = (holdoutEnd - end) / TIME_UNIT_DAYS;
  }

  const fit = fitBgNbd(customers);
  // Gamma–Gamma on returning customers' mean repeat spend, as the lifetimes library does.
  const spenders = customers
    .filter((c) => c.x > 0 && typeof c.monetary === 'number' && c.monetary > 0)
    .map((c) => ({ x: c.x, mx: c.monetary as number }));
  const gg = spenders.length >= 2 ? fitGammaGamma(spenders) : null;

  let holdout: Report['holdout'] = null;
  if (holdoutWeeks !== null) {
    let actual = 0;
    let predicted = 0;
    let absErr = 0;
    for (const c of customers) {
      const p = conditionalExpectedPurchases(fit.params, holdoutWeeks, c);
      const a = c.holdoutPurchases ?? 0;
      actual += a;
      predicted += p;
      absErr += Math.abs(p - a);
    }
    holdout = { weeks: round(holdoutWeeks, 4), actual, predicted: round(predicted, 2), maePerCustomer: round(absErr / customers.length, 4) };
  }

  const report: Report = {
    customers: customers.length,
    bgnbd: {
      r: round(fit.params.r), alpha: round(fit.params.alpha), a: round(fit.params.a), b: round(fit.params.b),
      logLikelihood: round(fit.logLikelihood, 3),
    },
    gammaGamma: gg ? { p: round(gg.params.p), q: round(gg.params.q), v: round(gg.params.v) } : null,
    holdout,
  };
  const problems = degeneracy(fit.params, fit.converged, customers);

  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    const rows: [string, string][] = [
      ['input', `${file} (${input.format})`],
      ['calibration end', calibrationEnd ?? '(summary file)'],
      ['customers', String(report.customers)],
      ['BG/NBD r, alpha', `${report.bgnbd.r.toFixed(4)}, ${report.bgnbd.alpha.toFixed(4)}`],
      ['BG/NBD a, b', `${report.bgnbd.a.toFixed(4)}, ${report.bgnbd.b.toFixed(4)}`],
      ['log-likelihood', report.bgnbd.logLikelihood.toFixed(2)],
      ['Gamma-Gamma p, q, v', gg ? `${gg.params.p.toFixed(3)}, ${gg.params.q.toFixed(3)}, ${gg.params.v.toFixed(3)} (${spenders.length} returning customers)` : '(no amounts)'],
    ];
    if (holdout) {
      rows.push(['holdout weeks', holdout.weeks.toFixed(2)]);
      rows.push(['repeat purchases actual / predicted', `${holdout.actual} / ${holdout.predicted.toFixed(1)}`]);
      rows.push(['MAE per customer', holdout.maePerCustomer.toFixed(4)]);
    }
    if (problems.length > 0) rows.push(['warning', `degenerate fit: ${problems.join('; ')}`]);
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  }

  if (values.out) {
    const fitted = {
      source: `BG/NBD${gg ? ' and Gamma-Gamma' : ''} fitted by tools/fit-lifecycle.ts on ${file} (${input.format}), ${customers.length} customers, calibration end ${calibrationEnd ?? 'as in the summary'}; times in weeks.`,
      bgnbd: { r: report.bgnbd.r, alpha: report.bgnbd.alpha, a: report.bgnbd.a, b: report.bgnbd.b },
      gammaGamma: report.gammaGamma,
      timeUnitDays: TIME_UNIT_DAYS,
      fit: { customers: customers.length, logLikelihood: report.bgnbd.logLikelihood, holdout, degenerate: problems },
    };
    let out: object = fitted;
    const ggProblems = gammaGammaDegeneracy(gg?.params ?? null, spenders.length);
    if ((problems.length > 0 || ggProblems.length > 0) && values['fallback-params']) {
      const fallbackFile = values['fallback-params'];
      const fallback = JSON.parse(readFileSync(fallbackFile, 'utf8')) as { source?: string; bgnbd?: unknown; gammaGamma?: unknown };
      const fallbackNote = `the fallback parameters (${fallback.source ?? fallbackFile})`;
      // Each model falls back on its own: spend and purchase timing are independent in Gamma-Gamma.
      const notes = [
        problems.length > 0
          ? `BG/NBD: the fit on ${file} is degenerate (${problems.join('; ')}), so BG/NBD comes from ${fallbackNote}`
          : `BG/NBD: fitted on ${file} (${customers.length} customers).`,
        ggProblems.length > 0
          ? `Gamma-Gamma: the fit on ${file} is unusable (${ggProblems.join('; ')}), so Gamma-Gamma comes from ${fallbackNote}.`
          : `Gamma-Gamma: fitted on ${file} (${spenders.length} returning customers' mean repeat spend), in that file's currency.`,
      ];
      out = {
        source: notes.join(' '),
        bgnbd: problems.length > 0 ? fallback.bgnbd : fitted.bgnbd,
        gammaGamma: ggProblems.length > 0 ? (fallback.gammaGamma ?? null) : fitted.gammaGamma,
        timeUnitDays: TIME_UNIT_DAYS,
        attemptedFit: fitted,
      };
    }
    writeFileSync(values.out, JSON.stringify(out, null, 2) + '\n');
    if (!values.json) console.log(`wrote ${values.out}`);
  }
}

export const USAGE = `npm run fit-lifecycle -- --transactions FILE [--format ${TRANSACTION_FORMATS.join('|')}] [--calibration-end YYYY-MM-DD] [--holdout-end YYYY-MM-DD] [--json] [--out FILE] [--fallback-params FILE]`;

if (isEntryPoint(import.meta.url)) await runTool('fit-lifecycle', USAGE, main);
