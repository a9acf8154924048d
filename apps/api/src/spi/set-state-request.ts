import { Compile } from 'typebox/compile';
import { TargetState } from '@payments/contract';
import { SpiError } from '../http';

const checkTargetState = Compile(TargetState);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The state a PUT asks for, from `{ "paymentstate": { "state": … } }` or the bare `{ "state": … }`;
 * errors name the field in the shape the register used.
 */
export function parseSetStateRequest(body: unknown): TargetState {
  if (!isObject(body)) throw new SpiError('bad-request', 'the body must be a JSON object');
  let field = 'state';
  let state: unknown = body.state;
  if (body.paymentstate !== undefined || body.state === undefined) {
    field = 'paymentstate.state';
    if (body.paymentstate === undefined) throw new SpiError('field-missing', `${field} is required`, field);
    if (!isObject(body.paymentstate)) throw new SpiError('field-type', 'paymentstate must be an object', 'paymentstate');
    state = body.paymentstate.state;
  }
  if (state === undefined) throw new SpiError('field-missing', `${field} is required`, field);
  if (typeof state !== 'string') throw new SpiError('field-type', `${field} must be a string`, field);
  if (!checkTargetState.Check(state)) {
    throw new SpiError('field-validation', `${field} must be "completed" or "cancelled"`, field);
  }
  return state;
}
