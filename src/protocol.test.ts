import { describe, expect, it } from 'vitest';
import { transferHandlers } from 'comlink';
import { LocalrecError } from './core/errors';
import { installErrorTransfer } from './protocol';

describe('installErrorTransfer', () => {
  it('carries code and field of a LocalrecError across the boundary', () => {
    installErrorTransfer(transferHandlers);
    installErrorTransfer(transferHandlers); // idempotent
    const handler = transferHandlers.get('throw')!;
    const [wire] = handler.serialize({ value: new LocalrecError('invalid_event', 'bad', 'itemId') } as never);
    const back = (() => {
      try {
        handler.deserialize(structuredClone(wire));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(back).toBeInstanceOf(LocalrecError);
    expect(back).toMatchObject({ code: 'invalid_event', field: 'itemId', message: 'bad' });
    const [plain] = handler.serialize({ value: new TypeError('oops') } as never);
    expect(() => handler.deserialize(plain)).toThrow('oops');
  });
});
