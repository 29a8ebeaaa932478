import type { Catalog } from '../catalog';
import type { CleanEvent } from '../events';
import { learnFromClosedSession, predict, type LifecycleModels, type LifecycleStage, type Prediction } from '../predict';
import { applyEvent } from './apply-event';
import { watchForBot } from './bot';
import type { Profile } from './state';

/** What an event is folded in with. */
export interface UpdateContext {
  /** The catalog, for item embeddings and categories; unknown items still count. */
  readonly catalog: Catalog | undefined;
  /** The store's lifecycle parameters and purchase model, when it ships them. */
  readonly lifecycle: LifecycleModels | undefined;
  /** The wall-clock time the stage is judged at. */
  readonly now: number;
}

/** The lifecycle stage moved (new → active, active → at-risk, ...). */
export interface StageChange { from: LifecycleStage | null; to: LifecycleStage; prediction: Prediction }

export interface ProfileUpdate {
  readonly profile: Profile;
  /** Set when the event moved the lifecycle stage: the page is told once. */
  readonly stageChange: StageChange | undefined;
}

/**
 * The one way an event changes a profile. Pure: the profile passed in is left as it was, so a
 * caller whose write then fails still holds the old state. Automated traffic is kept out first
 * (bot.ts: an event may be held, dropped, or release held ones). Then, for each event learned, the
 * steps run in the only order that works:
 * 1. learn: an event that opens a new session closes the previous one, which is then a labelled
 *    example (did it end in a purchase?) for the shopper's own purchase model. This must read the
 *    closed session before step 2 replaces it;
 * 2. apply the event (session, embeddings, affinities, cart, purchases);
 * 3. judge the lifecycle stage after the event, and report it when it moved.
 */
export function updateProfile(profile: Profile, event: CleanEvent, ctx: UpdateContext): ProfileUpdate {
  const next = structuredClone(profile);
  return { profile: next, stageChange: applyUpdate(next, event, ctx) };
}

/**
 * {@link updateProfile} on a draft the caller owns (changed in place), so a batch of events
 * costs one copy of the profile, not one per event. Returns the stage change, if any.
 */
export function applyUpdate(draft: Profile, event: CleanEvent, ctx: UpdateContext): StageChange | undefined {
  const bot = watchForBot(draft.botWatch, event);
  draft.botWatch = bot.watch;
  if (bot.ignored > 0) {
    const totals = (draft.automated ??= { visits: 0, ignored: 0 });
    totals.ignored += bot.ignored;
    if (bot.judgedNow) {
      totals.visits++;
      totals.last = { reason: bot.judgedNow, at: event.time };
    }
  }
  let change: StageChange | undefined;
  for (const e of bot.learn) change = learnOne(draft, e, ctx) ?? change;
  return change;
}

function learnOne(draft: Profile, event: CleanEvent, ctx: UpdateContext): StageChange | undefined {
  const life = ctx.lifecycle;
  if (life) {
    const personal = learnFromClosedSession(draft, life, event.time);
    if (personal) draft.personalModel = personal;
  }
  applyEvent(draft, event, ctx.catalog);
  return life ? judgeStage(draft, life, ctx.now) : undefined;
}

/** Records the stage on the profile (in place) and returns the change, if it moved. */
function judgeStage(p: Profile, life: LifecycleModels, now: number): StageChange | undefined {
  const prediction = predict(p, life, now);
  const from = (p.stage ?? null) as LifecycleStage | null;
  if (from === prediction.stage) return undefined;
  p.stage = prediction.stage;
  return { from, to: prediction.stage, prediction };
}
