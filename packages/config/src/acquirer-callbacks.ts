import { definePart } from './part';
import { flag } from './variable';

export const ACQUIRER_CALLBACKS = flag({
  name: 'ACQUIRER_CALLBACKS',
  default: false,
  meaning:
    'whether the acquirer at ACQUIRER_URL sends its events to the API’s /callbacks/acquirer (ACQUIRER_CALLBACK_SECRET set there): a waiting payment then waits for them and reads the acquirer only when one comes, or every 2 s without one, instead of long-polling it from an activity',
});

/**
 * The worker's side of the acquirer's callbacks: whether the standard merchants' payments wait
 * for them. Off for a bare worker, since a payment that waits for events nobody sends only
 * learns of its customer at each fallback read.
 */
export const acquirerCallbacks = definePart('acquirer callbacks', [ACQUIRER_CALLBACKS], (env) => ({
  /** The acquirer pushes its events to the API, which signals the payment's workflow. */
  pushed: ACQUIRER_CALLBACKS.read(env),
}));
