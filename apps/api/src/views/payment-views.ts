import { isLaterState, type Payment } from '@payments/contract';
import type { VersionedView } from '@payments/workflow';
import { storeNewest } from '../memory';

interface HeldView {
  version: number;
  payment: Payment;
  /** When a push or a query last vouched for it. */
  checkedAt: number;
  /** Set when a PUT failed: the workflow may not have kept what was pushed; only a query clears it. */
  suspect: boolean;
  /** While suspect: the view held when that PUT failed, the last one the register can have been given. */
  before?: Payment;
}

/**
 * The API's copy of each open payment's view, fed by the worker's pushes (each new version, as
 * the workflow makes it), by the API's own starts and updates, and by queries. A poll is
 * answered from it while it is fresh: a push or a query vouched for it within `trustMs`. After
 * that a poll still gets it at once, and a query checks it in the background, so a lost push
 * delays the register by about `trustMs` and a poll never waits on Temporal while a view is
 * held. The workflow stays the only source of truth: a query's answer replaces what is held.
 *
 * Answers arrive out of order (a push, an update's answer and a query's race each other), so
 * what is held only moves forward: by version between pushes and queries, and by state for an
 * update's answer (which carries no version; a payment never returns to an earlier state). A
 * poll is never answered with an older state than one this API has already given. The one
 * exception is a held view made suspect by a PUT whose outcome is unknown: the workflow may not
 * have kept it, so the next word from the workflow replaces it.
 */
export class PaymentViews {
  private readonly held = new Map<string, HeldView>();
  /** Payments whose held view a query is checking right now. */
  private readonly checking = new Set<string>();
  private readonly pushListeners: ((view: VersionedView) => void)[] = [];

  constructor(
    private readonly o: { trustMs: number; capacity?: number; now?: () => number; /** Background checks at once (VIEW_CHECKS_IN_FLIGHT); 8 by default. */ maxChecks?: number },
  ) {}

  private now(): number {
    return this.o.now ? this.o.now() : Date.now();
  }

  private put(paymentid: string, view: HeldView): void {
    storeNewest(this.held, paymentid, view, this.o.capacity ?? 50_000);
  }

  /** Told of every view a worker pushes (admission control learns from them how far behind the workers are). */
  onPushed(listener: (view: VersionedView) => void): void {
    this.pushListeners.push(listener);
  }

  /** A view the worker pushed: kept when it is newer than the one held. */
  pushed(view: VersionedView): void {
    for (const listener of this.pushListeners) listener(view);
    this.keepNewer(view);
  }

  /** The view a start begins with (version 0), which the API makes itself: held like a push, but no worker's word. */
  started(view: VersionedView): void {
    this.keepNewer(view);
  }

  private keepNewer(view: VersionedView): void {
    const held = this.held.get(view.paymentid);
    // An update's answer held at an older version number is still newer than a late push of an earlier state.
    if (held && !held.suspect && isLaterState(held.payment.paymentstate.state, view.payment.paymentstate.state)) return;
    if (held && held.version >= view.version) {
      if (held.version === view.version) held.checkedAt = this.now();
      return;
    }
    this.put(view.paymentid, { version: view.version, payment: view.payment, checkedAt: this.now(), suspect: held?.suspect ?? false, before: held?.before });
  }

  /**
   * What a query answered: the workflow's own word. It replaces what is held, unless a newer
   * version was pushed while the query was out (the query then answered what was already old).
   */
  checked(view: VersionedView): void {
    const held = this.held.get(view.paymentid);
    if (held && !held.suspect && held.version > view.version) return;
    this.put(view.paymentid, { version: view.version, payment: view.payment, checkedAt: this.now(), suspect: false });
  }

  /**
   * What an accepted update answered. A held view in the same or a later state is as new or
   * newer: a push (or another PUT's answer) overtook this answer, e.g. a PUT completed answered
   * after the PUT cancelled that followed it.
   */
  updated(paymentid: string, payment: Payment): void {
    const held = this.held.get(paymentid);
    if (held && !held.suspect && !isLaterState(payment.paymentstate.state, held.payment.paymentstate.state)) return;
    this.put(paymentid, { version: held?.version ?? 0, payment, checkedAt: this.now(), suspect: false });
  }

  /** The version of the view held, suspect or not; undefined when none is held. */
  version(paymentid: string): number | undefined {
    return this.held.get(paymentid)?.version;
  }

  /** A PUT whose outcome is unknown: what the workflow pushed meanwhile is not to be shown until a query confirms it. */
  suspect(paymentid: string): void {
    const held = this.held.get(paymentid);
    if (held && !held.suspect) {
      held.suspect = true;
      held.before = held.payment;
    }
  }

  /** The view to answer a poll with, or null when none is held or it must be checked first. */
  fresh(paymentid: string): Payment | null {
    const held = this.held.get(paymentid);
    if (!held || held.suspect || this.o.trustMs === 0 || this.now() - held.checkedAt > this.o.trustMs) return null;
    return held.payment;
  }

  /** The last view held, however old, unless suspect (or views are off: VIEW_TRUST_MS=0, every poll a query). */
  last(paymentid: string): Payment | null {
    const held = this.held.get(paymentid);
    return held && !held.suspect && this.o.trustMs > 0 ? held.payment : null;
  }

  /**
   * While suspect, the view held when the PUT failed: the last one the register can have been
   * given (its PUT got an error, so it was told of no change since). The answer to a poll whose
   * query cannot be answered in time, e.g. while a worker that died is replaced.
   */
  beforeFailedPut(paymentid: string): Payment | null {
    const held = this.held.get(paymentid);
    return held?.suspect && this.o.trustMs > 0 ? (held.before ?? null) : null;
  }

  /**
   * Checks a held view with `query` in the background, at most one check per payment and
   * `maxChecks` in all at a time: the poll that noticed the view is old is answered with it at
   * once, the next ones with what the check found. A check over the budget is not made (a later
   * poll asks again), so the checks never grow with the load. A failed check leaves the view as
   * it was, to be checked again. Returns whether a check was started.
   */
  revalidate(paymentid: string, query: () => Promise<VersionedView>, onError: (err: unknown) => void): boolean {
    if (this.checking.has(paymentid) || this.checking.size >= (this.o.maxChecks ?? 8)) return false;
    this.checking.add(paymentid);
    query()
      .then((view) => this.checked(view), onError)
      .finally(() => this.checking.delete(paymentid));
    return true;
  }

  /** Background checks running now. */
  get checksInFlight(): number {
    return this.checking.size;
  }

  forget(paymentid: string): void {
    this.held.delete(paymentid);
  }

  get size(): number {
    return this.held.size;
  }
}
